"""Reading a user's file: regular files only, within a size limit, with clear errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from kaderwerk.domain.errors import InvoerError, KaderError
from kaderwerk.sources.files import check_file, read_bytes

MB = 2**20


def problem(call: Callable[[], object]) -> tuple[str, int | None, int | None]:
    """Message, line and column of the error ``call`` raises."""
    with pytest.raises((KaderError, InvoerError)) as info:
        call()
    p = info.value.problems[0]
    return p.message, p.line, p.column


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * MB)
    assert read_bytes(path, "a.yaml", MB, "a YAML file", KaderError) == b"x" * MB
    assert check_file(path, "a.yaml", MB, "a workbook", InvoerError) == MB


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    """A text file's size error points at 1:1 (an editor opens it there); a workbook's at none."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * (MB + 1))
    assert problem(lambda: read_bytes(path, "a.yaml", MB, "a YAML file", KaderError)) == (
        "the file is larger than 1 MB, the limit for a YAML file", 1, 1)
    assert problem(lambda: check_file(path, "a", MB, "a workbook", InvoerError)) == (
        "the file is larger than 1 MB, the limit for a workbook", None, None)


def test_missing_files_and_folders_are_refused(tmp_path: Path) -> None:
    for check in (read_bytes, check_file):
        assert problem(lambda c=check: c(tmp_path / "weg.csv", "weg.csv", MB, "a CSV file",
                                         InvoerError)) == (
            "cannot read file: No such file or directory", None, None)
        assert problem(lambda c=check: c(tmp_path, "map", MB, "a CSV file", InvoerError)) == (
            "not a regular file", None, None)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_a_file_longer_than_its_stated_size_is_read_whole() -> None:
    """/proc files state size 0; what a file holds beyond its size is read, not cut off."""
    path = Path("/proc/self/status")
    assert path.stat().st_size == 0
    assert b"\nPid:\t" + str(os.getpid()).encode() in read_bytes(path, "s", MB, "s", KaderError)
    assert problem(lambda: read_bytes(path, "s", 10, "a test", KaderError))[0].startswith(
        "the file is larger than 0 MB")
