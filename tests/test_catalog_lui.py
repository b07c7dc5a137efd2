"""The catalog is lazy: a command that names a file reads no kader file a plugin registered, a
lookup of an id reads only the files that may declare it, and the id a glance at a file's text
finds (``_idscan``) is never a wrong one."""

from __future__ import annotations

import pytest
from kaderwerk.sources import loader
from kaderwerk.sources._idscan import id_in_text

from .conftest import forget_plugins, install_plugin
from .test_plugin_package import kader

VEEL = '''
from importlib import resources
from kaderwerk.api import hookimpl

@hookimpl
def register_kaders(register):
    for i in range(5):
        register(resources.files("kw_veel") / f"k{i}")
'''


@pytest.fixture
def gelezen(site, monkeypatch):
    """kw_veel registers five kader folders; returns the plugin files read so far."""
    install_plugin(site, "kw_veel", VEEL)
    for i in range(5):
        (site / "kw_veel" / f"k{i}").mkdir()
        (site / "kw_veel" / f"k{i}" / "1.yaml").write_text(kader(1, kid=f"veel-{i}"),
                                                            encoding="utf-8")
    forget_plugins()
    paden: list[str] = []
    echt = loader.read_document

    def lees(path, display=None):
        paden.append(str(path))
        return echt(path, display)

    monkeypatch.setattr(loader, "read_document", lees)
    return paden


def test_validate_file_reads_no_plugin_kader(gelezen, site, tmp_path, run_cli) -> None:
    f = tmp_path / "eigen.yaml"
    f.write_text(kader(1, kid="eigen"), encoding="utf-8")
    code, _, err = run_cli("validate", str(f))
    assert code == 0, err
    assert not [p for p in gelezen if "kw_veel" in p or "kw_drempel" in p]
    assert "Traceback" not in err


def test_a_lookup_reads_only_that_ids_files(gelezen, run_cli) -> None:
    code, _, err = run_cli("show", "veel-3")
    assert code == 0, err
    assert [p for p in gelezen if "kw_veel" in p] == [p for p in gelezen if "k3" in p] != []


def test_list_still_reads_every_plugin_kader(gelezen, run_cli) -> None:
    code, out, err = run_cli("list")
    assert code == 0, err
    assert all(f"veel-{i}" in out for i in range(5))


def test_a_file_whose_id_is_not_certain_is_read_for_every_lookup(site, run_cli) -> None:
    install_plugin(site, "kw_veel", VEEL)
    for i in range(5):
        (site / "kw_veel" / f"k{i}").mkdir()
        tekst = kader(1, kid=f"veel-{i}")
        if i == 2:  # the id as a quoted key: the glance is not certain, reading finds it
            tekst = tekst.replace("id: veel-2", '"id": veel-2')
        (site / "kw_veel" / f"k{i}" / "1.yaml").write_text(tekst, encoding="utf-8")
    forget_plugins()
    code, out, err = run_cli("show", "veel-2")
    assert code == 0 and "veel-2@1" in out, err


@pytest.mark.parametrize(("text", "kid"), [
    ("id: abc\nversie: '1'\n", "abc"),
    ("id: 'a-b'  # c\n", "a-b"),
    ('---\nid: "x.y"\n', "x.y"),
    ("id: 2015\n", None),  # a number, not text
    ("id: yes\n", None),
    ("id: abc\n  def\n", None),  # a plain value continued on the next line
    ("id: abc\nid: def\n", None),
    ('"id": abc\n', None),
    ("{id: abc}\n", None),
    ("id:\n  abc\n", None),
    ("id: abc\n---\nid: d\n", None),
    ("titel: x\n", None),
])
def test_the_glance_at_an_id_is_certain_or_none(text, kid) -> None:
    assert id_in_text(text) == kid
