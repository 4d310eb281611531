"""Send what an outbox holds over SMTP, recording each accepted message in `sent.log`.

Security: STARTTLS is required by default (port 587), `--smtp-ssl` is implicit TLS (port
465); both verify the server's certificate. Plain text is only for a relay on this machine
(localhost, 127.0.0.1, ::1) and only with `--smtp-insecure`, which is what tests use.

Once only: after the server accepts a message, a line with its Message-ID goes to
`sent.log` and is flushed to disk before the next message; every run skips the Message-IDs
the log lists as sent, so a run cut short and started again introduces nobody twice. A
refused message is logged too (status `failed`), does not stop the others, and is tried
again by the next run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.policy
import os
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import IO

from pairctl.announce.compose import one_line
from pairctl.announce.outbox import WRITTEN, read_manifest
from pairctl.errors import OutputError, UsageError

SENT_LOG = "sent.log"
SENT = "sent"
FAILED = "failed"
STARTTLS = "starttls"
IMPLICIT_TLS = "ssl"
INSECURE = "insecure"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
DEFAULT_PORTS = {STARTTLS: 587, IMPLICIT_TLS: 465, INSECURE: 25}
TIMEOUT = 60.0
# Connections lost in a row before the run gives up on the rest (the server is gone).
MAX_DROPS = 2


@dataclass(frozen=True)
class Server:
    """Where to send and how to protect the connection."""

    host: str
    port: int
    security: str

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_server(text: str, *, implicit_tls: bool, insecure: bool) -> Server:
    """`HOST`, `HOST:PORT` or `[IPv6]:PORT` with the security options, checked."""
    if implicit_tls and insecure:
        raise UsageError("--smtp-ssl and --smtp-insecure do not go together")
    text = text.strip()
    host, port_text = text, ""
    if text.startswith("["):
        host, closed, rest = text[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            raise UsageError(f"--smtp {text!r}: expected [IPv6] or [IPv6]:PORT")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    security = IMPLICIT_TLS if implicit_tls else INSECURE if insecure else STARTTLS
    if not host or one_line(host) != host or " " in host:
        raise UsageError(f"--smtp {text!r}: expected HOST or HOST:PORT")
    port = DEFAULT_PORTS[security]
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise UsageError(f"--smtp {text!r}: the port must be a number from 1 to 65535")
        port = int(port_text)
    if security == INSECURE and host.lower() not in LOCAL_HOSTS:
        raise UsageError(
            f"--smtp-insecure sends in plain text, so only to this machine "
            f"({', '.join(sorted(LOCAL_HOSTS))}), not to {host!r}"
        )
    return Server(host, port, security)


@dataclass
class SendReport:
    """What a send run did, by outbox file."""

    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    """Files whose Message-ID sent.log already lists as sent: skipped."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    not_tried: list[str] = field(default_factory=list)
    """Files left when the server went away."""
    refused: list[tuple[str, str]] = field(default_factory=list)
    """(file, recipient) the server refused in a message it accepted for others."""

    @property
    def unsent(self) -> int:
        return len(self.failed) + len(self.not_tried)


@dataclass(frozen=True)
class _Outgoing:
    file: str
    message_id: str
    sender: str
    recipients: tuple[str, ...]
    data: bytes


def sent_ids(folder: Path) -> set[str]:
    """The Message-IDs sent.log lists as sent."""
    try:
        with open(folder / SENT_LOG, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return set()
    except OSError as error:
        raise OutputError(f"{folder / SENT_LOG}: cannot read ({error.strerror or error})") from None
    ids = set()
    for line in lines:
        fields = line.split("\t")
        if len(fields) >= 3 and fields[1] == SENT:
            ids.add(fields[2])
    return ids


def send_outbox(
    folder: Path,
    server: Server,
    *,
    user: str | None,
    password: str | None,
    now: Callable[[], dt.datetime],
) -> SendReport:
    """Send every written message of the outbox in `folder` not yet in its sent.log.

    The files sent are the ones on disk (an .eml edited after it was written goes out as
    edited). A message the server refuses is logged and the rest go on; after
    `MAX_DROPS` lost connections in a row the rest are left for the next run.
    """
    report = SendReport()
    done = sent_ids(folder)
    todo: list[_Outgoing] = []
    for entry in read_manifest(folder):
        if entry.status != WRITTEN:
            continue
        outgoing = _load(folder, entry.file)
        if isinstance(outgoing, str):
            report.failed.append((entry.file, outgoing))
        elif outgoing.message_id in done:
            report.already.append(entry.file)
        else:
            todo.append(outgoing)
    if not todo:
        return report
    # The first connection failing is the run's error: nothing was sent, nothing logged.
    connection = _connect(server, user, password)
    try:
        handle = _open_log(folder)
    except OutputError:
        _close(connection)
        raise
    with handle as log:
        for failed, reason in report.failed:
            _log(log, now(), FAILED, "", (), failed, reason)
        _deliver(todo, connection, server, user, password, now, log, report)
    return report


def _deliver(
    todo: list[_Outgoing],
    first: smtplib.SMTP,
    server: Server,
    user: str | None,
    password: str | None,
    now: Callable[[], dt.datetime],
    log: IO[str],
    report: SendReport,
) -> None:
    connection: smtplib.SMTP | None = first
    drops = 0
    try:
        for index, item in enumerate(todo):
            if drops >= MAX_DROPS:
                report.not_tried += [rest.file for rest in todo[index:]]
                return
            if connection is None:
                try:
                    connection = _connect(server, user, password)
                except OutputError as error:
                    report.failed.append((item.file, error.message))
                    _log(log, now(), FAILED, item.message_id, item.recipients, item.file,
                         error.message)  # fmt: skip
                    drops += 1
                    continue
            try:
                refused = connection.sendmail(item.sender, list(item.recipients), item.data)
            except smtplib.SMTPRecipientsRefused as error:
                reason = "every recipient refused: " + "; ".join(
                    f"{rcpt} ({_reply(code, text)})"
                    for rcpt, (code, text) in error.recipients.items()
                )
            except smtplib.SMTPResponseException as error:
                reason = _reply(error.smtp_code, error.smtp_error)
                if error.smtp_code == 421:  # the server is closing the connection
                    connection, drops = _drop(connection), drops + 1
            except (smtplib.SMTPServerDisconnected, OSError) as error:
                reason = f"connection lost ({error})"
                connection, drops = _drop(connection), drops + 1
            except smtplib.SMTPException as error:
                reason = str(error)
            else:
                drops = 0
                detail = "; ".join(f"refused {r} ({_reply(c, t)})" for r, (c, t) in refused.items())
                report.sent.append(item.file)
                report.refused += [(item.file, rcpt) for rcpt in refused]
                _log(log, now(), SENT, item.message_id, item.recipients, item.file, detail)
                continue
            report.failed.append((item.file, one_line(reason)))
            _log(log, now(), FAILED, item.message_id, item.recipients, item.file, reason)
    finally:
        if connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.quit()


def _drop(connection: smtplib.SMTP) -> smtplib.SMTP | None:
    """Close a connection the server is ending; None, to assign in its place."""
    _close(connection)
    return None


def _reply(code: int, text: bytes | str) -> str:
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return one_line(f"{code} {shown}")


def _connect(server: Server, user: str | None, password: str | None) -> smtplib.SMTP:
    """An open, protected and (with `user`) logged-in connection, or OutputError."""
    context = ssl.create_default_context()
    connection: smtplib.SMTP | None = None
    try:
        if server.security == IMPLICIT_TLS:
            connection = smtplib.SMTP_SSL(
                server.host, server.port, timeout=TIMEOUT, context=context
            )
        else:
            connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
        connection.ehlo()
        if server.security == STARTTLS:
            if not connection.has_extn("starttls"):
                raise OutputError(
                    f"{server} does not offer STARTTLS; refusing to send in plain text "
                    "(--smtp-ssl for a server on port 465)"
                )
            connection.starttls(context=context)
            connection.ehlo()
        if user:
            connection.login(user, password or "")
    except smtplib.SMTPAuthenticationError:
        _close(connection)
        raise OutputError(f"{server} refused the login of {user!r}") from None
    except OutputError:
        _close(connection)
        raise
    except (smtplib.SMTPException, ssl.SSLError, OSError) as error:
        _close(connection)
        reason = getattr(error, "strerror", None) or error
        raise OutputError(
            f"cannot connect to SMTP server {server}: {one_line(str(reason))}"
        ) from None
    return connection


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()


def _load(folder: Path, name: str) -> _Outgoing | str:
    """The message file `name` of the outbox, ready to send; or why it cannot be sent."""
    if not name or Path(name).name != name or not name.endswith(".eml"):
        return f"manifest names {name!r}, not a message file of this folder"
    try:
        data = (folder / name).read_bytes()
    except OSError as error:
        return f"cannot read {name} ({error.strerror or error})"
    message = BytesParser(policy=email.policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    message_id = one_line(str(message.get("Message-ID", "")))
    if not message_id:
        return f"{name} has no Message-ID, so sending it only once cannot be made sure of"
    if message.get("Bcc") is not None:
        return f"{name} has a Bcc header, which would be sent to every recipient"
    try:
        senders: tuple[Address, ...] = message["From"].addresses if message["From"] else ()
        recipients = tuple(
            address.addr_spec
            for header in ("To", "Cc")
            for value in message.get_all(header, [])
            for address in value.addresses
        )
    except (AttributeError, ValueError) as error:
        return f"{name}: unreadable address header ({error})"
    if len(senders) != 1 or not recipients:
        return f"{name} needs one From address and at least one recipient"
    return _Outgoing(name, message_id, senders[0].addr_spec, recipients, data)


def _open_log(folder: Path) -> IO[str]:
    path = folder / SENT_LOG
    try:
        return open(path, "a", encoding="utf-8", newline="\n")
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None


def _log(
    log: IO[str],
    when: dt.datetime,
    status: str,
    message_id: str,
    recipients: tuple[str, ...],
    file: str,
    detail: str,
) -> None:
    """One line per attempt, on disk before the next message goes out."""
    fields = (when.isoformat(timespec="seconds"), status, message_id, ",".join(recipients), file)
    line = "\t".join(one_line(f) for f in (*fields, detail))
    try:
        log.write(line + "\n")
        log.flush()
        os.fsync(log.fileno())
    except OSError as error:
        raise OutputError(
            f"cannot record {file} in {SENT_LOG} ({error.strerror or error}); stopped, so that "
            "nothing is sent twice: check that line before running again"
        ) from None
