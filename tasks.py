#!/usr/bin/env python3
"""Set-up and the two jobs a newcomer runs: ``python3 tasks.py demo`` and ``python3 tasks.py test``.

Each creates ``.venv`` (if missing) and installs kaderwerk with its test extras into it, so a
fresh machine with Python 3.11 and pip needs nothing else. Only the standard library is used,
and nothing is installed outside the project's own virtual environments.

``test --oldest`` runs the suite in ``.venv-oldest`` against the lowest version of every runtime
dependency that pyproject.toml declares (``name>=X`` read as ``name==X``), so the declared
ranges are tested at both ends. ``test --quick`` leaves out the slow tests (wheel build, browser).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DEMO_OUT = ROOT / "demo-uitkomst"
USAGE = "usage: python3 tasks.py demo | test [--oldest] [--quick] [pytest args...]"


def run(*cmd: str | Path, check: bool = True) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, check=check).returncode


def bin_dir(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def lower_bounds() -> list[str]:
    """``name==X`` for each runtime dependency declared as ``name>=X`` in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in project["dependencies"]:
        found = re.fullmatch(r"\s*([A-Za-z0-9_.\-\[\]]+)\s*>=\s*([^,;\s]+)\s*(,.*)?", requirement)
        if found is None:
            raise SystemExit(f"tasks.py: dependency {requirement!r} declares no lower bound "
                             "(name>=X); --oldest cannot test it")
        name = found[1].split("[")[0]
        pins.append(f"{name}=={found[2]}")
    return pins


def pip_install(python: Path, *args: str) -> None:
    """pip, quiet: its output is shown only when it fails."""
    cmd = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        raise subprocess.CalledProcessError(done.returncode, cmd)


def ensure_env(oldest: bool = False) -> Path:
    """Create the venv and (re)install when pyproject.toml changed since the last install.

    Returns the venv's bin folder.
    """
    env = ROOT / (".venv-oldest" if oldest else ".venv")
    bin_ = bin_dir(env)
    if not (bin_ / "python").exists():
        venv.EnvBuilder(with_pip=True).create(env)
    stamp = env / ".kaderwerk-installed"
    want = (ROOT / "pyproject.toml").read_bytes()
    if stamp.exists() and stamp.read_bytes() == want:
        return bin_
    what = "the lowest declared runtime dependencies" if oldest else "its dependencies"
    print(f"Installing kaderwerk, {what} and the test tools into {env.name}/ ...", flush=True)
    extra: list[str] = []
    if oldest:
        constraints = env / "oldest-constraints.txt"
        constraints.write_text("\n".join(lower_bounds()) + "\n", encoding="utf-8")
        print("  " + ", ".join(lower_bounds()), flush=True)
        extra = ["--constraint", str(constraints)]
    pip_install(bin_ / "python", *extra, "-e", ".[test]")
    stamp.write_bytes(want)
    return bin_


def demo() -> int:
    """Veilig Thuis Stap 1 on the real 2015 data: validate, prove, assess, write reports."""
    kw = bin_dir(ROOT / ".venv") / "kaderwerk"
    run(kw, "validate", "kaders")
    run(kw, "check", "veilig-thuis-stap-1")
    run(kw, "assess", "veilig-thuis-stap-1", "2015")
    formats = ["json", "csv", "markdown", "html", "xlsx"]
    args = [a for f in formats for a in ("--format", f)]
    run(kw, "assess", "veilig-thuis-stap-1", "2015", *args, "-o", DEMO_OUT)
    print(f"\nReports written to {DEMO_OUT}/ (open the .html file in a browser).")
    return 0


def test(bin_: Path, extra: list[str], quick: bool) -> int:
    """ruff, then the test suite with the deterministic (CI) hypothesis profile."""
    run(bin_ / "ruff", "check", ".")
    env_profile = os.environ.setdefault("HYPOTHESIS_PROFILE", "ci")
    print(f"hypothesis profile: {env_profile}", flush=True)
    select = ["-m", "not slow"] if quick else []
    return run(bin_ / "python", "-m", "pytest", *select, *extra, check=False)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test"):
        print(USAGE, file=sys.stderr)
        return 2
    job, rest = argv[0], argv[1:]
    options = {a for a in rest if a in ("--oldest", "--quick")}
    rest = [a for a in rest if a not in options]
    if job == "demo" and (options or rest):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        bin_ = ensure_env(oldest="--oldest" in options)
        return demo() if job == "demo" else test(bin_, rest, "--quick" in options)
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
