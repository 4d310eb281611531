"""Replace an output file in one step, so a reader never sees half a sheet.

The new content goes to a temporary file beside the destination (same folder, so the same
filesystem and `os.replace` is atomic), is flushed to disk, then renamed over the destination.
A failure at any point leaves the old file as it was and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from pairctl.errors import OutputError


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write `path` atomically: `write` fills a temporary file that then replaces `path`.

    `write` receives the temporary file's path (an existing, empty file) and may open it
    however it likes. Any exception removes the temporary file and propagates; an `OSError`
    (permission, missing folder, full disk, ...) becomes an `OutputError` naming `path`.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        reason = "not a folder" if folder.exists() else "no such folder"
        raise OutputError(f"cannot write {path}: {reason}: {folder}")

    try:
        tmp = _create_temp(path)
    except OSError as exc:
        raise _output_error(path, exc) from exc

    try:
        write(tmp)
        _fsync_file(tmp)
    except OSError as exc:
        _remove_quietly(tmp)
        raise _output_error(path, exc) from exc
    except BaseException:
        _remove_quietly(tmp)
        raise
    try:
        os.replace(tmp, path)
    except OSError as exc:
        _remove_quietly(tmp)
        # On Windows an open workbook is locked: the usual reason a replace is refused.
        hint = " (is it open in another program?)" if isinstance(exc, PermissionError) else ""
        raise _output_error(path, exc, hint) from exc
    _fsync_folder(folder)


def _create_temp(path: Path) -> Path:
    """Create an empty, uniquely named hidden file beside `path` and return its path.

    Not `tempfile.mkstemp`: that creates mode 0600, and the sheet would end up unreadable to
    colleagues on a shared drive. `os.open` with 0o666 lets the umask decide, as for any file.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"no free temporary name beside {path}")


def _fsync_file(path: Path) -> None:
    # Opened for writing: Windows refuses to flush a file opened read-only.
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable. Best effort: the new file is already in place, and
    Windows and some network filesystems cannot fsync a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


def _output_error(path: Path, exc: OSError, hint: str = "") -> OutputError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return OutputError(f"cannot write {path}: {reason}{hint}")
