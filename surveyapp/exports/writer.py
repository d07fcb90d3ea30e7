"""The one export writer: CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX.

Text cells that a spreadsheet would read as a formula (starting with = + - @, or a tab or
carriage return) are neutralised with a leading apostrophe; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def write_table(
    header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, sheet: str = "data"
) -> bytes:
    """Serialise a table; ``fmt`` is ``csv`` or ``xlsx``."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in header])
        writer.writerows([neutralise(v) for v in row] for row in rows)
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        from openpyxl import Workbook  # loaded when an XLSX is asked for

        book = Workbook(write_only=True)
        worksheet = book.create_sheet(sheet[:31])
        worksheet.append([neutralise(h) for h in header])
        for row in rows:
            worksheet.append([neutralise(v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"unknown export format {fmt!r}")
