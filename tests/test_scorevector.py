"""A counterexample's score vector is kept as counts: the same vector as built entry by entry,
cheap for any n, and written as its runs of equal scores past ``MAX_VOLUIT`` entries."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from kaderwerk.domain.beslisregel import Telling
from kaderwerk.domain.model import Score
from kaderwerk.domain.scorevector import MAX_VOLUIT, Ruimte, als_data

from .test_check_bevindingen import _groot

V, ONV, NB = str(Score.VOLDOENDE), str(Score.ONVOLDOENDE), str(Score.NIET_BEOORDEELD)


def _gewoon(ids, open_ids, vast, v, x) -> dict[str, str]:
    """The vector built entry by entry (what the proof did before): the first x open ids niet
    beoordeeld, then v of the rest voldoende, the others onvoldoende, vast niet beoordeeld."""
    nb = [i for i in ids if i in set(open_ids)][:x]
    rest = [i for i in ids if i not in set(nb)]
    uit = dict.fromkeys(ids, ONV)
    uit.update(dict.fromkeys(rest[:v], V))
    uit.update(dict.fromkeys((*nb, *vast), NB))
    return uit


@st.composite
def _ruimtes(draw):
    n = draw(st.integers(0, 30))
    ids = [f"1.{i}" for i in range(n)]
    soort = draw(st.sampled_from(["alle", "geen", "deel"]))
    open_ids = {"alle": ids, "geen": (), "deel": draw(st.sets(st.sampled_from(ids)) if ids
                                                        else st.just(set()))}[soort]
    vast = [f"9.{i}" for i in range(draw(st.integers(0, 3)))]
    open_n = len(set(open_ids))
    x = draw(st.integers(0, open_n))
    v = draw(st.integers(0, n - x))
    return ids, open_ids, vast, v, x


@given(_ruimtes())
def test_the_vector_is_the_one_built_entry_by_entry(ruimte) -> None:
    ids, open_ids, vast, v, x = ruimte
    vector = Ruimte(ids, open_ids, vast).vector(v, x)
    verwacht = _gewoon(ids, open_ids, vast, v, x)
    assert dict(vector) == verwacht and list(vector) == list(verwacht)
    assert len(vector) == len(verwacht) and vector == verwacht
    tel = Telling.van_scores(Score(s) for s in vector.values())
    assert (tel.voldoende, tel.niet_beoordeeld) == (v, x + len(vast))
    namen = [*ids, *vast]
    uit = []
    for van, tot, score in vector.reeksen():
        uit += [(namen[i], score) for i in range(van, tot + 1)]
    assert uit == list(verwacht.items())


def test_a_long_vector_is_written_as_its_runs() -> None:
    ids = [f"v{i}" for i in range(100_000)]
    vector = Ruimte(ids, ids, ["w"]).vector(3, 2)
    assert als_data({"scores": Ruimte(ids[:MAX_VOLUIT], (), ()).vector(1, 0)})["scores"]["v0"] == V
    data = als_data({"voldoende": 3, "van": {"scores": vector}})["van"]
    assert "scores" not in data
    assert data["scores_per_reeks"] == [
        {"van": "v0", "tot": "v1", "aantal": 2, "score": NB},
        {"van": "v2", "tot": "v4", "aantal": 3, "score": V},
        {"van": "v5", "tot": "v99999", "aantal": 99_995, "score": ONV},
        {"van": "w", "tot": "w", "aantal": 1, "score": NB}]
    assert vector.tekst().startswith("v0 to v1: niet beoordeeld; v2 to v4: voldoende")


def test_check_of_a_large_criterium_writes_runs_in_every_format(run_cli, tmp_path: Path) -> None:
    """2,000 verwachtingen, a rule with gaps: json gives each counterexample's runs, not 2,000
    entries; text and the reports give counts; every output stays small."""
    pad = _groot(tmp_path, 2000, verplicht=False)
    code, out, err = run_cli("check", pad, "--format", "json")
    assert code == 1 and "internal error" not in err and len(out) < 20_000
    bevindingen = json.loads(out)["kaders"][0]["bevindingen"]
    reeksen = [b["tegenvoorbeeld"]["scores_per_reeks"] for b in bevindingen
               if b["soort"] == "niet_uitputtend"]
    assert reeksen and all(sum(r["aantal"] for r in rs) == 2000 for rs in reeksen)
    assert not any("scores" in b["tegenvoorbeeld"] for b in bevindingen)
    for rapport in ("junit", "sarif", "github"):
        doel = tmp_path / f"r.{rapport}"
        code, out, err = run_cli("check", pad, "--report", rapport, "--report-file", doel)
        assert code == 1 and "internal error" not in err and len(out) < 20_000
        assert "not exhaustive" in out and doel.stat().st_size < 20_000


GEDEELD = """\
id: gedeeld
versie: "1"
titel: Gelijke regels
bron: {document: Test}
oordeelschaal: [voldoende, matig, onvoldoende]
themas:
  - id: "1"
    titel: Thema
    beslisregel: &regel
      type: aantal
      hit: uniek
      zonder_beoordeling: voldoende
      regels:
        - {oordeel: voldoende, als: {onvoldoende: {max: 0}}}
        - {oordeel: matig, als: {onvoldoende: {gelijk: 1}}}
        - {oordeel: onvoldoende, als: {onvoldoende: {min: 3}}}
    criteria:
      - id: "1.1"
        titel: A
        verwachtingen: [{id: "1.1.1", tekst: V}, {id: "1.1.2", tekst: V}, {id: "1.1.3", tekst: V}]
      - id: "1.2"
        titel: B
        beslisregel: *regel
        verwachtingen: [{id: "1.2.1", tekst: V}, {id: "1.2.2", tekst: V}, {id: "1.2.3", tekst: V}]
      - id: "1.3"
        titel: C
        beslisregel: *regel
        score_verplicht: true
        verwachtingen: [{id: "1.3.1", tekst: V}, {id: "1.3.2", tekst: V}, {id: "1.3.3", tekst: V}]
      - id: "1.4"
        titel: D
        beslisregel: *regel
        verwachtingen: [{id: "1.4.1", tekst: V}, {id: "1.4.2", tekst: V}]
      - id: "1.5"
        titel: E
        verwachtingen:
          - {id: "1.5.1", tekst: V.}
          - {id: "1.5.2", tekst: V.}
          - {id: "1.5.3", tekst: V.}
          - {id: "1.5.4", tekst: V., beoordeeld: false}
"""
"""Equal rules over inputs that are the same (1.1, 1.2), or differ in what may be niet
beoordeeld (1.3), in size (1.4) or in verwachtingen never assessed (1.5)."""


def test_criteria_sharing_a_proof_keep_their_own_findings(tmp_path: Path, run_cli) -> None:
    """check shares z3's answer between equal rules over equal input spaces; each criterium
    still gets exactly the findings of its own proof, with its own ids and its own location."""
    from kaderwerk.domain.verify import bewijs_van, check_kader
    from kaderwerk.sources.loader import load_kader
    from kaderwerk.sources.manager import registry

    pad = tmp_path / "gedeeld.yaml"
    pad.write_text(GEDEELD, encoding="utf-8")
    kader = load_kader(pad, registry().beslisregels)
    rapport = check_kader(kader)
    for c in kader.criteria:
        alleen = [f.to_dict() for f in bewijs_van(kader, c.id)]
        samen = [f.to_dict() for f in rapport.bevindingen
                 if f.criterium == c.id and f.soort not in ("tekst_voorwaarden", "tekst_gelezen")]
        for f in samen:
            f["criteria"], f["plek"] = (), None
        assert samen == alleen and alleen, c.id
        for f in samen:
            for scores in (f["tegenvoorbeeld"].get("scores") or {},):
                assert all(vid.startswith(f"{c.id}.") for vid in scores), c.id
    code, out, err = run_cli("check", pad)
    assert code == 1 and "internal error" not in err
    regels = GEDEELD.splitlines()
    for cid in ("1.2", "1.3", "1.4"):  # each own rule's finding at that criterium's line
        lijn = next(i for i, r in enumerate(regels, 1) if f'id: "{cid}"' in r)
        assert f"{pad}:{lijn}:" in out, cid
