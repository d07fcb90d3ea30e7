"""Which column of an export holds what: the date, the response id, each question's answers.

:func:`propose_mapping` guesses a :class:`Mapping` from the header line: a saved mapping of the
same contract and source first (last month's file has the same columns), then the tool's preset
(``提交答卷时间``, ``序号`` ...), then each header against the survey version's question codes and
texts in both languages. Columns with names, phone numbers or e-mail addresses are never mapped
to answers; they are listed so the user can map them to customer contact data, or leave them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any

from flask_babel import lazy_gettext as _l

from ..models import SurveyVersion
from .presets import (
    NO_ANSWER,
    PRESETS,
    contact_by_content,
    contact_kind,
    header_key,
    heading_parts,
)

CONTACT_FIELDS = ("ref", "name", "email", "mobile")
# How bare numbers in a rating column are read (问卷星 按序号 gives option numbers).
NUMBERS = ("scores", "options_high_first", "options_low_first")
ALL_QUESTIONS = "*"
WJX_SURVEY_NUMBER = re.compile(r"^(\d{5,})_")
ORIGIN_CHARS = re.compile(r"[^\w.-]+")
ORIGIN_MAX = 40


def header_fingerprint(headers: list[str]) -> str:
    """16 hex digits identifying a header line: a saved mapping is proposed only for a file
    whose header is the same, column for column."""
    return hashlib.sha256("\x1f".join(h.strip() for h in headers).encode()).hexdigest()[:16]


def default_origin(filename: str, preset: str) -> str:
    """The survey or file an upload came from, proposed to the user: 问卷星's survey number
    (``234274756_2_名称_245_245.xlsx``), else the file name without its suffix (so an XLSX
    and a CSV export of one form are one source)."""
    name = PurePath(filename or "").name
    if preset == "wjx" and (found := WJX_SURVEY_NUMBER.match(name)):
        return f"wjx-{found.group(1)}"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return clean_origin(stem) or "file"


def clean_origin(text: str) -> str:
    return ORIGIN_CHARS.sub("-", (text or "").strip()).strip("-")[:ORIGIN_MAX]


@dataclass
class Mapping:
    """A file's columns mapped by header text.

    ``answers`` maps a header to a question code of the chosen version, ``contacts`` a header
    to a customer field (``ref``, ``name``, ``email``, ``mobile``); ``value_map`` turns answer
    labels (``非常满意``, ``A5``) into scores. Unmapped columns are not stored.
    """

    date_column: str | None = None
    id_column: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    contacts: dict[str, str] = field(default_factory=dict)
    value_map: dict[str, int | str] = field(default_factory=dict)
    preset: str = "spreadsheet"
    # "No answer" codes per question code; ALL_QUESTIONS ("*") for every question.
    no_answer: dict[str, list[str]] = field(default_factory=dict)
    # The file's scale per rating/NPS question, [first, last] (2 to 11 points, such as [1, 7]
    # or [0, 5]), mapped linearly onto the survey's scale.
    scales: dict[str, list[int]] = field(default_factory=dict)
    # How bare numbers in rating columns are read: one of NUMBERS, or None (not chosen yet).
    numbers: str | None = None
    # "mdy" or "dmy" for slash dates like 4/5/21; None: detected, asked when ambiguous.
    date_order: str | None = None
    # The month of every row ("2025-03") when the file has no date column.
    month: str | None = None
    header: str | None = None  # header_fingerprint of the file it was made for

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mapping:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        mapping = cls(**known)
        mapping.value_map = {
            str(k): v if isinstance(v, str) else int(v) for k, v in mapping.value_map.items()
        }
        mapping.no_answer = {str(k): [str(x) for x in v] for k, v in mapping.no_answer.items()}
        mapping.scales = {str(k): scale_range(v) for k, v in mapping.scales.items()}
        if mapping.numbers not in NUMBERS:
            mapping.numbers = None
        mapping.contacts = {
            h: f for h, f in mapping.contacts.items() if f in CONTACT_FIELDS
        }  # fmt: skip
        return mapping

    def fitted_to(self, headers: list[str]) -> Mapping:
        """This mapping without the columns the file does not have."""
        present = set(headers)
        return Mapping(
            date_column=self.date_column if self.date_column in present else None,
            id_column=self.id_column if self.id_column in present else None,
            answers={h: c for h, c in self.answers.items() if h in present},
            contacts={h: f for h, f in self.contacts.items() if h in present},
            value_map=dict(self.value_map),
            preset=self.preset,
            no_answer={k: list(v) for k, v in self.no_answer.items()},
            scales=dict(self.scales),
            numbers=self.numbers,
            date_order=self.date_order,
            month=self.month,
            header=self.header,
        )

    def codes_for(self, question_code: str) -> frozenset[str]:
        """The "no answer" codes of a question, folded."""
        codes = [*self.no_answer.get(ALL_QUESTIONS, ()), *self.no_answer.get(question_code, ())]
        return frozenset(c.strip().casefold() for c in codes if c.strip())


def question_index(version: SurveyVersion) -> dict[str, str]:
    """Matching keys (code, ``[code]``, texts) -> question code."""
    index: dict[str, str] = {}
    for question in version.questions:
        for text in (question.text_zh, question.text_en):
            index.setdefault(header_key(text), question.code)
        index[question.code.casefold()] = question.code
    return index


def match_question(
    header: str, index: dict[str, str], multiple: frozenset[str] = frozenset()
) -> str | None:
    """The question code a header names: by text or code, ``CODE[SUBCODE]`` by the subcode
    (LimeSurvey's array rows), and for the ``multiple`` choice questions also one column per
    option: ``CODE[SQ001]``, ``question text [option]`` (not the ``[other]`` text column), or
    腾讯问卷's ``N.question text:option``."""
    for part in heading_parts(header)[::-1]:
        key = header_key(part)
        if key in index:
            return index[key]
    raw = header.strip().casefold()
    if raw in index:
        return index[raw]
    if ":" in raw:
        code = index.get(header_key(raw.rpartition(":")[0]))
        if code in multiple:
            return code
    if raw.endswith("]") and "[" in raw:
        cut = raw.rindex("[")
        inner = raw[cut + 1 : -1].strip()
        if inner in index:
            return index[inner]
        if inner == "other" or inner.endswith("comment"):
            return None
        prefix = raw[:cut].strip()
        code = index.get(prefix) or index.get(header_key(prefix))
        if code in multiple:
            return code
    return None


def propose_mapping(
    headers: list[str],
    version: SurveyVersion,
    saved: Mapping | None = None,
    preset: str | None = None,
    filename: str = "",
) -> Mapping:
    """The mapping the page offers for this header line (see module doc). A saved mapping is
    taken only when it was made for this very header line (:func:`header_fingerprint`)."""
    fingerprint = header_fingerprint(headers)
    if saved is not None and saved.header == fingerprint:
        mapping = saved.fitted_to(headers)
        if preset:
            mapping.preset = preset
        return mapping
    chosen = PRESETS.get(preset or "") or PRESETS["spreadsheet"]
    folded: dict[str, str] = {}
    for h in headers:
        for part in heading_parts(h):
            folded.setdefault(part.strip().casefold(), h)
    mapping = Mapping(
        preset=chosen.key,
        value_map=dict(chosen.value_map),
        no_answer={ALL_QUESTIONS: list(NO_ANSWER.get(chosen.key, ()))},
        header=fingerprint,
        # 问卷星 names its exports 按分数 / 按序号 / 按文本; only 按分数 says the numbers are scores
        numbers="scores" if "按分数" in filename else None,
    )
    mapping.date_column = _first(folded, chosen.date_headers + PRESETS["spreadsheet"].date_headers)
    mapping.id_column = _first(folded, chosen.id_headers)
    skip = {mapping.date_column, mapping.id_column} | {
        folded[m.casefold()] for m in chosen.metadata_headers if m.casefold() in folded
    }
    index = question_index(version)
    multiple = frozenset(q.code for q in version.questions if q.type == "multiple")
    texts = {q.code: f"{q.text_zh} {q.text_en}".casefold() for q in version.questions}
    stems = _stems(headers)
    taken: set[str] = set()
    for header in headers:
        if header in skip or not header:
            continue
        code = match_question(header, index, multiple)
        if code is not None and _other_kind(stems.get(header, header), texts[code]):
            code = None  # an importance item named like a satisfaction question, or reverse
        if code is not None and (code not in taken or code in multiple):
            mapping.answers[header] = code
            taken.add(code)
    return mapping


KINDS = (("重要", "important"), ("满意", "satisf"))
QUESTION_NUMBER = re.compile(r"^\s*(\d+)\s*[、.．]")


def _stems(headers: list[str]) -> dict[str, str]:
    """Per header, the header of the first column with the same question number (问卷星's
    matrix: the first row carries ``N、stem—item``, the others only ``N、item``)."""
    first: dict[str, str] = {}
    out = {}
    for header in headers:
        found = QUESTION_NUMBER.match(header)
        if found:
            out[header] = first.setdefault(found.group(1), header) + " " + header
    return out


def _other_kind(header: str, question_text: str) -> bool:
    """Whether the header asks about importance and the question about satisfaction (or the
    other way round): the same item text under another stem is another question."""
    key = header.casefold()
    asks = {n for n, words in enumerate(KINDS) if any(w in key for w in words)}
    means = {n for n, words in enumerate(KINDS) if any(w in question_text for w in words)}
    return bool(asks) and bool(means) and not asks & means


def contact_columns(
    headers: list[str], mapping: Mapping, samples: list[list[str]] | None = None
) -> dict[str, tuple[str, str]]:
    """Columns that look like contact data and are not mapped to answers:
    header -> (field, why), by the header's words or by the column's values (``samples``, per
    column, e-mail addresses, mobile numbers, openid-like ids)."""
    found = {}
    for index, header in enumerate(headers):
        if header in mapping.answers or header in (mapping.date_column, mapping.id_column):
            continue
        kind = contact_kind(header)
        if kind is not None:
            found[header] = (kind, str(_l("the header names contact data")))
            continue
        if samples is not None and index < len(samples):
            by_content = contact_by_content(samples[index])
            if by_content is not None:
                found[header] = by_content
    return found


def _first(folded: dict[str, str], candidates: tuple[str, ...]) -> str | None:
    for name in candidates:
        if name.casefold() in folded:
            return folded[name.casefold()]
    return None


def choices_of(mapping: Mapping, headers: list[str]) -> list[str]:
    """Per column, the form choice: ``""``, ``date``, ``id``, ``q:CODE`` or ``c:field``."""
    out = []
    for header in headers:
        if header == mapping.date_column:
            out.append("date")
        elif header == mapping.id_column:
            out.append("id")
        elif header in mapping.answers:
            out.append("q:" + mapping.answers[header])
        elif header in mapping.contacts:
            out.append("c:" + mapping.contacts[header])
        else:
            out.append("")
    return out


def mapping_from_choices(
    headers: list[str], choices: list[str], value_map: dict[str, int], preset: str
) -> Mapping:
    """The mapping the form's choices describe (the inverse of :func:`choices_of`)."""
    mapping = Mapping(preset=preset, value_map=value_map)
    for header, choice in zip(headers, choices, strict=False):
        if choice == "date" and mapping.date_column is None:
            mapping.date_column = header
        elif choice == "id" and mapping.id_column is None:
            mapping.id_column = header
        elif choice.startswith("q:"):
            mapping.answers[header] = choice[2:]
        elif choice.startswith("c:") and choice[2:] in CONTACT_FIELDS:
            mapping.contacts[header] = choice[2:]
    return mapping


def parse_value_map(text: str) -> tuple[dict[str, int | str], list[str]]:
    """``label = score`` (or ``label = option code`` for choice questions, such as
    ``Yes/Ya = yes``) lines into a dict; the lines that are not of that form."""
    value_map: dict[str, int | str] = {}
    bad = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        label, sep, target = line.rpartition("=")
        target = target.strip()
        if not sep or not label.strip() or not target:
            bad.append(line)
            continue
        try:
            value_map[label.strip()] = int(target)
        except ValueError:
            value_map[label.strip()] = target
    return value_map, bad


def value_map_text(value_map: dict[str, int | str]) -> str:
    return "\n".join(f"{label} = {score}" for label, score in value_map.items())


def parse_no_answer(text: str) -> dict[str, list[str]]:
    """``CODE: a | b`` lines (``*`` for every question) into ``Mapping.no_answer``."""
    out: dict[str, list[str]] = {}
    for raw in text.splitlines():
        code, sep, values = raw.partition(":")
        if not sep:
            code, values = ALL_QUESTIONS, raw
        items = [v.strip() for v in values.split("|") if v.strip()]
        if items:
            out.setdefault(code.strip() or ALL_QUESTIONS, []).extend(items)
    return out


def no_answer_text(no_answer: dict[str, list[str]]) -> str:
    return "\n".join(f"{code}: {' | '.join(values)}" for code, values in no_answer.items())


def scale_range(value: Any) -> list[int]:
    """[first, last] from ``7`` (1..7; 11 is 0..10), ``"0-5"`` or ``[0, 5]``; 2 to 11 points.
    Raises ValueError otherwise."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        first, last = int(value[0]), int(value[1])
    elif isinstance(value, str) and "-" in value.strip()[1:]:
        low, _, high = value.strip().partition("-")
        first, last = int(low), int(high)
    else:
        points = int(value)
        first, last = (0, 10) if points == 11 else (1, points)
    if not 2 <= last - first + 1 <= 11 or first < 0:
        raise ValueError(value)
    return [first, last]


def parse_scales(text: str) -> tuple[dict[str, list[int]], list[str]]:
    """``CODE = 7`` or ``CODE = 0-5`` lines into ``Mapping.scales``; the bad lines."""
    out: dict[str, list[int]] = {}
    bad = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        code, sep, points = raw.partition("=")
        try:
            if not sep or not code.strip():
                raise ValueError
            out[code.strip()] = scale_range(points.strip())
        except ValueError:
            bad.append(raw.strip())
    return out, bad


def scales_text(scales: dict[str, list[int]]) -> str:
    return "\n".join(f"{code} = {first}-{last}" for code, (first, last) in scales.items())
