"""The follow-up trigger rules: plain functions over one response's answers and a contract's rules.

A response opens a follow-up case (回访) when it has an NPS <= ``nps_max`` (6: a detractor), a
rating <= ``rating_max`` (2) on any dimension, or a comment in one of the analysis' complaint
themes (``analysis.themes``: the same lexicon the dashboards count comments with). Each rule can
be switched off per contract (``None`` or no themes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..dimensions import DIMENSIONS
from ..models import FollowupRule

COMPLAINT_CLAUSE = DIMENSIONS["complaint_handling"][0]  # 一(2): complaints solved within 48 h


@dataclass(frozen=True)
class RuleSet:
    enabled: bool = True
    nps_max: int | None = 6
    rating_max: int | None = 2
    comment_themes: tuple[str, ...] = ("complaint",)
    ask_consent: bool = True

    @classmethod
    def of(cls, rule: FollowupRule | None) -> RuleSet:
        if rule is None:
            return cls()
        return cls(
            enabled=rule.enabled,
            nps_max=rule.nps_max,
            rating_max=rule.rating_max,
            comment_themes=tuple(rule.comment_themes.split()),
            ask_consent=rule.ask_consent,
        )


@dataclass(frozen=True)
class Answered:
    """One answer as the rules see it (no customer identity)."""

    code: str
    kind: str  # rating | nps | single | multiple | text
    value: int | None = None
    text: str | None = None
    dimension: str | None = None
    clause_ref: str | None = None


@dataclass(frozen=True)
class Trigger:
    rule: str  # nps | rating | comment
    question_code: str
    dimension: str | None
    clause_ref: str | None
    value: int | None = None
    themes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "question": self.question_code,
            "dimension": self.dimension,
            "clause": self.clause_ref,
            "value": self.value,
            "themes": list(self.themes),
        }


def nps_triggers(answers: Iterable[Answered], rules: RuleSet) -> list[Trigger]:
    if rules.nps_max is None:
        return []
    return [
        Trigger("nps", a.code, a.dimension or "overall", a.clause_ref, a.value)
        for a in answers
        if a.kind == "nps" and a.value is not None and a.value <= rules.nps_max
    ]


def rating_triggers(answers: Iterable[Answered], rules: RuleSet) -> list[Trigger]:
    if rules.rating_max is None:
        return []
    return [
        Trigger("rating", a.code, a.dimension, a.clause_ref, a.value)
        for a in answers
        if a.kind == "rating" and a.value is not None and a.value <= rules.rating_max
    ]


@lru_cache(maxsize=1)
def _themes_by_word() -> dict[str, frozenset[str]]:
    """Word -> its themes, from the analysis' lexicon (package data: read once per process)."""
    from analysis.themes import theme_lexicon

    lexicon = theme_lexicon()
    themes: dict[str, set[str]] = {}
    for word, theme in zip(lexicon["word"], lexicon["theme"], strict=True):
        themes.setdefault(word, set()).add(theme)
    return {word: frozenset(found) for word, found in themes.items()}


def themes_of(text: str) -> set[str]:
    """The analysis' comment themes one text belongs to."""
    from analysis.themes import tokenize

    by_word = _themes_by_word()
    return {theme for word in set(tokenize(text)) for theme in by_word.get(word, ())}


def comment_triggers(answers: Iterable[Answered], rules: RuleSet) -> list[Trigger]:
    wanted = set(rules.comment_themes)
    if not wanted:
        return []
    found = []
    for a in answers:
        if a.kind != "text" or not a.text:
            continue
        hit = themes_of(a.text) & wanted
        if hit:
            clause = a.clause_ref or COMPLAINT_CLAUSE
            found.append(
                Trigger(
                    "comment",
                    a.code,
                    a.dimension or "complaint_handling",
                    clause,
                    None,
                    tuple(sorted(hit)),
                )  # fmt: skip
            )
    return found


def triggers(answers: Sequence[Answered], rules: RuleSet) -> list[Trigger]:
    """Every reason this response needs a follow-up; empty when none (or rules switched off)."""
    if not rules.enabled:
        return []
    return (
        nps_triggers(answers, rules)
        + rating_triggers(answers, rules)
        + comment_triggers(answers, rules)
    )


def primary(found: Sequence[Trigger]) -> Trigger:
    """The trigger a case is filed under: the lowest rating first, then NPS, then a comment."""
    order = {"rating": 0, "nps": 1, "comment": 2}
    return min(found, key=lambda t: (order[t.rule], t.value if t.value is not None else 99))
