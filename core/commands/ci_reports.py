"""CI report formats for ``check``, ``validate`` and ``test``: JUnit XML, SARIF 2.1.0, GitHub.

A kader repository's CI should show each finding on the line of the kader file it is about:
GitHub code scanning reads SARIF, test dashboards read JUnit XML, and a workflow log turns
``::error file=F,line=L,col=C::message`` into an annotation. Commands describe their results as
neutral ``Result``s (file, line, column, message, rule id, level) and checked ``Case``s;
the formats here know nothing about kaders. ``Rapportage`` carries the ``--report`` /
``--report-file`` options of a command, so the command's own output stays as it was.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import attrs
from kaderwerk.domain.errors import KaderwerkError, Problem, UsageError

if TYPE_CHECKING:
    from kaderwerk.domain.model import Kader
    from kaderwerk.domain.verify import Rapport

FORMATS = ("junit", "sarif", "github")
LEVELS = ("error", "warning", "note")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@attrs.frozen
class Result:
    """One finding: what is wrong, where, under which rule id, and how bad (error/warning/note)."""

    message: str
    rule: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    level: str = attrs.field(default="error", validator=attrs.validators.in_(LEVELS))
    case: str | None = None
    """The name of the ``Case`` (JUnit testcase) this finding belongs to, if any."""
    ook: tuple[str, ...] = ()
    """Further Cases the finding fails: the criteria a thema's shared beslisregel decides."""
    verwant: tuple[tuple[str | None, int | None, int | None, str], ...] = ()
    """Related locations (file, line, column, label): where those criteria are written."""


@attrs.frozen
class Case:
    """One checked item, a JUnit testcase: it passes unless an error finding names it."""

    naam: str
    groep: str
    file: str | None = None
    line: int | None = None


# -- formats --------------------------------------------------------------------------------

def junit(tool: str, bevindingen: Sequence[Result], gevallen: Sequence[Case] = ()) -> bytes:
    """JUnit XML: a testsuite per group, a testcase per Case (and per finding without one)."""
    per_case: dict[str, list[Result]] = {}
    cases = list(gevallen)
    namen = {g.naam for g in cases}
    for b in bevindingen:
        naam = b.case if b.case in namen else _waar(b) + b.message.split("\n", 1)[0][:80]
        if naam not in namen:
            cases.append(Case(naam, b.rule, b.file, b.line))
            namen.add(naam)
        per_case.setdefault(naam, []).append(b)
        for ander in b.ook:
            if ander in namen and ander != naam:
                per_case.setdefault(ander, []).append(b)
    root = ET.Element("testsuites", name=tool)
    groepen: dict[str, list[Case]] = {}
    for g in cases:
        groepen.setdefault(g.groep, []).append(g)
    totaal = fout_totaal = 0
    for groep, leden in groepen.items():
        suite = ET.SubElement(root, "testsuite", name=groep)
        fouten = overgeslagen = 0
        for g in leden:
            case = ET.SubElement(suite, "testcase", classname=groep, name=g.naam)
            if g.file:
                case.set("file", g.file)
            if g.line:
                case.set("line", str(g.line))
            eigen = per_case.get(g.naam, [])
            errors = [b for b in eigen if b.level == "error"]
            others = [b for b in eigen if b.level != "error"]
            if errors:
                fouten += 1
                el = ET.SubElement(case, "failure", message=errors[0].message.split("\n", 1)[0],
                                   type=errors[0].rule)
                el.text = "\n".join(_waar(b) + b.message for b in errors)
            elif others and g.naam not in {x.naam for x in gevallen}:
                overgeslagen += 1
                ET.SubElement(case, "skipped", message=others[0].message.split("\n", 1)[0])
            if others:
                ET.SubElement(case, "system-out").text = "\n".join(
                    f"{b.level}: {_waar(b)}{b.message}" for b in others)
        suite.set("tests", str(len(leden)))
        suite.set("failures", str(fouten))
        suite.set("errors", "0")
        suite.set("skipped", str(overgeslagen))
        totaal += len(leden)
        fout_totaal += fouten
    root.set("tests", str(totaal))
    root.set("failures", str(fout_totaal))
    root.set("errors", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def sarif(tool: str, bevindingen: Sequence[Result],
          regels: Mapping[str, str] | None = None) -> bytes:
    """SARIF 2.1.0: one run, a rule per rule id, a result per finding with its region."""
    regels = regels or {}
    ids = list(dict.fromkeys(b.rule for b in bevindingen))
    results = []
    for b in bevindingen:
        result: dict[str, Any] = {"ruleId": b.rule, "ruleIndex": ids.index(b.rule),
                                  "level": b.level, "message": {"text": b.message}}
        if b.file:
            location: dict[str, Any] = {"artifactLocation": {"uri": _uri(b.file)}}
            if b.line:
                location["region"] = {"startLine": b.line} | (
                    {"startColumn": b.column} if b.column else {})
            result["locations"] = [{"physicalLocation": location}]
        verwant = [(i, *v) for i, v in enumerate(b.verwant, 1) if v[0]]
        if verwant:
            result["relatedLocations"] = [
                {"id": i, "message": {"text": label},
                 "physicalLocation": {"artifactLocation": {"uri": _uri(str(file))}} | (
                     {"region": {"startLine": line} | ({"startColumn": col} if col else {})}
                     if line else {})}
                for i, file, line, col, label in verwant]
        results.append(result)
    driver = {
        "name": "kaderwerk", "version": _version(),
        "informationUri": "https://kaderwerk.invalid/docs/example-tests",
        "rules": [{"id": r, "name": r.rsplit("/", 1)[-1],
                   "shortDescription": {"text": regels.get(r, r)}} for r in ids],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": driver}, "automationDetails": {"id": f"{tool}/"},
        "columnKind": "unicodeCodePoints", "results": results}]}
    return (json.dumps(log, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def github(bevindingen: Sequence[Result]) -> bytes:
    """GitHub Actions workflow commands: ``::error file=F,line=L,col=C,title=R::message``."""
    commando = {"error": "error", "warning": "warning", "note": "notice"}
    lines = []
    for b in bevindingen:
        props = [f"{k}={_escape(str(v), prop=True)}" for k, v in
                 (("file", b.file), ("line", b.line), ("col", b.column), ("title", b.rule))
                 if v is not None]
        lines.append(f"::{commando[b.level]} {','.join(props)}::{_escape(b.message)}")
    return "".join(line + "\n" for line in lines).encode("utf-8")


def format_report(fmt: str, tool: str, bevindingen: Sequence[Result],
                  gevallen: Sequence[Case] = (),
                  regels: Mapping[str, str] | None = None) -> bytes:
    """The report in ``fmt`` (one of ``FORMATS``), control characters written visibly (raw,
    ESC would be invalid XML in junit and act in a CI log; in sarif a ``\\u001b`` escape)."""
    from kaderwerk.domain.tekst import zichtbaar

    if fmt == "junit":
        data = junit(tool, bevindingen, gevallen)
    elif fmt == "sarif":
        data = sarif(tool, bevindingen, regels)
    elif fmt == "github":
        data = github(bevindingen)
    else:
        raise UsageError(f"unknown report format '{fmt}'; use {', '.join(FORMATS)}")
    return zichtbaar(data.decode("utf-8")).encode("utf-8")


def _waar(b: Result) -> str:
    where = ":".join(str(p) for p in (b.file, b.line, b.column) if p is not None)
    return f"{where}: " if where else ""


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _uri(file: str) -> str:
    p = Path(file)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return p.as_uri()


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("kaderwerk")
    except metadata.PackageNotFoundError:
        return "0"


# -- the --report options of a command ------------------------------------------------------

class Rapportage:
    """The reports a command was asked for; a context manager that writes them at the end.

    Reports pair with ``--report-file``s in order; one ``github`` report may go without a file,
    to stdout. When the command stops on a ``KaderwerkError``, its located problems become the
    findings, so CI still points at the broken line.
    """

    def __init__(self, formats: Sequence[str], files: Sequence[Path], tool: str, *,
                 stdout_bezet: bool = False, inputs: Iterable[Path] = ()) -> None:
        from kaderwerk.commands.output import is_stdout, refuse_inputs

        self.doelen: list[tuple[str, Path | None]] = []
        if len(files) == len(formats):
            self.doelen = list(zip(formats, files, strict=True))
        elif len(files) == len(formats) - 1 and list(formats).count("github") == 1:
            if stdout_bezet:
                raise UsageError("--report github without a --report-file writes to stdout, "
                                 "which --format json uses; give it a --report-file")
            rest = iter(files)
            self.doelen = [(f, None if f == "github" else next(rest)) for f in formats]
        else:
            raise UsageError("give one --report-file per --report, in the same order; only a "
                             "single github report may go without one (to stdout)")
        self.doelen = [(f, None if p is not None and is_stdout(p) else p)
                       for f, p in self.doelen]
        naar_stdout = [f for f, p in self.doelen if p is None]
        if len(naar_stdout) > 1 or (naar_stdout and stdout_bezet):
            raise UsageError("only one report can go to stdout ('-'), and not with --format "
                             "json; give the others a --report-file")
        targets = [p for _, p in self.doelen if p is not None]
        if len({p.resolve() for p in targets}) < len(targets):
            raise UsageError("two reports name the same --report-file")
        refuse_inputs(targets, list(inputs), option="--report-file")
        self.tool = tool
        self.bevindingen: list[Result] = []
        self.gevallen: list[Case] = []
        self.regels: dict[str, str] = {}

    def voeg_toe(self, bevindingen: Iterable[Result], gevallen: Iterable[Case] = (),
                 regels: Mapping[str, str] | None = None) -> None:
        """Add findings, checked items and rule descriptions to every report."""
        self.bevindingen.extend(bevindingen)
        self.gevallen.extend(gevallen)
        self.regels.update(regels or {})

    def schrijf(self) -> None:
        """Write every report: to its file (atomically), or github to stdout."""
        from kaderwerk.commands.output import write_output

        for fmt, path in self.doelen:
            data = format_report(fmt, self.tool, self.bevindingen, self.gevallen, self.regels)
            if path is None:
                sys.stdout.flush()
                sys.stdout.write(data.decode("utf-8"))
                sys.stdout.flush()
                continue
            try:
                write_output(path, data)
            except OSError as exc:
                raise KaderwerkError(f"cannot write report {path}: {exc.strerror or exc}"
                                     ) from None

    def __enter__(self) -> Rapportage:
        return self

    def __exit__(self, typ: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self.doelen or isinstance(exc, UsageError):
            return
        if isinstance(exc, KaderwerkError):
            self.voeg_toe(van_problemen(exc.problems or [Problem(str(exc))],
                                        f"kaderwerk/{self.tool.rsplit(' ', 1)[-1]}"))
        if exc is None or isinstance(exc, (KaderwerkError, SystemExit)):
            self.schrijf()


# -- adapters from each command's results ---------------------------------------------------

def van_problemen(problemen: Iterable[Problem], rule: str, level: str = "error",
                  case: str | None = None) -> list[Result]:
    """Located problems (``FILE:LINE:COL: message``) as findings."""
    return [Result(p.message, rule, p.file, p.line, p.column, level, case) for p in problemen]


def van_validate(results: Sequence[Mapping[str, Any]]) -> tuple[list[Result], list[Case]]:
    """``validate`` results: a Case per file, a finding per problem."""
    bevindingen, gevallen = [], []
    for r in results:
        gevallen.append(Case(r["bestand"], "kaderwerk validate", r["bestand"]))
        bevindingen += [Result(p["melding"], "kaderwerk/validate", p["bestand"] or r["bestand"],
                                  p["regel"], p["kolom"], case=r["bestand"])
                        for p in r["problemen"]]
    return bevindingen, gevallen


def _groottes(kader: Kader, rapport: Rapport) -> list[Result]:
    """``--sizes all``: a note per criterium and kind of finding with the sizes it breaks at."""
    from kaderwerk.domain.breuktekst import regels

    uit = []
    for cid, _, tekst in regels(rapport.breuken):
        line, col = kader.positie(cid)
        uit.append(Result(f"criterium {cid}: {tekst}", "kaderwerk/check/groottes",
                          kader.pad, line, col, "note", case=f"{kader.ref} {cid}"))
    return uit


def van_check(paren: Sequence[tuple[Kader, Rapport]], streng: bool = False
              ) -> tuple[list[Result], list[Case], dict[str, str]]:
    """``check`` reports: a Case per criterium (and shared rule), a finding per proof finding.

    A finding is placed where the fix goes: at its criterium, once at a thema's shared
    beslisregel (naming the criteria it affects), or a text finding at its clause (a warning,
    an error with ``streng``; a recorded lezing is no problem and is left out).
    """
    from kaderwerk.domain.model import beslisregel_plek
    from kaderwerk.domain.verify import NOTITIES, SOORTEN, WAARSCHUWINGEN, onderwerp

    bevindingen, gevallen = [], []
    for kader, rapport in paren:
        gedeeld = dict.fromkeys(kader.thema_van(c).id for c in kader.criteria
                                if c.regel_van_thema)
        doelen = [c.id for c in kader.criteria] + (["organisatie"] if kader.organisatie else [])
        doelen += [beslisregel_plek(t) for t in gedeeld]
        for doel in doelen:
            gevallen.append(Case(f"{kader.ref} {doel}", kader.ref, kader.pad,
                                  kader.positie(doel)[0]))
        for f in rapport.bevindingen:
            if f.soort in NOTITIES:
                continue
            plek = f.plek or f.criterium
            line, col = kader.positie(plek)
            level = "warning" if f.soort in WAARSCHUWINGEN and not streng else "error"
            wat = "" if f.soort in WAARSCHUWINGEN else f"{onderwerp(f)}: "
            # a shared rule's finding fails each criterium it decides, not only the rule
            getroffen = [c for c in f.criteria if c != plek]
            bevindingen.append(Result(
                f"{wat}{SOORTEN[f.soort]}: {f.boodschap}",
                f"kaderwerk/check/{f.soort}", kader.pad, line, col, level,
                case=f"{kader.ref} {plek if plek in doelen else f.criterium}",
                ook=tuple(f"{kader.ref} {c}" for c in getroffen),
                verwant=tuple((kader.pad, *kader.positie(c), f"criterium {c}")
                              for c in getroffen)))
        bevindingen += _groottes(kader, rapport)
    return bevindingen, gevallen, {f"kaderwerk/check/{k}": v for k, v in SOORTEN.items()} | {
        "kaderwerk/check/groottes": "sizes at which a rule breaks, for every n"}
