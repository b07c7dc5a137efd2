"""The validation memory: a document that passed is not validated again until it changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from kaderwerk import geldig, schema
from kaderwerk.loader import read_document

from .conftest import ROOT

KADER = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KADERWERK_CACHE", str(tmp_path))
    return tmp_path / "geldig"


def _zonder_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    def weigert(name: str) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(schema, "_validator", weigert)


def test_a_valid_kader_is_remembered(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = read_document(KADER)
    assert schema.validate("kader", doc) == []
    assert len(list(cache.glob("*/*"))) == 1
    _zonder_jsonschema(monkeypatch)
    assert schema.validate("kader", doc) == []


def test_a_changed_document_is_validated_again(cache: Path, tmp_path: Path) -> None:
    doc = read_document(KADER)
    assert schema.validate("kader", doc) == []
    kapot = tmp_path / "kapot.yaml"
    kapot.write_text(KADER.read_text(encoding="utf-8").replace("titel:", "tittel:", 1),
                     encoding="utf-8")
    problems = schema.validate("kader", read_document(kapot))
    assert any("tittel" in p.message for p in problems)
    assert len(list(cache.glob("*/*"))) == 1  # a failure is never remembered


def test_the_mark_depends_on_name_schemas_and_data() -> None:
    assert geldig.merk("kader", {"a": 1}, b"s") != geldig.merk("dataset", {"a": 1}, b"s")
    assert geldig.merk("kader", {"a": 1}, b"s") != geldig.merk("kader", {"a": 1}, b"t")
    assert geldig.merk("kader", {"a": 1}, b"s") != geldig.merk("kader", {"a": "1"}, b"s")
    assert geldig.merk("kader", {"a": 1, "b": 2}, b"s") == geldig.merk("kader", {"b": 2, "a": 1},
                                                                     b"s")


def test_off_means_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KADERWERK_CACHE", "uit")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert geldig.merk("kader", {}, b"") is None
    assert schema.validate("kader", read_document(KADER)) == []
    assert not any(tmp_path.iterdir())


def test_an_unusable_cache_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "geldig").write_text("a file where the folder should be")
    monkeypatch.setenv("KADERWERK_CACHE", str(tmp_path))
    assert schema.validate("kader", read_document(KADER)) == []
    assert schema.validate("kader", read_document(KADER)) == []
