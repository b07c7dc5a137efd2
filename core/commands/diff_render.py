"""``kaderwerk diff`` for people: the diff's JSON data as readable text or Markdown.

Kept apart from ``diff`` so the computation stays one thing and the wording another. Text and
Markdown say the same lines; Markdown escapes the kader's own words so a text cannot inject
markup, and shows the impact as a table. Word changes are written ``[-old-]{+new+}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from kaderwerk.domain.woorden import aantal, meervoud

Esc = Callable[[str], str]
Line = tuple[int, str]
"""A line of the text and its depth: (depth, text)."""

_WOORD = {"toegevoegd": "added", "verwijderd": "removed"}
_MD = re.compile(r"([\\`*_\[\]{}<>|#~])")


def md_escape(text: str) -> str:
    """Markdown-safe text: markup characters backslash-escaped, newlines folded."""
    return _MD.sub(r"\\\1", " ".join(str(text).split()))


def _plain(text: str) -> str:
    return " ".join(str(text).split())


def woorden(ops: Sequence[Mapping[str, str]], esc: Esc = _plain) -> str:
    """A word diff as one line: unchanged words as they are, ``[-old-]`` and ``{+new+}``."""
    out = []
    for op in ops:
        if op["op"] == "equal":
            out.append(esc(op["tekst"]))
            continue
        weg = f"[-{esc(op['oud'])}-]" if "oud" in op else ""
        bij = f"{{+{esc(op['nieuw'])}+}}" if "nieuw" in op else ""
        out.append(weg + bij)
    return " ".join(out)


def oordeel(o: str | None) -> str:
    return "geen oordeel" if o is None else o


def waarde(x: Any) -> str:
    if x is None:
        return "(none)"
    return x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)


def geval(g: Mapping[str, Any]) -> str:
    """A proof case in words: counts (or scores, or a handmatig oordeel) and facts."""
    if "handmatig" in g:
        tekst = f"handmatig oordeel {g['handmatig']}"
    elif "scores" in g:
        tekst = ", ".join(f"{k}={v}" for k, v in g["scores"].items())
    else:
        tekst = f"{g['voldoende']} voldoende, {g['onvoldoende']} onvoldoende"
        if g["niet_beoordeeld"]:
            tekst += f", {g['niet_beoordeeld']} niet beoordeeld"
    feiten = {k: v for k, v in (g.get("feiten") or {}).items() if v is not None}
    if feiten:
        tekst += " with " + ", ".join(f"{k} = {waarde(v)}" for k, v in feiten.items())
    return tekst


def _gewijzigd(soort: str, w: Mapping[str, Any], esc: Esc) -> str:
    kop = f"{soort} {esc(w['id'])} {w['veld']}"
    if "woorden" in w:
        return f"{kop}: {woorden(w['woorden'], esc)}"
    return f"{kop}: {esc(waarde(w['oud']))} -> {esc(waarde(w['nieuw']))}"


def _niveau(soort: str, ouder: str, d: Mapping[str, Any], esc: Esc) -> Iterator[Line]:
    for e in d["toegevoegd"]:
        waar = f" (in {ouder} {esc(e['ouder'])})" if e["ouder"] else ""
        yield 0, f"{soort} {esc(e['id'])} added{waar}: {esc(e['tekst'])}"
    for e in d["verwijderd"]:
        waar = f" (from {ouder} {esc(e['ouder'])})" if e["ouder"] else ""
        yield 0, f"{soort} {esc(e['id'])} removed{waar}: {esc(e['tekst'])}"
    for e in d["verplaatst"]:
        ids = (esc(e["id_oud"]) if e["id_oud"] == e["id_nieuw"]
               else f"{esc(e['id_oud'])} -> {esc(e['id_nieuw'])}")
        waar = (f" ({ouder} {esc(e['ouder_oud'])} -> {esc(e['ouder_nieuw'])})"
                if e["ouder_oud"] is not None and e["ouder_oud"] != e["ouder_nieuw"] else "")
        hoe = "text" if e["herkend_aan"] == "tekst" else "id"
        yield 0, f"{soort} {ids} moved{waar}, recognised by its {hoe}"
    for w in d["gewijzigd"]:
        yield 0, _gewijzigd(soort, w, esc)


def _clausule(c: Mapping[str, Any] | None, esc: Esc) -> str:
    if c is None:
        return "(none)"
    if c.get("voorwaarden"):
        return esc(c["voorwaarden"])
    als = " en ".join(c.get("als") or [])
    return esc(f"{c['oordeel']}" + (f" als {als}" if als else ""))


def _beslisregel_wijziging(w: Mapping[str, Any], esc: Esc) -> Iterator[Line]:
    if w["veld"] != "clausule":
        if "woorden" in w:
            yield 1, f"{w['veld']}: {woorden(w['woorden'], esc)}"
        else:
            yield 1, f"{w['veld']}: {esc(waarde(w['oud']))} -> {esc(waarde(w['nieuw']))}"
        return
    n, a, b = w["clausule"], w["oud"], w["nieuw"]
    if a is None or b is None:
        yield 1, f"clause {n} {'added' if a is None else 'removed'}: {_clausule(a or b, esc)}"
        return
    if (a["oordeel"], a.get("als")) != (b["oordeel"], b.get("als")):
        yield 1, f"clause {n}: {_clausule(a, esc)} -> {_clausule(b, esc)}"
        if b.get("tekst") and "woorden" not in w:
            yield 1, f"clause {n} tekst (unchanged): {esc(b['tekst'])}"
    if "woorden" in w:
        yield 1, f"clause {n} tekst: {woorden(w['woorden'], esc)}"
    lezing = b.get("lezing")
    if lezing and lezing != a.get("lezing"):
        yield 1, esc(f"clause {n} lezing: '{lezing['woorden']}' read as "
                     f"'{lezing['gelezen_als']}' ({lezing['reden']})")
    for v in (b.get("tekstcontrole") or {}).get("verschillen", []):
        yield 1, f"clause {n}: tekst and conditions disagree: {esc(v)}"


def _plafond(p: Mapping[str, Any], esc: Esc) -> str:
    return esc(f"{p['feit']} = {waarde(p['waarde'])} -> max {p['max']}")


def structuur_lines(s: Mapping[str, Any], esc: Esc = _plain) -> list[Line]:
    """The structural part as lines."""
    out: list[Line] = [(0, f"kader {w['veld']}: {woorden(w['woorden'], esc)}")
                        for w in s["kader"]]
    if s["oordeelschaal"]:
        out.append((0, "oordeelschaal: " + esc(" > ".join(s["oordeelschaal"]["oud"])) + " -> "
                    + esc(" > ".join(s["oordeelschaal"]["nieuw"]))))
    out += [(0, f"feit {esc(f)} added") for f in s["feiten"]["toegevoegd"]]
    out += [(0, f"feit {esc(f)} removed") for f in s["feiten"]["verwijderd"]]
    if s["organisatie"]:
        out.append((0, f"organisation oordeel {_WOORD[s['organisatie']]}"))
    out += _niveau("thema", "", s["themas"], esc)
    out += _niveau("criterium", "thema", s["criteria"], esc)
    out += _niveau("verwachting", "criterium", s["verwachtingen"], esc)
    groepen: dict[str, list[str]] = {}
    for r in s["beslisregels"]:
        groepen.setdefault(json.dumps(r["wijzigingen"], sort_keys=True), []).append(
            r["criterium"])
    for sleutel, criteria in groepen.items():
        out.append((0, f"beslisregel of {esc(', '.join(criteria))}:"))
        for w in json.loads(sleutel):
            out += _beslisregel_wijziging(w, esc)
    for p in s["plafonds"]:
        out.append((0, f"plafonds of {esc(p['criterium'])}:"))
        out += [(1, f"added: {_plafond(x, esc)}") for x in p["toegevoegd"]]
        out += [(1, f"removed: {_plafond(x, esc)}") for x in p["verwijderd"]]
        out += [(1, f"changed: {_plafond(x['oud'], esc)} -> {_plafond(x['nieuw'], esc)}")
                for x in p["gewijzigd"]]
    return out


def semantiek_lines(sem: Sequence[Mapping[str, Any]], esc: Esc = _plain) -> list[Line]:
    """The semantic part as lines."""
    out: list[Line] = []
    for r in sem:
        naam = esc(r["criterium"]) + (f" (was {esc(r['criterium_oud'])})"
                                      if "criterium_oud" in r else "")
        maat = (f": {r['grootte_oud']} -> {r['grootte_nieuw']} assessed verwachtingen"
                if r["grootte_oud"] != r["grootte_nieuw"] else "")
        out.append((0, f"criterium {naam}{maat}"))
        if not r["vergeleken"]:
            out.append((1, f"not compared case by case: {esc(r['reden'])}"))
            continue
        out += [(1, f"no oordeel under the new rule at {esc(geval(g))}")
                for g in r["zonder_oordeel"]]
        out += [(1, f"at {esc(geval(g))} (size {g['grootte']}): {oordeel(g['oud'])} -> "
                 f"{oordeel(g['nieuw'])}") for g in r["verschillen"]]
    return out


def totalen_lines(data: Mapping[str, Any], esc: Esc = _plain) -> list[Line]:
    out: list[Line] = []
    for c, t in data["impact_totalen"].items():
        per = ", ".join(f"{oordeel(o['oud'])} -> {oordeel(o['nieuw'])}: {o['aantal']}"
                        for o in t["overgangen"])
        out.append((0, f"{esc(c)}: {t['totaal']} changed ({per})"))
    if data["verwijderde_verwachtingen"]:
        weg = data["verwijderde_verwachtingen"]
        woord = meervoud(len(weg), "verwachting", "verwachtingen")
        out.append((0, f"scores dropped for removed {woord}: " + esc(", ".join(weg))))
    for b in data["beoordelingen"]:
        for kolom in b.get("nieuwe_kolommen", ()):
            out.append((0, esc(f"column {kolom} is new in this change: {b['bestand']} is "
                               "judged without it by the old version, with it by the new")))
    return out


def _bestanden(data: Mapping[str, Any]) -> str:
    return "; ".join(f"{b['bestand']}: {aantal(b['organisaties'], 'organisatie')}"
                     for b in data["beoordelingen"])


def _kop(k: Mapping[str, Any]) -> str:
    vanaf = f", geldig vanaf {k['geldig_vanaf']}" if k["geldig_vanaf"] else ""
    return f"{k['ref']} — {k['titel']}{vanaf}" + (f" ({k['bestand']})" if k["bestand"] else "")


def render_text(data: Mapping[str, Any]) -> str:
    lines = [f"diff {data['oud']['ref']} -> {data['nieuw']['ref']}",
             f"  old: {_kop(data['oud'])}", f"  new: {_kop(data['nieuw'])}"]
    if data["leeg"]:
        lines.append("no differences" + (" and no impact" if data["beoordelingen"] else ""))
    secties = [("Structure", structuur_lines(data["structuur"])),
               ("Rules: score combinations judged differently",
                semantiek_lines(data["semantiek"]))]
    for kop, regels in secties:
        if regels:
            lines += ["", kop] + [f"{'  ' * (d + 1)}{r}" for d, r in regels]
    if data["beoordelingen"]:
        lines += ["", f"Impact ({_bestanden(data)})"]
        imp = data["impact"]
        breed = max((len(w["organisatie"]) for w in imp), default=0)
        lines += [f"  {w['organisatie']:<{breed}}  {w['criterium']:<6} {oordeel(w['oud'])} -> "
                  f"{oordeel(w['nieuw'])}" for w in imp] or ["  no oordeel changes"]
        lines += [f"  {r}" for _, r in totalen_lines(data)]
    return "\n".join(lines) + "\n"


def render_markdown(data: Mapping[str, Any]) -> str:
    e = md_escape
    lines = [f"# Diff {e(data['oud']['ref'])} → {e(data['nieuw']['ref'])}", "",
             f"- old: {e(_kop(data['oud']))}", f"- new: {e(_kop(data['nieuw']))}"]
    if data["leeg"]:
        lines += ["", "No differences" + (" and no impact." if data["beoordelingen"] else ".")]
    secties = [("Structure", structuur_lines(data["structuur"], e)),
               ("Rules: score combinations judged differently",
                semantiek_lines(data["semantiek"], e))]
    for kop, regels in secties:
        if regels:
            lines += ["", f"## {kop}", ""] + [f"{'  ' * d}- {r}" for d, r in regels]
    if data["beoordelingen"]:
        lines += ["", "## Impact", "", e(_bestanden(data)), ""]
        if data["impact"]:
            # a table: Dutch, like every table (docs/architecture.md, "Language")
            lines += ["| organisatie | criterium | oud | nieuw |", "|---|---|---|---|"]
            lines += [f"| {e(w['organisatie'])} | {e(w['criterium'])} | "
                      f"{e(oordeel(w['oud']))} | {e(oordeel(w['nieuw']))} |"
                      for w in data["impact"]]
        else:
            lines.append("No oordeel changes.")
        totalen = totalen_lines(data, e)
        if totalen:
            lines += [""] + [f"- {r}" for _, r in totalen]
    return "\n".join(lines) + "\n"


def format_diff(data: Mapping[str, Any], fmt: str) -> str:
    """The diff in ``text``, ``json`` or ``markdown``."""
    from kaderwerk.domain.tekst import zichtbaar

    if fmt == "json":  # a \\uXXXX escape in a JSON string is the character itself: lossless
        return zichtbaar(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return zichtbaar(render_markdown(data) if fmt == "markdown" else render_text(data))
