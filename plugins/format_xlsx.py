"""Placeholder until the format_xlsx format lands."""
