"""The loaders against a real database (SQLite file; PostgreSQL when TEST_DATABASE_URL is set)."""

from datetime import UTC, datetime

import pandas as pd
import pytest
import sqlalchemy as sa

from analysis import load
from analysis.monthly import monthly_analysis, portfolio_scores
from surveyapp.models import Base

from . import demo

NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.mark.parametrize("table", load.TABLES, ids=lambda t: t.name)
def test_table_descriptions_match_the_models(table):
    model = Base.metadata.tables[table.name]
    assert set(table.c.keys()) <= set(model.c.keys())


def expected_counts(months):
    rows = demo.answer_rows()
    rows = rows[rows["value"].notna() & rows["month"].isin(months)].astype({"value": "int64"})
    frame = rows.groupby(["month", "question_code", "value"]).size().rename("n").reset_index()
    return frame.assign(contract_id=demo.CONTRACT_ID)[
        ["contract_id", "month", "question_code", "value", "n"]
    ]


def sort(frame):
    return frame.sort_values(["contract_id", "month", "question_code", "value"]).reset_index(
        drop=True
    )


def test_live_counts_equal_a_pandas_group_by_of_the_rows(demo_engine):
    with demo_engine.connect() as conn:
        counts = load.live_counts(conn, ["2026-10", "2026-11"], [demo.CONTRACT_ID])
    pd.testing.assert_frame_equal(sort(counts), sort(expected_counts(["2026-10", "2026-11"])))


def test_month_answer_counts_can_be_stored_and_are_then_read_instead_of_live(demo_engine):
    with demo_engine.begin() as conn:
        stored = load.month_answer_counts(conn, demo.CONTRACT_ID, "2026-10")
        conn.execute(Base.metadata.tables["answer_counts"].insert(), stored.to_dict("records"))
        # a marker row only the stored table has: proves the closed month comes from storage
        conn.execute(
            Base.metadata.tables["answer_counts"].insert(),
            [
                {
                    "contract_id": demo.CONTRACT_ID,
                    "month": "2026-10",
                    "question_code": "ZZZ",
                    "value": 1,
                    "n": 7,
                }
            ],
        )
    with demo_engine.connect() as conn:
        counts = load.read_counts(conn, demo.MONTHS, [demo.CONTRACT_ID])
    assert counts[counts["question_code"] == "ZZZ"]["n"].tolist() == [7]
    without_marker = counts[counts["question_code"] != "ZZZ"]
    pd.testing.assert_frame_equal(sort(without_marker), sort(expected_counts(demo.MONTHS)))
    with demo_engine.connect() as conn:  # stored (2026-10) and live (2026-11) months, filtered
        overall = load.read_counts(conn, demo.MONTHS, [demo.CONTRACT_ID], ["OVERALL", "ZZZ"])
    expected = counts[counts["question_code"].isin(["OVERALL", "ZZZ"])]
    assert set(overall["month"]) == set(demo.MONTHS) and "ZZZ" in set(overall["question_code"])
    pd.testing.assert_frame_equal(sort(overall), sort(expected))


def test_open_month_is_counted_live_even_if_counts_were_stored(demo_engine):
    with demo_engine.begin() as conn:
        conn.execute(
            Base.metadata.tables["answer_counts"].insert(),
            [
                {
                    "contract_id": demo.CONTRACT_ID,
                    "month": "2026-11",
                    "question_code": "ZZZ",
                    "value": 1,
                    "n": 7,
                }
            ],
        )
    with demo_engine.connect() as conn:
        counts = load.read_counts(conn, ["2026-11"])
    assert "ZZZ" not in set(counts["question_code"])
    pd.testing.assert_frame_equal(sort(counts), sort(expected_counts(["2026-11"])))


def test_survey_version_filter_is_applied(demo_engine):
    with demo_engine.connect() as conn:
        assert len(load.live_counts(conn, ["2026-11"], survey_version_id=1)) > 0
        assert load.live_counts(conn, ["2026-11"], survey_version_id=99).empty


def test_pair_counts_join_each_rating_with_the_overall_rating(demo_engine):
    with demo_engine.connect() as conn:
        pairs = load.read_pair_counts(conn, demo.CONTRACT_ID, ["2026-11"], "OVERALL")
    assert set(pairs["question_code"]) == {"RESP", "COMPL", "KNOW", "SOLVE", "COURT", "CONF"}
    assert pairs.groupby("question_code")["n"].sum().eq(demo.RESPONSES_PER_MONTH).all()


def test_comments_scores_tickets_and_funnel(demo_engine):
    with demo_engine.connect() as conn:
        comments = load.read_comments(conn, demo.CONTRACT_ID, ["2026-11"])
        scores = load.read_comment_scores(conn, demo.CONTRACT_ID, ["2026-11"])
        tickets = load.read_tickets(
            conn,
            demo.CONTRACT_ID,
            datetime(2026, 11, 1, tzinfo=UTC),
            datetime(2026, 12, 1, tzinfo=UTC),
        )
        funnel = load.read_funnel(conn, demo.CONTRACT_ID, ["2026-10", "2026-11", "2026-12"])
    assert len(comments) == 13  # 12 low RESP scorers + the first response's comment
    assert set(scores["response_id"]) == set(comments["response_id"])
    assert len(tickets) == 14 and str(tickets["received_at"].dt.tz) == "UTC"
    assert tickets["received_at"].min() == pd.Timestamp("2026-11-10 02:00", tz="UTC")
    # issued (any channel), opened, answered; then the e-mail funnel (all demo links e-mailed)
    assert funnel.set_index("month").loc["2026-11"].tolist() == [100, 60, 40, 100, 60, 40]
    assert funnel.set_index("month").loc["2026-12"].tolist() == [0] * 6


def test_questions_targets_and_terms(demo_engine):
    with demo_engine.connect() as conn:
        questions = load.read_questions(conn, demo.CONTRACT_ID)
        targets = load.read_targets(conn, demo.CONTRACT_ID)
        terms = load.read_contract_terms(conn, demo.CONTRACT_ID)
    pd.testing.assert_frame_equal(
        questions.sort_values("question_code").reset_index(drop=True),
        demo.QUESTIONS.sort_values("question_code").reset_index(drop=True),
    )
    assert set(targets["dimension"]) == set(demo.TARGETS["dimension"])
    assert (terms.inquiry_hours, terms.complaint_hours, terms.target_response_rate) == (24, 48, 30)


def test_monthly_analysis_from_the_database_equals_the_pandas_computation(demo_engine):
    from analysis.monthly import analyse_month

    with demo_engine.connect() as conn:
        result = monthly_analysis(conn, demo.CONTRACT_ID, "2026-11", now=NOW, trend_months=3)
    expected = analyse_month(demo.inputs_from_rows(demo.answer_rows(), demo.ticket_rows()), now=NOW)
    assert [i.key for i in result.action_items] == [i.key for i in expected.action_items]
    pd.testing.assert_frame_equal(result.scores, expected.scores, check_dtype=False)
    assert result.nps == expected.nps and result.funnel == expected.funnel


def test_portfolio_scores_cover_every_contract_dimension(demo_engine):
    with demo_engine.connect() as conn:
        scores = portfolio_scores(conn, "2026-11", demo.QUESTIONS)
    assert len(scores) == 7 and set(scores["contract_id"]) == {demo.CONTRACT_ID}


def test_loaders_select_only_the_columns_they_need(demo_engine):
    statements = []
    sa.event.listen(demo_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with demo_engine.connect() as conn:
        monthly_analysis(conn, demo.CONTRACT_ID, "2026-11", now=NOW, trend_months=3)
    answer_reads = [s for s in statements if "FROM answers" in s]
    assert answer_reads and not any("SELECT *" in s or ".*" in s for s in answer_reads)
    assert all("GROUP BY" in s or "kind" in s for s in answer_reads)
