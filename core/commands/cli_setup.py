"""The commands that write a user's starting files: ``new kader``, ``new plugin``, ``init`` and
``schema``.

Kept apart from ``cli.py`` (the commands that read and judge kaders) so each module stays a
size a reader can hold; ``cli.py`` adds these to the group.
"""

from __future__ import annotations

from pathlib import Path

import click
from kaderwerk.domain.woorden import HeleSamenvattingen


@click.group(cls=HeleSamenvattingen)
def new() -> None:
    """Start a new kader or plugin from files that already pass validate, check and test."""


@new.command("kader")
@click.argument("name")
@click.option("--dir", "folder", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Folder of kaders  [default: the project's first kader "
                                 "folder, else kaders]")
def new_kader_cmd(name: str, folder: Path | None) -> None:
    """Write FOLDER/NAME/1.yaml: a minimal kader with a beslisregel (and example tests)."""
    from kaderwerk.commands.project_init import SCHEMA_DIR
    from kaderwerk.commands.scaffold import new_kader
    from kaderwerk.sources.catalog import toon
    from kaderwerk.sources.project import find

    project = find()
    if folder is None:
        folder = Path(toon(project.kaders[0])) if project and project.kaders else Path("kaders")
    schemas = project.root / SCHEMA_DIR if project is not None else None
    for path in new_kader(name, folder, schemas if schemas and schemas.is_dir() else None):
        click.echo(f"wrote {path}")
    if not (schemas and schemas.is_dir()):
        click.echo("warning: no kader project with schemas here, so the files' $schema line names "
                   "the schema installed on this machine (a file:// path), which a colleague's "
                   "clone lacks; in a project (kaderwerk init) the line is relative", err=True)
    from kaderwerk.sources.catalog import catalog

    if any(e.id == name and not e.lokaal for e in catalog().met_id(name)):
        click.echo(f"warning: an installed kader has the id '{name}'; in this project "
                   f"'{name}' now means the new kader, which shadows the installed one "
                   "(see 'kaderwerk list'); reach that one by its file path or rename the new "
                   "kader", err=True)
    from kaderwerk.sources.project import gekozen

    pre = "" if project is not None and folder.resolve() in {
        k.resolve() for k in project.kaders} else (
        f"--kaders {folder} ")
    if project is not None and gekozen() is not None:
        pre = f"--project {gekozen()} {pre}"
    click.echo(f"next steps:\n  kaderwerk validate {folder / name}\n  kaderwerk {pre}check "
               f"{name}\n  kaderwerk test {folder / name}\n  kaderwerk {pre}show {name}")


@click.command()
@click.argument("folder", metavar="[DIR]", default=".",
                type=click.Path(path_type=Path, file_okay=False))
def init(folder: Path) -> None:
    """Make DIR (default: here) a kader project: kaderwerk.toml, kaders/, the JSON Schemas in
    .kaderwerk/schemas/, .pre-commit-config.yaml, a CI workflow and a README. Existing files
    are kept."""
    from kaderwerk.commands.project_init import init as init_project
    from kaderwerk.commands.project_init import init_warnings

    uit = init_project(folder)
    for path, what in uit:
        click.echo(f"{what} {path}")
    for waarschuwing in init_warnings(folder, uit):
        click.echo(waarschuwing, err=True)
    cd = "" if folder.resolve() == Path.cwd().resolve() else f"  cd {folder}\n"
    click.echo(f"next steps:\n{cd}  kaderwerk new kader mijn-kader\n"
               "  kaderwerk validate && kaderwerk check && kaderwerk test\n"
               "  pre-commit install")


@click.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder to write to  [default: .kaderwerk/schemas in the project]")
def schema(output: Path | None) -> None:
    """Write the JSON Schemas of kader, dataset, voorbeelden, beoordeling and uitkomst files,
    self-contained, for editors and other tools."""
    from kaderwerk.commands.project_init import SCHEMA_DIR, write_schemas
    from kaderwerk.domain.errors import UsageError
    from kaderwerk.sources.catalog import toon
    from kaderwerk.sources.project import find

    if output is None:
        project = find()
        if project is None:
            raise UsageError(f"no kader project found in {Path.cwd()} or above: name the folder "
                             "to write to (kaderwerk schema --output FOLDER), or make one "
                             "(kaderwerk init)")
        output = Path(toon(project.root / SCHEMA_DIR))
    for path, changed in write_schemas(output):
        click.echo(f"{'wrote' if changed else 'unchanged'} {path}")


@new.command("plugin")
@click.argument("name")
@click.option("--dir", "folder", type=click.Path(path_type=Path, file_okay=False),
              default=Path("."), show_default=True)
def new_plugin_cmd(name: str, folder: Path) -> None:
    """Write FOLDER/kaderwerk-NAME: an installable plugin package adding an output format."""
    from kaderwerk.commands.scaffold import new_plugin

    for path in new_plugin(name, folder):
        click.echo(f"wrote {path}")
