"""Reading an exported results file into a header and rows, whatever the tool wrote.

CSV goes through :func:`surveyapp.csv_import.decode` (UTF-8, UTF-8 with BOM, GB18030/GBK as
Chinese Excel writes it; or the encoding given), XLSX through python-calamine (a Rust reader,
about twelve times faster than openpyxl's read-only mode on a 问卷星 export) when the sheet is
known to fit in memory, else streamed by openpyxl (``_fits_in_memory``). Rows are produced with
their line number (the header is line 1). XLSX cells keep their type, the same from both
readers: a date cell is a ``datetime``, a number an ``int`` (when whole) or ``float`` (an Excel
serial date is parsed later, by the column's mapping), an empty cell ``None``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree

from flask_babel import lazy_gettext as _l

from ..csv_import import CellError, decode

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 container of a BIFF .xls workbook
# A workbook's members are bounded before any of them is read (issue #19, item 6): a 200 KB
# file whose members inflate to 200 MB once cost a worker 600-800 MB. Real exports inflate
# 5 to 30 times (XML); a zip bomb hundreds of times.
MAX_INFLATED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 150
RATIO_FLOOR_BYTES = 1024 * 1024  # small members may compress better (an empty grid)
# Qualtrics writes two more header rows: the question labels and ``{"ImportId": ...}``.
IMPORT_ID = re.compile(r"""^\{\s*["']ImportId["']\s*:""")
ENCODINGS = {
    "utf-8": "utf-8-sig",
    "utf8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb18030": "gb18030",
}


class FileUnreadable(ValueError):
    """The file is neither a readable CSV nor an XLSX workbook; the message says why."""


@dataclass
class Table:
    """The header (stripped cell texts) and an iterator of ``(line, cells)``."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    kind: str
    extra_header_rows: int = 0


def read_table(
    data: bytes, *, encoding: str | None = None, header_rows: int | None = None
) -> Table:
    """The file as a :class:`Table`; raises :class:`FileUnreadable`.

    ``header_rows`` is the number of header rows (the first one names the columns, the others
    are skipped); None detects Qualtrics' three (its third row holds ``{"ImportId": ...}``).
    """
    if data.startswith(XLSX_MAGIC):
        table = _read_xlsx(data)
    elif data.startswith(XLS_MAGIC):
        table = _read_with_calamine(data, kind="xls")
    else:
        table = _read_csv(data, encoding)
    return _below_header(table, header_rows)


def _below_header(table: Table, header_rows: int | None) -> Table:
    """The table without its extra header rows (given, or detected for Qualtrics)."""
    head = []
    for row in table.rows:
        head.append(row)
        if len(head) >= 2:
            break
    if header_rows is None:
        header_rows = 1
        for number, (_, cells) in enumerate(head, start=2):
            if any(IMPORT_ID.match(_text(cell)) for cell in cells[:3]):
                header_rows = number
    skip = max(0, min(header_rows - 1, len(head)))
    table.extra_header_rows = skip
    table.rows = _chain(head[skip:], table.rows)
    return table


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


def _read_csv(data: bytes, encoding: str | None) -> Table:
    codec = ENCODINGS.get(encoding.lower(), encoding) if encoding else None
    try:
        text = decode(data, codec)
    except CellError as exc:
        raise FileUnreadable(str(exc)) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise FileUnreadable(str(exc)) from None
    if not header or not any(cell.strip() for cell in header):
        raise FileUnreadable(str(_l("The file is empty or has no header line.")))
    return Table([cell.strip() for cell in header], _csv_rows(reader), "csv")


def _csv_rows(reader) -> Iterator[tuple[int, list[Any]]]:
    line = 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileUnreadable(
                str(_l("Line %(line)s cannot be read as CSV: %(error)s", line=line, error=exc))
            ) from None
        start, line = line, reader.line_num + 1
        if any(cell.strip() for cell in cells):
            yield start, cells


def _read_xlsx(data: bytes) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileUnreadable(str(_l("The file is not a readable XLSX workbook."))) from exc
    with archive:
        check_inflation(archive)
        fits = _fits_in_memory(archive)
    return _read_with_calamine(data) if fits else _read_with_openpyxl(data)


def check_inflation(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose members would inflate beyond ``MAX_INFLATED_BYTES`` in all, or
    one member beyond ``MAX_RATIO`` times its compressed size; read from the zip directory
    (``infolist``) before any member is opened. A member that inflates beyond its declared
    size is stopped by :mod:`zipfile`, which reads no further than ``file_size``."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise FileUnreadable(
                str(_l("The workbook is compressed suspiciously well (a zip bomb?); save it "
                       "again from Excel or as CSV."))
            )  # fmt: skip
    if total > MAX_INFLATED_BYTES:
        raise FileUnreadable(
            str(_l("The workbook inflates to more than %(mb)s MB; split it or save it as CSV.",
                   mb=MAX_INFLATED_BYTES // (1024 * 1024)))
        )  # fmt: skip


def _read_with_calamine(data: bytes, kind: str = "xlsx") -> Table:
    """The sheet that holds the responses: the first, unless a later one is named like
    Google Forms' ``Form Responses 1`` (its other sheets are pivots and notes)."""
    from python_calamine import CalamineError, CalamineWorkbook

    unreadable = (
        _l("The file is not a readable XLS workbook.")
        if kind == "xls"
        else _l("The file is not a readable XLSX workbook.")
    )
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = iter(book.get_sheet_by_index(_response_sheet(book.sheet_names)).iter_rows())
        header = next(rows, None)
    except (CalamineError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileUnreadable(str(unreadable)) from exc
    return _table(header, (_row(cells) for cells in rows), kind)


def _response_sheet(names: list[str]) -> int:
    for index, name in enumerate(names):
        if name.strip().casefold().startswith("form responses"):
            return index
    return 0


def _read_with_openpyxl(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = book.worksheets[_response_sheet(book.sheetnames)].iter_rows(values_only=True)
        header = next(rows, None)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as exc:
        raise FileUnreadable(str(_l("The file is not a readable XLSX workbook."))) from exc
    return _table(header, _closing(book, (list(cells) for cells in rows)))


def _table(header, rows: Iterator[list[Any]], kind: str = "xlsx") -> Table:
    if not header or not any(_text(cell) for cell in header):
        raise FileUnreadable(str(_l("The file is empty or has no header line.")))
    width = len(header)
    while width and not _text(header[width - 1]):
        width -= 1
    return Table([_text(cell) for cell in header[:width]], _numbered(rows), kind)


def _numbered(rows: Iterator[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    for line, values in enumerate(rows, start=2):
        if any(cell is not None and _text(cell) for cell in values):
            yield line, values


def _closing(book, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    try:
        yield from rows
    finally:
        book.close()


def _row(cells) -> list[Any]:
    """calamine's values as openpyxl gives them: whole numbers ``int``, empty cells ``None``,
    a date cell a ``datetime`` (calamine gives a ``date`` when the time is 00:00, which the
    row parser would read as noon and hash differently for the source id)."""
    values = []
    for cell in cells:
        if cell == "":
            cell = None
        elif type(cell) is float:
            if cell.is_integer():
                cell = int(cell)
        elif type(cell) is date:
            cell = datetime(cell.year, cell.month, cell.day)
        values.append(cell)
    return values


# python-calamine holds the first sheet's whole used range in memory, about 32 bytes a cell,
# however few cells are filled: one stray cell at ZZ200000 asks for 4.5 GB and aborts the
# process. Only a sheet known to fit goes to calamine; any other is streamed by openpyxl.
MAX_CALAMINE_CELLS = 5_000_000
SHEET_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)\"")
LAST_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"')
TWO_LETTER_COLUMN = re.compile(rb'<c r="([A-Z]{2,3})[0-9]')


def _fits_in_memory(archive: zipfile.ZipFile) -> bool:
    """Whether calamine may read the first sheet: its extent (the larger of the sheet's
    declared dimension and its last cell, the widest column found) is at most
    ``MAX_CALAMINE_CELLS``, every cell names its place (``r="B7"``), none is an error value
    (openpyxl keeps ``#DIV/0!`` as text, to be reported; calamine reads it as blank).
    Anything unusual: False (openpyxl streams it). The widest column is found from every cell;
    the last row from the dimension and the last cell, since every writer we import from writes
    rows in order (a crafted file with a far row early and a false dimension is not caught)."""
    path = _first_sheet_path(archive)
    if path is None:
        return False
    rows = columns = 0
    wide: set[bytes] = set()
    has_cells, last = False, None
    with archive.open(path) as stream:
        for number, body in enumerate(_tag_aligned(stream)):
            if number == 0 and (found := DIMENSION.search(body)):
                columns, rows = _column_number(found.group(1)), int(found.group(2))
            if b't="e"' in body or body.count(b"<c ") != body.count(b'<c r="'):
                return False
            at = body.rfind(b'<c r="')
            if at >= 0:
                has_cells, last = True, LAST_CELL.match(body, at)
                wide.update(TWO_LETTER_COLUMN.findall(body))
    if last is not None:
        rows = max(rows, int(last.group(2)))
        columns = max(columns, _column_number(last.group(1)))
    columns = max([columns, 26 if has_cells else 0, *map(_column_number, wide)])
    return not has_cells or 0 < rows * columns <= MAX_CALAMINE_CELLS


def _tag_aligned(stream, size: int = 1 << 20) -> Iterator[bytes]:
    """The stream in pieces of about ``size`` bytes, each cut before a tag starts (``<``), so
    no tag is split between two pieces."""
    carry = b""
    while chunk := stream.read(size):
        body = carry + chunk
        cut = body.rfind(b"<")
        body, carry = (body[:cut], body[cut:]) if cut > 0 else (body, b"")
        yield body
    if carry:
        yield carry


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    sheet = next((e for e in book.iter() if e.tag.endswith("}sheet")), None)
    if sheet is None or sheet.get(SHEET_REL) is None:
        return None
    for rel in rels:
        if rel.get("Id") == sheet.get(SHEET_REL):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return path if path in archive.namelist() else None
    return None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def first_rows(table: Table, n: int) -> list[tuple[int, list[Any]]]:
    """The first ``n`` rows (consumes them from ``table.rows``)."""
    out = []
    for row in table.rows:
        out.append(row)
        if len(out) >= n:
            break
    return out
