"""Loading kader and dataset files: YAML -> schema -> meaning -> model.

Each stage reports every problem it finds as ``FILE:LINE:COL: message`` before giving up, so an
author fixes a file in one pass. The schema catches shape errors; this module adds what a
schema cannot say: ids unique, numbering 1 > 1.1 > 1.1.1, every reference resolves, every
oordeel named is on the kader's oordeelschaal. Overlays are resolved here, against their base.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kaderwerk.domain.beslisregel import buiten_schaal
from kaderwerk.domain.errors import KaderError, KaderwerkError, PluginFailed, Problem
from kaderwerk.domain.model import Bron, Kader, Oordeelschaal, beslisregel_plek, regel_sleutel
from kaderwerk.domain.tekst import afgekort
from kaderwerk.domain.woorden import opsomming
from kaderwerk.sources import schema
from kaderwerk.sources.yamlsource import Document, anders_gelezen, parse, read_text

BaseLookup = Callable[[str, str], "Document"]


def read_document(path: Path | Any, display: str | None = None) -> Document:
    """Parse a YAML file (or importlib resource) with positions."""
    name = display or str(path)
    if isinstance(path, Path):
        text = read_text(path, name)
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise KaderError.at(f"cannot read: {exc}", name) from None
    return parse(text, name)


def kind_of(doc: Document) -> str:
    """'kader' or 'dataset', judged by the keys (a dataset has 'naam', a kader 'oordeelschaal')."""
    data = doc.data
    if isinstance(data, dict) and "naam" in data and "oordeelschaal" not in data:
        return "dataset"
    return "kader"


def check_kader_document(doc: Document, rule_types: Mapping[str, type],
                         base: BaseLookup | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Schema and semantic problems of a kader document; returns the resolved mapping too."""
    if not isinstance(doc.data, dict):
        return {}, [doc.problem("a kader file must be a mapping (key: value) at the top", ())]
    problems = schema.validate("kader", doc, root=schema.kader_schema(rule_types))
    problems += anders_gelezen(doc)
    if problems:
        return doc.data, problems
    data = doc.data
    if "basis" in data:
        if base is None:
            return data, [doc.problem("this overlay's basis cannot be looked up here", ("basis",))]
        try:
            data, problems = resolve_overlay(doc, base)
        except KaderwerkError as exc:
            naam = f"basis {data['basis']['kader']}@{data['basis']['versie']}: "
            # a problem in the base file is located there; one without a place (the base is
            # not installed, no such versie) is located at the overlay's basis key
            return data, [Problem(naam + p.message, p.file, p.line, p.column) if p.file
                          else doc.problem(naam + p.message, ("basis",), key=True)
                          for p in (exc.problems or [Problem(str(exc))])]
        if problems:
            return data, problems
    return data, list(_semantics(doc, data, rule_types))


def build_kader(doc: Document, data: Mapping[str, Any],
                rule_types: Mapping[str, type]) -> Kader:
    """The model of a checked kader mapping."""
    posities: dict[str, tuple[int | None, int | None]] = {}

    def maak_regel(regel: Mapping[str, Any], schaal: Oordeelschaal, bron: Bron | None,
                   pad: tuple) -> Any:
        cls = rule_types[regel["type"]]
        # where the rule and each clause's tekst are, for the text check (kaderwerk.domain.regelzin)
        posities[regel_sleutel(pad)] = doc.where(pad)
        for i, clause in enumerate(regel.get("regels") or ()):
            if isinstance(clause, Mapping):
                posities[regel_sleutel(pad, i + 1)] = doc.where((*pad, "regels", i, "tekst"))
        try:
            return cls.from_mapping(regel, schaal, bron)
        except PluginFailed as exc:
            raise exc.plaats(doc.problem("", pad)) from exc.__cause__
        except KaderwerkError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise KaderError("", problems=[doc.problem(
                f"beslisregel of type '{regel['type']}' cannot be built: {exc}", pad)]) from None

    for path, element in _elements(data):
        posities[element["id"]] = doc.where(path)
        if len(path) == 2 and "beslisregel" in element:
            posities[beslisregel_plek(element["id"])] = doc.where((*path, "beslisregel"),
                                                                  key=True)
    if "organisatie" in data:
        posities["organisatie"] = doc.where(("organisatie", "beslisregel"), key=True)
    return Kader.from_mapping(data, maak_regel, pad=doc.file, posities=posities)


def load_kader(path: Path | Any, rule_types: Mapping[str, type], *,
               display: str | None = None, base: BaseLookup | None = None) -> Kader:
    """Read, check and build one kader file; raise ``KaderError`` listing every problem."""
    doc = read_document(path, display)
    if kind_of(doc) != "kader":
        raise KaderError.at("this is a dataset file, not a kader", doc.file, 1, 1)
    data, problems = check_kader_document(doc, rule_types, base)
    if problems:
        raise KaderError("", problems=problems)
    return build_kader(doc, data, rule_types)


# -- overlays -----------------------------------------------------------------------------

def resolve_overlay(doc: Document, base: BaseLookup) -> tuple[dict[str, Any], list[Problem]]:
    """The overlay applied to a copy of its base kader's mapping."""
    overlay = doc.data
    ref = overlay["basis"]
    base_doc = base(ref["kader"], ref["versie"])
    if not isinstance(base_doc.data, dict) or "themas" not in base_doc.data:
        return overlay, [doc.problem(f"basis {ref['kader']}@{ref['versie']} is not a kader with "
                                     "its own themas", ("basis",))]
    merged = copy.deepcopy(base_doc.data)
    base_bron = {k: v for k, v in merged.get("bron", {}).items() if k != "volledig"}
    for thema in merged["themas"]:
        thema.setdefault("bron", dict(base_bron))
    for key in ("geldig_vanaf", "inleiding", "noten"):
        merged.pop(key, None)  # the base's own; an overlay states its own or none
    for key, value in overlay.items():
        if key not in ("basis", "aanpassingen"):  # every other top-level key replaces the base's
            merged[key] = copy.deepcopy(value)
    merged["basis"] = dict(ref)
    index = {el["id"]: (path, el) for path, el in _elements(merged)}
    problems = []
    weg: set[str] = set()
    for i, change in enumerate(overlay.get("aanpassingen", [])):
        target = index.get(change["id"])
        if target is None:
            problems.append(doc.problem(
                f"aanpassing for '{change['id']}': no such element in "
                f"{ref['kader']}@{ref['versie']}", ("aanpassingen", i, "id")))
            continue
        element = target[1]
        if change.get("weglaten"):
            weg.add(change["id"])
            continue
        for key, value in change.items():
            if key in ("id", "bron"):
                continue
            if key == "tekst" and "tekst" not in element and "titel" in element:
                key = "titel"
            element[key] = copy.deepcopy(value)
        if "bron" in change:
            element["overlay_bron"] = copy.deepcopy(change["bron"])
        element["_aangepast"] = True
    for thema in merged["themas"]:
        thema["criteria"] = [c for c in thema["criteria"] if c["id"] not in weg]
        for c in thema["criteria"]:
            c["verwachtingen"] = [v for v in c["verwachtingen"] if v["id"] not in weg]
    merged["themas"] = [t for t in merged["themas"] if t["id"] not in weg and t["criteria"]]
    _fold_overlay_bron(merged)
    return merged, problems


def _fold_overlay_bron(data: dict[str, Any]) -> None:
    """An overlay's bron for an aanpassing is kept in the element's bron toelichting."""
    for _, element in _elements(data):
        extra = element.pop("overlay_bron", None)
        if extra:
            bron = dict(element.get("bron", {}))
            note = "Aangepast door overlay: " + Bron(**{
                k: v for k, v in extra.items() if k in ("document", "sectie", "pagina")}).citeer()
            bron["toelichting"] = (bron["toelichting"] + " " + note) if bron.get(
                "toelichting") else note
            element["bron"] = bron


# -- semantic checks ----------------------------------------------------------------------

def _elements(data: Mapping[str, Any]) -> Iterator[tuple[tuple, dict[str, Any]]]:
    for ti, t in enumerate(data.get("themas", [])):
        yield ("themas", ti), t
        for ci, c in enumerate(t.get("criteria", [])):
            yield ("themas", ti, "criteria", ci), c
            for vi, v in enumerate(c.get("verwachtingen", [])):
                yield ("themas", ti, "criteria", ci, "verwachtingen", vi), v


def _semantics(doc: Document, data: Mapping[str, Any],
               rule_types: Mapping[str, type]) -> Iterator[Problem]:
    schaal = data["oordeelschaal"]
    feiten = {f["id"]: f.get("type", "boolean") for f in data.get("feiten", [])}
    seen: dict[str, tuple] = {}
    for path, element in _elements(data):
        eid = element["id"]
        if eid in seen:
            line = doc.where((*seen[eid], "id"))[0]
            yield doc.problem(f"duplicate id '{eid}' (also at line {line}); ids must be unique",
                              (*path, "id"))
        else:
            seen[eid] = path
    for ti, t in enumerate(data["themas"]):
        tpath = ("themas", ti)
        yield from _plafonds(doc, t.get("plafonds", []), (*tpath, "plafonds"), schaal, feiten)
        if "beslisregel" in t:
            yield from _regel(doc, t["beslisregel"], (*tpath, "beslisregel"), schaal, rule_types)
        for ci, c in enumerate(t["criteria"]):
            cpath = (*tpath, "criteria", ci)
            if not _child_of(c["id"], t["id"]):
                yield doc.problem(f"criterium '{c['id']}' is numbered wrongly: under thema "
                                  f"'{t['id']}' it must be '{t['id']}.N'", (*cpath, "id"))
            if "beslisregel" in c:
                yield from _regel(doc, c["beslisregel"], (*cpath, "beslisregel"), schaal,
                                  rule_types)
            elif "beslisregel" not in t:
                yield doc.problem(f"criterium '{c['id']}' has no beslisregel; give one on the "
                                  f"criterium or on thema '{t['id']}' (type handmatig when the "
                                  "source states no rule)", cpath)
            yield from _plafonds(doc, c.get("plafonds", []), (*cpath, "plafonds"), schaal, feiten)
            for vi, v in enumerate(c["verwachtingen"]):
                if not _child_of(v["id"], c["id"]):
                    yield doc.problem(
                        f"verwachting '{v['id']}' is numbered wrongly: under criterium "
                        f"'{c['id']}' it must be '{c['id']}.N'",
                        (*cpath, "verwachtingen", vi, "id"))
    if "organisatie" in data:
        o = data["organisatie"]
        yield from _regel(doc, o["beslisregel"], ("organisatie", "beslisregel"), schaal,
                          rule_types)
        yield from _plafonds(doc, o.get("plafonds", []), ("organisatie", "plafonds"), schaal,
                             feiten)


def _child_of(child: str, parent: str) -> bool:
    head, _, last = child.rpartition(".")
    return head == parent and last.isdigit()


def _on_scale(doc: Document, oordeel: Any, path: tuple, schaal: list[str]) -> Iterator[Problem]:
    message = buiten_schaal(oordeel, schaal)
    if message:
        yield doc.problem(message, path)


def _plafonds(doc: Document, plafonds: list[dict[str, Any]], path: tuple, schaal: list[str],
              feiten: dict[str, str]) -> Iterator[Problem]:
    types = {"boolean": bool, "integer": int, "tekst": str}
    for i, p in enumerate(plafonds):
        yield from _on_scale(doc, p["max"], (*path, i, "max"), schaal)
        if p["feit"] not in feiten:
            declared = ", ".join(feiten) or "none"
            yield doc.problem(f"plafond refers to feit '{p['feit']}', which the kader does not "
                              f"declare under 'feiten' (declared: {declared})", (*path, i, "feit"))
        else:
            want = types[feiten[p["feit"]]]
            value = p["waarde"]
            if not isinstance(value, want) or (want is int and isinstance(value, bool)):
                yield doc.problem(f"plafond waarde {value!r} does not fit feit '{p['feit']}' of "
                                  f"type {feiten[p['feit']]}", (*path, i, "waarde"))


def _regel(doc: Document, regel: dict[str, Any], path: tuple, schaal: list[str],
           rule_types: Mapping[str, type]) -> Iterator[Problem]:
    rtype = regel["type"]
    cls = rule_types.get(rtype)
    if cls is None:
        known = opsomming(sorted(rule_types))
        from kaderwerk.sources.manager import built, van_plugin

        yield doc.problem(f"unknown beslisregel type '{afgekort(str(rtype))}'; installed "
                          f"types: {known}{van_plugin(built(), 'rule type', str(rtype))}",
                          (*path, "type"))
        return
    yield from _on_scale(doc, regel.get("zonder_beoordeling"), (*path, "zonder_beoordeling"),
                         schaal)
    try:
        gevonden = list(cls.controleer(regel, schaal))
    except PluginFailed as exc:
        raise exc.plaats(doc.problem("", path)) from exc.__cause__
    for message, waar in gevonden:
        yield doc.problem(message, (*path, *waar))
