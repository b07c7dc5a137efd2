"""The sources layer: files, YAML/JSON with positions, schemas, loading kaders,
the catalog of installed kaders and the plugin manager.

Imports the domain layer, never the commands (tests/test_layers.py).
"""
