"""The ``kaderwerk`` command line.

Thin on purpose: each command parses its options, calls core functions and prints. Heavy
modules (jsonschema, YAML, openpyxl, rich) are imported inside the commands so ``--help``
stays fast. Every ``KaderwerkError`` becomes a clean message and exit code 1 (2 for usage);
a user never sees a traceback for their own mistake.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from kaderwerk.commands.proces import (
    StdoutLost,
    Stopped,
    is_stdout_error,
    open_stdio,
    run_command,
    stdout_lost,
    warn_broken_plugins,
)
from kaderwerk.domain.woorden import HeleSamenvattingen, Keuze, aantal

FORMAT_TEXT_JSON = Keuze(["text", "json"])
REPORT_FORMATS = ("junit", "sarif", "github")


def _report_options(f: Any) -> Any:
    """``--report FORMAT`` and ``--report-file PATH`` (both repeatable, paired in order)."""
    f = click.option("--report-file", "report_files", multiple=True, metavar="PATH",
                     type=click.Path(path_type=Path, dir_okay=False),
                     help="File for the matching --report (github without one: stdout).")(f)
    return click.option("--report", "reports", multiple=True,
                        type=Keuze(REPORT_FORMATS),
                        help="Also write a CI report: junit, sarif or github (repeatable).")(f)


def _emit_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class Group(HeleSamenvattingen):
    """Loads plugin commands only for a command that is not kaderwerk's own (and for
    ``kaderwerk plugins``): ``--help``, ``--version`` and every builtin command run no
    third-party code, so a broken or hostile plugin cannot stop them and they stay fast."""

    def _plugin_commands(self) -> None:
        if getattr(self, "_loaded", False):
            return
        self._loaded = True
        from kaderwerk.sources.manager import load_commands, registry

        load_commands(registry(), self)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP (output.Signaal)
            raise Stopped(getattr(exc, "signum", 2)) from None
        except OSError as exc:
            if is_stdout_error(exc):
                raise StdoutLost(exc.errno) from None
            raise

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        cmd = super().get_command(ctx, name)
        if cmd is None:
            self._plugin_commands()
            cmd = super().get_command(ctx, name)
        return cmd

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            if args and super().get_command(ctx, args[0]) is None:
                from kaderwerk.sources.manager import built, van_plugin

                exc.message += van_plugin(built(), "command", args[0])
            raise

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_commands(ctx, formatter)
        from kaderwerk.commands._speedups import third_party_plugins_installed

        if not getattr(self, "_loaded", False) and third_party_plugins_installed():
            formatter.write_paragraph()
            formatter.write_text("Plugins may add commands: see 'kaderwerk plugins'.")


@click.group(cls=Group)
@click.version_option(package_name="kaderwerk")
@click.option("--kaders", "kader_mappen", multiple=True, metavar="DIR",
              type=click.Path(path_type=Path, file_okay=False),
              help="Also use the kaders in DIR (repeatable), as if in the project's config.")
@click.option("--project", "project_map", metavar="DIR", default=None,
              type=click.Path(path_type=Path, file_okay=False),
              help="The kader project in DIR (its kaderwerk.toml), instead of the one found from "
                   "the working folder upward; for a project in a sub-folder of a repository.")
def cli(kader_mappen: tuple[Path, ...] = (), project_map: Path | None = None) -> None:
    """kaderwerk: toetsingskaders als code.

    Validate, prove and apply inspection frameworks (kaders): thema's > criteria >
    verwachtingen, with beslisregels that turn scores into oordelen.
    """
    from kaderwerk.sources.files import vergeet_gelezen

    vergeet_gelezen()  # one command's inputs (run in-process, cli() may run more than one)
    from kaderwerk.sources.project import set_extra, set_project

    set_project(project_map)
    set_extra(kader_mappen)


@cli.command("list")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def list_cmd(fmt: str) -> None:
    """List the project's and the installed kaders (with versions and where each comes
    from), plugins and broken plugins. A project kader shadows an installed one with its id.
    Exit 1 when a file of the project cannot be used (each listed with its reason)."""
    from kaderwerk.commands import terminal
    from kaderwerk.sources.catalog import catalog

    cat = catalog()
    rows = []
    for entry, kader, error in cat.all():
        rows.append({
            "id": entry.id or "?", "versie": None if entry.onbruikbaar else entry.versie,
            "onbruikbaar": entry.onbruikbaar, "titel": kader.titel if kader else None,
            "geldig_vanaf": kader.geldig_vanaf if kader else None,
            "volledig": (kader.bron.volledig if kader and kader.bron else None),
            "basis": kader.basis if kader else None,
            "bestand": entry.display, "plugin": entry.plugin,
            "lokaal": entry.lokaal, "verborgen": entry.verborgen,
            "datasets": [d.name.removesuffix(".yaml") for d in entry.datasets],
            "fout": None if error is None else str(error).strip(),
        })
    data = {"kaders": rows, "plugins": cat.reg.plugins, "kapot": cat.reg.broken,
            "vervangen": {n: i.replaces for n, i in cat.reg.info.items() if i.replaces}}
    if fmt == "json":
        _emit_json(data)
    else:
        terminal.print_list(data)
    if any(r["lokaal"] and r["fout"] for r in rows):
        sys.exit(1)


@cli.command("plugins")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def plugins_cmd(fmt: str) -> None:
    """List each plugin: version, what it registered (commands too), what it replaces,
    broken or disabled."""
    from kaderwerk.sources.catalog import catalog

    reg = catalog().reg  # the kaders read too: a kader id@versie taken twice breaks a plugin
    cli._plugin_commands()
    rows = [i.to_dict() for i in reg.info.values()]
    if fmt == "json":
        _emit_json({"plugins": rows})
        return
    from kaderwerk.commands import terminal

    terminal.print_plugins(rows)


@cli.command()
@click.argument("kader")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def show(kader: str, fmt: str) -> None:
    """Show a kader (id, id@versie or path) as a readable tree."""
    from kaderwerk.commands import terminal
    from kaderwerk.domain.model import kader_to_dict
    from kaderwerk.sources.catalog import catalog

    k = catalog().get(kader)
    if fmt == "json":
        _emit_json(kader_to_dict(k))
    else:
        terminal.print_kader(k)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@_report_options
def validate(paths: tuple[Path, ...], fmt: str, reports: tuple[str, ...],
             report_files: tuple[Path, ...]) -> None:
    """Validate kader, dataset and voorbeelden files (or folders of them).

    Without PATHS: the kader folders of the project around the working folder."""
    from kaderwerk.commands.ci_reports import Rapportage, van_validate
    from kaderwerk.commands.testrun import validate_paths
    from kaderwerk.domain.tekst import zichtbaar_pad

    with Rapportage(reports, report_files, "kaderwerk validate", stdout_bezet=fmt == "json",
                    inputs=paths) as rapport:
        results = validate_paths(paths or None)
        plugin_failed = any(r.pop("plugin_failed", False) for r in results)
        rapport.voeg_toe(*van_validate(results))
        bad = [r for r in results if r["problemen"]]
        if fmt == "json":
            _emit_json({"ok": not bad, "bestanden": results})
        else:
            for r in results:
                if r["problemen"]:
                    for p in r["problemen"]:
                        click.echo(p["tekst"], err=True)
                else:
                    naam = zichtbaar_pad(r["bestand"])
                    click.echo(f"ok  {naam} ({r['soort']} {r.get('ref') or ''})".rstrip())
            n = len(results)
            click.echo(f"{n - len(bad)} of {aantal(n, 'file')} valid", err=bool(bad))
        sys.exit(4 if plugin_failed else 1 if bad else 0)  # 4: PluginFailed.exit_code


def _sizes(value: str | None) -> range | str | None:
    if value is None:
        return None
    if value == "all":
        return "all"
    lo, sep, hi = value.partition("-")
    try:
        a, b = int(lo), int(hi) if sep else int(lo)
    except ValueError:
        raise click.BadParameter("use A-B, e.g. 1-60, or all") from None
    if a < 0 or b < a or b > 500:
        raise click.BadParameter("use A-B with 0 <= A <= B <= 500")
    return range(a, b + 1)


@cli.command()
@click.argument("kaders", nargs=-1)
@click.option("--sizes", "sizes", metavar="A-B|all",
              help="Also check every criterium size from A to B (B <= 500), or (all) give "
                   "the sizes at which each rule breaks for every n, in closed form.")
@click.option("--niet-beoordeeld", is_flag=True,
              help="Accepted for old scripts; does nothing: niet beoordeeld is always tried "
                   "where assess accepts it.")
@click.option("--strict", "streng", is_flag=True,
              help="Also fail when a clause's tekst disagrees with its conditions.")
@click.option("--proof", type=click.Choice(["symbolic", "counts"]), default="symbolic",
              show_default=True,
              help="symbolic: count rules with linear conditions are proven by the z3 solver; "
                   "counts: walk every count state (for comparison).")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@_report_options
def check(kaders: tuple[str, ...], sizes: str | None, niet_beoordeeld: bool, streng: bool,
          proof: str, fmt: str, reports: tuple[str, ...], report_files: tuple[Path, ...]
          ) -> None:
    """Prove the beslisregels of kaders (ids or paths): exhaustive, exclusive, monotone.

    Also compares each clause's published tekst with its conditions: a warning, an error
    with --strict. Every kader is checked: one that cannot be read or proven is reported, and
    the others are still proven. The exit code is 1 when any kader has a problem or a finding.
    """
    import attrs
    from kaderwerk.commands import terminal
    from kaderwerk.commands.ci_reports import Rapportage, van_check, van_problemen
    from kaderwerk.commands.validate import kaders_in, project_bestanden
    from kaderwerk.domain.errors import KaderwerkError, PluginFailed, Problem, UsageError
    from kaderwerk.domain.verify import check_kader
    from kaderwerk.sources.catalog import catalog, toon

    groottes = _sizes(sizes)
    if not kaders:  # the project's folders: each kader file, and each file it cannot use
        project = project_bestanden()
        kaders = tuple(str(toon(m)) for m in project.mappen if project.onder(m).bestanden)
    methode = {"symbolic": "symbolisch", "counts": "tellingen"}[proof]
    plugin_failed = intern = False
    rapporten = []
    fouten: list[tuple[str, list[Problem]]] = []
    with Rapportage(reports, report_files, "kaderwerk check", stdout_bezet=fmt == "json",
                    inputs=[Path(k) for k in kaders]) as rapport:
        for ref in kaders_in(kaders, fouten):
            try:
                k = catalog().get(ref) if isinstance(ref, str) else catalog().load(ref)
                rapporten.append((k, check_kader(k, groottes=groottes, methode=methode)))
            except UsageError:
                raise
            except KaderwerkError as exc:
                plugin_failed = plugin_failed or isinstance(exc, PluginFailed)
                head = Exception.__str__(exc).strip()
                naam = ref if isinstance(ref, str) else ref.display
                fouten.append((naam, ([Problem(head)] if head else []) + list(exc.problems)))
            except Exception as exc:  # a bug proving one kader: the others are still proven
                if os.environ.get("KADERWERK_DEBUG"):
                    raise
                intern = True
                naam = ref if isinstance(ref, str) else ref.display
                fouten.append((naam, [Problem(
                    f"{naam}: internal error ({type(exc).__name__}: {exc}); this is a bug in "
                    "kaderwerk or a plugin — run with KADERWERK_DEBUG=1 for details and "
                    "report it")]))
        for ref, problemen in fouten:
            rapport.voeg_toe(van_problemen(problemen, "kaderwerk/check", case=ref))
        rapport.voeg_toe(*van_check(rapporten, streng))
        ok = not fouten and all(r.geslaagd(streng) for _, r in rapporten)
        if fmt == "json":
            _emit_json({"ok": ok, "kaders": [r.to_dict(streng) for _, r in rapporten],
                        "fouten": [{"kader": ref, "problemen": [attrs.asdict(p) for p in ps]}
                                   for ref, ps in fouten]})
        else:
            for _, problemen in fouten:
                for p in problemen:
                    click.echo(str(p), err=True)
            for k, r in rapporten:
                terminal.print_check(k, r, streng)
            n = len(rapporten) + len(fouten)
            if n > 1:
                n_ok = sum(1 for _, r in rapporten if r.geslaagd(streng))
                click.echo(f"{aantal(n, 'kader')}: {n_ok} ok, {len(rapporten) - n_ok} "
                           f"with findings, {len(fouten)} could not be read or proven", err=not ok)
        sys.exit(3 if intern else PluginFailed.exit_code if plugin_failed else 0 if ok else 1)


@cli.command()
@click.argument("kader")
@click.argument("scores")
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help="Output format (repeatable): json, csv, markdown, html, xlsx, ...")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file (one format) or folder (several); '-': stdout.")
@click.option("--gepubliceerd", metavar="DATASET",
              help="A dataset (a file, or a dataset name of the kader) whose published "
                   "figures to compare with.")
@click.option("--allow-missing", is_flag=True,
              help="Treat empty cells of assessed verwachtingen as niet beoordeeld.")
def assess(kader: str, scores: str, formats: tuple[str, ...], output: Path | None,
           gepubliceerd: str | None, allow_missing: bool) -> None:
    """Apply KADER to SCORES (a file, or a dataset name of the kader, e.g. 2015)."""
    from kaderwerk.commands.assess import run_assess

    run_assess(kader, scores, formats, output, gepubliceerd, allow_missing)


@cli.command()
@click.argument("kader")
@click.option("--format", "fmt", type=Keuze(["markdown", "html"]), default=None,
              help="markdown (default) or html.")
@click.option("--interactief", is_flag=True,
              help="An html page to tick scores and set feiten on, showing each oordeel.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of stdout ('-': stdout).")
def render(kader: str, fmt: str | None, output: Path | None, interactief: bool) -> None:
    """Render KADER (id, id@versie or path) as a publishable document."""
    from kaderwerk.commands.render import render as render_kader
    from kaderwerk.domain.errors import KaderwerkError, UsageError
    from kaderwerk.sources.catalog import catalog

    if interactief and fmt == "markdown":
        raise UsageError("--interactief makes an html page; leave out --format markdown")

    cat = catalog()
    k = cat.get(kader)
    inputs = [Path(k.pad)] if k.pad else []
    basis_titel = None
    if k.basis:
        basis_id, _, basis_versie = k.basis.partition("@")
        try:
            entry = cat.entry(basis_id, basis_versie)
            basis_titel = cat.load(entry).titel
            inputs.append(Path(entry.display))
        except KaderwerkError:
            pass  # the overlay loaded, so its base did; a title is a nicety
    from kaderwerk.commands.output import is_stdout, refuse_inputs, write_output
    from kaderwerk.domain.tekst import zichtbaar_pad

    if interactief:
        from kaderwerk.commands.interactief import pagina

        text = pagina(k)
    else:
        text = render_kader(k, fmt or "markdown", basis_titel=basis_titel)
    if output is None or is_stdout(output):
        click.echo(text, nl=False)
        return
    refuse_inputs([output], inputs)
    write_output(output, text.encode("utf-8"))
    click.echo(f"wrote {zichtbaar_pad(output)}", err=True)


from kaderwerk.commands.cli_setup import init, new, schema  # noqa: E402

for _command in (new, init, schema):
    cli.add_command(_command)


def _project_na(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        from kaderwerk.sources.project import set_project

        set_project(value)


def project_option(command: click.Command) -> None:
    """``--project DIR`` after the command as well (``kaderwerk check --project DIR``): a
    pre-commit hook repository's ``entry`` is fixed, and what a user adds goes through
    ``args:`` after it. Said after the command, it wins over one said before it."""
    command.params.append(click.Option(
        ["--project"], metavar="DIR", expose_value=False, callback=_project_na,
        type=click.Path(path_type=Path, file_okay=False),
        help="The kader project in DIR, as 'kaderwerk --project DIR' (e.g. in a hook's args:)."))


@cli.command()
@click.argument("oud", metavar="[OLD", required=False)
@click.argument("nieuw", metavar="NEW]", required=False)
@click.option("--base", metavar="REV",
              help="Instead of OLD NEW: each of the project's kader files changed since the git "
                   "revision REV (a branch, tag or commit), against its version there.")
@click.option("--format", "fmt", type=Keuze(["text", "json", "markdown"]),
              default="text", show_default=True)
@click.option("--beoordelingen", multiple=True, metavar="SCORES",
              help="Archived scores (a CSV, xlsx or YAML file, or a dataset name of OLD, e.g. "
                   "2015) to judge under both versions (repeatable).")
@click.option("--fail-on-impact", is_flag=True,
              help="Exit 1 when an oordeel in the beoordelingen changes.")
def diff(oud: str | None, nieuw: str | None, base: str | None, fmt: str,
         beoordelingen: tuple[str, ...], fail_on_impact: bool) -> None:
    """Compare two versions of a kader (id, id@versie or path): texts, rules and impact.

    With --base REV: every kader file of the project that changed since REV (read with git,
    nothing checked out), e.g. the base branch of a pull request."""
    from kaderwerk.commands.diff import run_diff
    from kaderwerk.domain.errors import UsageError

    if base is not None:
        if oud is not None:
            raise UsageError("diff --base REV compares the project's kaders: leave out OLD NEW")
        from kaderwerk.commands.gitbase import run_diff_base

        sys.exit(run_diff_base(base, fmt, beoordelingen, fail_on_impact))
    if oud is None or nieuw is None:
        raise UsageError("diff needs OLD and NEW (two kaders), or --base REV")

    sys.exit(run_diff(oud, nieuw, fmt, beoordelingen, fail_on_impact))


@cli.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@click.option("--require-coverage", is_flag=True,
              help="Exit 1 when a clause or plafond is not covered by any voorbeeld.")
@_report_options
def test_cmd(paths: tuple[Path, ...], fmt: str, require_coverage: bool,
             reports: tuple[str, ...], report_files: tuple[Path, ...]) -> None:
    """Run the voorbeelden (example tests) of kaders and report clause coverage.

    PATHS are kader files, voorbeelden files or folders; default: the kader folders of the
    project around the working folder, outside a project every installed kader.
    """
    from kaderwerk.commands.testrun import run_test_command
    from kaderwerk.sources.projectbestanden import kader_mappen

    run_test_command(None if not paths and kader_mappen() else paths, fmt, require_coverage,
                     reports, report_files)


for _command in (list_cmd, plugins_cmd, show, validate, check, assess, render, diff, test_cmd,
                 schema):
    project_option(_command)
project_option(new.commands["kader"])


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user errors into messages and exit codes."""
    from kaderwerk.commands.output import buffer_stdout, stop_on_signals

    open_stdio()
    buffer_stdout()
    stop_on_signals()
    code = _run(argv)
    try:
        sys.stdout.flush()
    except OSError as exc:
        if not is_stdout_error(exc):
            raise
        code = stdout_lost(exc.errno)
    sys.exit(code)


def _run(argv: list[str] | None) -> int:
    try:
        return run_command(cli, argv)
    finally:
        warn_broken_plugins()


if __name__ == "__main__":
    main()
