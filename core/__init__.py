"""kaderwerk: toetsingskaders als code.

The package a user imports. It stays tiny on purpose: ``kaderwerk --help`` must not pay for
jsonschema, YAML or openpyxl, so everything heavy lives in submodules imported on first use.
"""

__version__ = "0.1.0"
