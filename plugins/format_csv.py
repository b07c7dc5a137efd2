"""Placeholder until the format_csv format lands."""
