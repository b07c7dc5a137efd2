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
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DEMO_OUT = ROOT / "demo-uitkomst"
USAGE = """usage: python3 tasks.py demo | test [--oldest] [--quick] [pytest args...]

  demo      set up .venv/, then Veilig Thuis Stap 1 on the real 2015 data -> demo-uitkomst/
  test      set up .venv/, then ruff and the test suite (arguments after it go to pytest)
  --quick   leave out the slow tests (wheel build, browser)
  --oldest  use .venv-oldest/ with the lowest declared version of every runtime dependency

A damaged environment is repaired by deleting it: rm -rf .venv .venv-oldest"""
PYTEST_USAGE_ERROR = 4


def run(*cmd: str | Path, check: bool = True) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, check=check).returncode


def bin_dir(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def lower_bounds() -> list[str]:
    """``name==X`` for each runtime dependency of pyproject.toml, X its declared lower bound.

    The bound is X of ``>=X``, ``~=X`` or ``==X`` (markers after ``;`` are ignored); a
    dependency without one cannot be tested at its oldest, so that is an error.
    """
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in project["dependencies"]:
        found = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(\[[^\]]*\])?\s*([^;]*)", requirement)
        name, specifiers = (found[1], found[3]) if found else (requirement, "")
        bounds = [m[1] for spec in specifiers.split(",")
                  if (m := re.fullmatch(r"\s*(?:>=|~=|==)\s*([^\s*]+)\s*", spec))]
        if len(bounds) != 1:
            raise SetupError(f"dependency {requirement!r} in pyproject.toml declares no single "
                             "lower bound (name>=X); --oldest cannot test it at its oldest")
        pins.append(f"{name}=={bounds[0]}")
    return pins


class SetupError(Exception):
    """A set-up problem with a message for the user (no traceback)."""


def pip_install(python: Path, *args: str) -> None:
    """pip, quiet: its whole output is shown only when it fails."""
    cmd = [str(python), "-m", "pip", "install", "--disable-pip-version-check", *args]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        raise SetupError(f"pip could not install into {python.parent.parent.name}/ (its output "
                         "is above); if the environment is damaged: rm -rf .venv .venv-oldest")


def healthy(python: Path) -> bool:
    """The venv's interpreter runs and has pip (an interrupted creation leaves neither)."""
    if not python.exists():
        return False
    try:
        return subprocess.run([str(python), "-c", "import pip"], capture_output=True,
                              timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def ensure_env(oldest: bool = False) -> Path:
    """Create the venv (again, if it is damaged) and install when pyproject.toml or the Python
    version changed since the last install. Returns the venv's bin folder."""
    env = ROOT / (".venv-oldest" if oldest else ".venv")
    bin_ = bin_dir(env)
    pins = lower_bounds() if oldest else []
    if not healthy(bin_ / "python"):
        if env.exists() or env.is_symlink():
            print(f"{env.name}/ is incomplete or damaged: creating it again", flush=True)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(env)
        except (OSError, ValueError, subprocess.CalledProcessError) as exc:
            raise SetupError(f"cannot create {env}: {exc}") from None
    stamp = env / ".kaderwerk-installed"
    want = f"{sys.version}\n".encode() + (ROOT / "pyproject.toml").read_bytes()
    if stamp.exists() and stamp.read_bytes() == want:
        return bin_
    what = "the lowest declared runtime dependencies" if oldest else "its dependencies"
    print(f"Installing kaderwerk, {what} and the test tools into {env.name}/ ...", flush=True)
    extra: list[str] = []
    if oldest:
        constraints = env / "oldest-constraints.txt"
        constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
        print("  " + ", ".join(pins), flush=True)
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
    cores = os.cpu_count() or 1
    if cores > 1 and not any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in extra):
        select += ["-n", str(min(cores, 4))]  # pytest-xdist: one worker per core
    code = run(bin_ / "python", "-m", "pytest", *select, *map(from_here, extra), check=False)
    return 2 if code == PYTEST_USAGE_ERROR else code


def from_here(arg: str) -> str:
    """A test path given relative to the caller's folder, made absolute (pytest runs in ROOT)."""
    if arg.startswith("-"):
        return arg
    path = Path(arg.split("::")[0])
    return str(Path.cwd() / arg) if not path.is_absolute() and path.exists() else arg


def _stop(signum: int, _frame: object) -> None:
    # subprocess.run kills its child when the wait is interrupted, so pip does not run on.
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may be run by an older python3
        print("tasks.py needs Python 3.11 or newer", file=sys.stderr)
        return 1
    if argv[:1] in (["-h"], ["--help"], ["help"]):
        print(USAGE)
        return 0
    if not argv or argv[0] not in ("demo", "test"):
        print(USAGE, file=sys.stderr)
        return 2
    job, rest = argv[0], argv[1:]
    options = {a for a in rest if a in ("--oldest", "--quick")}
    rest = [a for a in rest if a not in options]
    if job == "demo" and (options or rest):
        print(USAGE, file=sys.stderr)
        return 2
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, _stop)
    try:
        bin_ = ensure_env(oldest="--oldest" in options)
        return demo() if job == "demo" else test(bin_, rest, "--quick" in options)
    except SetupError as exc:
        print(f"tasks.py: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    except KeyboardInterrupt:
        print("tasks.py: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
