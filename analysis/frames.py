"""Column names of the long-format frames the analysis reads and returns.

Every function in :mod:`analysis` works on a few long frames whose columns are fixed here, so a
frame built in a test by hand, one read by :mod:`analysis.load` and one rebuilt from stored
aggregates are interchangeable.

counts
    One row per contract x month x question x value: ``contract_id, month, question_code,
    value, n``. Rating and NPS answers only; ``n`` is the number of answers with that value.
questions
    One row per question code: ``question_code, kind, dimension, clause_ref`` (``kind`` is
    ``rating``, ``nps``, ``single``, ``multiple`` or ``text``).
targets
    One row per dimension: ``dimension, clause_ref, target_mean, target_csat``.
tickets
    One row per ticket: ``external_id, kind, received_at, first_reply_at, resolved_at``
    (aware UTC timestamps; ``kind`` is ``inquiry`` or ``complaint``).
comments
    One row per free-text answer: ``response_id, month, question_code, text``.
scores
    One row per rating or NPS answer of a commenting response: ``response_id, question_code,
    value``.
funnel
    One row per month: ``month`` and ``invited, opened, answered`` (invitations issued
    whatever the channel, and of those opened and answered: the response rate is
    answered / invited), then the e-mail funnel ``emailed, email_opened, email_answered``.
pairs
    Joint counts of a dimension rating and the overall rating on the same response:
    ``month, question_code, value, target_value, n``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = [
    "COMMENT_COLUMNS",
    "COUNT_COLUMNS",
    "FUNNEL_COLUMNS",
    "PAIR_COLUMNS",
    "QUESTION_COLUMNS",
    "SCORE_COLUMNS",
    "TARGET_COLUMNS",
    "TICKET_COLUMNS",
    "empty_frame",
    "require_columns",
]

COUNT_COLUMNS = ("contract_id", "month", "question_code", "value", "n")
QUESTION_COLUMNS = ("question_code", "kind", "dimension", "clause_ref")
TARGET_COLUMNS = ("dimension", "clause_ref", "target_mean", "target_csat")
TICKET_COLUMNS = ("external_id", "kind", "received_at", "first_reply_at", "resolved_at")
COMMENT_COLUMNS = ("response_id", "month", "question_code", "text")
SCORE_COLUMNS = ("response_id", "question_code", "value")
FUNNEL_COLUMNS = ("invited", "opened", "answered", "emailed", "email_opened", "email_answered")
PAIR_COLUMNS = ("month", "question_code", "value", "target_value", "n")


def require_columns(frame: pd.DataFrame, columns: Iterable[str], name: str = "frame") -> None:
    """Raise ``ValueError`` naming the columns ``frame`` lacks.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"n": [1]}), ["n", "value"], "counts")
    Traceback (most recent call last):
    ...
    ValueError: counts lacks column(s): value
    """
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s): {', '.join(missing)}")


def empty_frame(columns: Iterable[str]) -> pd.DataFrame:
    """An empty frame with the given columns (a month without data still has a shape)."""
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})
