"""The terminal summary: colour only on a terminal, never cut off a terminal, roster text inert."""

from __future__ import annotations

import io
import re

from pairctl.output.printable import printable
from pairctl.output.terminal import make_console, render_summary, render_warnings

from .terminal_report import sample_report


def rendered(is_terminal: bool, monkeypatch, no_color: bool = False) -> str:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    stream = io.StringIO()
    console = make_console(stream, is_terminal=is_terminal)
    render_summary(console, sample_report(), source="roster.xlsx", outcome="Wrote pairs.xlsx")
    return stream.getvalue()


# A foreground colour (SGR 30-37, 90-97, or 38;...); bold and dim are not colours.
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]")


def test_colour_on_a_terminal_and_none_with_no_color(monkeypatch):
    assert COLOUR.search(rendered(True, monkeypatch))
    assert not COLOUR.search(rendered(True, monkeypatch, no_color=True))


def test_plain_output_is_colourless_and_never_cut(monkeypatch):
    text = rendered(False, monkeypatch)
    assert "\x1b[" not in text
    # The longest skill list is far wider than 80 columns and must appear whole on one line.
    assert any(
        "; ".join(f"skill number {i}" for i in range(12)) in line for line in text.splitlines()
    )
    assert "Wrote pairs.xlsx" in text


def test_escape_sequences_in_roster_text_never_reach_the_terminal(monkeypatch):
    text = rendered(True, monkeypatch)
    assert "\x1b]0;" not in text and "\x1b[2J" not in text
    assert "Mallory\ufffd[2J" in text
    assert printable("tab\tand\nnewline stay") == "tab\tand\nnewline stay"


def test_warnings_are_printed_as_written(monkeypatch):
    stream = io.StringIO()
    render_warnings(make_console(stream, is_terminal=True), ("key [admin] :smile: is odd",))
    assert "warning: key [admin] :smile: is odd" in stream.getvalue()


def test_an_empty_no_color_leaves_colour_on(monkeypatch):
    # no-color.org: NO_COLOR counts only when it is set to something.
    monkeypatch.setenv("NO_COLOR", "")
    stream = io.StringIO()
    console = make_console(stream, is_terminal=True)
    render_summary(console, sample_report(), source="roster.xlsx", outcome="Wrote pairs.xlsx")
    assert COLOUR.search(stream.getvalue())
