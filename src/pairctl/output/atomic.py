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

from pairctl.errors import OutputError, OutputExistsError


def atomic_write(
    path: Path,
    write: Callable[[Path], None],
    *,
    replace: bool = True,
    next_name: Callable[[Path], Path] | None = None,
) -> Path:
    """Write `path` atomically: `write` fills a temporary file that then takes its place.

    `write` receives the temporary file's path (an existing, empty file) and may open it
    however it likes. Any exception removes the temporary file and propagates; an `OSError`
    (permission, missing folder, full disk, ...) becomes an `OutputError` naming `path`.

    With `replace` False an existing file is never replaced, not even one that another
    program creates while we write: the finished file is hard-linked into place, which
    fails if the name is taken. Then `next_name(path)` is tried, or `OutputExistsError`
    raised. Returns the path written.
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
        if replace:
            os.replace(tmp, path)
        else:
            path = _link_new(tmp, path, next_name)
    except OSError as exc:
        _remove_quietly(tmp)
        # On Windows an open workbook is locked: the usual reason a replace is refused.
        hint = " (is it open in another program?)" if isinstance(exc, PermissionError) else ""
        raise _output_error(path, exc, hint) from exc
    except OutputExistsError:
        _remove_quietly(tmp)
        raise
    _fsync_folder(folder)
    return path


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temporary files a killed earlier run left beside `path`; return them.

    Call only while holding the folder lock (`output.lock.folder_lock`): then no other run
    can be writing one of them.
    """
    removed = []
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed.append(stale)
    return removed


def _link_new(tmp: Path, path: Path, next_name: Callable[[Path], Path] | None) -> Path:
    """Give the finished temporary file the name `path` (or the next free one) without ever
    replacing a file; return the name it got."""
    while True:
        try:
            os.link(tmp, path)
            _remove_quietly(tmp)
            return path
        except FileExistsError:
            pass
        except OSError:
            # Some shares cannot hard-link: check, then rename (a narrow race remains there).
            if not path.exists():
                os.replace(tmp, path)
                return path
        if next_name is None:
            raise OutputExistsError(f"{path}: already exists; use --force to replace it")
        path = next_name(path)


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
