"""How kaderwerk words what it tells people: counts with the right noun, whole command summaries.

Kept apart from ``tekst`` (which makes text safe to show) and ``terminal`` (which imports rich):
the CLI needs these words for ``--help``, which must stay fast, and every command needs the
same singular and plural. The language rule they follow is in docs/architecture.md.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

import click

MEERVOUD = {"criterium": "criteria", "verwachting": "verwachtingen", "organisatie": "organisaties",
            "kader": "kaders", "thema": "thema's", "file": "files", "finding": "findings",
            "afwijking": "afwijkingen", "voorbeeld": "voorbeelden", "oordeel": "oordelen"}
"""Plurals that are not the noun plus 's' (Dutch domain nouns, mostly)."""


def aantal(n: int, woord: str) -> str:
    """``n`` and the noun in singular or plural: '1 criterium', '2 criteria', '0 files'."""
    return f"{n} {woord if n == 1 else MEERVOUD.get(woord, woord + 's')}"


def meervoud(n: int, enkel: str, meer: str) -> str:
    """The form of a word that agrees with ``n``, for words that are not counted in front:
    "no column for verwachting 3.2.2" beside "no column for verwachtingen 1.1.1, 1.1.2"."""
    return enkel if n == 1 else meer


def opsomming(namen: Sequence[str], limiet: int = 10) -> str:
    """Names joined by commas, at most ``limiet`` of them and each cut short, so a message stays
    one readable line however many there are: "a, b, c and 9997 more"."""
    from kaderwerk.domain.tekst import afgekort

    getoond = ", ".join(afgekort(n, 40) for n in namen[:limiet])
    return getoond if len(namen) <= limiet else f"{getoond} and {len(namen) - limiet} more"


GELIJKENDE = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0"})
"""Characters typed for one another (``stap-l`` for ``stap-1``)."""


def bedoeld(naam: str, bekend: Sequence[str]) -> str:
    """"; did you mean 'x'?" for the known name closest to a mistyped one, else "".

    Of equally close names the first is taken, after reading look-alike characters both ways.
    """
    import difflib  # only on an error path: keeps ``--help`` fast

    def score(kandidaat: str) -> float:
        return max(difflib.SequenceMatcher(None, n, kandidaat).ratio()
                   for n in (naam, naam.translate(GELIJKENDE)))

    scores = [(score(k), -i, k) for i, k in enumerate(bekend)]
    beste = max(scores, default=None)
    return f"; did you mean '{beste[2]}'?" if beste and beste[0] >= 0.6 else ""


class Keuze(click.Choice):
    """A choice whose error names the closest choice, as kaderwerk's other errors do."""

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> object:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            hint = bedoeld(str(value), [str(c) for c in self.choices])
            if hint:
                exc.message = f"{exc.message.rstrip('.')}{hint}"
            raise


def samenvatting(text: str) -> str:
    """The first paragraph of a docstring, on one line: a command's summary in ``--help``."""
    return " ".join(inspect.cleandoc(text).split("\n\n")[0].split())


class HeleSamenvattingen(click.Group):
    """A group whose ``--help`` lists each command with its whole summary.

    click cuts a summary at its first '. ' (so "e.g. 2015" ends it) or at one line's width with
    '...', which hides what a command takes; here it wraps instead.
    """

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.short_help or samenvatting(cmd.help or "")))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
