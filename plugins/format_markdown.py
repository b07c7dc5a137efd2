"""Placeholder until the format_markdown format lands."""
