"""The docs stay in step with the code."""

from __future__ import annotations

import importlib.util

from .conftest import ROOT


def test_reference_is_generated_from_current_schemas() -> None:
    """docs/reference.md equals what docs/generate_reference.py makes from schemas/."""
    spec = importlib.util.spec_from_file_location("gen", ROOT / "docs" / "generate_reference.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (ROOT / "docs" / "reference.md").read_text(encoding="utf-8") == gen.generate()


def test_readme_gives_the_two_commands() -> None:
    """README's set-up is exactly the demo and test commands that .ci/run uses."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 tasks.py demo" in readme and "python3 tasks.py test" in readme
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
