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


def test_kader_schema_is_composed_from_the_rule_types() -> None:
    """schemas/kader.schema.json is, byte for byte, the kader schema composed with the builtin
    rule types' own schemas; without them it knows no rule type's keys."""
    import json

    from kaderwerk.plugins.regels import AantalRegel
    from kaderwerk.sources import schema

    spec = importlib.util.spec_from_file_location("gen", ROOT / "docs" / "generate_reference.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    text = (ROOT / "schemas" / "kader.schema.json").read_text(encoding="utf-8")
    assert text == gen.kader_schema_text()
    root = json.loads(text)
    assert set(schema.rule_type_branches(root)) == {"aantal", "percentage", "handmatig"}
    assert root["$defs"]["aantal"] == AantalRegel.SCHEMA
    veranderd = {**AantalRegel.SCHEMA, "description": "anders"}
    assert schema.compose_kader(root, {"aantal": veranderd})["$defs"]["aantal"] == veranderd


def test_readme_gives_the_two_commands() -> None:
    """README's set-up is exactly the demo and test commands that .ci/run uses."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 tasks.py demo" in readme and "python3 tasks.py test" in readme
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_json_score_file_in_the_docs_is_valid() -> None:
    """The example in docs/beoordelingen.md passes the schema it illustrates."""
    from kaderwerk.sources import jsonsource, schema

    text = (ROOT / "docs" / "beoordelingen.md").read_text(encoding="utf-8")
    voorbeeld = text.split("```json\n", 1)[1].split("```", 1)[0]
    doc = jsonsource.parse(voorbeeld, "docs/beoordelingen.md")
    assert schema.validate("beoordeling", doc) == []
    assert doc.data["organisaties"][0]["naam"] == "Utrecht"


def test_the_pinned_hook_commit_in_the_guide_is_a_commit_of_this_repository() -> None:
    """docs/kader-repository.md pins kaderwerk's hooks to a real commit that has them."""
    import re
    import shutil
    import subprocess

    import pytest

    text = (ROOT / "docs" / "kader-repository.md").read_text(encoding="utf-8")
    revs = re.findall(r"rev: ([0-9a-f]{40})", text)
    assert revs
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout of kaderwerk")
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT,
                             capture_output=True, text=True).stdout.strip()
    if shallow == "true":
        pytest.skip("a shallow clone lacks the history")
    for rev in revs:
        hooks = subprocess.run(["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT,
                               capture_output=True, text=True)
        assert hooks.returncode == 0, f"{rev} is not a commit of this repository"
        assert all(f"id: kaderwerk-{h}" in hooks.stdout for h in ("validate", "check", "test"))
