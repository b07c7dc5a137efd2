"""The commands layer: the CLI, each command's body, terminal output, CI reports,
rendering, diffs, example tests and scaffolding.

May import the domain and sources layers (tests/test_layers.py).
"""
