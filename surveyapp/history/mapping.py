"""Which column of an export holds what: the date, the response id, each question's answers.

:func:`propose_mapping` guesses a :class:`Mapping` from the header line: a saved mapping of the
same contract and source first (last month's file has the same columns), then the tool's preset
(``提交答卷时间``, ``序号`` ...), then each header against the survey version's question codes and
texts in both languages. Columns with names, phone numbers or e-mail addresses are never mapped
to answers; they are listed so the user can map them to customer contact data, or leave them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..models import SurveyVersion
from .presets import PRESETS, contact_kind, header_key

CONTACT_FIELDS = ("ref", "name", "email", "mobile")


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
    value_map: dict[str, int] = field(default_factory=dict)
    preset: str = "spreadsheet"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mapping:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        mapping = cls(**known)
        mapping.value_map = {str(k): int(v) for k, v in mapping.value_map.items()}
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
        )


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
    key = header_key(header)
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
) -> Mapping:
    """The mapping the page offers for this header line (see module doc)."""
    if saved is not None and saved.date_column in headers:
        mapping = saved.fitted_to(headers)
        if preset:
            mapping.preset = preset
        return mapping
    chosen = PRESETS.get(preset or "") or PRESETS["spreadsheet"]
    folded = {h.strip().casefold(): h for h in headers}
    mapping = Mapping(preset=chosen.key, value_map=dict(chosen.value_map))
    mapping.date_column = _first(folded, chosen.date_headers + PRESETS["spreadsheet"].date_headers)
    mapping.id_column = _first(folded, chosen.id_headers)
    skip = {mapping.date_column, mapping.id_column} | {
        folded[m.casefold()] for m in chosen.metadata_headers if m.casefold() in folded
    }
    index = question_index(version)
    multiple = frozenset(q.code for q in version.questions if q.type == "multiple")
    taken: set[str] = set()
    for header in headers:
        if header in skip or not header:
            continue
        code = match_question(header, index, multiple)
        if code is not None and (code not in taken or code in multiple):
            mapping.answers[header] = code
            taken.add(code)
    return mapping


def contact_columns(headers: list[str], mapping: Mapping) -> dict[str, str]:
    """Headers that look like contact data and are not mapped to answers: header -> field."""
    found = {}
    for header in headers:
        if header in mapping.answers or header in (mapping.date_column, mapping.id_column):
            continue
        kind = contact_kind(header)
        if kind is not None:
            found[header] = kind
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


def parse_value_map(text: str) -> tuple[dict[str, int], list[str]]:
    """``label = score`` lines into a dict; the lines that are not of that form."""
    value_map: dict[str, int] = {}
    bad = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        label, sep, score = line.rpartition("=")
        try:
            if not sep or not label.strip():
                raise ValueError
            value_map[label.strip()] = int(score.strip())
        except ValueError:
            bad.append(line)
    return value_map, bad


def value_map_text(value_map: dict[str, int]) -> str:
    return "\n".join(f"{label} = {score}" for label, score in value_map.items())
