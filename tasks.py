#!/usr/bin/env python3
"""Set-up and the two jobs a newcomer runs: ``python3 tasks.py demo`` and ``python3 tasks.py test``.

Each creates ``.venv`` (if missing) and installs kaderwerk with its test extras into it, so a
fresh machine with Python 3.11 and pip needs nothing else. Only the standard library is used.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".kaderwerk-installed"
DEMO_OUT = ROOT / "demo-uitkomst"


def run(*cmd: str | Path, check: bool = True) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, check=check).returncode


def ensure_env() -> None:
    """Create the venv and (re)install when pyproject.toml changed since the last install."""
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    want = (ROOT / "pyproject.toml").read_bytes()
    if STAMP.exists() and STAMP.read_bytes() == want:
        return
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[test]")
    STAMP.write_bytes(want)


def ensure_chromium() -> None:
    """Best effort: the HTML report test renders in headless Chromium (Debian's package).

    Installed only where it can be (root with apt-get); otherwise that one test skips and says
    why. A failed install never fails the test run.
    """
    import shutil

    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print("note: chromium not installed; the browser test of the HTML report will skip")
        return
    print("+ apt-get install chromium (for the HTML report's browser test)", flush=True)
    try:
        for cmd in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]):
            subprocess.run(cmd, check=True, timeout=900, stdout=subprocess.DEVNULL,
                           env=os.environ | {"DEBIAN_FRONTEND": "noninteractive"})
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"note: could not install chromium ({exc}); the browser test will skip")


def demo() -> int:
    """Veilig Thuis Stap 1 on the real 2015 data: validate, prove, assess, write reports."""
    kw = BIN / "kaderwerk"
    run(kw, "validate", "kaders")
    run(kw, "check", "veilig-thuis-stap-1")
    run(kw, "assess", "veilig-thuis-stap-1", "2015")
    formats = ["json", "csv", "markdown", "html", "xlsx"]
    args = [a for f in formats for a in ("--format", f)]
    run(kw, "assess", "veilig-thuis-stap-1", "2015", *args, "-o", DEMO_OUT)
    print(f"\nReports written to {DEMO_OUT}/ (open the .html file in a browser).")
    return 0


def test(extra: list[str]) -> int:
    """ruff, then the whole test suite with the deterministic (CI) hypothesis profile."""
    ensure_chromium()
    run(BIN / "ruff", "check", ".")
    env_profile = os.environ.setdefault("HYPOTHESIS_PROFILE", "ci")
    print(f"hypothesis profile: {env_profile}")
    return run(BIN / "python", "-m", "pytest", *extra, check=False)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test"):
        print("usage: python3 tasks.py demo | test [pytest args...]", file=sys.stderr)
        return 2
    ensure_env()
    try:
        return demo() if argv[0] == "demo" else test(argv[1:])
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
