"""Safe YAML with line/column marks for every value, and no silent surprises.

PyYAML's loaders forget where values came from and let a duplicate key overwrite the first.
Authors need ``FILE:LINE:COL`` in every message, so this module composes the node tree itself
and builds plain data plus a position table keyed by JSON path. It also bounds what hostile
input can cost: alias expansion, nesting depth and file size are limited.

The text is scanned and parsed by libyaml (C) when PyYAML was built with it, else by PyYAML's
pure-Python parser; composing the tree, and so every limit, is Python code either way. Both
give the same values at the same positions, and word most errors alike; libyaml accepts a few
things PyYAML refuses, such as a tab after ``key:`` or a comment right after ``|``.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Hashable, Iterator
from decimal import Decimal, InvalidOperation
from itertools import accumulate
from pathlib import Path
from typing import Any

import attrs
import yaml
from kaderwerk.domain.errors import KaderError, Problem
from kaderwerk.domain.tekst import afgekort, weiger_yaml
from kaderwerk.sources.files import decode_utf8, read_bytes
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

# Parse with libyaml when PyYAML has it: a kader then loads about 6 times faster. Tests set this to
# False to check the pure-Python path.
LIBYAML: bool = yaml.__with_libyaml__

# With libyaml a file costs about 1 s per 60-100k values (composing them in Python is most of
# it) and almost nothing per MB of text; pure-Python PyYAML manages 20-50k values, or 1-2 MB of
# text, per second. So these limits also bound what a hostile or runaway file can cost. A kader
# has about 2,000 values; a YAML beoordelingen file about 50 per organisation.
MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 100

JsonPath = tuple[str | int, ...]


@attrs.frozen
class Document:
    """Parsed YAML: the data, and where each value (and each mapping key) stands."""

    data: Any
    file: str
    values: dict[JsonPath, tuple[int, int]]
    keys: dict[JsonPath, tuple[int, int]]
    text: str | None = None
    """The source text, so a message can quote what the author typed (``1.10``, not 1.1)."""

    def source(self, path: JsonPath) -> str | None:
        """The scalar as written at ``path``: its characters up to a separator, or None."""
        if self.text is None or tuple(path) not in self.values:
            return None
        line, col = self.values[tuple(path)]
        lines = self.text.splitlines()
        if not 0 < line <= len(lines):
            return None
        m = re.match(r"[^\s,#\]\}]+", lines[line - 1][col - 1:])
        return m.group(0) if m else None

    def where(self, path: JsonPath, *, key: bool = False) -> tuple[int | None, int | None]:
        """(line, column), 1-based, of the value at ``path`` or of the nearest ancestor."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if key and p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))

    def problem(self, message: str, path: JsonPath, *, key: bool = False) -> Problem:
        line, col = self.where(path, key=key)
        return Problem(message, self.file, line, col)


def read_text(path: Path, display: str, *, limit: int = MAX_BYTES,
              what: str = "a YAML file") -> str:
    """The file as text: UTF-8 (a BOM is allowed), bounded in size, with clear errors."""
    return decode_utf8(read_bytes(path, display, limit, what, KaderError), display, KaderError)


def parse(text: str, file: str, *, letterlijk: bool = False) -> Document:
    """Parse one YAML document, rejecting duplicate keys, with positions for every value.

    ``letterlijk`` keeps a fraction, and an integer written other than as Python writes it
    (``0x3``, ``01``, ``+1``, ``1_0``), as the text written, as a CSV cell holds it: for score
    files, which every reader reads alike.
    """
    text = text.removeprefix("\ufeff")  # as read_text does; libyaml would skip a second one
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad:
        raise KaderError.at(f"the file contains the control character U+{ord(bad.group()):04X}, "
                            "which YAML does not allow", file, *_position(text, bad.start()))
    loader = _LibyamlLoader(text, file) if LIBYAML else _PythonLoader(text, file)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise KaderError.at(f"YAML syntax error: {_syntax_message(exc, text)}", file,
                                *(_mark_position(mark, text) if mark else ())) from None
        except yaml.YAMLError as exc:
            raise KaderError.at(f"YAML error: {exc}", file) from None
        except RecursionError:
            raise KaderError.at("the YAML is nested too deeply", file) from None
        if node is None:
            raise KaderError.at("the file is empty", file, 1, 1)
        _check_expansion(node, file)
        builder = _Builder(loader, file, text, letterlijk=letterlijk)
        data = builder.build(node, (), 0)
        doc = Document(data, file, builder.values, builder.keys, text)
        weiger_yaml(text, doc)
        return doc
    finally:
        loader.dispose()


def _position(text: str, i: int) -> tuple[int, int]:
    """(line, column), 1-based, of character ``i``."""
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


_BREAKS = "\r\n\x85\u2028\u2029"  # what YAML counts as a line break
_BLANKS = " \t" + _BREAKS


def _mark_position(mark: Any, text: str) -> tuple[int, int]:
    """(line, column), 1-based, of a mark, the same from both parsers.

    At the end of a text without a final line break, libyaml puts its mark on the line after
    the last; PyYAML (and an editor) at the end of the last line.
    """
    if mark.index >= len(text) > 0 and mark.column == 0 and text[-1] not in _BREAKS:
        start = max(text.rfind(c) for c in _BREAKS) + 1
        return mark.line, len(text) - start + 1
    return mark.line + 1, mark.column + 1


# One wording where libyaml and PyYAML word the same problem differently
_WORDING = {
    "did not find expected node content": "expected the node content",
    "did not find expected <document start>": "expected '<document start>'",
    "did not find expected comment or line break": "expected a comment or a line break",
    "did not find expected key": "expected a key at the mapping's indentation",
    "did not find expected '-' indicator": "expected a '-' entry at the list's indentation",
}


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    """The problem in the same words from either parser, naming the character found."""
    msg = (exc.problem or exc.context or "invalid YAML").strip()
    if msg.startswith("expected <block end>, but"):  # PyYAML's words for libyaml's key or '-'
        msg = ("did not find expected key" if "mapping" in (exc.context or "")
               else "did not find expected '-' indicator")
    msg = _WORDING.get(msg, msg).replace(" in this context", " here")
    if msg.startswith("did not find expected "):
        msg = msg.replace("did not find ", "", 1)
    mark = exc.problem_mark
    if mark is not None:
        # PyYAML names a token where libyaml stands on its first character: name the character
        found = repr(text[mark.index]) if mark.index < len(text) else "the end of the file"
        if msg.startswith("expected "):
            msg = msg.split(", but ")[0] + f", but found {found}"
        elif msg.startswith("found character ") and msg.endswith(" cannot start any token"):
            msg = f"found character {found} that cannot start any token"
    if not (exc.context and exc.problem):
        return msg
    return f"{exc.context}, {msg}" if msg.startswith("but ") else f"{msg} ({exc.context})"


class _Limits(Composer, SafeConstructor, Resolver):
    """Python composition that stops beyond MAX_DEPTH levels or MAX_NODES nodes.

    PyYAML composes recursively, so without a depth limit ``[[[[...`` ends in a RecursionError
    after seconds of scanning; counting nodes as they are composed stops a huge document early.
    The events come from libyaml or from PyYAML's own parser, whichever class adds them.
    """

    def __init__(self, text: str, file: str) -> None:
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.text = text
        self.line_starts: list[int] = []  # offsets, made when first needed
        self.file = file
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or self.depth > MAX_DEPTH:
            m = self.peek_event().start_mark
            what = (f"the document has more than {MAX_NODES} values, the limit"
                    if self.nodes > MAX_NODES
                    else f"the document is nested deeper than {MAX_DEPTH} levels")
            raise KaderError.at(what, self.file, m.line + 1, m.column + 1)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_scalar_node(self, anchor: Any) -> Any:
        node = super().compose_scalar_node(anchor)
        if node.value == "" and node.start_mark.index == node.end_mark.index:
            node.start_mark = node.end_mark = self.before_blanks(node.start_mark)
        return node

    def before_blanks(self, mark: Any) -> Any:
        """The mark moved back over blanks and line breaks to the end of the text before it.

        A value left out has no text of its own: in a flow collection libyaml puts it on the
        next token, PyYAML right after its ':'. Moved back, both stand right after the ':'.
        """
        text, i = self.text, mark.index
        while i > 0 and text[i - 1] in _BLANKS:  # in windows: a run may be megabytes long
            start = max(0, i - 256)
            i = start + len(text[start:i].rstrip(_BLANKS))
        if i == mark.index:
            return mark
        if not self.line_starts:  # parse() refused the other separators splitlines knows
            self.line_starts = [0, *accumulate(map(len, text.splitlines(keepends=True)))]
        line = bisect.bisect_right(self.line_starts, i)
        return yaml.Mark(mark.name, i, line - 1, i - self.line_starts[line - 1], None, None)


class _PythonLoader(_Limits, Reader, Scanner, Parser):
    def __init__(self, text: str, file: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Limits.__init__(self, text, file)


if LIBYAML:
    class _LibyamlLoader(_Limits, yaml.cyaml.CParser):
        """Events from libyaml; _Limits comes first, so composing stays in Python.

        CParser's own ``get_single_node`` composes in C, recursively and without our limits.
        """

        def __init__(self, text: str, file: str) -> None:
            yaml.cyaml.CParser.__init__(self, text)
            _Limits.__init__(self, text, file)


def _check_expansion(root: yaml.Node, file: str) -> None:
    """Refuse a document whose aliases expand it beyond MAX_NODES values or MAX_DEPTH levels.

    Sizes are memoised per node, so the check costs one visit per node as written, however
    far the aliases would expand (an alias bomb is refused in milliseconds, not built).
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def fail(message: str, node: yaml.Node) -> KaderError:
        m = node.start_mark
        return KaderError.at(message, file, m.line + 1, m.column + 1)

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise fail("an alias refers to a value that contains it (a recursive alias)", node)
        if depth > MAX_DEPTH:
            raise fail(f"the document is nested deeper than {MAX_DEPTH} levels", node)
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        active.add(key)
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_NODES:
                m = node.start_mark
                raise fail(f"the document expands to more than {MAX_NODES} values through "
                           f"aliases (an alias bomb?), the value at line {m.line + 1} alone",
                           root)
        active.discard(key)
        sizes[key] = total
        return total

    size(root, 0)


class _Builder:
    def __init__(self, loader: _Limits, file: str, text: str, *,
                 letterlijk: bool = False) -> None:
        self.letterlijk = letterlijk
        self.loader = loader
        self.file = file
        self.text = text
        self.values: dict[JsonPath, tuple[int, int]] = {}
        self.keys: dict[JsonPath, tuple[int, int]] = {}
        self.count = 0

    def fail(self, message: str, node: yaml.Node) -> KaderError:
        return KaderError.at(message, self.file, *_mark_position(node.start_mark, self.text))

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"the document expands to more than {MAX_NODES} values "
                            "(an alias bomb?)", node)
        if depth > MAX_DEPTH:
            raise self.fail(f"the document is nested deeper than {MAX_DEPTH} levels", node)
        self.values.setdefault(path, _mark_position(node.start_mark, self.text))
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for knode, vnode in node.value:
                if knode.tag == "tag:yaml.org,2002:merge":
                    raise self.fail("merge keys ('<<') are not supported; write the keys out",
                                    knode)
                key = self.scalar(knode)
                if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
                    raise self.fail("a mapping key must be a plain value", knode)
                if isinstance(key, (int, float)) and not isinstance(key, bool):
                    key = knode.value
                if key in result:
                    first = self.keys.get((*path, key))
                    where = f" (first at line {first[0]})" if first else ""
                    raise self.fail(f"duplicate key '{key}'{where}; each key may appear once",
                                    knode)
                self.keys[(*path, key)] = _mark_position(knode.start_mark, self.text)
                result[key] = self.build(vnode, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        value = self.scalar(node)
        if isinstance(value, float) and not math.isfinite(value):
            return node.value  # '.inf', '.nan': no count or percentage; kept as written
        return value

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
                return [] if isinstance(node, yaml.SequenceNode) else {}
            raise self.fail("unexpected YAML node", node)
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        try:
            value = self.loader.construct_object(node, deep=True)
            if self.letterlijk and not node.style and (
                    type(value) is float or (type(value) is int and node.value != str(value))):
                return node.value
            return value
        except yaml.YAMLError as exc:
            reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else None
            raise self.fail(f"cannot read value: {reason or exc}", node) from None
        except (ValueError, LookupError, TypeError, ArithmeticError):
            # e.g. an integer of more than 4300 digits, or an explicit tag that does not fit
            # the value ('!!int abc', '!!bool maybe')
            kind = node.tag.rsplit(":", 1)[-1]
            raise self.fail(f"cannot read {_short(node.value)} as {kind}; put it in quotes to "
                            "keep it as text, or correct it", node) from None


def _short(text: str) -> str:
    return repr(afgekort(text, 40))


def anders_gelezen(doc: Document) -> Iterator[Problem]:
    """Each decimal number whose text says more than the float it is read as holds.

    YAML reads ``99.99999999999999999999`` as the float 100.0, and a rule compares with the
    decimal that float prints as (``Fraction(str(x))``), so the threshold written would silently
    become another. Compared exactly: the text as a Decimal against the float's shortest decimal,
    so 0.1, 33.3 and ``1.10`` pass. Text that is not a plain decimal (``!!float 5``) is left alone.
    """
    def walk(value: Any, path: JsonPath) -> Iterator[Problem]:
        if isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, (*path, i))
        elif isinstance(value, float):
            text = doc.source(path)
            try:
                written = Decimal(text) if text else None
            except InvalidOperation:
                written = None
            held = Decimal(repr(value))
            if written is not None and written.is_finite() and written != held:
                shown = str(int(held)) if held == held.to_integral_value() else repr(value)
                fix = (f"write it with at most {max(0, _DBL_DIG - 1 - written.adjusted())} "
                       "decimals" if held else "write 0, or a number not so near it")
                yield doc.problem(f"{afgekort(text or '', 40)} is read as {shown}; {fix}", path)

    yield from walk(doc.data, ())


# A decimal of at most 15 significant digits survives the trip through a float (DBL_DIG)
_DBL_DIG = 15
