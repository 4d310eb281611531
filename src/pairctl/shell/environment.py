"""What a command runs in: its streams, whether they are terminals, colour, the clock.

Built once at the edge (`Environment.current()`), passed down, and replaceable in tests:
`CliRunner().invoke(app, args, obj=Environment(...))` runs a command as if on a terminal.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, BinaryIO, cast

if TYPE_CHECKING:
    from rich.console import Console


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(frozen=True)
class Environment:
    """The process around a command."""

    stdout: IO[str]
    stderr: IO[str]
    stdin: BinaryIO | None
    stdout_is_terminal: bool
    stderr_is_terminal: bool
    no_color: bool
    """no-color.org: NO_COLOR set to anything but the empty string."""
    now: Callable[[], dt.datetime] = field(default=_now)

    @classmethod
    def current(cls) -> Environment:
        """The real process's environment, read when the command runs (not at import, so
        a test runner's captured streams are the ones used)."""
        return cls(
            stdout=cast(IO[str], ReportedStream(sys.stdout, "standard output")),
            stderr=sys.stderr,
            stdin=getattr(sys.stdin, "buffer", None),
            stdout_is_terminal=_isatty(sys.stdout),
            stderr_is_terminal=_isatty(sys.stderr),
            no_color=bool(os.environ.get("NO_COLOR")),
        )

    def out(self) -> Console:
        """A console for results (stdout)."""
        from pairctl.output.terminal import make_console

        return make_console(
            self.stdout, is_terminal=self.stdout_is_terminal, no_color=self.no_color
        )

    def err(self) -> Console:
        """A console for warnings and the spinner (stderr)."""
        from pairctl.output.terminal import make_console

        return make_console(
            self.stderr, is_terminal=self.stderr_is_terminal, no_color=self.no_color
        )


class ReportedStream:
    """A text stream whose write failures are pairctl errors: a full disk behind stdout, or
    stdout closed (`>&-`), is one line and exit 5, not an internal error after the sheet was
    written. A closed pipe stays a BrokenPipeError, which ends the run quietly."""

    def __init__(self, stream: IO[str] | None, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        written = self._guarded(lambda stream: stream.write(text))
        return written if isinstance(written, int) else len(text)

    def flush(self) -> None:
        self._guarded(lambda stream: stream.flush())

    def isatty(self) -> bool:
        return _isatty(self._stream)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)

    def _guarded(self, action: Callable[[IO[str]], object]) -> object:
        from pairctl.errors import OutputError

        if self._stream is None:
            raise OutputError(f"cannot write to {self._name}: it is closed")
        try:
            return action(self._stream)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(
                f"cannot write to {self._name} ({error.strerror or error}); "
                "any sheet already written stays"
            ) from None


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):  # a closed stream
        return False
