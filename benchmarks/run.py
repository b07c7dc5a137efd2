#!/usr/bin/env python3
"""Benchmarks, run on demand: ``.venv/bin/python benchmarks/run.py [--quick] [--proofs]``
(or ``--plugins``).

``--plugins`` runs only the commands with a plugin that registers 10,000 kader folders (one tiny
valid kader each): ``validate FILE``, ``show ID``, ``show`` of an unknown id and ``list``.

``--proofs`` runs only the proof benchmarks: the symbolic proof against the count-state proof
for n = 5 ... 100,000, ``check`` of a criterium of 10,000 verwachtingen and ``check --sizes all``.

Measures what the performance targets in docs/performance.md speak of, as whole processes where
the target is about a command: cold start of ``--help``, ``check`` of every bundled kader, the
count-based proof against brute-force enumeration, ``assess`` of a large generated CSV
against merely parsing that CSV with Python's csv module, and ``assess`` of the same
organisations as a JSON export against ``json.load``, and the commands bounded for large
inputs: ``diff`` of a 40,000-word text, ``--format html`` and ``--format xlsx`` of many
organisations (wall time and peak memory). Prints a Markdown table.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
KW = str(BIN / "kaderwerk")


def wall(cmd: list[str], repeat: int = 5, **kw: object) -> float:
    """Median wall time of a whole process, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       **kw)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def in_process(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_help() -> tuple[str, str, str]:
    t = wall([KW, "--help"], repeat=10)
    return ("`kaderwerk --help` cold start", f"{t * 1000:.0f} ms", "<= 150 ms")


def bench_check_all() -> tuple[str, str, str]:
    from kaderwerk.sources.catalog import catalog

    ids = catalog().ids()
    t = wall([KW, "check", *ids], repeat=5)
    return (f"`kaderwerk check` of all {len(ids)} bundled kaders (process)", f"{t * 1000:.0f} ms",
            "< 1 s")


def bench_proof() -> list[tuple[str, str, str]]:
    from kaderwerk.domain.verify import bewijs
    from kaderwerk.sources.catalog import catalog

    regel = catalog().get("veilig-thuis-stap-1").criteria[0].beslisregel

    class Vector:
        telt_alleen = False
        handmatig = False
        schaal, clausules, hit, type = regel.schaal, regel.clausules, regel.hit, regel.type

        def beslis(self, invoer):
            return regel.beslis(invoer)

    rows = []
    for n in (8, 10, 12):
        ids = [f"v{i}" for i in range(n)]
        tc = in_process(lambda ids=ids: bewijs(regel, (), ids, met_nb=True))
        tv = in_process(lambda ids=ids: bewijs(Vector(), (), ids, met_nb=True), repeat=1)
        rows.append((f"proof n={n} with niet beoordeeld: counts vs 3^n vectors",
                     f"{tc * 1000:.2f} ms vs {tv * 1000:.0f} ms (x{tv / tc:.0f})", "counts win"))
    ids = [f"v{i}" for i in range(20)]
    t20 = in_process(lambda: bewijs(regel, (), ids, met_nb=True))
    rows.append(("count proof alone, n=20 (231 count states)", f"{t20 * 1000:.2f} ms", "< 100 ms"))
    return rows


def _proof_ms(fn, repeat: int = 3) -> str:
    return f"{in_process(fn, repeat) * 1000:.0f} ms"


def bench_symbolic(quick: bool) -> list[tuple[str, str, str]]:
    """Proof time against n: the count-state proof and the symbolic proof, with and without
    niet beoordeeld, for a rule that holds at every n and for Stap 1's Randvoorwaarden rule
    (findings from n = 6: each carries a score vector of n entries)."""
    from kaderwerk.domain.symbolisch import bewijs_symbolisch
    from kaderwerk.domain.verify import bewijs
    from kaderwerk.sources.catalog import catalog
    from kaderwerk.sources.manager import registry

    stap1 = catalog().get("veilig-thuis-stap-1")
    rand = stap1.criteria[0].beslisregel
    geldig = registry().beslisregels["aantal"].from_mapping({
        "type": "aantal", "hit": "uniek", "zonder_beoordeling": "voldoende", "regels": [
            {"oordeel": "voldoende", "als": {"onvoldoende": {"max": 1}}},
            {"oordeel": "matig", "als": {"onvoldoende": {"min": 2, "max": 3}}},
            {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": 4}}}]},
        rand.schaal, None)
    bewijs_symbolisch(geldig, (), ["a"], open_ids=["a"])  # z3 loaded once
    rows = []
    sizes = (5, 10, 100, 1_000, 10_000) if quick else (5, 10, 100, 1_000, 10_000, 100_000)
    for naam, regel in (("a rule that holds", geldig), ("Randvoorwaarden (breaks)", rand)):
        for n in sizes:
            ids = [f"v{i}" for i in range(n)]
            cells = []
            for nb in (False, True):
                open_ids = ids if nb else ()
                sym = _proof_ms(lambda ids=ids, o=open_ids, r=regel: bewijs_symbolisch(
                    r, (), ids, open_ids=o))
                if n > (300 if nb else 10_000):
                    tel = "-"
                else:
                    tel = _proof_ms(lambda ids=ids, o=open_ids, r=regel: bewijs(
                        r, (), ids, open_ids=o, max_per_soort=10), repeat=1)
                cells.append(f"{'with' if nb else 'without'} NB: symbolic {sym}, counts {tel}")
            rows.append((f"proof of {naam}, n={n:,}", "; ".join(cells), "flat in n (2x)"))
    with tempfile.TemporaryDirectory() as tmp:
        pad = Path(tmp) / "groot.yaml"
        verwachtingen = "".join(f"          - {{id: \"1.1.{i + 1}\", tekst: V.}}\n"
                                for i in range(10_000))
        pad.write_text(GROOT.format(verwachtingen=verwachtingen), encoding="utf-8")
        t, mb = peak([KW, "check", str(pad)])
        rows.append(("`check` of a criterium of 10,000 verwachtingen, niet beoordeeld allowed "
                     "(process)", f"{t:.2f} s, {mb:.0f} MB peak", "< 1 s, < 200 MB"))
        veel = Path(tmp) / "veel.yaml"
        criteria = "".join(
            f"      - id: \"1.{c + 1}\"\n        titel: C\n        verwachtingen:\n"
            + "".join(f"          - {{id: \"1.{c + 1}.{i + 1}\", tekst: V.}}\n" for i in range(40))
            for c in range(300))
        kop = GROOT.format(verwachtingen="").split("    criteria:\n")[0]
        veel.write_text(kop + "    criteria:\n" + criteria, encoding="utf-8")
        t, mb = peak([KW, "check", str(veel)])
        rows.append(("`check` of 300 criteria of 40 verwachtingen, one rule (process)",
                     f"{t:.2f} s, {mb:.0f} MB peak", "z3's answer shared between criteria"))
    ids = catalog().ids()
    t, mb = peak([KW, "check", *ids, "--sizes", "all"])
    rows.append((f"`check --sizes all` of all {len(ids)} bundled kaders (process)",
                 f"{t:.2f} s, {mb:.0f} MB peak", "< 2 s"))
    return rows


GROOT = """id: groot
versie: "1"
titel: Groot
bron: {{document: benchmark}}
oordeelschaal: [voldoende, matig, onvoldoende]
themas:
  - id: "1"
    titel: T
    beslisregel:
      type: aantal
      hit: uniek
      zonder_beoordeling: voldoende
      regels:
        - {{oordeel: voldoende, als: {{onvoldoende: {{max: 1}}}}}}
        - {{oordeel: matig, als: {{onvoldoende: {{min: 2, max: 3}}}}}}
        - {{oordeel: onvoldoende, als: {{onvoldoende: {{min: 4}}}}}}
    criteria:
      - id: "1.1"
        titel: C
        verwachtingen:
{verwachtingen}"""


FLOOR = """
import csv, sys
from operator import itemgetter
groups = [tuple(int(i) for i in g.split(",")) for g in sys.argv[2].split(";")]
getters = [itemgetter(*g) for g in groups]
memos = [{} for _ in groups]
reader = csv.reader(open(sys.argv[1], newline=""))
next(reader)
for row in reader:
    for get, memo in zip(getters, memos):
        key = get(row)
        if key not in memo:
            memo[key] = key.count("1")
"""


def bench_assess(n_orgs: int) -> list[tuple[str, str, str]]:
    from kaderwerk.sources.catalog import catalog

    kader = catalog().get("veilig-thuis-stap-1")
    ids = [v.id for v in kader.verwachtingen if v.beoordeeld]
    kolom = {v: i + 1 for i, v in enumerate(ids)}
    groups = ";".join(",".join(str(kolom[v.id]) for v in c.verwachtingen if v.id in kolom)
                      for c in kader.criteria)
    rng = random.Random(2015)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scores.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["organisatie", *ids])
            for i in range(n_orgs):
                w.writerow([f"Organisatie {i:06d}", *(rng.choice("13") for _ in ids)])
        een = Path(tmp) / "een.csv"
        een.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:2]) + "\n",
                       encoding="utf-8")
        parse = [sys.executable, "-c",
                 "import csv,sys\nfor r in csv.reader(open(sys.argv[1], newline='')): pass",
                 str(path)]
        t_parse = wall(parse, repeat=3)
        t_floor = wall([sys.executable, "-c", FLOOR, str(path), groups], repeat=3)
        t_start = wall([KW, "assess", "veilig-thuis-stap-1", str(een), "--format", "json",
                        "-o", str(Path(tmp) / "een.json")], repeat=3)
        t_assess = wall([KW, "assess", "veilig-thuis-stap-1", str(path), "--format", "json",
                         "-o", str(Path(tmp) / "u.json")], repeat=3)
        size = (Path(tmp) / "u.json").stat().st_size
        export = Path(tmp) / "export.json"
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        export.write_text(json.dumps({"kader": "veilig-thuis-stap-1", "organisaties": [
            {"naam": row[0], "scores": dict(zip(ids, map(int, row[1:]), strict=True))}
            for row in rows[1:]]}, indent=1), encoding="utf-8")
        t_laad = wall([sys.executable, "-c", "import json,sys\njson.load(open(sys.argv[1]))",
                       str(export)], repeat=3)
        t_export = wall([KW, "assess", "veilig-thuis-stap-1", str(export), "--format", "json",
                         "-o", str(Path(tmp) / "e.json")], repeat=3)
        export_mb = export.stat().st_size / 1e6
    return [(f"parse {n_orgs:,} x {len(ids)} CSV with csv module (process)",
             f"{t_parse:.2f} s", ""),
            ("the same plus one dictionary lookup per criterium per row, no output (process): "
             "the least any judging in Python does", f"{t_floor:.2f} s (x{t_floor / t_parse:.1f})",
             ""),
            ("`assess --format json` of a 1-organisation CSV (start-up, kader, writing)",
             f"{t_start:.2f} s (x{t_start / t_parse:.1f})", ""),
            ("`assess --format json` of the same CSV (process)",
             f"{t_assess:.2f} s (x{t_assess / t_parse:.1f}), {size / 1e6:.0f} MB of json",
             "<= 3x parsing"),
            (f"`json.load` of the same organisations as a JSON export ({export_mb:.0f} MB, "
             "process)", f"{t_laad:.2f} s", ""),
            ("`assess --format json` of that JSON export (process)",
             f"{t_export:.2f} s (x{t_export / t_laad:.1f} of json.load)", "")]


def peak(cmd: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of one process, from wait4's rusage."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, cmd
    return time.perf_counter() - t, usage.ru_maxrss / 1024


def bench_bounded(n_orgs: int) -> list[tuple[str, str, str]]:
    """Commands that were unbounded: a diff of long texts, html and xlsx of many organisations."""
    from kaderwerk.sources.catalog import catalog

    kader = catalog().get("veilig-thuis-stap-1")
    ids = [v.id for v in kader.verwachtingen if v.beoordeeld]
    rng = random.Random(2015)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bron = Path(str(kader.pad)).read_text(encoding="utf-8")
        origineel = next(v.tekst for v in kader.verwachtingen if v.tekst in bron)
        for naam, woorden in (("oud", ["a"] * 40_000), ("nieuw", ["a", "b"] * 20_000)):
            tekst = bron.replace(origineel, '"' + " ".join(woorden) + '"', 1)
            if naam == "nieuw":
                tekst = tekst.replace(f'versie: "{kader.versie}"', 'versie: "9999"', 1)
            (Path(tmp) / f"{naam}.yaml").write_text(tekst, encoding="utf-8")
        t, mb = peak([KW, "diff", str(Path(tmp) / "oud.yaml"), str(Path(tmp) / "nieuw.yaml")])
        rows.append(("`diff` of a verwachting of 40,000 words (one word repeated) (process)",
                     f"{t:.2f} s, {mb:.0f} MB peak", "bounded (was > 60 s)"))
        path = Path(tmp) / "scores.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["organisatie", *ids])
            for i in range(n_orgs):
                w.writerow([f"Organisatie {i:06d}", *(rng.choice("13") for _ in ids)])
        for fmt in ("html", "xlsx"):
            uit = Path(tmp) / f"uit-{fmt}"
            t, mb = peak([KW, "assess", "veilig-thuis-stap-1", str(path), "--format", fmt,
                          "-o", str(uit)])
            size = sum(f.stat().st_size for f in uit.iterdir()) / 1e6
            rows.append((f"`assess --format {fmt}` of {n_orgs:,} organisations (process)",
                         f"{t:.1f} s, {mb:.0f} MB peak, {size:.1f} MB file", "< 1 GB"))
    return rows


def compile_bytecode() -> None:
    """Write kaderwerk's bytecode first, as pip does when it installs a wheel.

    An editable install writes it on first import, unless PYTHONDONTWRITEBYTECODE is set (it is
    on the project's workplace); then every process would compile all modules again (~90 ms),
    which no installed kaderwerk does.
    """
    import compileall

    import kaderwerk
    import kaderwerk.plugins

    for folder in [*kaderwerk.__path__, *kaderwerk.plugins.__path__]:
        compileall.compile_dir(folder, quiet=1)


def bench_plugins(n: int = 10_000) -> list[tuple[str, str, str]]:
    """Whole commands with a plugin (on PYTHONPATH) that registers ``n`` kader folders."""
    tmp = Path(tempfile.mkdtemp())
    pkg = tmp / "site" / "kw_veel"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "from importlib import resources\nfrom kaderwerk.api import hookimpl\n\n@hookimpl\n"
        "def register_kaders(register):\n"
        f"    for i in range({n}):\n"
        "        register(resources.files('kw_veel') / f'k{i}')\n", encoding="utf-8")
    info = tmp / "site" / "kw_veel-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kw_veel\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[kaderwerk]\nkw_veel = kw_veel\n")
    for i in range(n):
        (pkg / f"k{i}").mkdir()
        (pkg / f"k{i}" / "1.yaml").write_text(
            f"id: veel-{i}\nversie: '1'\ntitel: Kader\nbron: {{document: Bron}}\n"
            "oordeelschaal: [goed, slecht]\nthemas:\n  - id: '1'\n    titel: Thema\n"
            "    beslisregel: {type: aantal, regels: [{oordeel: goed, als: {onvoldoende: "
            "{max: 0}}}, {oordeel: slecht, als: {onvoldoende: {min: 1}}}]}\n"
            "    criteria:\n      - id: '1.1'\n        titel: Criterium\n"
            "        verwachtingen:\n          - {id: '1.1.1', tekst: een}\n", encoding="utf-8")
    (tmp / "x.yaml").write_bytes((pkg / "k5" / "1.yaml").read_bytes())
    env = {**os.environ, "PYTHONPATH": str(tmp / "site")}
    rows = []
    for what, args, ok in [("validate x.yaml", ["validate", "x.yaml"], True),
                           ("show veel-5", ["show", "veel-5"], True),
                           ("show geen-kader (unknown id)", ["show", "geen-kader"], False),
                           ("list", ["list"], True)]:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            done = subprocess.run([KW, *args], cwd=tmp, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - t)
            assert (done.returncode == 0) == ok, (args, done.returncode)
        rows.append((f"`kaderwerk {what}`, a plugin with {n:,} kader folders (process)",
                     f"{statistics.median(times):.2f} s", ""))
    return rows


def main() -> None:
    quick = "--quick" in sys.argv
    compile_bytecode()
    if "--plugins" in sys.argv:
        print("| what | measured | target |\n|---|---|---|")
        for what, got, target in bench_plugins():
            print(f"| {what} | {got} | {target} |")
        return
    if "--proofs" in sys.argv:
        rows = bench_symbolic(quick)
        print("| what | measured | target |\n|---|---|---|")
        for what, got, target in rows:
            print(f"| {what} | {got} | {target} |")
        return
    rows = [bench_help(), bench_check_all(), *bench_proof(), *bench_symbolic(quick),
            *bench_assess(10_000 if quick else 100_000),
            *bench_bounded(10_000 if quick else 100_000)]
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} cores\n")
    print("| what | measured | target |\n|---|---|---|")
    for what, got, target in rows:
        print(f"| {what} | {got} | {target} |")


if __name__ == "__main__":
    main()
