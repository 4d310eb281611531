"""The process's edges: signals, stream encodings and interpreter noise.

Cron stops a job with SIGTERM, a closed terminal sends SIGHUP, Ctrl-C sends SIGINT. Each
must end a run with one line and its exit code, after the same cleanup as any error (the
temporary sheet removed, the folder lock released), never with a traceback or silence.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any

from pairctl.errors import ExitCode, Interrupted

_STOPPING = {
    "SIGINT": ExitCode.INTERRUPTED,
    "SIGTERM": ExitCode.TERMINATED,
    "SIGHUP": ExitCode.HANGUP,
}


@contextlib.contextmanager
def signals_interrupt() -> Iterator[None]:
    """While the body runs, SIGINT, SIGTERM and SIGHUP raise `Interrupted` in it.

    Python runs a handler between bytecodes of the main thread, so the exception unwinds
    through every `finally` of the code that was running. The old handlers come back after.
    """
    previous: dict[int, Any] = {}
    try:
        for name, code in _STOPPING.items():
            number = getattr(signal, name, None)
            if number is None:  # no SIGHUP on Windows
                continue
            previous[number] = signal.signal(number, _raiser(name, code))
    except ValueError:  # not the main thread: leave the defaults alone
        pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _raiser(name: str, code: ExitCode) -> Any:
    def handler(_number: int, _frame: FrameType | None) -> None:
        raise Interrupted(name, code)

    return handler


def harden_streams(debug: bool) -> None:
    """Make printing unable to fail a finished run, and keep interpreter noise off stderr.

    Any stdout encoding works: characters it cannot hold are replaced (a sheet written and
    then exit 1 because a name has an accent is the worst outcome). Unless --debug, the
    "Exception ignored in ..." reports Python prints when an object is collected after an
    error (a half-written zip on a full disk) are dropped: the run already said what went
    wrong in one line.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):
                reconfigure(errors="replace")
    if not debug:
        sys.unraisablehook = _ignore_unraisable


def _ignore_unraisable(_unraisable: Any) -> None:
    return None
