"""Store a closed month's aggregates (DESIGN.md section 5: dashboards read these rows).

What a closed cycle's dashboards, trends and reports need is stored when it closes, and rebuilt
after a late correction or a history import: answer counts, rating x overall pair counts, the
invitation funnel (invitations issued whatever the channel, opened, answered; and the e-mail
funnel), and the comment keywords and themes (examples masked, known customer names included).
Only the open month is computed live.
"""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ..customers.names import customer_names
from ..models import Answer, AnswerCount, AnswerPairCount, MonthSummary, utcnow


def store_month_aggregates(
    session: Session, contract_id: int, month: str, names: tuple[str, ...] | None = None
) -> None:
    """Replace the stored aggregates of one contract and month by fresh ones from its answers
    and invitations. Safe to run again (late correction, history import, backfill).

    ``names``: the contract's known customer names (:func:`customer_names`), for a caller that
    stores many months of one contract; read here when omitted.
    """
    # pandas and jieba load here, not when a page or command merely imports this module.
    from analysis.frames import FUNNEL_COLUMNS
    from analysis.load import (
        month_funnel,
        month_pair_counts,
        read_comment_scores,
        read_comments,
        read_questions,
    )
    from analysis.monthly import month_comment_themes, overall_code

    for model in (AnswerCount, AnswerPairCount, MonthSummary):
        session.execute(delete(model).where(model.contract_id == contract_id, model.month == month))
    counts = (
        select(Answer.contract_id, Answer.month, Answer.question_code, Answer.value, func.count())
        .where(Answer.contract_id == contract_id, Answer.month == month, Answer.value.is_not(None))
        .group_by(Answer.contract_id, Answer.month, Answer.question_code, Answer.value)
    )
    session.execute(
        insert(AnswerCount).from_select(
            ["contract_id", "month", "question_code", "value", "n"], counts
        )
    )
    conn = session.connection()
    questions = read_questions(conn, contract_id)
    overall = overall_code(questions)
    if overall is not None:
        pairs = month_pair_counts(conn, contract_id, month, overall)
        if len(pairs):
            session.execute(insert(AnswerPairCount), pairs.to_dict("records"))
    text_codes = questions.loc[questions["kind"] == "text", "question_code"].tolist()
    comments = read_comments(conn, contract_id, [month], text_codes)
    if names is None:
        names = customer_names(session, contract_id) if len(comments) else ()
    themes = month_comment_themes(
        comments, read_comment_scores(conn, contract_id, [month], text_codes), questions, names
    )
    funnel = dict(zip(FUNNEL_COLUMNS, month_funnel(conn, contract_id, month), strict=True))
    session.add(
        MonthSummary(
            contract_id=contract_id,
            month=month,
            **funnel,
            comment_themes=themes.to_records(),
            built_at=utcnow(),
        )
    )
    session.flush()
