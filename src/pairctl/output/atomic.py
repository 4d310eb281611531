"""Replace an output file in one step, so a reader never sees half a sheet.

The new content goes to a temporary file beside the destination (same folder, so the same
filesystem and `os.replace` is atomic), is flushed to disk, then renamed over the destination.
A failure at any point leaves the old file as it was and no temporary file behind.
`atomic_write_all` does the same for several files that belong together (`pairctl init`).

Temporary files are named `.{target name}.pairctl-{8 hex digits}.tmp`, so that
`remove_stale_temps` can tell pairctl's own leftovers from the user's files by name alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pairctl.errors import OutputError, OutputExistsError

# `.+` and DOTALL: an output name may hold any character but `/`, a newline included.
_TEMP_NAME = re.compile(r"\..+\.pairctl-[0-9a-f]{8}\.tmp", re.DOTALL)
# What releases before the `pairctl-` marker appended to `.{target name}`.
_OLD_TEMP_TAIL = re.compile(r"\.[0-9a-f]{8}\.tmp")
# The longest file name most filesystems take, in bytes (ext4, APFS, NTFS in UTF-16 units).
_NAME_MAX = 255


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
    _check_folder(path)

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


def atomic_write_all(
    files: Sequence[tuple[Path, Callable[[Path], None]]], *, replace: bool = True
) -> list[Path]:
    """Write several files as one step: afterwards all of them are the new ones, or none is.

    `files` pairs each destination with the `write` callback that fills its temporary file,
    as for `atomic_write`. Every temporary file is written and flushed to disk before the
    first one is put in place, so a full disk or a failing callback changes nothing: every
    temporary file is removed and the error propagates (an `OSError` becomes an `OutputError`
    naming the file it hit).

    With `replace` False no existing file is replaced: if any destination exists,
    `OutputExistsError` names all that do, before anything is written; one that appears
    while we write is found when it is put in place. With `replace` True existing files are
    replaced. Either way, if putting a later file in place fails, the ones this call already
    put in place are undone: a file that was new is removed again (unless something else
    has taken its name since), and one that was replaced gets its old content back. That
    needs a hard link to the old file; on a share that cannot make one, the old content of a
    replaced file cannot be restored.

    A process killed while the files are being put in place (a few renames) can still leave
    some new and some old; the temporary files it leaves are removed by `remove_stale_temps`.
    Returns the paths written, in the order given.
    """
    paths = [Path(path) for path, _ in files]
    seen: set[str] = set()
    for path in paths:
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            raise ValueError(f"{path} is given twice")
        seen.add(key)
        _check_folder(path)
    if not replace:
        taken = [str(path) for path in paths if os.path.lexists(path)]
        if taken:
            raise OutputExistsError(
                f"{', '.join(taken)}: already exists; use --force to replace it"
            )

    temps: list[Path] = []
    try:
        for path, (_, write) in zip(paths, files, strict=True):
            try:
                tmp = _create_temp(path)
                temps.append(tmp)
                write(tmp)
                _fsync_file(tmp)
            except OSError as exc:
                raise _output_error(path, exc) from exc
        _place_all(paths, temps, replace)
    finally:
        for tmp in temps:
            _remove_quietly(tmp)
    for folder in dict.fromkeys(path.parent for path in paths):
        _fsync_folder(folder)
    return paths


def _place_all(paths: list[Path], temps: list[Path], replace: bool) -> None:
    """Rename each finished temporary file to its destination; on any failure undo the ones
    already placed. Backups join `temps`: the caller removes whatever temporary files remain."""
    placed: list[_Placed] = []
    try:
        for path, tmp in zip(paths, temps[: len(paths)], strict=True):
            existed = replace and os.path.lexists(path)
            backup = _backup(path) if existed else None
            if backup is not None:
                temps.append(backup)
            try:
                if replace:
                    os.replace(tmp, path)
                else:
                    _link_new(tmp, path, None)
                placed.append(_Placed(path, os.lstat(path), existed, backup))
            except OSError as exc:
                locked = isinstance(exc, PermissionError)
                hint = " (is it open in another program?)" if locked else ""
                raise _output_error(path, exc, hint) from exc
    except BaseException:
        for done in reversed(placed):
            done.undo()
        raise


@dataclass(frozen=True)
class _Placed:
    """A file this call put in place, and how to take it back."""

    path: Path
    ours: os.stat_result
    existed: bool
    backup: Path | None

    def undo(self) -> None:
        """The old file back, or no file where there was none; never touch a file that is
        no longer ours, and keep ours where the old content cannot be had back."""
        with contextlib.suppress(OSError):
            now = os.lstat(self.path)
            if (now.st_dev, now.st_ino) != (self.ours.st_dev, self.ours.st_ino):
                return
            if self.backup is not None:
                os.replace(self.backup, self.path)
            elif not self.existed:
                os.remove(self.path)


def _backup(path: Path) -> Path | None:
    """A second name (a pairctl temporary file) for the file at `path`, so that replacing it
    can be undone; None when no hard link can be made (a folder, some shares)."""
    for _ in range(100):
        backup = _temp_name(path)
        try:
            # The link itself, not what it points to: undoing must put the link back.
            os.link(path, backup, follow_symlinks=False)
        except FileExistsError:
            continue
        except (OSError, NotImplementedError):
            return None
        return backup
    return None


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete the temporary files killed earlier runs left in `path`'s folder; return them.

    Those are the regular files named like pairctl's temporary files (see the module
    docstring), whatever output they were for, and `.{path.name}.{8 hex digits}.tmp`, which
    earlier releases wrote. Names are compared literally, never as a pattern; a symlink or a
    folder is never removed, nor anything it points to.

    Call only while holding the folder lock (`output.lock.folder_lock`): then no other run
    can be writing one of them.
    """
    folder = Path(path).parent
    old_prefix = f".{Path(path).name}"
    removed: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            names = [
                entry.name
                for entry in entries
                if _is_our_temp(entry.name, old_prefix) and entry.is_file(follow_symlinks=False)
            ]
    except OSError:
        return removed
    for name in names:
        stale = folder / name
        # An unlink never follows a symlink, so a name swapped for one meanwhile is harmless.
        with contextlib.suppress(OSError):
            os.unlink(stale)
            removed.append(stale)
    return removed


def _is_our_temp(name: str, old_prefix: str) -> bool:
    if _TEMP_NAME.fullmatch(name):
        return True
    return name.startswith(old_prefix) and bool(_OLD_TEMP_TAIL.fullmatch(name, len(old_prefix)))


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
        tmp = _temp_name(path)
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"no free temporary name beside {path}")


def _temp_name(path: Path) -> Path:
    """A fresh temporary name beside `path`. The target's name is shortened when needed, so
    that any name the folder can hold still has a temporary name that fits (255 bytes)."""
    tail = f".pairctl-{secrets.token_hex(4)}.tmp"
    name = path.name
    while len(os.fsencode(f".{name}{tail}")) > _NAME_MAX and len(name) > 1:
        name = name[:-1]
    return path.with_name(f".{name}{tail}")


def _check_folder(path: Path) -> None:
    folder = path.parent
    try:
        if folder.is_dir():
            return
        reason = "not a folder" if folder.exists() else "no such folder"
    except OSError as exc:  # a folder name too long, say: is_dir only hides "not found"
        raise _output_error(path, exc) from exc
    raise OutputError(f"cannot write {path}: {reason}: {folder}")


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
