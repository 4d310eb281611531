"""The outbox folder: one .eml per message (and .ics beside it), plus manifest.csv.

Written as one step (`atomic_write_all`): afterwards every file is the new one or none is,
and existing files are kept unless --force. `sent.log` is not part of that step: it is the
send log (see `send`), and replacing the outbox leaves it as it is, so a re-run still knows
what went out.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pairctl.announce.compose import Composed, message_bytes
from pairctl.errors import OutputError
from pairctl.output.atomic import atomic_write_all
from pairctl.output.neutralise import safe_cell

MANIFEST = "manifest.csv"
MANIFEST_HEADER = ("file", "kind", "recipients", "subject", "message_id", "status", "detail")
WRITTEN = "written"
SKIPPED = "skipped (no email)"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_KEYS_MAX = 60


@dataclass(frozen=True)
class Entry:
    """One manifest row: the message file (empty when skipped) and what it holds."""

    file: str
    kind: str
    recipients: tuple[str, ...]
    subject: str
    message_id: str
    status: str
    detail: str = ""


def file_stem(message: Composed, width: int) -> str:
    """`NN-<keys>`: the message's number and its people's keys, in characters any
    filesystem takes (a key like `../x` cannot leave the folder)."""
    keys = _UNSAFE_NAME.sub("_", "-".join(message.keys)).strip("._-")[:_KEYS_MAX] or "x"
    return f"{message.number:0{width}d}-{keys}"


def plan(messages: Sequence[Composed]) -> list[Entry]:
    """The manifest of `messages`, in order."""
    width = max(2, len(str(len(messages))))
    entries = []
    for message in messages:
        written = message.message is not None
        entries.append(
            Entry(
                f"{file_stem(message, width)}.eml" if written else "",
                message.kind,
                message.recipients,
                message.subject,
                message.message_id,
                WRITTEN if written else SKIPPED,
                message.skipped,
            )
        )
    return entries


def write_outbox(folder: Path, messages: Sequence[Composed], *, force: bool) -> list[Entry]:
    """Write every message, its invitation and the manifest into `folder` (created if
    missing) as one step; refuse to replace any existing file unless `force`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {folder}: {error.strerror or error}") from None
    entries = plan(messages)
    files: list[tuple[Path, Callable[[Path], None]]] = []
    for entry, message in zip(entries, messages, strict=True):
        if message.message is None:
            continue
        data = message_bytes(message.message)
        files.append((folder / entry.file, _bytes_writer(data)))
        if message.invite is not None:
            files.append((folder / f"{entry.file[:-4]}.ics", _bytes_writer(message.invite)))
    files.append((folder / MANIFEST, lambda tmp: _save_manifest(entries, tmp)))
    atomic_write_all(files, replace=force)
    return entries


def _bytes_writer(data: bytes) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write


def _save_manifest(entries: Sequence[Entry], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(MANIFEST_HEADER)
        for e in entries:
            row = (e.file, e.kind, "; ".join(e.recipients), e.subject, e.message_id, e.status)
            writer.writerow([safe_cell(cell) for cell in (*row, e.detail)])


def read_manifest(folder: Path) -> list[Entry]:
    """The manifest an outbox holds (OutputError when there is none or it is not ours)."""
    path = folder / MANIFEST
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise OutputError(f"{path}: no such file: not a pairctl outbox") from None
    except (OSError, UnicodeError, csv.Error) as error:
        raise OutputError(f"{path}: cannot read ({error})") from None
    if rows and not {"file", "message_id", "status"} <= set(rows[0]):
        raise OutputError(f"{path}: not a pairctl manifest (no file/message_id/status columns)")
    return [
        Entry(
            row.get("file") or "",
            row.get("kind") or "",
            tuple(r for r in (row.get("recipients") or "").split("; ") if r),
            row.get("subject") or "",
            row.get("message_id") or "",
            row.get("status") or "",
            row.get("detail") or "",
        )
        for row in rows
    ]
