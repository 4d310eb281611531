"""`pairctl announce`: the introduction emails of a round, written to an outbox folder and,
with --send, sent from it. The pieces live in `pairctl.announce`; this is the thin shell."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from pairctl.errors import NotAllSent, OutputError, RosterError, UsageError
from pairctl.shell.environment import Environment
from pairctl.shell.errors import say

if TYPE_CHECKING:
    from pairctl.announce.compose import Composed
    from pairctl.announce.outbox import Entry
    from pairctl.announce.send import SendReport

PASSWORD_VARIABLE = "PAIRCTL_SMTP_PASSWORD"


def announce(
    env: Environment,
    pairs: Path,
    outbox: Path | None,
    *,
    sender: str | None,
    template: Path | None,
    meeting: str | None,
    duration: str | None,
    tz: str | None,
    unmatched: bool,
    send: bool,
    smtp: str | None,
    smtp_ssl: bool,
    smtp_user: str | None,
    force: bool,
    as_json: bool,
    smtp_insecure: bool = False,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Write one introduction per group of the sheet `pairs` (and one per unmatched person)
    to the folder `outbox`; with `send`, send what that folder holds, each message once.

    Without `send` nothing leaves the machine: the first message is shown as a preview.
    An outbox that already holds a manifest is only replaced with `force`; with `send` and
    no `force`, the messages already in it are sent as they are (after checking they are
    this round's). The SMTP password comes from PAIRCTL_SMTP_PASSWORD or, on a terminal, a
    prompt; never from an option.
    """
    from pairctl.announce.compose import Templates, compose_round, parse_sender
    from pairctl.announce.invite import parse_meeting
    from pairctl.announce.outbox import MANIFEST, plan, read_manifest, write_outbox
    from pairctl.announce.send import SENT_LOG, parse_server, send_outbox
    from pairctl.announce.sheet import read_round
    from pairctl.announce.template import DEFAULT_TEMPLATE
    from pairctl.output.lock import folder_lock

    if outbox is None:
        raise UsageError("announce needs -o OUTBOX: the folder the messages are written to")
    if sender is None:
        raise UsageError("announce needs --from ADDRESS: the sender of the introductions")
    if meeting is None and (duration is not None or tz is not None):
        raise UsageError("--duration and --tz describe --meeting: give --meeting too")
    smtp_given = [
        name
        for name, given in (
            ("--smtp", smtp is not None),
            ("--smtp-ssl", smtp_ssl),
            ("--smtp-insecure", smtp_insecure),
            ("--smtp-user", smtp_user is not None),
        )
        if given
    ]
    if not send and smtp_given:
        raise UsageError(f"{', '.join(smtp_given)} only go with --send")
    if send and smtp is None:
        raise UsageError("--send needs --smtp HOST[:PORT]: the server to send through")
    server = (
        parse_server(smtp or "", implicit_tls=smtp_ssl, insecure=smtp_insecure) if send else None
    )
    from_address = parse_sender(sender)
    when = parse_meeting(meeting, duration, tz) if meeting is not None else None
    if when is not None and when.start < env.now().astimezone():
        say(env, f"warning: --meeting {meeting}: that time has passed; the invitations say it")
    templates = _templates(template, Templates, DEFAULT_TEMPLATE)
    password = _password(env, smtp_user, os.environ if environ is None else environ)

    round_ = read_round(pairs)
    messages = compose_round(
        round_, templates, from_address, meeting=when, unmatched=unmatched, now=env.now()
    )
    if messages and all(m.skipped for m in messages):
        # Nothing to write at all: one line, not a warning per group and a success.
        raise RosterError(
            f"{pairs}: no message can be written: nobody in it has an email address; the "
            "roster needs an email column (pairctl columns ROSTER shows what it has)"
        )
    for message in messages:
        if message.skipped:
            keys = ", ".join(message.keys)
            say(env, f"warning: {message.kind} {keys}: no message written ({message.skipped})")

    try:
        outbox.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {outbox}: {error.strerror or error}") from None
    report: SendReport | None = None
    with folder_lock(outbox):
        reuse = send and not force and (outbox / MANIFEST).exists()
        if reuse:
            entries = read_manifest(outbox)
            _check_same_round(outbox, entries, plan(messages))
        else:
            entries = write_outbox(outbox, messages, force=force)
        if server is not None:
            report = send_outbox(outbox, server, user=smtp_user, password=password, now=env.now)

    if as_json:
        env.stdout.write(
            json.dumps(_summary(outbox, entries, report, reuse), ensure_ascii=False) + "\n"
        )
    else:
        _render(env, outbox, messages, entries, report, reuse)
    if report is not None and (report.unsent or report.refused):
        total = len(report.sent) + len(report.already) + report.unsent
        parts = [f"{report.unsent} of {total} messages were not sent"]
        if report.refused:
            parts.append(f"{len(report.refused)} recipients were refused")
        raise NotAllSent(
            f"{' and '.join(parts)}; {outbox / SENT_LOG} lists each attempt; run the same "
            "command again to send the rest (what was sent is not sent twice)"
        )


def _templates(template: Path | None, templates: type[Any], default: str) -> Any:
    if template is None:
        return templates(default)
    try:
        source = template.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"--template {template}: no such file") from None
    except (OSError, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise UsageError(f"--template {template}: cannot read ({reason})") from None
    return templates(source, str(template))


def _password(env: Environment, user: str | None, environ: Mapping[str, str]) -> str | None:
    """The SMTP password for `user`: the environment variable, else a prompt on a terminal."""
    if user is None:
        return None
    password = environ.get(PASSWORD_VARIABLE)
    if password:
        return password
    stdin = env.stdin
    try:
        terminal = stdin is not None and stdin.isatty()
    except (OSError, ValueError):
        terminal = False
    if not terminal:
        raise UsageError(
            f"--smtp-user {user!r} needs a password: set {PASSWORD_VARIABLE} "
            "(there is no terminal to ask on)"
        )
    # getpass reads the terminal itself, with echo off; the prompt goes to stderr.
    return getpass.getpass(f"SMTP password for {user}: ", stream=cast(TextIO, env.stderr))


def _check_same_round(outbox: Path, on_disk: Sequence[Entry], fresh: Sequence[Entry]) -> None:
    """The outbox about to be sent must hold this round's messages, not another round's."""
    held = {e.message_id for e in on_disk if e.message_id}
    wanted = {e.message_id for e in fresh if e.message_id}
    if held != wanted:
        raise UsageError(
            f"{outbox} holds messages of another round (or other options) than this sheet; "
            "use another folder, or --force to write this round's messages over them"
        )


def _summary(
    outbox: Path, entries: Sequence[Entry], report: SendReport | None, reused: bool
) -> dict[str, Any]:
    return {
        "outbox": str(outbox),
        "reused": reused,
        "written": sum(1 for e in entries if e.file),
        "skipped": sum(1 for e in entries if not e.file),
        "messages": [
            {
                "file": e.file or None,
                "kind": e.kind,
                "recipients": list(e.recipients),
                "subject": e.subject,
                "message_id": e.message_id or None,
                "status": e.status,
                "detail": e.detail,
            }
            for e in entries
        ],
        "send": None
        if report is None
        else {
            "sent": report.sent,
            "already_sent": report.already,
            "failed": [{"file": f, "reason": r} for f, r in report.failed],
            "not_tried": report.not_tried,
            "refused": [{"file": f, "recipient": r} for f, r in report.refused],
        },
    }


def _render(
    env: Environment,
    outbox: Path,
    messages: Sequence[Composed],
    entries: Sequence[Entry],
    report: SendReport | None,
    reused: bool,
) -> None:
    from rich.text import Text

    from pairctl.output.printable import message_line, printable

    out = env.out()
    written = sum(1 for e in entries if e.file)
    skipped = len(entries) - written
    groups = sum(1 for e in entries if e.file and e.kind == "group")
    place = message_line(str(outbox))
    if report is None:
        first = next((m.message for m in messages if m.message is not None), None)
        if first is not None:
            out.print(Text("Preview of the first message:"))
            for header in ("From", "To", "Subject", "Date", "Message-ID"):
                out.print(Text(f"{header}: {message_line(str(first[header]))}"))
            body = first.get_body(("plain",))
            text = body.get_content() if body is not None else ""
            out.print(Text("\n" + printable(str(text)).rstrip() + "\n"))
    if reused:
        out.print(Text(f"Sending the {written} messages already in {place}"))
    else:
        line = (
            f"Wrote {written} messages to {place} ({groups} groups, {written - groups} unmatched)"
        )
        out.print(Text(line + (f"; {skipped} not written (no email)" if skipped else "")))
    if report is None:
        out.print(Text("Nothing was sent: add --send --smtp HOST[:PORT] to send them."))
        return
    out.print(Text(f"Sent {len(report.sent)} messages; {len(report.already)} had been sent before"))
