"""Workbooks (xlsx, xls, ods) through calamine: sheet names, and each sheet as a `Grid`."""

from __future__ import annotations

import io
import os

from pairctl.errors import RosterError
from pairctl.roster.sources import (
    OLE_MAGIC,
    WORKBOOK_EXTENSIONS,
    Cell,
    Grid,
    looks_like_workbook,
    shorten,
)

# An encrypted OOXML workbook is an OLE container holding a stream of this name (UTF-16).
_ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")


class Workbook:
    """A calamine workbook: sheet names in order, and each sheet as a `Grid`."""

    def __init__(self, path: str, data: bytes, where: str) -> None:
        import python_calamine  # deferred: only workbook users pay for the import

        self._where = where
        self._error_type = python_calamine.CalamineError
        if data.startswith(OLE_MAGIC):
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


_PROBE = """
import io, sys
import python_calamine
book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
for name in book.sheet_names:
    try:
        book.get_sheet_by_name(name).to_python()
    except Exception:
        pass
"""


def _probe_in_child(data: bytes, where: str) -> None:
    """Open an old binary workbook in a child process first.

    calamine can abort the whole process on some damaged .xls files (it tries to allocate
    tens of GB, or panics where Python cannot catch it: calamine issues 550, 714). A child
    that dies tells us the file is damaged, and this process lives to say so in one line.
    Errors calamine reports normally are left to the real read, which words them better.
    """
    import subprocess
    import sys

    try:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE],
            input=data,
            capture_output=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RosterError(f"{where}: cannot read workbook (reading it did not finish)") from None
    if done.returncode < 0 or done.returncode > 1:
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
