"""Sending over SMTP (aiosmtpd on 127.0.0.1): each message once, across failures and runs."""

from __future__ import annotations

import collections
import socket
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from pairctl.announce.send import parse_server
from pairctl.errors import ExitCode, NotAllSent, OutputError, UsageError

from . import call, fake_env, manifest, sample_round


class Collecting:
    """Accepts every message; after `limit` of them, drops the connection instead."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.received: list[tuple[str, tuple[str, ...]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.limit is not None and len(self.received) >= self.limit:
            server.transport.close()
            return "421 4.3.2 closing the connection"
        message = BytesParser(policy=default).parsebytes(envelope.content)
        self.received.append((str(message["Message-ID"]), tuple(envelope.rcpt_tos)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """Start a collecting server: `start(handler)` returns 'host:port'."""
    started: list[Controller] = []

    def start(handler: Collecting) -> str:
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
        controller.start()
        started.append(controller)
        return f"127.0.0.1:{controller.port}"

    yield start
    for controller in started:
        controller.stop()


def send(tmp_path: Path, address: str, **given: Any) -> None:
    options = {"send": True, "smtp": address, "smtp_insecure": True}
    call(fake_env(), tmp_path / "round.xlsx", tmp_path / "outbox", **{**options, **given})


def sent_log(tmp_path: Path) -> list[list[str]]:
    lines = (tmp_path / "outbox" / "sent.log").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines]


def test_every_message_arrives_once(tmp_path: Path, smtp_server: Any) -> None:
    sample_round(tmp_path)
    handler = Collecting()
    address = smtp_server(handler)
    send(tmp_path, address)

    rows = manifest(tmp_path / "outbox")
    assert sorted(mid for mid, _ in handler.received) == sorted(r["message_id"] for r in rows)
    for row, (_, rcpts) in zip(rows, handler.received, strict=True):
        assert set(rcpts) == set(row["recipients"].split("; "))
    log = sent_log(tmp_path)
    assert [(f[1], f[2], f[4]) for f in log] == [("sent", r["message_id"], r["file"]) for r in rows]

    send(tmp_path, address)  # nothing new to send: nobody hears twice
    assert len(handler.received) == 20
    assert len(sent_log(tmp_path)) == 20


def test_dropped_connection_then_a_rerun_sends_each_once(tmp_path: Path, smtp_server: Any) -> None:
    sample_round(tmp_path)
    flaky = Collecting(limit=5)
    with pytest.raises(NotAllSent, match=r"15 of 20 messages were not sent; .*sent\.log"):
        send(tmp_path, smtp_server(flaky))
    assert len(flaky.received) == 5
    assert [f[1] for f in sent_log(tmp_path)].count("sent") == 5

    steady = Collecting()
    send(tmp_path, smtp_server(steady))
    assert len(steady.received) == 15

    per_recipient = collections.Counter(
        rcpt for _, rcpts in flaky.received + steady.received for rcpt in rcpts
    )
    expected = {a for r in manifest(tmp_path / "outbox") for a in r["recipients"].split("; ")}
    assert set(per_recipient) == expected and len(expected) == 40
    assert set(per_recipient.values()) == {1}
    sent = [f[2] for f in sent_log(tmp_path) if f[1] == "sent"]
    assert sorted(sent) == sorted(r["message_id"] for r in manifest(tmp_path / "outbox"))


def test_what_is_sent_is_the_outbox_on_disk(tmp_path: Path, smtp_server: Any) -> None:
    sample_round(tmp_path)
    call(fake_env(), tmp_path / "round.xlsx", tmp_path / "outbox")
    first = tmp_path / "outbox" / manifest(tmp_path / "outbox")[0]["file"]
    first.write_bytes(first.read_bytes().replace(b"Best wishes", b"Edited by hand"))
    handler = Collecting()
    send(tmp_path, smtp_server(handler))  # no --force: the folder's messages, as they are
    assert len(handler.received) == 20
    assert b"Edited by hand" in first.read_bytes()


def test_outbox_of_another_round_is_not_sent(tmp_path: Path, smtp_server: Any) -> None:
    sample_round(tmp_path)
    call(fake_env(), tmp_path / "round.xlsx", tmp_path / "outbox", unmatched=False)
    (tmp_path / "outbox" / "manifest.csv").write_text("file,kind,message_id,status\n")
    handler = Collecting()
    with pytest.raises(UsageError, match="another round"):
        send(tmp_path, smtp_server(handler))
    assert handler.received == []


def test_starttls_is_required_by_default(tmp_path: Path, smtp_server: Any) -> None:
    sample_round(tmp_path)
    handler = Collecting()
    address = smtp_server(handler)
    with pytest.raises(OutputError, match="does not offer STARTTLS"):
        send(tmp_path, address, smtp_insecure=False)
    assert handler.received == []


def test_plain_text_only_to_this_machine() -> None:
    with pytest.raises(UsageError, match="only to this machine"):
        parse_server("smtp.example.org", implicit_tls=False, insecure=True)
    assert parse_server("localhost", implicit_tls=False, insecure=True).port == 25
    assert parse_server("smtp.example.org", implicit_tls=False, insecure=False).port == 587
    assert parse_server("smtp.example.org", implicit_tls=True, insecure=False).port == 465
    assert parse_server("[::1]:2525", implicit_tls=False, insecure=True).port == 2525
    with pytest.raises(UsageError, match="port"):
        parse_server("smtp.example.org:http", implicit_tls=False, insecure=False)


def test_password_only_from_the_environment_or_a_terminal(tmp_path: Path) -> None:
    sample_round(tmp_path)
    with pytest.raises(UsageError, match="PAIRCTL_SMTP_PASSWORD"):
        send(tmp_path, "127.0.0.1:1", smtp_user="hr", environ={})


def test_server_not_there_is_one_error_and_nothing_logged(tmp_path: Path) -> None:
    sample_round(tmp_path)
    with pytest.raises(OutputError, match=r"cannot connect to SMTP server 127\.0\.0\.1:"):
        send(tmp_path, f"127.0.0.1:{_free_port()}")
    assert not (tmp_path / "outbox" / "sent.log").exists()


def test_the_command_line_says_some_were_not_sent_with_exit_7_and_a_rerun_sends_the_rest(
    tmp_path: Path, smtp_server: Any
) -> None:
    from cli_helpers import run

    sample_round(tmp_path)
    outbox = tmp_path / "outbox"
    args = ["announce", str(tmp_path / "round.xlsx"), "-o", str(outbox), "--from", "hr@example.org"]
    written = run(*args)
    assert written.exit_code == 0, written.stderr
    assert "Nothing was sent" in written.stdout
    flaky, steady = Collecting(limit=5), Collecting()
    sending = ["--send", "--smtp-insecure"]
    first = run(*args, *sending, "--smtp", smtp_server(flaky))
    assert first.exit_code == ExitCode.NOT_ALL_SENT == 7
    assert "15 of 20 messages were not sent" in first.stderr
    again = run(*args, *sending, "--smtp", smtp_server(steady))
    assert again.exit_code == 0, again.stderr
    assert len(flaky.received) + len(steady.received) == 20
    ids = [mid for mid, _ in flaky.received + steady.received]
    assert len(set(ids)) == 20
