"""Which respondents were shown each question: "not shown" kept apart from "not answered".

A survey question may be shown only when an earlier answer meets a condition (a follow-up
"what went wrong?" after a low rating). Its item nonresponse must then be counted among those
who were *shown* it: a respondent who rated 5 never saw the follow-up, so is neither a
non-answer nor part of its denominator. :func:`question_reach` gives, per month and question,
the respondents whose survey version has the question, how many were shown it, how many
answered, and the answer rate among those shown. The condition is evaluated here from the
stored answers, as the form did (a condition on an unanswered question is not met).

Frames in, frame out; no database, no application import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frames import require_columns

__all__ = ["REACH_COLUMNS", "question_reach"]

RESPONSE_COLUMNS = ("response_id", "month", "survey_version_id")
CONDITION_COLUMNS = (
    "survey_version_id", "question_code", "show_if_code", "show_if_op", "show_if_value",
)  # fmt: skip
ANSWER_COLUMNS = ("response_id", "question_code", "value", "option_code")
REACH_COLUMNS = (
    "month", "question_code", "respondents", "shown", "not_shown", "answered", "not_answered",
    "answer_rate",
)  # fmt: skip


def _condition_met(rows: pd.DataFrame) -> pd.Series:
    """Whether each (response, question, source answer row) meets the question's condition."""
    value = pd.to_numeric(rows["value"], errors="coerce")
    limit = pd.to_numeric(rows["show_if_value"], errors="coerce")
    op = rows["show_if_op"]
    chosen = pd.Series(
        [
            isinstance(code, str) and code in str(wanted).split()
            for code, wanted in zip(rows["option_code"], rows["show_if_value"], strict=True)
        ],
        index=rows.index,
        dtype=bool,
    )
    met = np.select(
        [op.eq("le"), op.eq("ge"), op.eq("eq"), op.eq("in")],
        [value.le(limit), value.ge(limit), value.eq(limit), chosen],
        default=False,
    )
    return pd.Series(met, index=rows.index, dtype=bool)


def question_reach(
    responses: pd.DataFrame, conditions: pd.DataFrame, answers: pd.DataFrame
) -> pd.DataFrame:
    """Per month and question: respondents, shown, not shown, answered, not answered, and
    the answer rate in percent of those shown (NaN when nobody was shown it).

    Parameters
    ----------
    responses : DataFrame
        ``response_id, month, survey_version_id``: one row per response.
    conditions : DataFrame
        ``survey_version_id, question_code, show_if_code, show_if_op, show_if_value``: every
        question of those versions; the ``show_if_*`` columns are null for a question always
        shown (``op``: ``le``, ``ge``, ``eq`` on a score, ``in`` option codes).
    answers : DataFrame
        ``response_id, question_code, value, option_code``: one row per stored answer row.

    Examples
    --------
    >>> responses = pd.DataFrame({"response_id": [1, 2, 3], "month": "2026-11",
    ...                           "survey_version_id": 7})
    >>> conditions = pd.DataFrame({"survey_version_id": [7, 7],
    ...     "question_code": ["OVERALL", "WRONG"], "show_if_code": [None, "OVERALL"],
    ...     "show_if_op": [None, "le"], "show_if_value": [None, "2"]})
    >>> answers = pd.DataFrame({"response_id": [1, 2, 3, 1],
    ...     "question_code": ["OVERALL", "OVERALL", "OVERALL", "WRONG"],
    ...     "value": [1, 2, 5, None], "option_code": None})
    >>> question_reach(responses, conditions, answers)[["question_code", "shown", "answered",
    ...                                                  "not_shown", "answer_rate"]]
      question_code  shown  answered  not_shown  answer_rate
    0       OVERALL      3         3          0        100.0
    1         WRONG      2         1          1         50.0
    """
    require_columns(responses, RESPONSE_COLUMNS, "responses")
    require_columns(conditions, CONDITION_COLUMNS, "conditions")
    require_columns(answers, ANSWER_COLUMNS, "answers")
    asked = responses[list(RESPONSE_COLUMNS)].merge(
        conditions[list(CONDITION_COLUMNS)], on="survey_version_id"
    )
    keys = ["response_id", "question_code"]
    conditional = asked[asked["show_if_code"].notna()]
    sources = answers[list(ANSWER_COLUMNS)].rename(columns={"question_code": "show_if_code"})
    candidates = conditional.merge(sources, on=["response_id", "show_if_code"])
    met = (
        candidates.assign(shown=_condition_met(candidates))
        .groupby(keys, as_index=False)["shown"]
        .any()
    )
    answered = answers[keys].drop_duplicates().assign(answered=True)
    reach = (
        asked.merge(met, on=keys, how="left")
        .merge(answered, on=keys, how="left")
        .assign(
            shown=lambda f: f["show_if_code"].isna() | f["shown"].eq(True),
            answered=lambda f: f["answered"].eq(True),
        )
        .groupby(["month", "question_code"], as_index=False, sort=True)
        .agg(
            respondents=("response_id", "size"),
            shown=("shown", "sum"),
            answered=("answered", "sum"),
        )
    )
    shown = reach["shown"].astype(float)
    return reach.assign(
        not_shown=reach["respondents"] - reach["shown"],
        not_answered=reach["shown"] - reach["answered"],
        answer_rate=(100 * reach["answered"] / shown.where(shown > 0)).round(1),
    )[list(REACH_COLUMNS)]
