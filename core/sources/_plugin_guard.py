"""Running third-party plugin code without letting it break kaderwerk.

Private to the plugin manager. Plugin code (an import, a hook, a rule's ``beslis``, a reader, a
writer) runs inside :class:`PluginCode`, which gives it as ``sys.stdout`` and ``sys.stderr`` a
stream onto standard error that it cannot close (its prints cannot corrupt machine output, and
closing them cannot silence kaderwerk's findings), turns its Python warnings into one line
naming it, and afterwards puts back what it changed of the process: the working folder (so a
user's relative paths still mean what they typed), the handlers of SIGINT, SIGTERM, SIGHUP,
SIGPIPE and SIGALRM (so Ctrl-C and kaderwerk's clean-up on SIGTERM still work), an alarm it set
(``signal.alarm``, which would end the process), ``sys.stdout``/``sys.stderr``, the recursion
limit, and — except around a rule's ``beslis`` — the environment, the ``decimal`` context and
the umask (which would make reports unreadable). Each change is reported once as a warning
naming the plugin; the plugin stays in use. :func:`guard` and :func:`guard_regel` wrap
the run-time entry points so that a failure is ``PluginFailed`` naming the plugin.
"""

from __future__ import annotations

import _signal
import atexit
import contextlib
import copy
import decimal
import functools
import os
import signal
import sys
import warnings
from collections.abc import Callable
from typing import Any

from kaderwerk.domain.errors import KaderwerkError, PluginFailed
from kaderwerk.domain.tekst import een_regel
from kaderwerk.sources import _plugin_results
from kaderwerk.sources._plugin_checks import toon

# What a plugin can raise that is its own failure: everything but KeyboardInterrupt, which is the
# user's (Ctrl-C stops kaderwerk as usual). SystemExit from a plugin must not end a run with exit 0.
PLUGIN_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit, GeneratorExit)

SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE", "SIGALRM")
    if hasattr(signal, n))
# The signals that stop kaderwerk: one arriving in plugin code that swallows its exception (a
# bare ``except: pass``) is raised again when that code returns (``_Melder``).
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    s for s in SIGNALS if s.name in ("SIGINT", "SIGTERM", "SIGHUP"))
_ITIMER = getattr(signal, "ITIMER_REAL", None)
_ATEXIT: Callable[[], int] = getattr(atexit, "_ncallbacks", lambda: 0)  # CPython's count

Meld = Callable[[str], None]
"""Records one warning line for the end of the command's output (repeats are dropped)."""

# _signal.getsignal and os.environ's own mapping rather than the public ones, which convert every
# value: the guard runs around every call of a rule's methods, so each microsecond counts.
_ENVIRON: dict[Any, Any] = getattr(os.environ, "_data", {})


def _cwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:  # the working folder was removed: nothing to keep
        return None


class _Stroom:
    """Standard error as plugin code sees it on ``sys.stdout`` and ``sys.stderr``: everything
    passes through, except ``close`` and ``detach``, which only mark it (also on ``buffer``)."""

    __slots__ = ("doel", "gesloten")

    def __init__(self, doel: Any, gesloten: list[bool] | None = None) -> None:
        self.doel, self.gesloten = doel, gesloten if gesloten is not None else [False]

    def __getattr__(self, naam: str) -> Any:
        return getattr(self.doel, naam)

    def close(self) -> None:
        self.gesloten[0] = True
        with contextlib.suppress(Exception):  # a closed or broken stream: nothing to flush
            self.doel.flush()

    def detach(self) -> Any:
        self.gesloten[0] = True
        return _Stroom(getattr(self.doel, "buffer", self.doel), self.gesloten)

    @property
    def closed(self) -> bool:
        return bool(self.gesloten[0] or self.doel.closed)

    @property
    def buffer(self) -> Any:
        return _Stroom(self.doel.buffer, self.gesloten)

    def __enter__(self) -> _Stroom:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Any:
        return iter(self.doel)


_stroom: _Stroom | None = None


def _stroom_voor(stderr: Any) -> _Stroom:
    """The uncloseable stream onto ``stderr``, made once per stderr (the guard is per call)."""
    global _stroom
    if _stroom is None or _stroom.doel is not stderr or _stroom.gesloten[0]:
        _stroom = _Stroom(stderr)
    return _stroom


class _Melder:
    """A signal handler that records its signal, then does what the handler it wraps does
    (raise ``KeyboardInterrupt``, say): the guard raises a recorded signal again after the
    plugin's code returns, so no plugin can swallow the user's Ctrl-C."""

    __slots__ = ("vorige",)

    def __init__(self, vorige: Callable[..., Any]) -> None:
        self.vorige = vorige

    def __call__(self, signum: int, frame: Any) -> Any:
        _ontvangen.append(signum)
        return self.vorige(signum, frame)


_ontvangen: list[int] = []  # the signals that arrived since plugin code was entered
_gezien: Any = None  # the SIGINT handler as the guard last wrapped it


def _melders() -> None:
    """Wrap each stop signal's Python handler in a ``_Melder`` (once, until it changes)."""
    global _gezien
    for s in STOP_SIGNALS:
        handler = _signal.getsignal(s)
        if callable(handler) and not isinstance(handler, _Melder):
            with contextlib.suppress(ValueError):  # not the main thread: no handler to set
                signal.signal(s, _Melder(handler))
    _gezien = _signal.getsignal(signal.SIGINT)


def melders_weg() -> None:
    """Put back the handlers the guard wrapped (at the end of a command)."""
    global _gezien
    for s in STOP_SIGNALS:
        handler = _signal.getsignal(s)
        if isinstance(handler, _Melder):
            with contextlib.suppress(ValueError):
                signal.signal(s, handler.vorige)
    _gezien = None
    _ontvangen.clear()


def _opnieuw(signum: int) -> None:
    """Raise the signal the plugin swallowed, as its handler raises it."""
    _ontvangen.clear()
    handler = _signal.getsignal(signum)
    if isinstance(handler, _Melder):
        handler.vorige(signum, None)
    raise KeyboardInterrupt


class PluginCode:
    """The context in which one plugin's code runs (see the module's docstring)."""

    __slots__ = ("alarm", "atexit", "cwd", "decimaal", "env", "gevangen", "handlers", "hook",
                 "meld", "plugin", "recursie", "stderr", "stdout", "stroom", "umask", "vangst")

    def __init__(self, plugin: str, hook: str, meld: Meld, *, licht: bool = False) -> None:
        """``licht``: for a rule's ``beslis``, which runs for every organisation and every
        state a proof walks: the environment, warnings, the ``decimal`` context and the umask
        are not watched there (together they would double the cost of the guard, to about 5
        microseconds a call; kaderwerk's own arithmetic uses no global context)."""
        self.plugin, self.hook, self.meld = plugin, hook, meld
        self.vangst = None if licht else warnings.catch_warnings(record=True)

    def __enter__(self) -> None:
        self.stdout, self.stderr = sys.stdout, sys.stderr
        self.cwd = _cwd()
        self.handlers = tuple(map(_signal.getsignal, SIGNALS))
        if self.handlers[0] is not _gezien:
            _melders()
            self.handlers = tuple(map(_signal.getsignal, SIGNALS))
        if _ontvangen:
            _ontvangen.clear()
        self.alarm = _ITIMER is not None and signal.getitimer(_ITIMER)
        self.recursie = sys.getrecursionlimit()
        if self.vangst is None:
            self.env = self.decimaal = self.umask = self.gevangen = self.atexit = None
        else:
            self.env = _ENVIRON.copy()
            context = decimal.getcontext()
            self.decimaal = (context, _decimaal(context))
            self.umask = os.umask(0o022)
            os.umask(self.umask)
            self.atexit = _ATEXIT()
            self.gevangen = self.vangst.__enter__()
        self.stroom = _stroom_voor(self.stderr)
        # a stray print would corrupt machine output (--format json); a close would lose it
        sys.stdout = sys.stderr = self.stroom

    def __exit__(self, *exc: object) -> None:
        gevangen = self.gevangen or []
        if self.vangst is not None:
            self.vangst.__exit__(None, None, None)
        for w in gevangen:
            self.meld(f"warning: plugin {self.plugin} warned in {self.hook}: "
                      f"{een_regel(w.category.__name__, 80)}: {een_regel(w.message)}")
        veranderd = []
        if self.stroom.gesloten[0]:
            veranderd.append("sys.stdout or sys.stderr (it closed one)")
        elif sys.stdout is not self.stroom or sys.stderr is not self.stroom:
            veranderd.append("sys.stdout or sys.stderr")
        sys.stdout, sys.stderr = self.stdout, self.stderr
        if self.cwd is not None and _cwd() != self.cwd:
            veranderd.append("the working folder")
            with contextlib.suppress(OSError):  # removed meanwhile: kaderwerk's paths then fail
                os.chdir(self.cwd)
        for s, handler in zip(SIGNALS, self.handlers, strict=True):
            if _signal.getsignal(s) != handler:
                veranderd.append(f"the {s.name} handler")
                if handler is not None:  # None: installed outside Python, cannot be put back
                    with contextlib.suppress(ValueError):  # not the main thread: none was set
                        signal.signal(s, handler)
        if _ITIMER is not None and signal.getitimer(_ITIMER) != self.alarm:
            veranderd.append("an alarm (signal.alarm or setitimer)")
            signal.setitimer(_ITIMER, *self.alarm)  # type: ignore[misc]
        if sys.getrecursionlimit() != self.recursie:
            veranderd.append("the recursion limit")
            sys.setrecursionlimit(self.recursie)
        if self.vangst is not None:
            self._herstel_zwaar(veranderd)
        if veranderd:
            wat = " and ".join([", ".join(veranderd[:-1]), veranderd[-1]] if len(veranderd) > 1
                               else veranderd)
            self.meld(f"warning: plugin {self.plugin} changed {wat} in {self.hook}; kaderwerk "
                      "put it back (a plugin must leave the process as it found it)")
        if _ontvangen and not isinstance(exc[1], KeyboardInterrupt):
            _opnieuw(_ontvangen[0])  # the plugin swallowed it: the user's stop wins

    def _herstel_zwaar(self, veranderd: list[str]) -> None:
        """Put back what only the full guard watches: the environment, decimal, the umask."""
        namen = _herstel_environ(self.env or {})
        if namen:
            veranderd.append("environment variable" + ("s " if len(namen) > 1 else " ")
                             + ", ".join(namen))
        context, waarden = self.decimaal  # type: ignore[misc]
        if decimal.getcontext() is not context or _decimaal(context) != waarden:
            veranderd.append("the decimal context")
            for naam, waarde in zip(_DECIMAAL, waarden, strict=False):
                setattr(context, naam, waarde)
            context.traps.update(waarden[-1])
            decimal.setcontext(context)
        umask = os.umask(self.umask)
        if umask != self.umask:
            veranderd.append("the umask")
        if _ATEXIT() > (self.atexit or 0):  # cannot be taken back one by one: named only
            self.meld(f"warning: plugin {self.plugin} registered a function to run at exit "
                      f"(atexit) in {self.hook}; kaderwerk cannot undo that, and what it prints "
                      "or raises when kaderwerk exits is the plugin's")


_DECIMAAL = ("prec", "rounding", "Emin", "Emax", "capitals", "clamp")


def _decimaal(context: decimal.Context) -> tuple[Any, ...]:
    """What of a decimal context changes results (its flags only record what happened)."""
    return (context.prec, context.rounding, context.Emin, context.Emax, context.capitals,
            context.clamp, dict(context.traps))


def _herstel_environ(oud: dict[Any, Any]) -> list[str]:
    """Put the environment back as ``oud`` holds it; the names that differed."""
    if oud == _ENVIRON:
        return []
    namen = []
    for key in set(_ENVIRON) | set(oud):
        if _ENVIRON.get(key) == oud.get(key):
            continue
        naam = os.fsdecode(key) if isinstance(key, bytes) else key
        namen.append(naam)
        if key in oud:
            os.environ[naam] = os.fsdecode(oud[key]) if isinstance(oud[key], bytes) else oud[key]
        else:
            os.environ.pop(naam, None)
    return sorted(namen)


def guard(fn: Callable[..., Any], plugin: str, hook: str, meld: Meld, waar: str = ""
          ) -> Callable[..., Any]:
    """``fn`` of a third-party reader or writer, whose failures are ``PluginFailed`` naming the
    plugin, ``waar`` (which format) and, for a reader, the file: an ``OSError`` too, for a
    reader reads the file it is given through ``read_bytes`` or ``check_file``, which report a
    file's problems themselves."""

    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if hook == "writer":  # its own copy: a writer mutating the uitkomst corrupts no other
            args = tuple(copy.deepcopy(a) for a in args)
        bestand = str(args[0]) if hook == "reader" and args else None
        try:
            with PluginCode(plugin, hook, meld):
                result = fn(*args, **kwargs)
        except PluginFailed:
            raise
        except KaderwerkError as exc:
            if hook == "reader":  # a reader reports its file's problems, located: the user's
                raise
            raise PluginFailed(plugin, f"{hook}{waar}", exc, bestand) from exc
        except PLUGIN_FAILURES as exc:
            raise PluginFailed(plugin, f"{hook}{waar}", exc, bestand) from exc
        if hook == "reader":  # the checks a builtin reader's rows pass (``Tabel``)
            fout, result = _plugin_results.gelezen(result, *_kader_opties(args, kwargs))
        elif not isinstance(result, (bytes, bytearray)):
            fout = f"a writer must return bytes, not {type(result).__name__}"
        else:
            fout = None
        if fout:
            raise PluginFailed(plugin, f"{hook}{waar}", fout, bestand)
        return result
    return guarded


def _kader_opties(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    """The kader and options a reader was called with (``reader(path, kader, opties)``)."""
    from kaderwerk.domain.beoordeling import DEFAULT_OPTIES

    kader = args[1] if len(args) > 1 else kwargs.get("kader")
    opties = args[2] if len(args) > 2 else kwargs.get("opties", DEFAULT_OPTIES)
    return kader, opties


def guard_regel(cls: type, plugin: str, meld: Meld) -> type:
    """A third-party rule class each of whose members (``docs/plugins.md``'s table) names the
    plugin when it raises or returns the wrong kind of value: ``PluginFailed``, exit 4."""
    from kaderwerk.domain.beslisregel import Beslisregel, Beslissing

    def guarded(hook: str, call: Callable[[], Any], soort: type | None = None) -> Any:
        try:
            with PluginCode(plugin, hook, meld, licht=hook == "beslis"):
                result = call()
        except PluginFailed:
            raise
        except PLUGIN_FAILURES as exc:
            raise PluginFailed(plugin, hook, exc) from exc
        if soort is not None and not isinstance(result, soort):
            fout(hook, f"{hook} must return a {soort.__name__}, not {type(result).__name__}")
        return result

    def fout(hook: str, tekst: str) -> None:
        raise PluginFailed(plugin, hook, tekst)  # kaderwerk's wording: never cut

    def from_mapping(klass: type, *args: Any, **kwargs: Any) -> Any:
        regel = guarded("from_mapping", lambda: cls.from_mapping.__func__(  # type: ignore[attr-defined]
            klass, *args, **kwargs), Beslisregel)
        schaal = args[1] if len(args) > 1 else kwargs.get("schaal")
        tekst = guarded("from_mapping", lambda: _plugin_results.regel_fout(regel, schaal))
        if tekst:  # held to what the schema and the loader hold a builtin rule to
            fout("from_mapping", f"the rule it built: {tekst}")
        if type(regel) is cls:  # built as the plugin's own class: guarded all the same
            regel.__class__ = klass
        return regel

    def controleer(klass: type, *args: Any, **kwargs: Any) -> Any:
        items = guarded("controleer", lambda: list(cls.controleer.__func__(  # type: ignore[attr-defined]
            klass, *args, **kwargs)))
        for item in items:
            if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)
                    and isinstance(item[1], (tuple, list))
                    and all(isinstance(k, (str, int)) for k in item[1])):
                fout("controleer", "controleer must yield (message, path) pairs: a text and a "
                     f"tuple of keys and indexes, not {toon(item)}")
        return items

    def beslis(self: Any, invoer: Any) -> Any:
        b = guarded("beslis", lambda: cls.beslis(self, invoer), Beslissing)  # type: ignore[attr-defined]
        if b.oordeel is not None and b.oordeel not in self.schaal.niveaus:
            fout("beslis", f"oordeel {toon(b.oordeel)} is not on the oordeelschaal "
                 f"({', '.join(self.schaal.niveaus)})")
        if b.clausule is not None and (type(b.clausule) is not int
                                       or not 0 <= b.clausule < len(self.clausules)):
            fout("beslis", f"clausule {toon(b.clausule)} is not the index of one of "
                 f"the rule's {len(self.clausules)} clauses (0 to {len(self.clausules) - 1})")
        if not isinstance(b.toelichting, str):
            fout("beslis", f"toelichting must be a text, not {type(b.toelichting).__name__}")
        return b

    def voorwaarden(self: Any) -> Any:
        return guarded("voorwaarden", lambda: cls.voorwaarden(self))  # type: ignore[attr-defined]

    def beschrijving(self: Any) -> Any:
        return guarded("beschrijving", lambda: cls.beschrijving(self), str)  # type: ignore[attr-defined]

    def to_dict(self: Any) -> Any:
        data = guarded("to_dict", lambda: cls.to_dict(self), dict)  # type: ignore[attr-defined]
        tekst = _plugin_results.json_fout(data)
        if tekst:  # written by show --format json and compared by diff: JSON data only
            fout("to_dict", f"to_dict must return JSON data: {tekst}")
        return data

    return type(cls.__name__, (cls,), {"from_mapping": classmethod(from_mapping),
                                       "controleer": classmethod(controleer), "beslis": beslis,
                                       "voorwaarden": voorwaarden, "to_dict": to_dict,
                                       "beschrijving": beschrijving,
                                       "__qualname__": cls.__qualname__,
                                       "__module__": cls.__module__,
                                       "plugin_naam": plugin})


def guard_command(command: Any, plugin: str, naam: str) -> None:
    """Make a plugin's click command's failure ``PluginFailed`` naming the plugin and command.

    Its output stays on standard output (a command's output is its purpose), and click's own
    exceptions, a ``KaderwerkError`` and ``SystemExit`` (a command choosing its exit code) pass.
    """
    import click

    invoke = command.invoke

    @functools.wraps(invoke)
    def guarded(ctx: Any) -> Any:
        try:
            return invoke(ctx)
        except (KaderwerkError, click.exceptions.ClickException, click.exceptions.Exit,
                click.exceptions.Abort, SystemExit, KeyboardInterrupt):
            raise
        except PLUGIN_FAILURES as exc:
            raise PluginFailed(plugin, f"command {naam}", exc) from exc

    command.invoke = guarded
