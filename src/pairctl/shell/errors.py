"""Errors and signals become exit codes here, and only here: one line on stderr each.

`reported` wraps every command's body; `OneLineErrors` turns Click's own option mistakes into
the same one-line form with exit code 2, so a cron mail reads the same whatever went wrong.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from pairctl.errors import ExitCode, Interrupted, PairctlError
from pairctl.output.printable import message_line

if TYPE_CHECKING:
    from pairctl.shell.environment import Environment


def say(env: Environment | None, line: str) -> None:
    """One line on stderr, with nothing in it a terminal would obey."""
    stream = env.stderr if env is not None else sys.stderr
    stream.write(message_line(line) + "\n")
    stream.flush()


@contextlib.contextmanager
def reported(debug: bool, env: Environment | None = None) -> Iterator[None]:
    """Run a command's body: errors and signals become one line and an exit code."""
    from pairctl.process import signals_interrupt

    try:
        with signals_interrupt():
            yield
    except (typer.Exit, BrokenPipeError):
        raise  # Click turns a closed pipe (`pairctl ... | head`) into a quiet exit
    except Interrupted as stop:
        if debug:
            traceback.print_exception(stop, file=sys.stderr)
        say(env, f"pairctl: stopped by {stop.signal_name}; no half-written file was left")
        raise typer.Exit(int(stop.exit_code)) from None
    except KeyboardInterrupt:
        say(env, "pairctl: interrupted (SIGINT); no half-written file was left")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except Exception as err:
        if debug:
            traceback.print_exception(err, file=sys.stderr)
        if isinstance(err, PairctlError):
            say(env, f"pairctl: error: {err.message}")
            raise typer.Exit(int(err.exit_code)) from None
        say(
            env,
            f"pairctl: internal error: {type(err).__name__}: {err} "
            "(rerun with --debug for the traceback)",
        )
        raise typer.Exit(int(ExitCode.INTERNAL)) from None


class _Argument(TyperArgument):
    """An argument shown by its metavar alone: `ROSTER`, not `ROSTER <str>`."""

    def display_type_rich(self, ctx: Any) -> str:
        return ""


class Command(TyperCommand):
    """A command whose help shows arguments without raw type names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = _Argument


class OneLineErrors(TyperGroup):
    """Option and argument mistakes as one `pairctl: error:` line with exit code 2, instead of
    the usual usage block, so every failure reads the same in a cron mail."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone_mode = kwargs.pop("standalone_mode", True)
        try:
            # Never standalone: our except below must see the error (args hold no such flag).
            code = super().main(*args, **kwargs, standalone_mode=False)  # type: ignore[misc]
        except Exception as err:
            # Click's errors (bad option, missing argument) carry their own text and code;
            # everything else was already turned into an exit code inside the command.
            describe = getattr(err, "format_message", None)
            if type(err).__name__ == "Abort":
                # A signal before a command's body started (Click turns it into Abort).
                stop = err.__context__
                if isinstance(stop, Interrupted):
                    say(None, f"pairctl: stopped by {stop.signal_name}")
                    code = int(stop.exit_code)
                else:
                    say(None, "pairctl: interrupted (SIGINT)")
                    code = int(ExitCode.INTERRUPTED)
            elif describe is None:
                raise
            elif type(err).__name__ == "NoArgsIsHelpError":
                err.show()  # type: ignore[attr-defined]  # plain `pairctl`: show the help
                code = int(ExitCode.USAGE)
            else:
                say(None, f"pairctl: error: {describe()} (see pairctl --help)")
                code = int(ExitCode.USAGE)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)
