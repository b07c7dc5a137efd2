"""The public API type-checks under ``mypy --strict``: what plugins import is typed exactly.

mypy cannot follow the editable install's package-dir mapping (core/ is ``kaderwerk``), so the
test gives it a folder where ``kaderwerk`` is a link to core/.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import ROOT

PUBLIC = ("kaderwerk.api", "kaderwerk.hookspecs", "kaderwerk.testing",
          "kaderwerk.domain.uitkomst", "kaderwerk.domain.beslisregel", "kaderwerk.domain.errors",
          "kaderwerk.domain.model", "kaderwerk.sources.manager")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a symbolic link")
def test_public_api_passes_mypy_strict(tmp_path) -> None:
    pytest.importorskip("mypy", reason="mypy is a test dependency: pip install -e '.[test]'")
    (tmp_path / "kaderwerk").symlink_to(ROOT / "core", target_is_directory=True)
    args = [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
            "--cache-dir", str(tmp_path / "cache"), "--no-error-summary"]
    for name in PUBLIC:
        args += ["-p", name]
    result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "MYPYPATH": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_sees_a_type_error(tmp_path) -> None:
    """The check above can fail: a wrong call of a public function is reported."""
    pytest.importorskip("mypy", reason="mypy is a test dependency: pip install -e '.[test]'")
    (tmp_path / "kaderwerk").symlink_to(ROOT / "core", target_is_directory=True)
    (tmp_path / "gebruik.py").write_text(
        "from kaderwerk.api import criterium_ids\n\ncriterium_ids(42)\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--cache-dir",
         str(tmp_path / "cache"), "gebruik.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "MYPYPATH": str(tmp_path)})
    assert result.returncode == 1 and "gebruik.py:3" in result.stdout, result.stdout
