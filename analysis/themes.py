"""Keywords and themes of free-text comments (DESIGN.md section 5).

Chinese text is segmented with jieba, English text is split into words; stop words (package
data) are dropped. A comment belongs to a theme when one of its words is in the theme's word
list (``data/themes.txt``). Keywords and themes are counted per month and per group: all
comments, ``low_scorers`` (any rating <= 2 or NPS <= 6 on the same response) and, for each
dimension, the comments of respondents who rated that dimension <= 2. Example comments are
masked (:func:`analysis.privacy.mask_contacts`) before they leave this module.

jieba's dictionary is loaded once per process, on first use, into a tokenizer of this module's
own (the global jieba instance is left alone). Each distinct text is segmented once per call,
and the words of recently seen texts are kept (a month's comments are read again by the next
month's analysis and by every dashboard view).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import jieba
import pandas as pd

from .frames import COMMENT_COLUMNS, QUESTION_COLUMNS, SCORE_COLUMNS, require_columns
from .privacy import MASK, mask_contacts

__all__ = [
    "LOW_NPS_MAX",
    "LOW_RATING_MAX",
    "ThemeSummary",
    "comment_groups",
    "comment_themes",
    "theme_lexicon",
    "theme_word",
    "tokenize",
]

LOW_RATING_MAX = 2
LOW_NPS_MAX = 6
ALL = "all"
LOW_SCORERS = "low_scorers"

_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD_ZH = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}")
_WORD_EN = re.compile(r"[a-z][a-z']+")


def _data_lines(name: str) -> list[str]:
    text = resources.files("analysis").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(
        line.strip()
        for name in ("stopwords_zh.txt", "stopwords_en.txt")
        for line in _data_lines(name)
    )


@cache
def _negations() -> tuple[dict[str, str], frozenset[str]]:
    """Negating words and the prefix each becomes; degree words skipped after a negation."""
    negations, between = {}, set()
    for line in _data_lines("negations_zh.txt"):
        kind, *parts = line.split()
        if kind == "negation":
            negations[parts[0]] = parts[1]
        else:
            between.add(parts[0])
    return negations, frozenset(between)


def _join_negations(words: Sequence[str]) -> list[str]:
    """Keep a negation with the word it negates: 不 满意 -> 不满意, 没有 解决 -> 没解决,
    不是 很 满意 -> 不满意; a negation before punctuation or at the end is dropped.

    Examples
    --------
    >>> _join_negations(["问题", "没有", "解决", "，", "不是", "很", "满意", "不"])
    ['问题', '没解决', '，', '不满意']
    """
    negations, between = _negations()
    out: list[str] = []
    pending: str | None = None
    for word in words:
        if word in negations:
            pending = negations[word]
        elif pending is not None and word in between:
            continue
        elif pending is not None and _HAN.match(word):
            out.append(pending + word)
            pending = None
        else:
            pending = None
            out.append(word)
    return out


def theme_word(keyword: str) -> str:
    """The word a negated keyword negates (不及时 -> 及时), else the keyword itself: a theme
    matches either (a comment saying 不及时 is about speed).

    Examples
    --------
    >>> theme_word("不了解"), theme_word("回复")
    ('了解', '回复')
    """
    for prefix in sorted(set(_negations()[0].values()), key=len, reverse=True):
        if keyword.startswith(prefix) and len(keyword) > len(prefix):
            return keyword[len(prefix) :]
    return keyword


@cache
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for line in _data_lines("segmentation_zh.txt"):
        parts = tuple(line.split())
        if len(parts) > 1:
            tokenizer.del_word("".join(parts))
            tokenizer.suggest_freq(parts, tune=True)
        else:
            tokenizer.add_word(parts[0])
    return tokenizer


def tokenize(text: str) -> list[str]:
    """The content words of one comment: jieba for Chinese, word splitting for English.

    Lower-cases Latin words, drops stop words, punctuation, digits and single Latin letters.
    A negation stays with the word it negates (``data/negations_zh.txt``); a bare negation or
    other function word is never a keyword.

    Examples
    --------
    >>> tokenize("客服回复太慢了，等了两天才有人处理")
    ['客服', '回复', '慢', '等', '两天', '处理']
    >>> tokenize("我很不满意，回复不及时，问题没有解决")
    ['不满意', '回复', '不及时', '问题', '没解决']
    >>> tokenize("The reply was too slow!")
    ['reply', 'slow']
    """
    stop = _stop_words()
    if _HAN.search(text):
        pieces = [w.strip().lower() for w in _tokenizer().lcut(text)]
        words = (w for w in _join_negations([w for w in pieces if w]) if _WORD_ZH.search(w))
    else:
        words = iter(_WORD_EN.findall(text.lower()))
    return [word for word in words if word not in stop and MASK not in word]


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))


@cache
def theme_lexicon() -> pd.DataFrame:
    """The theme word lists: one row per ``theme, label_zh, label_en, word``."""
    rows = [line.split("\t") for line in _data_lines("themes.txt")]
    frame = pd.DataFrame(rows, columns=["theme", "label_zh", "label_en", "words"])
    return (
        frame.assign(word=frame["words"].str.split())
        .explode("word")
        .drop(columns="words")
        .drop_duplicates(["theme", "word"])
        .reset_index(drop=True)
    )


def comment_groups(
    comments: pd.DataFrame, scores: pd.DataFrame, questions: pd.DataFrame
) -> pd.DataFrame:
    """Which groups each comment counts in: ``response_id, group`` (one row per membership).

    Every comment is in ``all``; a comment whose response has a rating <= 2 or an NPS <= 6 is
    in ``low_scorers``; one whose response rated a dimension <= 2 is also in that dimension's
    group (named by the dimension code).
    """
    require_columns(comments, COMMENT_COLUMNS, "comments")
    require_columns(scores, SCORE_COLUMNS, "scores")
    require_columns(questions, QUESTION_COLUMNS, "questions")
    rated = scores.merge(questions[["question_code", "kind", "dimension"]], on="question_code")
    low = ((rated["kind"] == "rating") & (rated["value"] <= LOW_RATING_MAX)) | (
        (rated["kind"] == "nps") & (rated["value"] <= LOW_NPS_MAX)
    )
    low_rows = rated[low]
    ids = comments["response_id"].drop_duplicates()
    groups = pd.concat(
        [
            pd.DataFrame({"response_id": ids, "group": ALL}),
            pd.DataFrame(
                {"response_id": low_rows["response_id"].drop_duplicates(), "group": LOW_SCORERS}
            ),
            low_rows.loc[(low_rows["kind"] == "rating") & low_rows["dimension"].notna()].rename(
                columns={"dimension": "group"}
            )[["response_id", "group"]],
        ],
        ignore_index=True,
    )
    return groups[groups["response_id"].isin(ids)].drop_duplicates(ignore_index=True)


@dataclass(frozen=True)
class ThemeSummary:
    """Keywords, themes and masked examples per month and group.

    ``comments``: ``month, group, n`` (comments in the group); ``keywords``: ``month, group,
    keyword, comments, share`` (top keywords, share in percent of the group's comments);
    ``themes``: ``month, group, theme, label_zh, label_en, comments, share``; ``examples``:
    ``month, group, theme, text`` (masked, at most ``examples_per_theme`` each).
    """

    comments: pd.DataFrame
    keywords: pd.DataFrame
    themes: pd.DataFrame
    examples: pd.DataFrame

    def to_records(self) -> dict[str, dict[str, list]]:
        """The four frames as JSON-ready ``{name: {"columns": [...], "data": [[...], ...]}}``
        (what a closed month's ``month_summaries.comment_themes`` holds)."""
        return {
            name: {
                "columns": list(columns),
                "data": getattr(self, name)[list(columns)].astype(object).values.tolist(),
            }
            for name, columns in SUMMARY_COLUMNS.items()
        }

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Mapping[str, list]]]) -> ThemeSummary:
        """One summary from the stored records of one or more months (see :meth:`to_records`)."""
        frames = {}
        for name, columns in SUMMARY_COLUMNS.items():
            rows = [row for record in records for row in record[name]["data"]]
            values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
            types = _SUMMARY_TYPES[name]
            frames[name] = pd.DataFrame(
                {
                    column: pd.Series(column_values, dtype=types.get(column, "str"))
                    for column, column_values in zip(columns, values, strict=True)
                }
            )
        return cls(**frames)

    @classmethod
    def concat(cls, parts: Sequence[ThemeSummary]) -> ThemeSummary:
        """The summaries of different months as one (rows in month order)."""
        return cls(
            **{
                name: pd.concat(
                    [getattr(part, name)[list(columns)] for part in parts], ignore_index=True
                )
                .astype(_SUMMARY_TYPES[name])
                .sort_values("month", kind="stable", ignore_index=True)
                for name, columns in SUMMARY_COLUMNS.items()
            }
        )


SUMMARY_COLUMNS = {
    "comments": ("month", "group", "n"),
    "keywords": ("month", "group", "keyword", "comments", "share"),
    "themes": ("month", "group", "theme", "comments", "share", "label_zh", "label_en"),
    "examples": ("month", "group", "theme", "text"),
}
_SUMMARY_TYPES = {
    "comments": {"n": "int64"},
    "keywords": {"comments": "int64", "share": "float64"},
    "themes": {"comments": "int64", "share": "float64"},
    "examples": {},
}


def comment_themes(
    comments: pd.DataFrame,
    groups: pd.DataFrame,
    top: int = 10,
    examples_per_theme: int = 3,
    names: tuple[str, ...] = (),
) -> ThemeSummary:
    """Count keywords and themes per month and group (see :func:`comment_groups`).

    Texts are masked first, so neither a keyword nor an example can carry a name, a phone
    number or an e-mail address. A keyword or theme counts once per comment however often the
    comment repeats it. ``names`` are known customer names to mask besides the pattern-based
    masking.
    """
    require_columns(comments, COMMENT_COLUMNS, "comments")
    texts = comments.loc[comments["text"].fillna("").str.strip() != "", list(COMMENT_COLUMNS)]
    texts = texts.reset_index(drop=True).rename_axis("comment").reset_index()
    texts = texts.assign(text=mask_contacts(texts["text"], names).astype(object))
    words_of = {text: list(_words(text)) for text in texts["text"].unique()}
    words = (
        texts.assign(keyword=texts["text"].map(words_of))[
            ["comment", "response_id", "month", "keyword"]
        ]
        .explode("keyword")
        .dropna(subset=["keyword"])
        .drop_duplicates(["comment", "keyword"])
    )
    members = texts[["comment", "response_id", "month"]].merge(groups, on="response_id")
    sizes = members.groupby(["month", "group"]).size().rename("n").reset_index()
    keyed = words.merge(members[["comment", "group"]], on="comment")
    keywords = _top_counts(keyed, "keyword", sizes, top)
    lexicon = theme_lexicon()
    stems = keyed.assign(word=keyed["keyword"].map(theme_word))
    themed = pd.concat([keyed.assign(word=keyed["keyword"]), stems]).merge(lexicon, on="word")
    themed = themed.drop_duplicates(["comment", "group", "theme"])
    themes = _top_counts(themed, "theme", sizes, None).merge(
        lexicon.drop_duplicates("theme")[["theme", "label_zh", "label_en"]], on="theme"
    )
    examples = (
        themed.merge(texts[["comment", "text"]], on="comment")
        .assign(length=lambda f: f["text"].str.len())
        .sort_values(["month", "group", "theme", "length", "comment"])
        .groupby(["month", "group", "theme"])
        .head(examples_per_theme)
    )
    return ThemeSummary(
        comments=sizes,
        keywords=keywords,
        themes=themes,
        examples=examples[["month", "group", "theme", "text"]].reset_index(drop=True),
    )


def _top_counts(
    frame: pd.DataFrame, column: str, sizes: pd.DataFrame, top: int | None
) -> pd.DataFrame:
    counted = (
        frame.groupby(["month", "group", column])
        .size()
        .rename("comments")
        .reset_index()
        .merge(sizes, on=["month", "group"])
    )
    counted = counted.assign(share=100 * counted["comments"] / counted["n"]).drop(columns="n")
    counted = counted.sort_values(
        ["month", "group", "comments", column], ascending=[True, True, False, True]
    )
    if top is not None:
        counted = counted.groupby(["month", "group"]).head(top)
    return counted.reset_index(drop=True)
