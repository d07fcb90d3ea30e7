"""A small demo-like contract, as raw rows, and its insertion into a real database.

Three months of one contract (2026-09 .. 2026-11), 40 responses a month out of 100 invitations,
the demo survey's nine questions. Responsiveness (RESP) is fine in September and October and
drops in November; low scorers complain about slow replies in October and November; one
November inquiry is answered late. Every figure a test expects is derived from these rows by
hand in the test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from surveyapp.models import Base

CONTRACT_ID = 1
MONTHS = ("2026-09", "2026-10", "2026-11")
RESPONSES_PER_MONTH = 40
INVITED_PER_MONTH = 100
OPENED_PER_MONTH = 60

QUESTIONS = pd.DataFrame(
    [
        ("RESP", "rating", "responsiveness", "一(1)"),
        ("COMPL", "rating", "complaint_handling", "一(2)"),
        ("KNOW", "rating", "professional_knowledge", "二(2)"),
        ("SOLVE", "rating", "problem_solving", "二(3)"),
        ("COURT", "rating", "courtesy", "二"),
        ("CONF", "rating", "confidentiality", "四"),
        ("OVERALL", "rating", "overall", "一(3)"),
        ("NPS", "nps", None, None),
        ("COMMENT", "text", None, None),
    ],
    columns=["question_code", "kind", "dimension", "clause_ref"],
)
TARGETS = pd.DataFrame(
    {
        "dimension": QUESTIONS["dimension"].dropna(),
        "clause_ref": QUESTIONS["clause_ref"].dropna(),
        "target_mean": 4.0,
        "target_csat": 80.0,
    }
).reset_index(drop=True)

# RESP per month: September and October 36 of 40 top-2-box (90 %), November 16 of 40 (40 %).
RESP = {
    "2026-09": [5] * 20 + [4] * 16 + [3] * 4,
    "2026-10": [5] * 20 + [4] * 16 + [2] * 4,
    "2026-11": [5] * 6 + [4] * 10 + [3] * 12 + [2] * 8 + [1] * 4,
}
OTHER = [5] * 20 + [4] * 16 + [3] * 4  # every other rating, every month: mean 4.4, CSAT 90 %
NPS = [10] * 20 + [8] * 12 + [5] * 8  # 50 % promoters, 20 % detractors: NPS 30
SLOW = "客服回复太慢了，等了两天才有人处理"


def answer_rows() -> pd.DataFrame:
    """Every answer: ``response_id, month, question_code, kind, value, text``."""
    frames = []
    for m, month in enumerate(MONTHS):
        ids = np.arange(RESPONSES_PER_MONTH) + 1 + m * RESPONSES_PER_MONTH
        for code, kind in QUESTIONS[["question_code", "kind"]].itertuples(index=False):
            values = RESP[month] if code == "RESP" else NPS if kind == "nps" else OTHER
            if kind == "text":
                low = np.array(RESP[month]) <= 2
                texts = [SLOW if is_low else "" for is_low in low]
                texts[0] = "很满意，王先生电话13812345678"
                frame = pd.DataFrame({"response_id": ids, "text": texts})
                frame = frame[frame["text"] != ""].assign(value=pd.NA)
            else:
                frame = pd.DataFrame({"response_id": ids, "value": values, "text": None})
            frames.append(frame.assign(month=month, question_code=code, kind=kind))
    return pd.concat(frames, ignore_index=True)


def ticket_rows() -> pd.DataFrame:
    """Tickets: 10 inquiries and 4 complaints a month; one November inquiry replied in 30 h."""
    rows = []
    for month in MONTHS:
        start = datetime.fromisoformat(f"{month}-10T02:00:00+00:00")
        for i in range(10):
            late = month == "2026-11" and i == 0
            received = start + timedelta(hours=5 * i)
            reply = received + timedelta(hours=30 if late else 2 + i)
            rows.append((f"I-{month}-{i}", "inquiry", received, reply, reply + timedelta(hours=1)))
        for i in range(4):
            received = start + timedelta(hours=7 * i)
            rows.append(
                (
                    f"C-{month}-{i}",
                    "complaint",
                    received,
                    received + timedelta(hours=1),
                    received + timedelta(hours=10 + 5 * i),
                )
            )
    return pd.DataFrame(
        rows, columns=["external_id", "kind", "received_at", "first_reply_at", "resolved_at"]
    )


def create_schema(engine: sa.Engine) -> None:
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)


def insert_demo(conn: sa.Connection, closed_months: tuple[str, ...] = MONTHS[:-1]) -> None:
    """Insert the demo contract; ``closed_months`` get status closed, the rest stay open."""
    t = Base.metadata.tables
    now = datetime(2026, 11, 20, tzinfo=UTC)
    conn.execute(
        t["organizations"].insert(),
        [
            {"id": 1, "kind": "provider", "name": "服务商"},
            {"id": 2, "kind": "client", "name": "客户公司"},
        ],
    )
    conn.execute(t["surveys"].insert(), [{"id": 1, "provider_id": 1, "name": "满意度"}])
    conn.execute(
        t["survey_versions"].insert(),
        [{"id": 1, "survey_id": 1, "number": 1, "title_zh": "调查", "title_en": "Survey"}],
    )
    conn.execute(
        t["questions"].insert(),
        [
            {
                "id": i + 1,
                "version_id": 1,
                "position": i,
                "code": q.question_code,
                "type": q.kind,
                "dimension": q.dimension if isinstance(q.dimension, str) else None,
                "clause_ref": q.clause_ref if isinstance(q.clause_ref, str) else None,
                "text_zh": q.question_code,
                "text_en": q.question_code,
            }
            for i, q in enumerate(QUESTIONS.itertuples(index=False))
        ],
    )
    conn.execute(
        t["contracts"].insert(),
        [
            {
                "id": CONTRACT_ID,
                "number": "HT-1",
                "title": "客服合同",
                "provider_id": 1,
                "client_id": 2,
                "start_date": date(2026, 1, 1),
                "target_response_rate": 30,
            }
        ],
    )
    conn.execute(
        t["dimension_targets"].insert(),
        [{"contract_id": CONTRACT_ID, **row} for row in TARGETS.to_dict("records")],
    )
    conn.execute(
        t["customers"].insert(),
        [
            {"id": i + 1, "contract_id": CONTRACT_ID, "ref": f"C{i + 1}"}
            for i in range(INVITED_PER_MONTH)
        ],
    )
    invitations, responses = [], []
    for m, month in enumerate(MONTHS):
        opens = datetime.fromisoformat(f"{month}-01T00:00:00+00:00")
        conn.execute(
            t["cycles"].insert(),
            [
                {
                    "id": m + 1,
                    "contract_id": CONTRACT_ID,
                    "month": month,
                    "survey_version_id": 1,
                    "status": "closed" if month in closed_months else "open",
                    "opens_at": opens,
                    "closes_at": opens + timedelta(days=14),
                }
            ],
        )
        for i in range(INVITED_PER_MONTH):
            invitation_id = m * INVITED_PER_MONTH + i + 1
            answered = i < RESPONSES_PER_MONTH
            invitations.append(
                {
                    "id": invitation_id,
                    "cycle_id": m + 1,
                    "customer_id": i + 1,
                    "token_hash": f"{invitation_id:064d}",
                    "sent_at": opens,
                    "opened_at": opens if i < OPENED_PER_MONTH else None,
                    "responded_at": opens if answered else None,
                    "expires_at": now,
                }
            )
            if answered:
                responses.append(
                    {
                        "id": m * RESPONSES_PER_MONTH + i + 1,
                        "invitation_id": invitation_id,
                        "cycle_id": m + 1,
                        "contract_id": CONTRACT_ID,
                        "month": month,
                        "survey_version_id": 1,
                        "submitted_at": opens,
                    }
                )
    conn.execute(t["invitations"].insert(), invitations)
    conn.execute(t["responses"].insert(), responses)
    question_ids = dict(zip(QUESTIONS["question_code"], range(1, len(QUESTIONS) + 1), strict=True))
    rows = answer_rows()
    conn.execute(
        t["answers"].insert(),
        [
            {
                "response_id": int(r.response_id),
                "question_id": question_ids[r.question_code],
                "contract_id": CONTRACT_ID,
                "month": r.month,
                "question_code": r.question_code,
                "kind": r.kind,
                "value": None if pd.isna(r.value) else int(r.value),
                "text_value": r.text if isinstance(r.text, str) else None,
            }
            for r in rows.itertuples(index=False)
        ],
    )
    conn.execute(
        t["tickets"].insert(),
        [{"contract_id": CONTRACT_ID, **row} for row in ticket_rows().to_dict("records")],
    )


def inputs_from_rows(
    answers: pd.DataFrame,
    tickets: pd.DataFrame,
    month: str = MONTHS[-1],
    invited: int = INVITED_PER_MONTH,
    answered: int = RESPONSES_PER_MONTH,
):
    """The :class:`analysis.monthly.MonthInputs` these raw rows give, computed in pandas
    (what the loaders compute in SQL)."""
    from analysis.load import ContractTerms
    from analysis.monthly import MonthInputs
    from analysis.trends import month_range

    months = tuple(month_range(month, 3))
    scored = answers[answers["value"].notna()].astype({"value": "int64"})
    counts = (
        scored.groupby(["month", "question_code", "value"])
        .size()
        .rename("n")
        .reset_index()
        .assign(contract_id=CONTRACT_ID)
    )
    overall = scored[scored["question_code"] == "OVERALL"][["response_id", "value"]]
    rated = scored[(scored["kind"] == "rating") & (scored["question_code"] != "OVERALL")]
    pairs = (
        rated.merge(overall.rename(columns={"value": "target_value"}), on="response_id")
        .groupby(["month", "question_code", "value", "target_value"])
        .size()
        .rename("n")
        .reset_index()
    )
    texts = answers[answers["kind"] == "text"].rename(columns={"text": "text"})
    commented = scored[scored["response_id"].isin(texts["response_id"])]
    return MonthInputs(
        contract_id=CONTRACT_ID,
        month=month,
        months=months,
        counts=counts[["contract_id", "month", "question_code", "value", "n"]],
        questions=QUESTIONS,
        targets=TARGETS,
        terms=ContractTerms(target_response_rate=30),
        pairs=pairs[pairs["month"] == month],
        comments=texts[["response_id", "month", "question_code", "text"]],
        comment_scores=commented[["response_id", "question_code", "value"]],
        tickets=tickets,
        funnel=pd.DataFrame(
            {
                "month": list(months),
                "invited": invited,
                "opened": OPENED_PER_MONTH,
                "answered": answered,
                "emailed": invited,  # every demo invitation went by e-mail
                "email_opened": OPENED_PER_MONTH,
                "email_answered": answered,
            }
        ),
    )
