"""The one exception family pairctl raises, and the exit codes it maps to.

Only the CLI catches `PairctlError`; everything below it raises one with a one-line message.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes. They are an API for scripts and cron: never renumber."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    BAD_ROSTER = 3
    BAD_CONFIG = 4
    CANNOT_WRITE = 5
    WARNINGS = 6
    NOT_ALL_SENT = 7
    # Stopped by a signal: 128 + its number, as shells and cron report a killed command.
    HANGUP = 129
    INTERRUPTED = 130
    TERMINATED = 143


class PairctlError(Exception):
    """An error the user can act on: one line, and the exit code it maps to."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(PairctlError):
    """Options that do not fit together or name something that does not exist."""

    exit_code = ExitCode.USAGE


class RosterError(PairctlError):
    """The roster cannot be read, or what it holds cannot be paired."""

    exit_code = ExitCode.BAD_ROSTER


class ConfigError(PairctlError):
    """A bad configuration key or value."""

    exit_code = ExitCode.BAD_CONFIG


class OutputError(PairctlError):
    """The pairing sheet cannot be written where asked."""

    exit_code = ExitCode.CANNOT_WRITE


class NotAllSent(PairctlError):
    """`announce --send` finished with some messages or recipients not accepted; the send
    log says which, and a re-run sends only those."""

    exit_code = ExitCode.NOT_ALL_SENT


class OutputExistsError(OutputError):
    """The output file exists and replacing it was not asked for."""


class Interrupted(KeyboardInterrupt):
    """A run stopped by SIGINT, SIGTERM or SIGHUP.

    A KeyboardInterrupt, so that every `except Exception` lets it through and every
    `finally` and cleanup (the temporary sheet, the folder lock) runs on the way out.
    """

    def __init__(self, signal_name: str, exit_code: ExitCode) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name
        self.exit_code = exit_code


def where(path: str, row: int | None = None, column: str | None = None) -> str:
    """Format the location prefix of an error message: `file, row N, column 'X'`."""
    parts = [path]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts)
