"""One pairctl run at a time per output folder, so two runs cannot interleave their sheets."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from pairctl.errors import OutputError


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` while the body runs; fail at once if another run
    holds it. The lock is an advisory `flock` on the folder itself: it leaves no file behind,
    and the system releases it when the process ends, however it ends, so a killed run never
    leaves the folder locked."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no cross-process lock; the atomic write still holds
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except FileNotFoundError:
        yield  # the write itself reports the missing folder, with the file name
        return
    except OSError as error:
        raise OutputError(f"cannot write in {folder}: {error.strerror or error}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"{folder}: another pairctl run is writing here; try again when it has finished"
            ) from None
        yield
    finally:
        os.close(fd)
