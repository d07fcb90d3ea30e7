"""Reading the survey editor's form (plain functions, tested without a request).

The editor is one form of numbered rows, one per question, that works without JavaScript:
each row has a position (the order after saving), a "remove" box, and the question's fields;
a few blank rows take new questions, and "more rows" posts the form back with more blanks.
A row's fields are named ``q-<row>-<field>``; ``rows`` says how many rows were sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l

from ..models import SurveyVersion
from .versioning import QuestionEdit, VersionRuleError, VersionTexts

BLANK_ROWS = 3
MAX_ROWS = 100
TEXT_FIELDS = (
    "code", "type", "text_zh", "text_en", "options", "dimension", "clause_ref",
    "show_if_code", "show_if_op", "show_if_value", "matrix_group", "matrix_text_zh",
    "matrix_text_en",
)  # fmt: skip
STRIPPED = ("code", "type", "show_if_code", "show_if_op", "show_if_value", "matrix_group")


@dataclass(frozen=True)
class Row:
    """One row of the editor as the page shows it (strings, so a refused form comes back as
    it was typed)."""

    position: str = ""
    code: str = ""
    type: str = "rating"
    text_zh: str = ""
    text_en: str = ""
    required: bool = True
    options: str = ""
    dimension: str = ""
    clause_ref: str = ""
    show_if_code: str = ""
    show_if_op: str = ""
    show_if_value: str = ""
    matrix_group: str = ""
    matrix_text_zh: str = ""
    matrix_text_en: str = ""
    remove: bool = False
    existing: bool = False  # the code came from the version: shown, not editable

    @property
    def blank(self) -> bool:
        return not self.existing and not (
            self.code.strip() or self.text_zh.strip() or self.text_en.strip()
        )


def options_text(options: Sequence) -> str:
    return "\n".join(f"{o.code} | {o.label_zh} | {o.label_en}" for o in options)


def rows_of(version: SurveyVersion, blanks: int = BLANK_ROWS) -> list[Row]:
    """The version's questions as rows, then ``blanks`` empty rows."""
    rows = [
        Row(
            position=str(i),
            code=q.code,
            type=q.type,
            text_zh=q.text_zh,
            text_en=q.text_en,
            required=q.required,
            options=options_text(q.options),
            dimension=q.dimension or "",
            clause_ref=q.clause_ref or "",
            show_if_code=q.show_if_code or "",
            show_if_op=q.show_if_op or "",
            show_if_value=q.show_if_value or "",
            matrix_group=q.matrix_group or "",
            matrix_text_zh=q.matrix_text_zh or "",
            matrix_text_en=q.matrix_text_en or "",
            existing=True,
        )
        for i, q in enumerate(version.questions, start=1)
    ]
    return with_blanks(rows, blanks)


def with_blanks(rows: list[Row], blanks: int = BLANK_ROWS) -> list[Row]:
    start = len(rows)
    blank = [Row(position=str(start + i)) for i in range(1, blanks + 1)]
    return (rows + blank)[:MAX_ROWS]


def read_rows(form: Mapping[str, str]) -> list[Row]:
    """The rows as posted (at most MAX_ROWS)."""
    try:
        count = min(int(form.get("rows", "0")), MAX_ROWS)
    except ValueError:
        count = 0
    rows = []
    for i in range(max(count, 0)):
        prefix = f"q-{i}-"
        values = {name: form.get(prefix + name, "") for name in TEXT_FIELDS}
        rows.append(
            Row(
                position=form.get(prefix + "position", "").strip(),
                required=bool(form.get(prefix + "required")),
                remove=bool(form.get(prefix + "remove")),
                existing=bool(form.get(prefix + "existing")),
                **{k: v.strip() if k in STRIPPED else v for k, v in values.items()},
            )
        )
    return rows


def read_texts(form: Mapping[str, str]) -> VersionTexts:
    return VersionTexts(
        title_zh=form.get("title_zh", ""),
        title_en=form.get("title_en", ""),
        intro_zh=form.get("intro_zh", ""),
        intro_en=form.get("intro_en", ""),
    )


def _name(number: int, row: Row) -> str:
    return row.code or f"#{number}"


def _options(name: str, text: str) -> tuple[tuple[str, str, str], ...]:
    """One option per line: ``code | 中文 | English`` (a language the survey lacks may be
    left empty: ``code | 中文 |``)."""
    options = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in (2, 3) or not parts[0]:
            raise VersionRuleError(
                _l(
                    "Question %(q)s: option line “%(line)s”: write code | 中文 | English.",
                    q=name,
                    line=line.strip()[:60],
                )
            )
        parts += [""] * (3 - len(parts))
        options.append((parts[0], parts[1], parts[2]))
    return tuple(options)


def _position(number: int, row: Row) -> int:
    if not row.position:
        return number
    try:
        return int(row.position)
    except ValueError:
        raise VersionRuleError(
            _l("Question %(q)s: the position is a whole number.", q=_name(number, row))
        ) from None


def edits_from(rows: Sequence[Row]) -> list[QuestionEdit]:
    """The questions to keep, in the order of their positions (ties keep the rows' order);
    removed and blank rows are left out."""
    kept = []
    for number, row in enumerate(rows, start=1):
        if row.remove or row.blank:
            continue
        name = _name(number, row)
        edit = QuestionEdit(
            code=row.code,
            type=row.type,
            text_zh=row.text_zh,
            text_en=row.text_en,
            required=row.required,
            dimension=row.dimension or None,
            clause_ref=row.clause_ref.strip() or None,
            options=_options(name, row.options) if row.type in ("single", "multiple") else (),
            show_if_code=row.show_if_code or None,
            show_if_op=(row.show_if_op or None) if row.show_if_code else None,
            show_if_value=(row.show_if_value or None) if row.show_if_code else None,
            matrix_group=row.matrix_group or None,
            matrix_text_zh=row.matrix_text_zh,
            matrix_text_en=row.matrix_text_en,
        )
        kept.append((_position(number, row), number, edit))
    return [edit for _, _, edit in sorted(kept, key=lambda k: (k[0], k[1]))]


def renumbered(rows: Sequence[Row]) -> list[Row]:
    """Rows in their positions' order, numbered 1..n (what "more rows" shows back)."""
    order = []
    for number, row in enumerate(rows, start=1):
        try:
            key = int(row.position) if row.position else number
        except ValueError:
            key = number
        order.append((key, number, row))
    ordered = [row for _, _, row in sorted(order, key=lambda k: (k[0], k[1]))]
    return [replace(row, position=str(i)) for i, row in enumerate(ordered, start=1)]
