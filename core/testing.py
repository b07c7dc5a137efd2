"""For kader authors: hypothesis strategies and a pytest plugin that proves kader files.

With kaderwerk installed, running ``pytest`` in a repository of kaders collects every kader
file (``*.yaml`` with ``oordeelschaal``) and turns it into test items: one that validates the
file and one per criterium that proves its beslisregel (exhaustive, exclusive, monotone,
reachable). Failures read like ``kaderwerk check`` output. Voorbeelden files (``voorbeelden/``
beside a kader) give one item per example, failing with the ``kaderwerk test`` line. The
strategies generate scores for a given kader, random count rules and random small kaders, for
authors' own property tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from kaderwerk.domain.beoordeling import Beoordeling
    from kaderwerk.domain.model import Kader

__all__ = ["PROFILES", "aantal_regels", "beoordeel", "bereiken", "kader_mappings", "laad_kader",
           "plugin_registry", "register_profiles", "scores_voor"]

PROFILES: dict[str, dict[str, Any]] = {
    "ci": {"max_examples": 100, "derandomize": True, "deadline": None, "print_blob": True},
    "dev": {"max_examples": 200, "deadline": None},
    "deep": {"max_examples": 10_000, "deadline": None},
}


def register_profiles() -> None:
    """Register the ci/dev/deep hypothesis profiles and load $HYPOTHESIS_PROFILE (default ci)."""
    import os

    from hypothesis import HealthCheck, settings

    for name, kwargs in PROFILES.items():
        settings.register_profile(name, suppress_health_check=[HealthCheck.too_slow], **kwargs)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def plugin_registry(*plugins: Any, entry_points: bool = False) -> Any:
    """The builtin plugins plus ``plugins`` (modules or objects with hooks), as kaderwerk would
    load them; fails with each broken plugin's reason. For a plugin's own tests::

        reg = plugin_registry(mijn_plugin)
        assert reg.formats["tsv"].write(uitkomst) == b"..."
    """
    from kaderwerk.sources.manager import build_registry

    reg = build_registry(plugins, entry_points=entry_points)
    if reg.broken:
        raise AssertionError("broken plugin(s): " + "; ".join(
            f"{naam}: {why}" for naam, why in reg.broken.items()))
    return reg


def laad_kader(bron: str | Path, registry: Any = None) -> Kader:
    """A kader as every command loads it: from a file path, or by ``id`` or ``id@versie`` among
    the kaders the plugins register; ``registry`` is a ``plugin_registry(...)`` (default: the
    installed plugins). A bad kader raises its ``KaderError``, located as ``validate`` shows it."""
    from kaderwerk.sources.catalog import Catalog, catalog

    cat = catalog() if registry is None else Catalog(registry)
    return cat.get(str(bron))


def beoordeel(kader: Kader, beoordelingen: Iterable[Beoordeling]) -> dict[str, Any]:
    """The uitkomst (JSON data, what ``assess --format json`` writes before it folds repeated
    traces) of ``kader`` on ``beoordelingen``: judged by the engine ``assess`` uses, after the
    checks every reader's beoordelingen pass (a bad one raises ``InvoerError`` saying why)."""
    from kaderwerk.domain.beoordeling import DEFAULT_OPTIES
    from kaderwerk.domain.engine import assess
    from kaderwerk.domain.errors import InvoerError
    from kaderwerk.sources.manager import gelezen

    fout, gecontroleerd = gelezen(list(beoordelingen), kader, DEFAULT_OPTIES)
    if fout:
        raise InvoerError(fout)
    return assess(kader, gecontroleerd)


# -- strategies -----------------------------------------------------------------------------

def scores_voor(kader: Any, *, met_nb: bool = False) -> Any:
    """A strategy of Beoordelingen for ``kader`` (assessed verwachtingen scored V/O, or with
    ``met_nb`` also NB where the kader allows it), each one ``beoordeel`` accepts."""
    from hypothesis import strategies as st
    from kaderwerk.domain.beoordeling import Beoordeling
    from kaderwerk.domain.cel import organisatie_naam
    from kaderwerk.domain.model import Score
    from kaderwerk.domain.tekst import onzichtbaar_in_naam

    waarden = [Score.VOLDOENDE, Score.ONVOLDOENDE] + ([Score.NIET_BEOORDEELD] if met_nb else [])
    # names a reader's result may hold (``beoordeel`` accepts them): as kaderwerk reads one
    namen = st.from_regex(r"[A-Za-z0-9\u00c0-\u00ff]{1,8}( [A-Za-z0-9\u00c0-\u00ff]{1,8})?",
                          fullmatch=True).filter(
        lambda n: organisatie_naam(n) == n and onzichtbaar_in_naam(n) is None)
    ids = [v.id for v in kader.verwachtingen if v.beoordeeld]
    verplicht = {v.id for c in kader.criteria if c.score_verplicht for v in c.beoordeelde}
    vast = {v.id: Score.NIET_BEOORDEELD for v in kader.verwachtingen if not v.beoordeeld}
    feiten = st.fixed_dictionaries({f.id: st.booleans() for f in kader.feiten
                                    if f.type == "boolean"})
    return st.builds(
        lambda naam, combo, f: Beoordeling(naam, dict(zip(ids, combo, strict=True)) | vast, f),
        namen,
        st.tuples(*(st.sampled_from(waarden[:2] if i in verplicht else waarden) for i in ids)),
        feiten)


def bereiken(max_n: int = 8) -> Any:
    """A strategy of condition mappings ``{min, max}`` / ``{gelijk}`` over small counts."""
    from hypothesis import strategies as st

    n = st.integers(0, max_n)
    return st.one_of(
        st.builds(lambda g: {"gelijk": g}, n),
        st.builds(lambda a, b: {"min": min(a, b), "max": max(a, b)}, n, n),
        st.builds(lambda a: {"min": a}, n),
        st.builds(lambda b: {"max": b}, n),
    )


def aantal_regels(schaal: tuple[str, ...] = ("voldoende", "matig", "onvoldoende"),
                  max_n: int = 8) -> Any:
    """A strategy of ``aantal`` rule mappings (as in a kader file)."""
    from hypothesis import strategies as st

    namen = ["voldoende", "onvoldoende", "niet_beoordeeld", "beoordeeld", "totaal"]
    clause = st.fixed_dictionaries({
        "oordeel": st.sampled_from(schaal),
        "als": st.dictionaries(st.sampled_from(namen), bereiken(max_n), min_size=1, max_size=3),
    })
    return st.fixed_dictionaries({
        "type": st.just("aantal"),
        "hit": st.sampled_from(["uniek", "eerste"]),
        "zonder_beoordeling": st.sampled_from([None, *schaal]),
        "regels": st.lists(clause, min_size=1, max_size=4),
    })


def kader_mappings(max_criteria: int = 3, max_verwachtingen: int = 5) -> Any:
    """A strategy of small, schema-valid kader mappings with random ``aantal`` rules."""
    from hypothesis import strategies as st

    def build(regel: dict[str, Any], sizes: list[int]) -> dict[str, Any]:
        criteria = [{
            "id": f"1.{ci + 1}", "titel": f"Criterium {ci + 1}",
            "verwachtingen": [{"id": f"1.{ci + 1}.{vi + 1}", "tekst": f"Verwachting {vi + 1}"}
                              for vi in range(n)],
        } for ci, n in enumerate(sizes)]
        return {"id": "gegenereerd", "versie": "1", "titel": "Gegenereerd kader",
                "bron": {"document": "hypothesis"},
                "oordeelschaal": ["voldoende", "matig", "onvoldoende"],
                "themas": [{"id": "1", "titel": "Thema", "beslisregel": regel,
                            "criteria": criteria}]}

    return st.builds(build, aantal_regels(max_n=max_verwachtingen),
                     st.lists(st.integers(1, max_verwachtingen), min_size=1,
                              max_size=max_criteria))


# -- pytest plugin ----------------------------------------------------------------------------

def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    from kaderwerk.commands.voorbeelden import is_kader_bestand, is_voorbeelden_bestand

    collector: pytest.Collector | None = None  # older pytest types from_parent as Any
    if is_kader_bestand(file_path):
        collector = KaderFile.from_parent(parent, path=file_path)
    elif is_voorbeelden_bestand(file_path):
        collector = VoorbeeldenFile.from_parent(parent, path=file_path)
    return collector


class KaderFailure(Exception):
    """A kader file did not validate, a beslisregel could not be proven, or an example failed."""


class _LeesbaarItem(pytest.Item):
    """An item whose failure is shown as its located messages, without a traceback."""

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, KaderFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


class KaderFile(pytest.File):
    """One kader file: a validation item and one proof item per criterium."""

    def collect(self) -> Iterator[pytest.Item]:
        from kaderwerk.domain.errors import KaderwerkError
        from kaderwerk.sources.catalog import catalog

        yield KaderItem.from_parent(self, name="validate", criterium=None)
        try:
            kader = catalog().get(str(self.path))
        except KaderwerkError:
            return
        for c in kader.criteria:
            yield KaderItem.from_parent(self, name=f"check[{c.id}]", criterium=c.id)
        if kader.organisatie is not None:
            yield KaderItem.from_parent(self, name="check[organisatie]", criterium="organisatie")


class KaderItem(_LeesbaarItem):
    """Validates a kader file, or proves one criterium's beslisregel."""

    def __init__(self, *, criterium: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.criterium = criterium

    def runtest(self) -> None:
        from kaderwerk.domain.errors import KaderwerkError
        from kaderwerk.domain.verify import SOORTEN, bewijs_van
        from kaderwerk.sources.catalog import catalog

        try:
            kader = catalog().get(str(self.path))
            if self.criterium is None:
                return
            findings = bewijs_van(kader, self.criterium)  # the inputs assess accepts
        except KaderwerkError as exc:
            raise KaderFailure(str(exc).strip()) from None
        if findings:
            line = kader.positie(self.criterium)[0]
            where = f"{self.path}:{line}: " if line else f"{self.path}: "
            raise KaderFailure("\n".join(
                f"{where}criterium {f.criterium}: {SOORTEN[f.soort]}: {f.boodschap}"
                for f in findings))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.path.name}::{self.name}"


class VoorbeeldenFile(pytest.File):
    """A voorbeelden file: one item per voorbeeld and per dataset example (or one that fails)."""

    def collect(self) -> Iterator[pytest.Item]:
        from kaderwerk.commands.voorbeelden import lees
        from kaderwerk.sources.catalog import toon

        self.bestand = lees(self.path, display=toon(self.path))
        self.cache: dict[tuple[Any, ...], Any] = {}
        if self.bestand.problemen or self.bestand.kader is None:
            yield VoorbeeldItem.from_parent(self, name="validate", stuk=None)
            return
        stukken: list[Any] = [*self.bestand.voorbeelden, *self.bestand.datasets]
        for stuk in stukken:
            yield VoorbeeldItem.from_parent(self, name=stuk.naam, stuk=stuk)


class VoorbeeldItem(_LeesbaarItem):
    """Runs one example; a failure lists each wrong oordeel at the line that expects it."""

    def __init__(self, *, stuk: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stuk = stuk

    def runtest(self) -> None:
        from kaderwerk.commands.voorbeelden import Voorbeeld, draai_dataset, draai_voorbeeld

        bestand_node = self.parent
        assert isinstance(bestand_node, VoorbeeldenFile)
        bestand = bestand_node.bestand
        if self.stuk is None:
            raise KaderFailure("\n".join(str(p) for p in bestand.problemen))
        uitslag = (draai_voorbeeld(bestand, self.stuk) if isinstance(self.stuk, Voorbeeld)
                   else draai_dataset(bestand, self.stuk, bestand_node.cache))
        if uitslag.fouten:
            raise KaderFailure("\n".join(str(f) for f in uitslag.fouten))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = getattr(self.stuk, "line", None)
        return self.path, None if line is None else line - 1, f"{self.path.name}::{self.name}"
