"""Safe YAML with line/column marks for every value, and no silent surprises.

PyYAML's loaders forget where values came from and let a duplicate key overwrite the first.
Authors need ``FILE:LINE:COL`` in every message, so this module composes the node tree itself
and builds plain data plus a position table keyed by JSON path. It also bounds what hostile
input can cost: alias expansion, nesting depth and file size are limited.
"""

from __future__ import annotations

import stat
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import attrs
import yaml
from kaderwerk.errors import KaderError, Problem

# Pure-Python PyYAML parses roughly 20-50k values (or 1-2 MB of text) per second, so these
# limits also bound what a hostile or runaway file can cost to a few seconds. A kader has about
# 2,000 values; a YAML beoordelingen file about 50 per organisation.
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


def read_text(path: Path, display: str) -> str:
    """The file as text: UTF-8 (a BOM is allowed), bounded in size, with clear errors."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise KaderError.at("not a regular file", display)
        if info.st_size > MAX_BYTES:
            raise KaderError.at(f"the file is larger than {MAX_BYTES // 2**20} MB, the limit for "
                                "a YAML file", display, 1, 1)
        with path.open("rb") as fh:  # read(n) reserves n bytes: ask for no more than needed
            raw = fh.read(min(info.st_size, MAX_BYTES) + 1)
    except OSError as exc:
        raise KaderError.at(f"cannot read file: {exc.strerror or exc}", display) from None
    if len(raw) > MAX_BYTES:
        raise KaderError.at(f"the file is larger than {MAX_BYTES // 2**20} MB, the limit for a "
                            "YAML file", display, 1, 1)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise KaderError.at("the file is UTF-16 (it starts with a UTF-16 byte order mark); "
                            "save it as UTF-8", display, 1, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise KaderError.at(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            display, line, col) from None
    if "\x00" in text:
        i = text.index("\x00")
        raise KaderError.at("the file contains a NUL byte; is it a text file?", display,
                            text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1)
    return text


def parse(text: str, file: str) -> Document:
    """Parse one YAML document, rejecting duplicate keys, with positions for every value."""
    try:
        loader = _Loader(text, file)
    except yaml.reader.ReaderError as exc:
        i = exc.position
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise KaderError.at(f"the file contains the control character U+{code:04X}, which YAML "
                            "does not allow", file, text.count("\n", 0, i) + 1,
                            i - (text.rfind("\n", 0, i) + 1) + 1) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            msg = (exc.problem or exc.context or "invalid YAML").strip()
            if exc.context and exc.problem:
                msg = f"{exc.problem} ({exc.context})"
            raise KaderError.at(f"YAML syntax error: {msg}", file,
                                mark.line + 1 if mark else None,
                                mark.column + 1 if mark else None) from None
        except yaml.YAMLError as exc:
            raise KaderError.at(f"YAML error: {exc}", file) from None
        except RecursionError:
            raise KaderError.at("the YAML is nested too deeply", file) from None
        if node is None:
            raise KaderError.at("the file is empty", file, 1, 1)
        _check_expansion(node, file)
        builder = _Builder(loader, file)
        data = builder.build(node, (), 0)
        return Document(data, file, builder.values, builder.keys)
    finally:
        loader.dispose()


class _Loader(yaml.SafeLoader):
    """A SafeLoader that stops composing beyond MAX_DEPTH levels or MAX_NODES nodes.

    PyYAML composes recursively, so without a depth limit ``[[[[...`` ends in a RecursionError
    after seconds of scanning; counting nodes as they are composed stops a huge document early.
    """

    def __init__(self, text: str, file: str) -> None:
        super().__init__(text)
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
    def __init__(self, loader: yaml.SafeLoader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.values: dict[JsonPath, tuple[int, int]] = {}
        self.keys: dict[JsonPath, tuple[int, int]] = {}
        self.count = 0

    def fail(self, message: str, node: yaml.Node) -> KaderError:
        m = node.start_mark
        return KaderError.at(message, self.file, m.line + 1, m.column + 1)

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"the document expands to more than {MAX_NODES} values "
                            "(an alias bomb?)", node)
        if depth > MAX_DEPTH:
            raise self.fail(f"the document is nested deeper than {MAX_DEPTH} levels", node)
        self.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
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
                self.keys[(*path, key)] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
                result[key] = self.build(vnode, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
                return [] if isinstance(node, yaml.SequenceNode) else {}
            raise self.fail("unexpected YAML node", node)
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.fail(f"cannot read value: {exc}", node) from None
        except (ValueError, LookupError, TypeError, ArithmeticError):
            # e.g. an integer of more than 4300 digits, or an explicit tag that does not fit
            # the value ('!!int abc', '!!bool maybe')
            kind = node.tag.rsplit(":", 1)[-1]
            raise self.fail(f"cannot read {_short(node.value)} as {kind}; put it in quotes to "
                            "keep it as text, or correct it", node) from None


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")
