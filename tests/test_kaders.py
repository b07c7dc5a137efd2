"""The other bundled kaders: Stap 2 with its plafond, the Signaleren overlay, Volwassenen."""

from __future__ import annotations

import json
import re

import pytest
from kaderwerk.api import ontvouw
from kaderwerk.domain.beoordeling import ORGANISATIE, Beoordeling
from kaderwerk.domain.beslisregel import Handmatig
from kaderwerk.domain.engine import Beoordelaar
from kaderwerk.domain.model import Score
from kaderwerk.domain.verify import check_kader
from kaderwerk.sources.catalog import catalog

from .conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
BUNDLED = ["veilig-thuis-stap-1", "veilig-thuis-stap-2", "stelseltoezicht-jeugd",
           "signaleren-van-onveiligheid", "stelseltoezicht-volwassenen"]


@pytest.mark.parametrize("ref", BUNDLED)
def test_bundled_kader_loads_and_proves(ref: str) -> None:
    """Every bundled kader loads and its rules hold at their real sizes."""
    kader = catalog().get(ref)
    assert check_kader(kader).ok


def _stap2(oordeel: str | None, wachtlijst: bool | None):
    kader = catalog().get("veilig-thuis-stap-2")
    scores = {v.id: Score.VOLDOENDE for v in kader.verwachtingen}
    feiten = {} if wachtlijst is None else {"wachtlijst": wachtlijst}
    hand = {} if oordeel is None else {ORGANISATIE: Handmatig(oordeel, "oordeel inspecteur")}
    return Beoordelaar(kader).organisatie(Beoordeling("VT", scores, feiten, hand))


def test_stap2_wachtlijst_caps_voldoende_at_matig() -> None:
    """Judged voldoende with a wachtlijst comes out matig, with the published reason."""
    o = _stap2("voldoende", True)
    assert o.oordeel == "matig" and o.oordeel_voor_plafond == "voldoende"
    assert o.plafond["reden"].startswith("Als er een wachtlijst aanwezig is")
    assert o.plafond["verlaagd"] is True


@pytest.mark.parametrize("wachtlijst", [False, None])
def test_stap2_without_wachtlijst_stays_voldoende(wachtlijst) -> None:
    """Without a wachtlijst (or without the fact) the inspector's voldoende stands."""
    o = _stap2("voldoende", wachtlijst)
    assert o.oordeel == "voldoende" and o.plafond is None


def test_stap2_plafond_never_raises() -> None:
    """A plafond never raises an oordeel: onvoldoende with a wachtlijst stays onvoldoende."""
    assert _stap2("onvoldoende", True).oordeel == "onvoldoende"
    assert _stap2("matig", True).oordeel == "matig"


def test_stap2_plafond_is_monotone() -> None:
    """A better inspector oordeel never gives a worse final oordeel, with or without wachtlijst."""
    schaal = ["voldoende", "matig", "onvoldoende"]
    for w in (True, False):
        ranks = [schaal.index(_stap2(o, w).oordeel) for o in schaal]
        assert ranks == sorted(ranks)


def test_stap2_assess_from_csv(tmp_path, run_cli) -> None:
    """A CSV with an all-voldoende organisation judged voldoende and wachtlijst ja gives matig."""
    f = tmp_path / "stap2.csv"
    f.write_text("organisatie;oordeel;onderbouwing;wachtlijst\nVT Oost;voldoende;goed;ja\n"
                 "VT West;voldoende;goed;nee\n", encoding="utf-8")
    code, out, err = run_cli("assess", "veilig-thuis-stap-2", str(f), "--format", "json")
    assert code == 0, err
    orgs = {o["naam"]: o for o in ontvouw(json.loads(out))["organisaties"]}
    assert orgs["VT Oost"]["oordeel"]["oordeel"] == "matig"
    assert "wachtlijst" in orgs["VT Oost"]["oordeel"]["plafond"]["reden"]
    assert orgs["VT West"]["oordeel"]["oordeel"] == "voldoende"


def test_stap2_published_outcomes_are_checked(tmp_path, run_cli) -> None:
    """The 2017 figures (12/10/2) are compared with a dataset's organisation oordelen."""
    rows = (["voldoende"] * 12) + (["matig"] * 10) + (["onvoldoende"] * 2)
    f = tmp_path / "stap2.csv"
    f.write_text("organisatie,oordeel\n" + "".join(f"VT {i},{o}\n" for i, o in enumerate(rows)),
                 encoding="utf-8")
    ds = ROOT / "kaders" / "veilig-thuis-stap-2" / "datasets" / "2017.yaml"
    code, out, _ = run_cli("assess", "veilig-thuis-stap-2", str(f), "--gepubliceerd", str(ds),
                           "--format", "json")
    assert code == 0
    af = json.loads(out)["afwijkingen"]
    assert all(a["gepubliceerd"].get("voldoende") != 12 for a in af)


def test_stap2_reconstructions_are_marked() -> None:
    """Stap 2's wording is reconstructed from descriptions and says so; the kader is partial."""
    kader = catalog().get("veilig-thuis-stap-2")
    assert kader.bron.volledig is False
    assert all(c.bron.reconstructie and c.bron.toelichting for c in kader.criteria)


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(not SEEDS.exists(), reason="source documents not present")
def test_signaleren_indicator_texts_are_from_source() -> None:
    """Signaleren's indicatoren, criteria and operationalisering occur in source 002."""
    full = (SEEDS / "002_3feb21c7d867e0ec.txt").read_text(encoding="utf-8")
    source = _fold(full[full.index("Bijlage 1: Verwachtingen van de inspecties"):])
    source = source.replace("-", "")
    kader = catalog().get("signaleren-van-onveiligheid")
    assert kader.basis == "stelseltoezicht-jeugd@2015"
    texts = [c.titel for c in kader.criteria] + [v.tekst for v in kader.verwachtingen] + [
        v.operationalisering for v in kader.verwachtingen if v.operationalisering]
    assert any(v.aangepast for v in kader.verwachtingen)
    for t in texts:
        chunks = _pieces(_fold(t).replace("-", ""), source)
        assert chunks is not None, t[:60]


def _pieces(text: str, source: str, minimum: int = 12) -> list[str] | None:
    """Split ``text`` into the fewest long pieces that each occur in ``source``.

    The source's table was flattened column by column, so a cell's text is interrupted by
    its neighbours; each piece must still be verbatim and long (or the cell's end).
    """
    pieces = []
    i = 0
    while i < len(text):
        lo, hi = 0, len(text) - i
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if text[i:i + mid] in source:
                lo = mid
            else:
                hi = mid - 1
        if lo < min(minimum, len(text) - i):
            return None
        pieces.append(text[i:i + lo])
        i += lo
    return pieces


def test_overlay_shows_base_and_changes(run_cli) -> None:
    """``show`` of the overlay names its basis and marks what the study changed."""
    code, out, _ = run_cli("show", "signaleren-van-onveiligheid")
    assert code == 0
    assert "overlay op stelseltoezicht-jeugd@2015" in " ".join(out.split())
    assert "(aangepast)" in out and "operationalisering:" in out


def test_volwassenen_is_marked_incomplete(run_cli) -> None:
    """Volwassenen has the three thema's and says the sources are partial."""
    code, out, _ = run_cli("show", "stelseltoezicht-volwassenen", "--format", "json")
    assert code == 0
    k = json.loads(out)
    assert k["bron"]["volledig"] is False
    assert [t["titel"] for t in k["themas"]] == ["Op maat", "Lokale samenhang",
                                                 "Signaleren & handelen"]
    assert all(v["bron"] for t in k["themas"] for c in t["criteria"]
               for v in c["verwachtingen"])


def test_list_names_all_kaders(run_cli) -> None:
    """``list`` names the four kaders (plus the Jeugd base of the overlay)."""
    code, out, _ = run_cli("list", "--format", "json")
    assert code == 0
    assert {k["id"] for k in json.loads(out)["kaders"]} == set(BUNDLED)


def test_fact_of_wrong_type_is_located(tmp_path, run_cli) -> None:
    """A wachtlijst cell that is not ja/nee names row, organisation and column."""
    f = tmp_path / "stap2.csv"
    f.write_text("organisatie,oordeel,wachtlijst\nVT Oost,voldoende,misschien\n",
                 encoding="utf-8")
    code, _, err = run_cli("assess", "veilig-thuis-stap-2", str(f))
    assert code == 1
    assert "row 2 (VT Oost), column 3 (wachtlijst): 'misschien' does not fit feit" in err


def test_handmatig_oordeel_off_scale_is_located(tmp_path, run_cli) -> None:
    """An oordeel that is not on the scale names the row and the scale."""
    f = tmp_path / "stap2.csv"
    f.write_text("organisatie,oordeel 1.1\nVT Oost,goed\n", encoding="utf-8")
    code, _, err = run_cli("assess", "veilig-thuis-stap-2", str(f))
    assert code == 1
    assert "oordeel 'goed' is not on the oordeelschaal (voldoende, matig, onvoldoende)" in err
