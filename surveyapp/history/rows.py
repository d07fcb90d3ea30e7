"""One row of an exported file checked and turned into what will be stored.

:class:`RowParser` applies a :class:`~surveyapp.history.mapping.Mapping` to a row: the date in
the contract's time zone (and inside the contract), each mapped answer through the value map or
the question's options, contact cells checked; every problem goes to the ``ImportReport`` as
``(line, column, problem)``. The source id is the file's response id or, when the file has
none, ``row:`` and a SHA-256 of the mapped cells, so the same row always gets the same id.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ..csv_import import CellError, ImportReport, Problem
from ..models import Contract, Question, QuestionType, SurveyVersion, utcnow
from .mapping import ALL_QUESTIONS, Mapping

BATCH = 5000
MEMO_SIZE = 1000
TEXT_LIMIT = 5000
EXCEL_EPOCH = datetime(1899, 12, 30)
MULTI_SEPARATORS = re.compile(r"\s*[┋|;；]\s*")
DATE_RE = re.compile(
    r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
PLAIN_TIME = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})")
OPEN_TEXT = re.compile(r"〖.*?〗")
HEADER_OPTION = re.compile(r"\[([^\[\]]+)\]|[(（]([^()（）]+)[)）]")
TICKED = frozenset({"y", "yes", "1", "是", "√", "✓", "true"})
UNTICKED = frozenset({"n", "no", "0", "否", "false"})
SKIPPED = frozenset({"(跳过)", "（跳过）"})
WJX_CODED_SKIPS = frozenset({"-2", "-3"})  # 按序号: skipped, not shown
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAY_MON_YEAR = re.compile(
    r"(\d{1,2})-(" + "|".join(MONTHS) + r")-(\d{4})(?:\s+(\d{1,2}:\d{2}(?::\d{2})?))?",
    re.IGNORECASE,
)
LETTER_PREFIX = re.compile(r"^[A-Z]{1,2}[.．、]\s*")
SCORE_SUFFIX = re.compile(r"\s*(?:分|points?|pts?)$", re.IGNORECASE)
# A number inside a label: LimeSurvey's ``Agree (6)``, ``(5)``, ``(7) Very clear goals``, ``4)``.
NUMBER_IN_LABEL = re.compile(r"^\(?(\d{1,2})\)|\((\d{1,2})\)\s*$")
SLASH_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)
INCOMPLETE_PRESETS = ("limesurvey", "qualtrics")


class HistoryReport(ImportReport):
    """An import's report: problems (``(line, column, problem)``), and beside them the notes
    that do not stop a row (a comment truncated, "other" text kept), the incomplete responses
    (not submitted), the rows kept with a "no answer" cell and those kept without a cell."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list = []
        self.incomplete: list[int] = []
        self.no_answer_rows = 0
        self.kept_rows: set[int] = set()
        self.refused_rows: set[int] = set()

    def note(self, line: int, column: str | None, text: Any) -> None:
        self.notes.append(Problem(line, column, str(text)))


class NumbersUnchosen(CellError):
    """Bare numbers in a rating column of a 问卷星 file: scores or option numbers? The user
    must say (``Mapping.numbers``)."""


def scale_score(value: int, scale: list[int], kind: str) -> int:
    """A value of the file's scale ``[first, last]`` on the survey's scale (1..5 for a rating,
    0..10 for NPS), linearly, halves rounded up."""
    low, high = (1, 5) if kind == QuestionType.RATING else (0, 10)
    first, last = scale
    if not first <= value <= last:
        raise CellError(
            _l("Score %(value)s out of range %(low)s–%(high)s.", value=value, low=first,
               high=last)
        )  # fmt: skip
    scaled = low + (value - first) * (high - low) / (last - first)
    return int(scaled + 0.5)


def scale_table(scale: list[int], kind: str) -> list[tuple[int, int]]:
    """(value in the file, score stored) for every point of the file's scale."""
    first, last = scale
    return [(v, scale_score(v, scale, kind)) for v in range(first, last + 1)]


class MappingInvalid(ValueError):
    """The mapping does not fit the file or the version; the message says why."""


class Column(NamedTuple):
    """A mapped column: where it is, which question (``slot`` in :attr:`RowParser.questions`)
    it answers, and for one column per option of a multiple-choice question, which option."""

    index: int
    name: str
    question: Question
    slot: int
    grouped: bool = False
    option: int | None = None


class ParsedRow(NamedTuple):
    line: int
    source_id: str
    submitted_at: datetime
    month: str
    values: tuple[Any, ...]
    contact: dict[str, str] | None = None


class RowParser:
    """Turns one row of the file into a :class:`ParsedRow`, or adds its problems to a report."""

    def __init__(
        self,
        contract: Contract,
        version: SurveyVersion,
        mapping: Mapping,
        header: list[str],
        *,
        now: datetime | None = None,
        strict: bool = False,
    ) -> None:
        positions = {}
        for index, name in enumerate(header):
            positions.setdefault(name, index)
        if mapping.date_column not in positions and not mapping.month:
            raise MappingInvalid(
                _l("Choose the column that holds the date of each response, or give the month "
                   "of the whole file.")
            )  # fmt: skip
        self.fixed_month = None
        if mapping.date_column not in positions:
            found = re.fullmatch(r"(\d{4})-(\d{1,2})", (mapping.month or "").strip())
            if not found or not 1 <= int(found.group(2)) <= 12:
                raise MappingInvalid(_l("The month of the file must read like 2025-03."))
            self.fixed_month = (int(found.group(1)), int(found.group(2)))
        for code, (first, last) in mapping.scales.items():
            if not 2 <= last - first + 1 <= 11 or first < 0:
                raise MappingInvalid(
                    _l("The scale of %(code)s must have 2 to 11 points.", code=code)
                )
        questions = {q.code: q for q in version.questions}
        for name, code in mapping.answers.items():
            if name not in positions:
                raise MappingInvalid(_l("The file has no column %(name)s.", name=name))
            if code not in questions:
                raise MappingInvalid(_l("The survey version has no question %(code)s.", code=code))
        if not mapping.answers:
            raise MappingInvalid(_l("Map at least one column to a question."))
        self.options = {
            q.id: _option_keys(q) for q in questions.values() if q.type in _CHOICE_TYPES
        }
        self.columns = self._columns(mapping, positions, questions)
        self.contacts = [
            (positions[h], h, f) for h, f in mapping.contacts.items() if h in positions
        ]
        self.date_index = positions.get(mapping.date_column) if self.fixed_month is None else None
        self.date_name = mapping.date_column
        self.id_index = positions.get(mapping.id_column) if mapping.id_column else None
        self.id_name = mapping.id_column
        self.value_map = {
            k.strip().casefold(): v for k, v in mapping.value_map.items() if isinstance(v, int)
        }
        self.option_map = {
            k.strip().casefold(): v.casefold()
            for k, v in mapping.value_map.items()
            if isinstance(v, str)
        }
        self.blanks = SKIPPED | (WJX_CODED_SKIPS if mapping.preset == "wjx" else frozenset())
        self.no_answer = [mapping.codes_for(c.question.code) for c in self.columns]
        self.scales = mapping.scales
        self.numbers = mapping.numbers
        self.preset = mapping.preset
        self.strict = strict
        self.date_order = mapping.date_order
        self.unresolved_numbers: set[str] = set()
        self.all_codes = mapping.codes_for(ALL_QUESTIONS)
        self.tz = ZoneInfo(contract.timezone)
        self.first_day = contract.first_day
        self.last_day = contract.end_date
        self.now = now or utcnow()
        # Scores and choices have few distinct cells: each is parsed once (texts are not kept).
        self.memos = [None if c.question.type == QuestionType.TEXT else {} for c in self.columns]
        self.grouped_slots = sorted({c.slot for c in self.columns if c.grouped})

    def _columns(
        self, mapping: Mapping, positions: dict[str, int], questions: dict[str, Question]
    ) -> list[Column]:
        """One question per slot; several columns may answer one multiple-choice question,
        one column per option (LimeSurvey's ``Q5[SQ001]``, 问卷星's ``第5题(选项)``)."""
        counts = Counter(mapping.answers.values())
        slots: dict[str, int] = {}
        columns = []
        for name, code in mapping.answers.items():
            question = questions[code]
            grouped = counts[code] > 1
            if grouped and question.type != QuestionType.MULTIPLE:
                raise MappingInvalid(
                    _l(
                        "Question %(code)s is mapped from more than one column; only a "
                        "multiple-choice question takes one column per option.",
                        code=code,
                    )
                )
            slot = slots.setdefault(code, len(slots))
            option = self._header_option(name, question) if grouped else None
            columns.append(Column(positions[name], name, question, slot, grouped, option))
        self.questions: list[Question] = [questions[code] for code in slots]
        return columns

    def _header_option(self, name: str, question: Question) -> int | None:
        """The option a column stands for, named in its header in brackets (LimeSurvey,
        问卷星) or after a colon (腾讯问卷's ``21.question:option``): an option code, its text,
        or LimeSurvey's ``SQ001`` (the first option)."""
        keys = self.options[question.id]
        parts = [b or p for b, p in HEADER_OPTION.findall(name)]
        if ":" in name:
            parts.append(name.rpartition(":")[2])
        for part in reversed(parts):
            option_id = keys.get(LETTER_PREFIX.sub("", part.strip()).casefold())
            if option_id is not None:
                return option_id
        return None

    def parse(self, line: int, cells: list[Any], report: HistoryReport) -> ParsedRow | None:
        """The row as it will be stored, or None (refused or incomplete, in ``report``).

        A cell that cannot be used is reported and left out, the row's other answers are kept
        (``report.kept_rows``); in strict mode the whole row is refused instead. A date that
        cannot be used, or a row without any usable answer, refuses the row."""
        width = len(cells)
        fine = True
        raw_date = None
        if self.date_index is not None:
            raw_date = cells[self.date_index] if self.date_index < width else None
            if _text(raw_date) == "" and self.preset in INCOMPLETE_PRESETS:
                report.incomplete.append(line)
                return None
        try:
            local = self._date(raw_date)
        except CellError as exc:
            report.add(line, self.date_name, exc)
            report.refused_rows.add(line)
            return None
        values: list[Any] = [None] * len(self.questions)
        cell_problem = no_answer = False
        for column, memo, codes in zip(self.columns, self.memos, self.no_answer, strict=True):
            cell = cells[column.index] if column.index < width else None
            if codes and _text(cell).casefold() in codes:
                no_answer = True
                continue
            try:
                value = memo[cell]
            except (KeyError, TypeError):
                try:
                    if column.grouped:
                        value = self._checked(column, cell)
                    else:
                        value = self._answer(column.question, cell)
                except NumbersUnchosen:
                    self.unresolved_numbers.add(column.name)
                    value = None
                except CellError as exc:
                    value = exc
                if memo is not None and len(memo) < MEMO_SIZE and isinstance(cell, (str, int)):
                    memo[cell] = value
            if isinstance(value, Note):
                report.note(line, column.name, value.note)
                value = value.value
            if isinstance(value, CellError):
                report.add(line, column.name, value)
                cell_problem = True
            elif column.grouped:
                if value is not None:
                    values[column.slot] = (values[column.slot] or ()) + (value,)
            else:
                values[column.slot] = value
        for slot in self.grouped_slots:
            if values[slot] is not None:
                values[slot] = tuple(dict.fromkeys(values[slot]))
        if cell_problem and self.strict:
            fine = False
        elif all(v is None for v in values) and not no_answer:
            if not cell_problem:
                report.add(line, None, _l("The row has no answer in any mapped column."))
            fine = False
        contact = self._contact(line, cells, report) if self.contacts else None
        if not fine or contact is False:
            report.refused_rows.add(line)
            return None
        if cell_problem:
            report.kept_rows.add(line)
        if no_answer:
            report.no_answer_rows += 1
        return ParsedRow(
            line,
            self._source_id(cells, width),
            local.astimezone(UTC),
            f"{local.year:04d}-{local.month:02d}",
            tuple(values),
            contact or None,
        )

    def _source_id(self, cells: list[Any], width: int) -> str:
        if self.id_index is not None and self.id_index < width:
            value = _text(cells[self.id_index])
            if value:
                return value[:100]
        # The whole row, every cell: a remapped re-import of the same file gives the same ids.
        digest = hashlib.sha256("\x1f".join(_text(cell) for cell in cells).rstrip("\x1f").encode())
        return "row:" + digest.hexdigest()[:40]

    def _date(self, cell: Any) -> datetime:
        """The response's time in the contract's zone, checked against the contract."""
        if self.fixed_month is not None:
            local = datetime(*self.fixed_month, 15, 12, tzinfo=self.tz)
        else:
            local = _local_when(cell, self.tz, self.date_order)
        local_day = local.date()
        if local_day < self.first_day:
            raise CellError(
                _l("The date %(day)s is before the contract starts (%(start)s): change its "
                   "start date or leave those rows out.", day=local_day.isoformat(),
                   start=self.first_day.isoformat())
            )  # fmt: skip
        if self.last_day and local_day > self.last_day:
            raise CellError(
                _l("The date %(day)s is after the contract ends (%(end)s): change its end date "
                   "or leave those rows out.", day=local_day.isoformat(),
                   end=self.last_day.isoformat())
            )  # fmt: skip
        if local > self.now:
            raise CellError(_l("The date %(day)s is in the future.", day=local_day.isoformat()))
        return local

    def _checked(self, column: Column, cell: Any) -> int | None:
        """One option column: ticked (``Y``, ``Yes``, ``1``, ``是``) is the column's option,
        not ticked (blank, ``N``, ``No``, ``0``, ``否``) nothing, other text an option's text."""
        text = _text(cell)
        key = text.casefold()
        if not text or key in UNTICKED or key in self.blanks:
            return None
        if key in TICKED:
            if column.option is None:
                raise CellError(
                    _l("The header does not name one of the question's options; map the "
                       "column to the question only if it holds the option's text.")
                )  # fmt: skip
            return column.option
        return self._option(column.question, text)

    def _answer(self, question: Question, cell: Any) -> Any:
        text = _text(cell).lstrip("\t")
        if not text or text in self.blanks:
            return None
        kind = question.type
        if kind in (QuestionType.RATING, QuestionType.NPS):
            return self._score(question, cell, text)
        if kind == QuestionType.SINGLE:
            try:
                return self._option(question, text)
            except CellError:
                return Note(OtherText(text[:TEXT_LIMIT]), _l("Not one of the options: kept as "
                                                              "“other” text."))  # fmt: skip
        if kind == QuestionType.MULTIPLE:
            chosen: list[Any] = []
            others = []
            for part in MULTI_SEPARATORS.split(text):
                if not part:
                    continue
                try:
                    chosen.append(self._option(question, part))
                except CellError:
                    others.append(part)
            if others:
                chosen.append(OtherText("; ".join(others)[:TEXT_LIMIT]))
                return Note(tuple(dict.fromkeys(chosen)), _l("Not one of the options: kept as "
                                                             "“other” text."))  # fmt: skip
            return tuple(dict.fromkeys(chosen))
        limit = question.max_length or TEXT_LIMIT
        if len(text) > limit:
            return Note(
                text[:limit],
                _l("Longer than %(n)s characters: kept truncated to %(n)s.", n=limit),
            )
        return text

    def _score(self, question: Question, cell: Any, text: str) -> int:
        value = self.value_map.get(text.casefold())
        if value is None and LETTER_PREFIX.match(text):
            text = LETTER_PREFIX.sub("", text)
            value = self.value_map.get(text.casefold())
        points = self.scales.get(question.code)
        if value is None:
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                number = float(cell)
            else:
                embedded = NUMBER_IN_LABEL.search(text)
                try:
                    if embedded:
                        number = float(embedded.group(1) or embedded.group(2))
                    else:
                        number = float(SCORE_SUFFIX.sub("", text))
                except ValueError:
                    raise CellError(
                        _l("Unknown answer label %(label)s.", label=text[:50])
                    ) from None
            if not number.is_integer():
                raise CellError(_l("The score %(value)s is not a whole number.", value=text[:20]))
            value = int(number)
            if self.preset == "wjx" and question.type == QuestionType.RATING:
                value = self._numbered(value, points)
        if points is not None:
            return scale_score(value, points, question.type)
        low, high = (1, 5) if question.type == QuestionType.RATING else (0, 10)
        if not low <= value <= high:
            raise CellError(
                _l(
                    "Score %(value)s out of range %(low)s–%(high)s.",
                    value=value,
                    low=low,
                    high=high,
                )
            )
        return value

    def _numbered(self, number: int, points: list[int] | None) -> int:
        """A bare number of a 问卷星 rating column as the mapping says to read it."""
        if self.numbers is None:
            raise NumbersUnchosen("")
        first, last = points or (1, 5)
        if self.numbers == "options_high_first":
            return first + last - number
        return number

    def _option(self, question: Question, text: str) -> int:
        keys = self.options[question.id]
        text = _strip_option_text(text)
        mapped = self.option_map.get(text.casefold())
        option_id = keys.get(mapped if mapped is not None else text.casefold())
        if option_id is None and LETTER_PREFIX.match(text):
            option_id = keys.get(LETTER_PREFIX.sub("", text).casefold())
        if option_id is None:
            raise CellError(_l("Unknown answer label %(label)s.", label=text[:50]))
        return option_id

    def _contact(self, line: int, cells: list[Any], report: ImportReport) -> dict | bool:
        from ..customers.importing import _email, _mobile

        contact = {}
        for index, name, field_ in self.contacts:
            text = _text(cells[index]) if index < len(cells) else ""
            if not text:
                continue
            try:
                if field_ == "email":
                    text = _email(text)
                elif field_ == "mobile":
                    text = _mobile(text)
            except CellError as exc:
                report.add(line, name, exc)
                return False
            contact[field_] = text[:200]
        return contact


_CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)


class OtherText(str):
    """The text of a choice answer that is none of the options, kept as written."""


class Note(NamedTuple):
    """A value kept with a note for the report (truncated, kept as "other" text)."""

    value: Any
    note: Any


def _option_keys(question: Question) -> dict[str, int]:
    """Option code, labels in both languages, and LimeSurvey's positional codes A1, AO01."""
    keys: dict[str, int] = {}
    for position, option in enumerate(question.options, start=1):
        positional = (f"a{position}", f"ao{position:02d}", f"sq{position:03d}")
        for key in (*positional, option.label_en, option.label_zh):
            keys[key.strip().casefold()] = option.id
        keys[option.code.casefold()] = option.id
    return keys


def _strip_option_text(text: str) -> str:
    """问卷星 appends what was typed into an option's text box as ``〖...〗``."""
    return OPEN_TEXT.sub("", text).strip() if "〖" in text else text


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_when(cell: Any, tz: ZoneInfo, order: str | None = None) -> datetime:
    """A response's time as an aware UTC instant; naive values are in the contract's zone.

    Accepts datetimes (XLSX date cells), Excel serial numbers (``45717.6``), ``2025/3/5
    14:22:01``, ``2025-03-05T14:22:01+08:00``, ``2025年3月5日``, and a bare month ``2025-03``
    (taken as the first of the month, noon).
    """
    return _local_when(cell, tz, order).astimezone(UTC)


def date_order_of(cells: Iterable[Any]) -> str | None:
    """``mdy`` or ``dmy`` for a column of slash dates with the year last (``4/28/21``), from
    the values: a first part over 12 means day first, a second part over 12 month first.
    None when no such date; ``ambiguous`` when every date reads both ways (or neither)."""
    seen = mdy = dmy = False
    for cell in cells:
        if not isinstance(cell, str):
            continue
        found = SLASH_DATE.fullmatch(cell.strip())
        if not found:
            continue
        seen = True
        first, second = int(found.group(1)), int(found.group(2))
        mdy |= second > 12
        dmy |= first > 12
    if not seen:
        return None
    if mdy != dmy:
        return "mdy" if mdy else "dmy"
    return "ambiguous"


def _local_when(cell: Any, tz: ZoneInfo, order: str | None = None) -> datetime:
    """The time as an aware datetime in ``tz`` (naive values are taken as local)."""
    if isinstance(cell, str) and (plain := PLAIN_TIME.fullmatch(cell)):
        try:
            return datetime(*map(int, plain.groups()), tzinfo=tz)
        except ValueError:
            pass  # reported by the general path below
    if isinstance(cell, datetime):
        local = cell
    elif isinstance(cell, date):
        local = datetime(cell.year, cell.month, cell.day, 12)
    elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
        local = _from_serial(float(cell))
    elif isinstance(cell, str) and (slash := SLASH_DATE.fullmatch(cell.strip())):
        local = _from_slash(slash, order)
    else:
        local = _from_text(_text(cell))
    if local.tzinfo is None:
        return local.replace(tzinfo=tz)
    return local.astimezone(tz)


def _from_serial(number: float) -> datetime:
    if not 20000 <= number <= 80000:
        raise CellError(_l("Not a date: %(value)s.", value=number))
    # Excel keeps times as fractions of a day with float error (…:46.999996): whole seconds.
    return EXCEL_EPOCH + timedelta(seconds=round(number * 86400))


def _from_slash(found: re.Match, order: str | None) -> datetime:
    """``4/28/21 11:22:58`` (month first) or ``28/4/2021`` (day first), as ``order`` says."""
    first, second, year, hour, minute, sec, half = found.groups()
    if order not in ("mdy", "dmy"):
        raise CellError(
            _l("Is %(value)s month/day or day/month? Choose the date order.",
               value=found.group(0)[:20])
        )  # fmt: skip
    month, day = (int(first), int(second)) if order == "mdy" else (int(second), int(first))
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    h = int(hour) if hour else 12
    if half and half.lower() == "pm" and h < 12:
        h += 12
    elif half and half.lower() == "am" and h == 12:
        h = 0
    try:
        return datetime(full_year, month, day, h, int(minute or 0), int(sec or 0))
    except ValueError:
        raise CellError(_l("Not a date: %(value)s.", value=found.group(0)[:40])) from None


def _from_text(text: str) -> datetime:
    if not text:
        raise CellError(_l("A date is required."))
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _from_serial(float(text))
    if english := DAY_MON_YEAR.fullmatch(text):
        text = _day_mon_year(english)
    normal = text.replace("/", "-").replace("年", "-").replace("月", "-").replace("日", " ")
    normal = normal.replace("-", "-").strip().rstrip("-").strip()
    match = DATE_RE.match(normal)
    if not match:
        raise CellError(_l("Not a date: %(value)s.", value=text[:40]))
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        value = datetime(
            int(year),
            int(month),
            int(day or 1),
            int(hour) if hour else 12,
            int(minute or 0),
            int(second or 0),
        )
    except ValueError:
        raise CellError(_l("Not a date: %(value)s.", value=text[:40])) from None
    if offset:
        value = datetime.fromisoformat(
            value.isoformat() + ("+00:00" if offset == "Z" else _colon(offset))
        )
    return value


def _day_mon_year(match: re.Match) -> str:
    """腾讯问卷's CSV writes ``02-Sep-2020 07:44:08``; the same as ISO text."""
    day, month, year, time_of_day = match.groups()
    number = MONTHS.index(month.casefold()) + 1
    return f"{year}-{number:02d}-{int(day):02d}" + (f" {time_of_day}" if time_of_day else "")


def _colon(offset: str) -> str:
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


def read_rows(
    parser: RowParser,
    rows: Iterable[tuple[int, list[Any]]],
    report: HistoryReport,
    progress: Callable[[int], None] | None = None,
) -> list[ParsedRow]:
    """Every good row, in file order; problems (and in-file duplicates) go to ``report``."""
    good: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for count, (line, cells) in enumerate(rows, start=1):
        report.rows_total += 1
        parsed = parser.parse(line, cells, report)
        if progress is not None and count % BATCH == 0:
            progress(count)
        if parsed is None:
            continue
        first = seen.get(parsed.source_id)
        if first is not None:
            report.add(
                line, parser.id_name, _l("Duplicate row: the same as line %(line)s.", line=first)
            )
            report.refused_rows.add(line)
            report.kept_rows.discard(line)
            continue
        seen[parsed.source_id] = line
        good.append(parsed)
    return good
