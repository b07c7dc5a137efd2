"""Errors whose text is shown to users as-is.

Every failure a user can cause (a broken kader file, a bad score cell, a broken plugin) is a
``KaderwerkError``; the CLI prints it and exits 1 without a traceback. Each error carries where
it happened — file, line, column, or row and column of a table — so the message can say what
to fix and where.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs


@attrs.frozen
class Problem:
    """One located finding: ``FILE:LINE:COL: message``."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        from kaderwerk.domain.tekst import zichtbaar, zichtbaar_pad

        where = [p for p in (self.file, self.line, self.column) if p is not None]
        prefix = ":".join(map(zichtbaar_pad, where))  # a message may quote the text it refuses

        text = f"{prefix}: {self.message}" if prefix else self.message
        return zichtbaar(text)

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON data (``--format json`` of validate and test)."""
        return {"bestand": self.file, "regel": self.line, "kolom": self.column,
                "melding": self.message, "tekst": str(self)}

    def sort_key(self) -> tuple[str, int, int]:
        """Order problems by file, then position."""
        return (self.file or "", self.line or 0, self.column or 0)


class KaderwerkError(Exception):
    """Base of every error a user can cause; ``str(error)`` is the message to show."""

    exit_code = 1

    def __init__(self, message: str, *, problems: Iterable[Problem] = ()) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            from kaderwerk.domain.tekst import zichtbaar

            return zichtbaar(head)
        lines = [str(p) for p in self.problems]
        return "\n".join(lines) if not head else head + "\n" + "\n".join(lines)

    @classmethod
    def at(
        cls, message: str, file: str | Path | None, line: int | None = None,
        column: int | None = None,
    ) -> KaderwerkError:
        """One error located at FILE:LINE:COL."""
        return cls("", problems=[Problem(message, _name(file), line, column)])


class KaderError(KaderwerkError):
    """A kader (or dataset) file is invalid: syntax, schema or meaning."""


class InvoerError(KaderwerkError):
    """A beoordeling (scores file) cannot be read as the kader requires."""


class PluginError(KaderwerkError):
    """A plugin failed to import, raised in a hook, or registered something unusable."""


class UsageError(KaderwerkError):
    """The command line asks for something that does not exist or does not fit."""

    exit_code = 2


class NotFoundError(KaderwerkError):
    """An input that does not exist: a file or folder, or a kader, versie or dataset that is not
    installed. Exit code 1 like any invalid input, in every command."""


def _name(file: str | Path | None) -> str | None:
    return None if file is None else str(file)


class PluginFailed(PluginError):
    """A plugin's rule type, reader or writer raised at run time: exit code 4.

    The message names the plugin and where it failed, so a user knows whom to ask; the other
    kaders of a ``check``, ``validate`` or ``test`` run are still processed and reported.
    """

    exit_code = 4

    def __init__(self, plugin: str, hook: str, exc: BaseException | str,
                 file: str | None = None) -> None:
        """``exc``: what the plugin raised, or kaderwerk's text saying what it did wrong (in
        which every value from the plugin is already cut, so the text itself is not)."""
        self.plugin, self.hook, self.file = plugin, hook, file
        waar = f" reading {file}" if file is not None else ""
        from kaderwerk.domain.tekst import een_regel, uitzondering

        tekst = een_regel(exc, None) if isinstance(exc, str) else uitzondering(exc)
        super().__init__(f"plugin {plugin} failed in {hook}{waar}: {tekst}")

    def plaats(self, problem: Problem, voor: str = "") -> PluginFailed:
        """The same failure located where ``problem`` is (the kader file's beslisregel or
        criterium, the voorbeeld file), ``voor`` before it: ``FILE:LINE:COL: criterium 1.1:
        plugin NAME failed in HOOK: ...``. Already located: kept as it is."""
        if not self.problems:
            self.problems = [attrs.evolve(problem, message=voor + Exception.__str__(self))]
            self.args = ("",)
        return self
