"""Workbooks (xlsx, xls, ods) through calamine: sheet names, and each sheet as a `Grid`."""

from __future__ import annotations

import io
import os

from pairctl.errors import RosterError
from pairctl.roster.sources import (
    MAX_INPUT_BYTES,
    OLE_MAGIC,
    WORKBOOK_EXTENSIONS,
    Cell,
    Grid,
    looks_like_workbook,
    shorten,
)
from pairctl.roster.workbook_guard import check_workbook

# An encrypted OOXML workbook is an OLE container holding a stream of this name (UTF-16).
_ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")


class Workbook:
    """A calamine workbook: sheet names in order, and each sheet as a `Grid`."""

    def __init__(
        self, path: str, data: bytes, where: str, *, budget: int = MAX_INPUT_BYTES
    ) -> None:
        """Open the workbook in `data` (read from `path`, named `where` in messages).

        `budget` is the most it may unpack to, in bytes. A workbook that would make calamine
        allocate far more than that is refused before calamine sees it (workbook_guard);
        one the checks cannot vouch for is first read by a memory-limited child process.
        """
        import python_calamine  # deferred: only workbook users pay for the import

        self._where = where
        if check_workbook(data, where, budget=budget):
            _probe_in_child(data, where)
        try:
            self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except BaseException as error:
            _reraise_interrupts(error)
            raise RosterError(
                f"{where}: cannot read workbook ({_workbook_reason(path, data, error)})"
            ) from None
        meta = self._book.sheets_metadata
        self.names: list[str] = [m.name for m in meta]
        worksheet = python_calamine.SheetTypeEnum.WorkSheet
        visible = python_calamine.SheetVisibleEnum.Visible
        # Hidden sheets usually hold lookup tables; try the ones a person sees first.
        sheets = [m for m in meta if m.typ == worksheet]
        self.candidates: list[str] = [m.name for m in sheets if m.visible == visible]
        self.candidates += [m.name for m in sheets if m.visible != visible]

    def where(self, name: str) -> str:
        """The start of a message about sheet `name`: the sheet is named only when there are
        several, since with one it is noise."""
        return f"{self._where}, sheet {name!r}" if len(self.names) > 1 else self._where

    def grid(self, name: str) -> Grid:
        try:
            sheet = self._book.get_sheet_by_name(name)
            # skip_empty_area=False keeps row i as spreadsheet row i + 1.
            rows: list[list[Cell]] = sheet.to_python(skip_empty_area=False)
        except BaseException as error:
            _reraise_interrupts(error)
            reason = shorten(str(error)) or type(error).__name__
            raise RosterError(
                f"{self._where}: cannot read workbook (sheet {name!r}: {reason})"
            ) from None
        return Grid(rows, typed=True)


# Run as `python -I -c _PROBE LIMIT ROOT`: limit the child's memory first, find calamine where
# this process found it, then read every sheet the way Workbook.grid does. It exits 0 when it
# lived through the read, calamine errors included: this process then reads just as far, no
# farther, and words the error better. Out of memory it exits 3; anything else is a crash.
_PROBE = """
import io, sys
try:
    import resource
except ImportError:
    resource = None
limit = int(sys.argv[1])
if resource is not None:
    for kind, value in ((resource.RLIMIT_AS, limit), (resource.RLIMIT_CORE, 0)):
        hard = resource.getrlimit(kind)[1]
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))
sys.path.append(sys.argv[2])
import python_calamine


def near_the_limit():
    if resource is None:
        return False
    unit = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit > limit * 0.6


try:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
    for name in book.sheet_names:
        try:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except python_calamine.CalamineError:
            pass
except python_calamine.CalamineError:
    pass
except MemoryError:
    sys.exit(3)
except BaseException:
    # pyo3 turns a failed allocation into a panic ("PyObject pointer is null").
    if near_the_limit():
        sys.exit(3)
    raise
"""
_PROBE_OUT_OF_MEMORY = 3
_PROBE_SECONDS = 120
_PROBE_MEMORY = 900 * 1024 * 1024
"""The child's memory on top of two copies of the file: about five times what calamine needs
for a 100,000-row ODS roster, and so a bomb that reaches the child stops short of 1 GB."""


def _probe_in_child(data: bytes, where: str) -> None:
    """Read the workbook once in an isolated child process with limited memory and time.

    calamine can abort the whole process on some damaged .xls files (it tries to allocate
    tens of GB, or panics where Python cannot catch it: calamine issues 550, 714), and any
    workbook the in-process checks cannot vouch for may ask for gigabytes. A child that dies
    tells us the file is damaged or hostile, and this process lives to say so in one line.
    Errors calamine reports normally are left to the real read, which words them better;
    any other end of the child (a panic, a signal, a timeout) refuses the file.

    The child runs `python -I` from the filesystem root: no working folder or user site on
    its path and no PYTHON* variables, so a planted python_calamine.py or sitecustomize.py
    is never imported.
    """
    import subprocess
    import sys

    import python_calamine

    limit = _PROBE_MEMORY + 2 * len(data)
    calamine_root = os.path.dirname(os.path.dirname(os.path.abspath(python_calamine.__file__)))
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", _PROBE, str(limit), calamine_root],
            input=data,
            capture_output=True,
            timeout=_PROBE_SECONDS,
            check=False,
            cwd=os.path.abspath(os.sep),
        )
    except subprocess.TimeoutExpired:
        raise RosterError(
            f"{where}: cannot read workbook (reading it did not finish in "
            f"{_PROBE_SECONDS} seconds; save the roster as CSV)"
        ) from None
    if done.returncode == _PROBE_OUT_OF_MEMORY or b"memory allocation of" in done.stderr:
        raise RosterError(
            f"{where}: cannot read workbook (reading it needs more than {limit / 2**20:,.0f} MB "
            "of memory: a sheet reaches far beyond its data, or the file is damaged; delete "
            "what is beyond the roster or save it as CSV)"
        )
    if done.returncode != 0:
        raise RosterError(
            f"{where}: cannot read workbook (the file is damaged: the reader crashed on it)"
        )


def _reraise_interrupts(error: BaseException) -> None:
    # calamine turns a Rust panic on a damaged file into pyo3's PanicException, which derives
    # from BaseException; that is a bad file, but Ctrl-C and exits must still get through.
    if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise error


def _workbook_reason(path: str, data: bytes, error: BaseException) -> str:
    """A short reason a workbook did not open, in words a coordinator can act on."""
    if type(error).__name__ == "PasswordError":
        return "it is password-protected; save a copy without a password"
    if not data:
        return "the file is empty"
    if data.startswith(OLE_MAGIC) and _ENCRYPTED_STREAM in data:
        return "it is password-protected; save a copy without a password"
    if not looks_like_workbook(data):
        # "Export to Excel" buttons often write HTML or CSV under an .xls name.
        head = data[:4096].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
            return "not an Excel or OpenDocument file: it is a web page or XML"
        if b"\x00" not in head:
            return "not an Excel or OpenDocument file: it looks like text; rename it to .csv"
        return "not an Excel or OpenDocument file"
    # from_filelike only says "Cannot detect file format"; reading by extension says more.
    if path != "-" and os.path.splitext(path)[1].casefold() in WORKBOOK_EXTENSIONS:
        import python_calamine

        try:
            python_calamine.CalamineWorkbook.from_path(path).close()
        except BaseException as detail:
            _reraise_interrupts(detail)
            return f"damaged or not a workbook: {shorten(str(detail))}"
    return f"damaged or not a workbook: {shorten(str(error))}"
