"""What an adversarial tester found in check's edges: overlays, locations and wording.

Each refusal names FILE:LINE:COL of the thing to fix, exits 1 (2 for usage), shows no
traceback and leaves the input unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

OVERLAY = """id: ovl
versie: "1"
titel: Overlay
bron: {document: D2}
oordeelschaal: [voldoende, matig, onvoldoende]
basis: {kader: veilig-thuis-stap-1, versie: "2015"}
score_verplicht: false
aanpassingen:
  - id: "1.1.4"
    weglaten: true
"""


def _schoon(code: int, out: str, err: str) -> str:
    assert "internal error" not in out + err and "Traceback" not in out + err
    return out + err


def _regel(path: Path, tekst: str) -> int:
    return next(i for i, r in enumerate(path.read_text("utf-8").splitlines(), 1) if tekst in r)


def test_overlay_score_verplicht_replaces_the_bases(run_cli, tmp_path) -> None:
    """score_verplicht: false on an overlay of Stap 1 (which declares true) takes effect."""
    path = tmp_path / "ovl.yaml"
    path.write_text(OVERLAY, encoding="utf-8")
    code, out, err = run_cli("show", path, "--format", "json")
    assert code == 0, err
    criteria = [c for t in json.loads(out)["themas"] for c in t["criteria"]]
    assert criteria and not any(c["score_verplicht"] for c in criteria)
    # the proof now covers niet beoordeeld, which Stap 1's rules leave open
    code, out, err = run_cli("check", path)
    assert code == 1 and "niet beoordeeld" in _schoon(code, out, err)
    path.write_text(OVERLAY.replace("score_verplicht: false\n", ""), encoding="utf-8")
    code, out, err = run_cli("show", path, "--format", "json")
    assert all(c["score_verplicht"] for t in json.loads(out)["themas"] for c in t["criteria"])


def test_overlay_of_a_kader_not_installed_is_located_at_basis(run_cli, tmp_path) -> None:
    path = tmp_path / "ovl.yaml"
    path.write_text(OVERLAY.replace("veilig-thuis-stap-1", "basisk"), encoding="utf-8")
    for commando in ("check", "validate"):
        code, out, err = run_cli(commando, path)
        tekst = _schoon(code, out, err)
        assert code == 1 and f"{path}:{_regel(path, 'basis:')}:1: " in tekst, tekst
        assert "basisk" in tekst
    path.write_text(OVERLAY.replace('versie: "2015"', 'versie: "1999"'), encoding="utf-8")
    code, out, err = run_cli("check", path)
    assert code == 1 and re.search(rf"{re.escape(str(path))}:6:\d+: ", _schoon(code, out, err))


KADER = """id: k
versie: "1"
titel: T
bron: {document: D}
oordeelschaal: [voldoende, onvoldoende]
score_verplicht: true
themas:
  - id: "1"
    titel: A
    beslisregel:
      type: aantal
      regels:
        - {oordeel: voldoende, als: {onvoldoende: {max: 0}}}
        - {oordeel: onvoldoende, als: {onvoldoende: {min: 1}}}
    criteria:
      - id: "1.1"
        titel: C
        verwachtingen:
          - {id: "1.1.1", tekst: x}
          - {id: "1.1.2", tekst: y}
"""


def test_too_large_is_located_at_the_largest_criterium(run_cli, tmp_path) -> None:
    path = tmp_path / "groot.yaml"
    verwachtingen = "".join(f'          - {{id: "1.2.{i}", tekst: x}}\n' for i in range(1, 1101))
    path.write_text(KADER.replace("score_verplicht: true\n", "")
                    + '      - id: "1.2"\n        titel: D\n        verwachtingen:\n'
                    + verwachtingen, encoding="utf-8")
    code, out, err = run_cli("check", path, "--proof", "counts")  # symbolic: not bounded
    tekst = _schoon(code, out, err)
    regel = _regel(path, 'id: "1.2"')
    assert code == 1 and f"{path}:{regel}:" in tekst, tekst
    assert "limit" in tekst


def test_a_folder_is_checked_like_validate_does(run_cli, tmp_path) -> None:
    """check FOLDER proves every kader file in it (not datasets or voorbeelden)."""
    (tmp_path / "a.yaml").write_text(KADER, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(KADER.replace("id: k", "id: k2")
                                     .replace("{max: 0}", "{max: 1}"), encoding="utf-8")
    (tmp_path / "voorbeelden").mkdir()
    (tmp_path / "voorbeelden" / "x.yaml").write_text("voorbeelden: []\n", encoding="utf-8")
    code, out, err = run_cli("check", tmp_path, "--format", "json")
    assert code == 1 and "internal error" not in out + err
    data = json.loads(out)
    assert sorted(k["kader"] for k in data["kaders"]) == ["k2@1", "k@1"]
    assert data["fouten"] == []


def test_folder_symlink_loop_and_dot_are_named_as_what_they_are(run_cli, tmp_path,
                                                                monkeypatch) -> None:
    leeg = tmp_path / "dir.yaml"
    leeg.mkdir()
    (tmp_path / "loop1.yaml").symlink_to(tmp_path / "loop2.yaml")
    (tmp_path / "loop2.yaml").symlink_to(tmp_path / "loop1.yaml")
    code, out, err = run_cli("check", leeg, tmp_path / "loop1.yaml")
    tekst = _schoon(code, out, err)
    assert code == 1 and "no such file" not in tekst
    assert f"{leeg}: a folder without kader files" in tekst
    assert f"{tmp_path / 'loop1.yaml'}: a symbolic link" in tekst
    monkeypatch.chdir(leeg)
    code, out, err = run_cli("show", ".")
    assert code == 1 and ".: a folder" in _schoon(code, out, err)
    code, out, err = run_cli("show", "veilig-thuis-stap-1")  # an id still wins
    assert code == 0


def test_non_finite_numbers_are_refused_at_the_value(run_cli, tmp_path) -> None:
    for waarde in (".inf", "-.inf", ".nan", "1.0e400"):
        path = tmp_path / "k.yaml"
        path.write_text(KADER.replace("{max: 0}", f"{{max: {waarde}}}"), encoding="utf-8")
        voor = path.read_bytes()
        code, out, err = run_cli("check", path)
        tekst = _schoon(code, out, err)
        kolom = path.read_text("utf-8").splitlines()[12].index(waarde) + 1
        assert code == 1 and f"{path}:13:{kolom}: " in tekst and "number" in tekst, tekst
        assert "Fraction" not in tekst and path.read_bytes() == voor


def test_object_form_errors_name_the_part_that_is_wrong(run_cli, tmp_path) -> None:
    path = tmp_path / "k.yaml"
    for vorm, deel in (('{waarde: "ja"}', "waarde"), ("{waarde: true, bron: 3}", "bron")):
        path.write_text(KADER.replace("score_verplicht: true", f"score_verplicht: {vorm}"),
                        encoding="utf-8")
        code, out, err = run_cli("validate", path)
        tekst = _schoon(code, out, err)
        kolom = path.read_text("utf-8").splitlines()[5].index(deel) + len(deel) + 3
        assert code == 1 and f"{path}:6:{kolom}: 'score_verplicht.{deel}'" in tekst, tekst


def test_each_schema_error_is_reported_once(run_cli, tmp_path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(KADER.replace(
        "{oordeel: voldoende, als:", '{oordeel: voldoende, tekst: "t", lezing: {woorden: t}, als:'),
        encoding="utf-8")
    code, out, err = run_cli("validate", path)
    regels = [r for r in _schoon(code, out, err).splitlines() if r.startswith(str(path))]
    assert code == 1 and len(regels) == 2 == len(set(regels)), regels
    path.write_text("a: 1\n", encoding="utf-8")
    code, out, err = run_cli("validate", path)
    regels = [r for r in _schoon(code, out, err).splitlines() if r.startswith(str(path))]
    assert len(regels) == len(set(regels)) and any("'versie'" in r for r in regels)


def test_clause_only_for_nothing_beoordeeld_says_why_it_never_applies(run_cli, tmp_path) -> None:
    """A clause 'beoordeeld = 0' holds, but zonder_beoordeling decides that case: say so."""
    path = tmp_path / "k.yaml"
    path.write_text(KADER.replace("score_verplicht: true\n", "").replace(
        "{oordeel: onvoldoende, als: {onvoldoende: {min: 1}}}",
        "{oordeel: onvoldoende, als: {onvoldoende: {min: 1}}}\n"
        "        - {oordeel: onvoldoende, als: {beoordeeld: {gelijk: 0}}}").replace(
        "{max: 0}}}", "{max: 0}, beoordeeld: {min: 1}}}"), encoding="utf-8")
    code, out, err = run_cli("check", path, "--format", "json")
    assert code == 1 and "internal error" not in out + err
    [b] = [b for k in json.loads(out)["kaders"] for b in k["bevindingen"]
           if b["soort"] == "onbereikbaar"]
    assert "zonder_beoordeling" in b["boodschap"] and "clause 3" in b["boodschap"]


def test_one_verwachting_and_one_criterium_are_singular(run_cli, tmp_path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(KADER.replace('          - {id: "1.1.2", tekst: y}\n', ""), encoding="utf-8")
    code, out, err = run_cli("check", path)
    assert code == 0 and "1 criterium proven" in " ".join((out + err).split())
    path.write_text(KADER.replace('          - {id: "1.1.2", tekst: y}\n', "").replace(
        "{onvoldoende: {min: 1}}}", "{onvoldoende: {min: 1}}}\n"
        "        - {oordeel: onvoldoende, als: {onvoldoende: {min: 2}}}"), encoding="utf-8")
    code, out, err = run_cli("check", path)
    tekst = _schoon(code, out, err)
    assert code == 1 and "1 verwachting)" in tekst and "1 verwachting:" not in tekst
    assert not re.search(r"\b1 verwachtingen\b", tekst), tekst
