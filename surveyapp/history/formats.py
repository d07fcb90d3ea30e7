"""Reading an exported results file into a header and rows, whatever the tool wrote.

CSV goes through :func:`surveyapp.csv_import.decode` (UTF-8, UTF-8 with BOM, GB18030/GBK as
Chinese Excel writes it; or the encoding given), XLSX through python-calamine (a Rust reader,
about twelve times faster than openpyxl's read-only mode on a 问卷星 export). Rows are produced
with their line number (the header is line 1). XLSX cells keep their type: a date cell is a
``datetime`` (or ``date``), a number an ``int`` (when whole) or ``float`` (an Excel serial date
is parsed later, by the column's mapping), an empty cell ``None``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from ..csv_import import CellError, decode

XLSX_MAGIC = b"PK\x03\x04"
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


def read_table(data: bytes, *, encoding: str | None = None) -> Table:
    """The file as a :class:`Table`; raises :class:`FileUnreadable`."""
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data)
    return _read_csv(data, encoding)


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
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = iter(book.get_sheet_by_index(0).iter_rows())
        header = next(rows, None)
    except (CalamineError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileUnreadable(str(_l("The file is not a readable XLSX workbook."))) from exc
    if not header or not any(_text(cell) for cell in header):
        raise FileUnreadable(str(_l("The file is empty or has no header line.")))
    width = len(header)
    while width and not _text(header[width - 1]):
        width -= 1
    return Table([_text(cell) for cell in header[:width]], _xlsx_rows(rows), "xlsx")


def _xlsx_rows(rows) -> Iterator[tuple[int, list[Any]]]:
    for line, cells in enumerate(rows, start=2):
        values = [_cell(cell) for cell in cells]
        if any(cell is not None and _text(cell) for cell in values):
            yield line, values


def _cell(cell: Any) -> Any:
    """calamine's value as openpyxl gave it: whole numbers as ``int``, empty cells ``None``."""
    if cell == "":
        return None
    if type(cell) is float and cell.is_integer():
        return int(cell)
    return cell


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
