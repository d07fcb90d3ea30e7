"""The one CSV reader for imports (customers now; tickets and history later).

``read_csv(data, columns)`` decodes the file (UTF-8 with or without BOM, else GB18030, which
is what Excel writes on Chinese Windows), matches the header against a column spec, parses each
row and collects every problem as ``(line, column, problem)`` so a user can fix the whole file
in one go. Line numbers are the file's physical lines (the header is line 1), also when a quoted
cell spans several lines. Problems are lazy translated strings; callers render them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

MAX_ROWS = 100_000


class CellError(ValueError):
    """Raised by a column's parser; its message is shown to the user."""


@dataclass(frozen=True)
class Column:
    """One column: its name in the header, other accepted header names, and how to parse it.

    ``parse`` takes the stripped cell text (never empty) and returns the value or raises
    ``CellError``. An empty cell gives ``default``, or a problem when the column is required.
    """

    name: str
    required: bool = False
    parse: Callable[[str], Any] = str
    max_length: int | None = None
    default: Any = None
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {_header_key(n) for n in (self.name, *self.aliases)}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str | None
    problem: str


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]


@dataclass
class ImportReport:
    """What a read found: the good rows and every problem, file-level ones at line 1 or 0."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_problem: bool = False
    rows_total: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_lines(self) -> set[int]:
        return {p.line for p in self.problems}

    def add(self, line: int, column: str | None, problem: Any) -> None:
        self.problems.append(Problem(line, column, str(problem)))


def decode(data: bytes, encoding: str | None = None) -> str:
    """UTF-8 (a BOM is dropped), else GB18030; raises ``CellError`` when neither fits.

    ``encoding`` (a Python codec name such as ``gbk``) is tried alone when given.
    """
    for codec in (encoding,) if encoding else ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" in text:
            break
        return text
    raise CellError(_l("The file is not a text CSV file in UTF-8 or GB18030 encoding."))


def _header_key(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def read_csv(data: bytes, columns: Sequence[Column], *, max_rows: int = MAX_ROWS) -> ImportReport:
    report = ImportReport()
    try:
        text = decode(data)
    except CellError as exc:
        report.add(0, None, exc)
        report.file_problem = True
        return report
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        report.add(1, None, _l("The header line cannot be read: %(error)s", error=str(exc)))
        report.file_problem = True
        return report
    if not header or not any(cell.strip() for cell in header):
        report.add(1, None, _l("The file is empty or has no header line."))
        report.file_problem = True
        return report

    positions = _match_header(header, columns, report)
    if report.problems:
        report.file_problem = True
        return report

    line = 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report.add(line, None, _l("This line cannot be read as CSV: %(error)s", error=str(exc)))
            report.file_problem = True
            return report
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        report.rows_total += 1
        if report.rows_total > max_rows:
            report.add(start, None, _l("The file has more than %(n)s rows; split it.", n=max_rows))
            report.file_problem = True
            return report
        _read_row(start, cells, header, columns, positions, report)
    return report


def _match_header(
    header: list[str], columns: Sequence[Column], report: ImportReport
) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = _header_key(raw)
        column = next((c for c in columns if key in c.names()), None)
        if column is None:
            report.add(
                1,
                raw.strip(),
                _l(
                    "Unknown column; expected some of: %(names)s",
                    names=", ".join(c.name for c in columns),
                ),
            )
        elif column.name in positions:
            report.add(1, raw.strip(), _l("This column appears twice."))
        else:
            positions[column.name] = index
    for column in columns:
        if column.required and column.name not in positions:
            report.add(1, column.name, _l("This required column is missing."))
    return positions


def _read_row(
    line: int,
    cells: list[str],
    header: list[str],
    columns: Sequence[Column],
    positions: dict[str, int],
    report: ImportReport,
) -> None:
    if len(cells) > len(header):
        report.add(
            line,
            None,
            _l("This line has %(n)s cells but the header has %(m)s.", n=len(cells), m=len(header)),
        )
        return
    values: dict[str, Any] = {}
    fine = True
    for column in columns:
        index = positions.get(column.name)
        cell = cells[index].strip() if index is not None and index < len(cells) else ""
        if not cell:
            if column.required:
                report.add(line, column.name, _l("A value is required."))
                fine = False
            values[column.name] = column.default
            continue
        if column.max_length is not None and len(cell) > column.max_length:
            report.add(line, column.name, _l("Longer than %(n)s characters.", n=column.max_length))
            fine = False
            continue
        try:
            values[column.name] = column.parse(cell)
        except CellError as exc:
            report.add(line, column.name, exc)
            fine = False
    if fine:
        report.rows.append(Row(line, values))


def read_records(records: Sequence[dict[str, str]], columns: Sequence[Column]) -> ImportReport:
    """Check records that arrive as objects (the JSON API) with the same column checks as a
    CSV file's rows: a record's cells by column name, missing ones empty; each problem's
    ``line`` is the record's index (from 0)."""
    report = ImportReport(rows_total=len(records))
    names = [column.name for column in columns]
    positions = {name: index for index, name in enumerate(names)}
    for index, record in enumerate(records):
        _read_row(index, [record.get(n, "") for n in names], names, columns, positions, report)
    return report
