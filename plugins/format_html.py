"""Placeholder until the format_html format lands."""
