"""``kaderwerk new``: scaffolds that pass validate and check, and never overwrite."""

from __future__ import annotations

from pathlib import Path


def test_new_kader_passes_validate_and_check(tmp_path: Path, run_cli) -> None:
    """The new kader validates, its beslisregel is proven and its example tests cover it."""
    code, out, _ = run_cli("new", "kader", "mijn-kader", "--dir", str(tmp_path))
    assert code == 0 and "wrote" in out
    kader = tmp_path / "mijn-kader" / "1.yaml"
    assert run_cli("validate", str(tmp_path))[0] == 0
    code, out, _ = run_cli("check", str(kader), "--strict")
    assert code == 0 and "mijn-kader@1" in out  # its texts agree with its conditions too
    code, out, err = run_cli("test", str(tmp_path / "mijn-kader"), "--require-coverage")
    assert code == 0, out + err


def test_new_kader_never_overwrites(tmp_path: Path, run_cli) -> None:
    """A second `new kader` with the same name is refused and leaves the file as it was."""
    run_cli("new", "kader", "k", "--dir", str(tmp_path))
    kader = tmp_path / "k" / "1.yaml"
    kader.write_text(kader.read_text() + "# eigen werk\n")
    code, _, err = run_cli("new", "kader", "k", "--dir", str(tmp_path))
    assert code == 2 and "refusing to overwrite" in err
    assert kader.read_text().endswith("# eigen werk\n")


def test_new_with_bad_name_is_usage_error(tmp_path: Path, run_cli) -> None:
    """Names must be lowercase words joined by '-'."""
    code, _, err = run_cli("new", "plugin", "Mijn Plugin", "--dir", str(tmp_path))
    assert code == 2 and "lowercase" in err
    assert not any(tmp_path.iterdir())
