"""Published percentages are compared the way their source rounds, and the output says how."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kaderwerk.commands.assess import uitkomst_van
from kaderwerk.domain.afwijkingen import AFRONDINGEN, toegestaan, vergelijk

from .conftest import ROOT

DATASET = ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets" / "2015.yaml"


def test_21_of_26_under_each_rounding() -> None:
    """21 of 26 is 80.8%: half up prints 81, truncated 80, loosely either."""
    assert toegestaan(21, 26, "half_omhoog") == [81]
    assert toegestaan(21, 26, "afgekapt") == [80]
    assert toegestaan(21, 26, "boven_of_beneden") == [80, 81]
    assert toegestaan(13, 26, "boven_of_beneden") == [50]  # exact: one value only


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_every_rounding_stays_within_one_point_of_the_share(paar: tuple[int, int]) -> None:
    """Each allowed whole percent is less than one point from the exact share, and the loose
    rounding allows exactly the whole percents on either side of it."""
    teller, noemer = paar
    exact = Fraction(100 * teller, noemer)
    los = toegestaan(teller, noemer, "boven_of_beneden")
    for wijze in AFRONDINGEN:
        for p in toegestaan(teller, noemer, wijze):
            assert abs(p - exact) < 1 or (p - exact) == Fraction(1, 2)
            assert p in los
    assert set(los) == {math.floor(exact), math.ceil(exact)}


@pytest.fixture(scope="module")
def stap1():
    kader, uitkomst, _ = uitkomst_van("veilig-thuis-stap-1", "2015")
    return kader, uitkomst


def _figuur(ident: str, procent: int, **extra: object) -> dict[str, object]:
    return {"soort": "verwachting", "id": ident, "waarden": {"onvoldoende_procent": procent},
            "bron": {"document": "test"}, **extra}


def test_the_rounding_decides_and_is_named(stap1) -> None:
    """1.2.4 is 21 of 26 onvoldoende: '80' deviates only under half up; the deviation names
    the rounding it applied and the whole percents that would have matched."""
    kader, u = stap1
    args = (kader, u["organisaties"], u["landelijk_beeld"])
    [a], n, gebruikt = vergelijk(*args, [_figuur("1.2.4", 80)])
    assert n == 1 and gebruikt == {"half_omhoog": 1}
    assert a["afronding"] == "half_omhoog" and "80,8%" in a["verschil"]
    assert AFRONDINGEN["half_omhoog"] + ": 81" in a["verschil"]
    assert vergelijk(*args, [_figuur("1.2.4", 80)], "afgekapt")[0] == []
    assert vergelijk(*args, [_figuur("1.2.4", 80)], {"wijze": "boven_of_beneden"})[0] == []
    # a figure's own afronding overrides the dataset's
    assert vergelijk(*args, [_figuur("1.2.4", 80, afronding="afgekapt")], "half_omhoog")[0] == []
    [b], _, gebruikt = vergelijk(*args, [_figuur("1.2.4", 81, afronding="afgekapt")],
                                 "boven_of_beneden")
    assert b["afronding"] == "afgekapt" and gebruikt == {"afgekapt": 1}


def test_a_real_difference_stays_a_deviation(stap1) -> None:
    """1.1.2: the text's 80 procent is 21 of 26, the table has 20 (76.9%): no rounding makes
    that agree, so it stays an afwijking under the loosest rounding too."""
    kader, u = stap1
    [a], _, _ = vergelijk(kader, u["organisaties"], u["landelijk_beeld"],
                          [_figuur("1.1.2", 80)], "boven_of_beneden")
    assert "76 of 77" in a["verschil"] and a["berekend"]["onvoldoende_procent"] == 76.9


def test_stap1_dataset_declares_the_reports_rounding(stap1) -> None:
    """The bundled 2015 dataset compares its percentages loosely, and the uitkomst says so."""
    _, u = stap1
    assert set(u["gepubliceerd_afronding"]) == {"boven_of_beneden"}
    ids = {a["id"] for a in u["afwijkingen"]}
    assert ids == {"1.1", "1.1.2"}


def test_an_unknown_rounding_is_a_located_error(tmp_path: Path, run_cli) -> None:
    """A misspelt afronding in a dataset is refused at its line, exit 1."""
    text = DATASET.read_text(encoding="utf-8").replace("wijze: boven_of_beneden",
                                                       "wijze: naar_boven")
    pad = tmp_path / "2015.yaml"
    pad.write_text(text, encoding="utf-8")
    regel = next(i for i, r in enumerate(text.splitlines(), 1) if "naar_boven" in r)
    code, out, err = run_cli("validate", pad)
    assert code == 1 and f"{pad}:{regel}:" in out + err
    assert "internal error" not in out + err


def test_a_figure_is_compared_at_the_decimals_it_is_published_with(stap1) -> None:
    """21 of 26 is 80.769...%: '80.7' is truncated, '80.8' half up, '80.77' half up to two
    decimals; each matches only under its own rounding, and the deviation says which."""
    kader, u = stap1
    args = (kader, u["organisaties"], u["landelijk_beeld"])
    assert vergelijk(*args, [_figuur("1.2.4", 80.7)], "afgekapt")[0] == []
    assert vergelijk(*args, [_figuur("1.2.4", 80.8)], "half_omhoog")[0] == []
    assert vergelijk(*args, [_figuur("1.2.4", 80.77)], "half_omhoog")[0] == []
    assert vergelijk(*args, [_figuur("1.2.4", 80.7)], "boven_of_beneden")[0] == []
    assert vergelijk(*args, [_figuur("1.2.4", 80.8)], "boven_of_beneden")[0] == []
    [a], _, _ = vergelijk(*args, [_figuur("1.2.4", 80.8)], "afgekapt")
    assert "1 decimaal: 80,7" in a["verschil"] and a["berekend"]["onvoldoende_procent"] == 80.7
    [a], _, _ = vergelijk(*args, [_figuur("1.2.4", 80.9)], "boven_of_beneden")
    assert "80,7 of 80,8" in a["verschil"]
    assert vergelijk(*args, [_figuur("1.2.4", 81.0)], "half_omhoog")[0] == []  # 81.0 is 81


@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.integers(0, 3))
def test_rounding_at_any_precision_stays_within_one_unit(paar, d) -> None:
    teller, noemer = paar
    exact = Fraction(100 * teller, noemer)
    eenheid = Fraction(1, 10 ** d)
    los = toegestaan(teller, noemer, "boven_of_beneden", d)
    for wijze in AFRONDINGEN:
        for p in toegestaan(teller, noemer, wijze, d):
            assert abs(p - exact) < eenheid or p - exact == eenheid / 2
            assert p in los and (p / eenheid).denominator == 1
