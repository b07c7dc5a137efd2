"""Text that is safe to show: control characters refused on input, neutralised on output.

A kader titel or an organisation name ends up in a terminal, a spreadsheet, a web page. A
control character there acts instead of being shown: ``ESC ] 0 ; ... BEL`` sets a terminal's
title, ``ESC [ 2J`` clears it, a bidi override reverses what a reader sees (Trojan Source), a
lone surrogate cannot be encoded at all and openpyxl refuses C0 characters. YAML (``"\\e"``,
``"\\x01"``, ``"\\0"``) and JSON (``"\\u001b"``) can write all of them as escapes that look
harmless in the file.

So every reader calls one check: ``weiger_yaml`` and ``weiger_json`` after parsing,
``weiger_tekst`` for a CSV file's text and ``weiger_cel`` for a workbook cell; each refuses the
first offending character (all of them, for a document) with ``FILE:LINE:COL``. What still
gets through — a kader a plugin registers without validation, a plugin reader — is made
visible by ``zichtbaar`` (``\\u001b`` as six plain characters) in every output format, and
``terminal`` also escapes rich markup. Tab, line feed and carriage return are text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from kaderwerk.domain.errors import KaderError, KaderwerkError, Problem

# C0 except tab/LF/CR, DEL, C1, bidi embeddings/overrides/isolates, line and paragraph
# separators (a line break to some programs, not to others), lone surrogates, non-characters.
_KLASSE = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
           "\ud800-\udfff\ufffe\uffff")
GEVAARLIJK = re.compile(f"[{_KLASSE}]")
# For a terminal a carriage return is dangerous too: it lets a name overwrite its own line.
_TERMINAL = re.compile(f"[\r{_KLASSE}]")

# A JSON string escape that decodes to such a character: \b, \f, \u0000-\u001f (tab, line
# feed and carriage return are let through below), ... It starts with a literal backslash, so
# the regex engine skips to each backslash at C speed (50 MB in well under a second).
_JSON_ESCAPE = re.compile(
    r"\\(?:[bf]|u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|202[89a-eA-E]|206[6-9]"
    r"|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF]))")
_LAAG = re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")

# Invisible format characters (Unicode category Cf, as of Unicode 15, less the bidi controls
# GEVAARLIJK refuses everywhere): zero-width space and joiners, word joiner, a BOM inside the
# text, soft hyphen, invisible operators, tags. Safe to show, but two names that look alike can
# then differ: refused in organisation names.
ONZICHTBAAR = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]")

_NAMEN = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB",
          0x0C: "FORM FEED", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEXT LINE"}


def beschrijf(teken: str) -> str:
    """``U+001B (ESC), a control character``: what the character is, for a message."""
    code = ord(teken)
    if 0xD800 <= code <= 0xDFFF:
        soort = "a lone surrogate (half of a character)"
    elif code in (0x2028, 0x2029):
        soort = "a line separator that programs treat differently"
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        soort = "a bidi control that reorders the text around it"
    elif code >= 0xFFFE:
        soort = "not a character"
    else:
        soort = "a control character"
    naam = _NAMEN.get(code) or unicodedata.name(teken, "")
    return f"U+{code:04X}{f' ({naam})' if naam else ''}, {soort}"


def onzichtbaar_in_naam(naam: str) -> str | None:
    """Why an organisation name is refused for an invisible character in it, or None."""
    m = ONZICHTBAAR.search(naam)
    if m is None:
        return None
    teken = m.group()
    naam_u = unicodedata.name(teken, "")
    return (f"the name contains U+{ord(teken):04X}{f' ({naam_u})' if naam_u else ''} at "
            f"character {m.start() + 1}, an invisible formatting character: a name that looks "
            "the same without it would count as another organisation; remove it")


def _bericht(teken: str, escape: str | None = None) -> str:
    geschreven = f" written as {escape}" if escape else ""
    return (f"the text contains {beschrijf(teken)}{geschreven}, which a terminal or "
            "spreadsheet would act on instead of showing; remove it")


def afgekort(text: str, limiet: int | None = 60) -> str:
    """``text`` cut to at most ``limiet`` characters, ``...`` marking the cut; None: not cut."""
    return text if limiet is None or len(text) <= limiet else text[:limiet - 3] + "..."


def een_regel(value: Any, limiet: int | None = 300, *, als_repr: bool = False) -> str:
    """``str(value)`` as one line a message can quote, whatever ``value`` is: what a plugin
    raised or returned, a warning it gave. A ``__str__`` that raises falls back to ``repr``,
    then to the type's name; each run of white space (line breaks and tabs too) is one space
    and dangerous characters are written as ``\\uXXXX`` (``zichtbaar``), so the text cannot
    split the message or act on a terminal; longer than ``limiet`` characters, it is cut.
    Only a plugin's text is cut: kaderwerk's own wording (``limiet=None``) never is.
    ``als_repr``: a value quoted as Python writes it (``'naam'``), for a name a plugin passed."""
    for show in ((repr,) if als_repr else (str, repr)):
        try:
            text = show(value)
            if isinstance(text, str):
                return afgekort(zichtbaar(" ".join(str.__str__(text).split())), limiet)
        except (Exception, SystemExit):  # plugin code failing any way: try the next way
            continue
    try:
        soort = type(value).__name__
    except (Exception, SystemExit):  # a metaclass whose __name__ raises
        soort = "object"
    return f"<{zichtbaar_pad(soort) if isinstance(soort, str) else 'object'} that cannot be shown>"


def uitzondering(exc: BaseException, limiet: int = 300) -> str:
    """``TypeName: message`` of an exception, on one line (``een_regel``)."""
    soort, tekst = een_regel(type(exc).__name__, 80), een_regel(exc, limiet)
    return f"{soort}: {tekst}" if tekst else soort


def zichtbaar(text: str) -> str:
    """``text`` with each dangerous character written as ``\\uXXXX``; tab and newlines kept."""
    if not GEVAARLIJK.search(text):
        return text
    return GEVAARLIJK.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def zichtbaar_pad(path: Any) -> str:
    """A path as a message shows it: every character ``zichtbaar`` escapes, and tab, line feed
    and carriage return too, so a file name cannot split a ``FILE:LINE:COL`` line in two."""
    text = str(path)
    if not _PAD.search(text):
        return text
    return _PAD.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_PAD = re.compile(f"[\t\n\r{_KLASSE}]")


def json_veilig(text: str) -> str:
    """JSON text whose remaining dangerous characters are JSON escapes: valid, and lossless."""
    return zichtbaar(text)  # inside a JSON string, ``\\u001b`` is exactly that character


def terminal(text: Any) -> str:
    """Text to put into rich markup: dangerous characters (and CR) visible, markup escaped."""
    from rich.markup import escape

    text = str(text)
    if _TERMINAL.search(text):
        text = _TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return escape(text)


def _positie(text: str, i: int) -> tuple[int, int]:
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def weiger_tekst(text: str, file: str, fout: type[KaderwerkError] = KaderError) -> None:
    """Refuse a text file (CSV) holding a dangerous character, at its line and column."""
    m = GEVAARLIJK.search(text)
    if m:
        raise fout.at(_bericht(m.group()), file, *_positie(text, m.start()))


def weiger_cel(waarde: Any, file: str, kolom: int, rij: int,
               fout: type[KaderwerkError]) -> None:
    """Refuse a workbook cell (``kolom`` 0-based) whose text holds a dangerous character."""
    if isinstance(waarde, str):
        m = GEVAARLIJK.search(waarde)
        if m:
            from openpyxl.utils import get_column_letter

            raise fout.at(f"cell {get_column_letter(kolom + 1)}{rij}: {_bericht(m.group())}",
                          file, rij)


def weiger_json(text: str, file: str) -> None:
    """Refuse a parsed JSON text whose strings hold a dangerous character, raw or escaped.

    Two regular-expression passes over the text, so a 50 MB export costs ~0.3 s, and each
    escape is located exactly. A surrogate pair (``\\ud83d\\ude00``, an emoji) is fine, and so
    is an escaped backslash followed by ``u001b``.
    """
    gevonden: list[tuple[int, str, str | None]] = []
    m = GEVAARLIJK.search(text)  # raw: outside strings the parser allowed none
    if m:
        gevonden.append((m.start(), m.group(), None))
    na = 0
    for m in _JSON_ESCAPE.finditer(text):
        start = m.start()
        if start < na or _escaped(text, start):
            continue
        escape = m.group()
        if escape in ("\\b", "\\f"):
            teken = "\b" if escape == "\\b" else "\f"
        else:
            code = int(escape[2:], 16)
            if code in (0x09, 0x0A, 0x0D):
                continue
            if 0xD800 <= code <= 0xDBFF and _LAAG.match(text, m.end()):
                na = m.end() + 6
                continue
            teken = chr(code)
        gevonden.append((start, teken, escape))
        if len(gevonden) >= 20:
            break
    if gevonden:
        raise KaderError("", problems=[Problem(_bericht(teken, escape), file, *_positie(text, i))
                                       for i, teken, escape in gevonden])


def _escaped(text: str, i: int) -> bool:
    """True when the backslash at ``i`` is itself escaped (an odd run of backslashes before)."""
    j = i
    while j > 0 and text[j - 1] == "\\":
        j -= 1
    return (i - j) % 2 == 1


def weiger_yaml(text: str, doc: Any) -> None:
    """Refuse a parsed YAML document holding a dangerous character, raw or as an escape.

    A raw character is located exactly; one a double-quoted escape wrote (``"\\e"``) at the
    start of its value or key, where the escape is.
    """
    m = GEVAARLIJK.search(text)
    if m:
        raise KaderError.at(_bericht(m.group()), doc.file, *_positie(text, m.start()))
    problems = []
    for pad, teken, is_key in _teksten(doc.data, ()):
        problems.append(doc.problem(_bericht(teken, "an escape"), pad, key=is_key))
        if len(problems) >= 20:
            break
    if problems:
        raise KaderError("", problems=problems)


def _teksten(data: Any, pad: tuple) -> Iterator[tuple[tuple, str, bool]]:
    """(path, first dangerous character, is it in a key) for every string in ``data``."""
    if isinstance(data, str):
        m = GEVAARLIJK.search(data)
        if m:
            yield pad, m.group(), False
    elif isinstance(data, dict):
        for k, v in data.items():
            if isinstance(k, str):
                m = GEVAARLIJK.search(k)
                if m:
                    yield (*pad, k), m.group(), True
            yield from _teksten(v, (*pad, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _teksten(v, (*pad, i))
