"""Stored aggregates of closed months (pair counts, funnel, comment themes) against live ones,
and the index-friendly comment readers, against a real database."""

from datetime import UTC, datetime

import pandas as pd
import pytest
import sqlalchemy as sa

from analysis import ThemeSummary, load, monthly
from analysis.frames import FUNNEL_COLUMNS
from surveyapp.models import Base

from . import demo

NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture
def pairs_engine(demo_engine):
    return demo_engine, Base.metadata.tables["answer_pair_counts"]


def expected_pairs(month: str) -> pd.DataFrame:
    rows = demo.answer_rows()
    rows = rows[rows["month"] == month]
    overall = rows[rows["question_code"] == "OVERALL"][["response_id", "value"]]
    rated = rows[(rows["kind"] == "rating") & (rows["question_code"] != "OVERALL")]
    joined = rated.merge(overall, on="response_id", suffixes=("", "_target"))
    return (
        joined.astype({"value": "int64", "value_target": "int64"})
        .groupby(["month", "question_code", "value", "value_target"])
        .size()
        .rename("n")
        .reset_index()
        .rename(columns={"value_target": "target_value"})
    )


def test_live_pair_counts_equal_a_pandas_join_of_the_rows(demo_engine):
    with demo_engine.connect() as conn:
        pairs = load.read_pair_counts(conn, demo.CONTRACT_ID, ["2026-10", "2026-11"], "OVERALL")
    expected = pd.concat([expected_pairs("2026-10"), expected_pairs("2026-11")])
    pd.testing.assert_frame_equal(pairs, expected.reset_index(drop=True), check_dtype=False)


def test_stored_pair_counts_are_read_for_a_closed_month(pairs_engine):
    engine, table = pairs_engine
    with engine.begin() as conn:
        stored = load.month_pair_counts(conn, demo.CONTRACT_ID, "2026-10", "OVERALL")
        conn.execute(table.insert(), stored.to_dict("records"))
        marker = {"contract_id": demo.CONTRACT_ID, "month": "2026-10", "target_code": "OVERALL"}
        conn.execute(
            table.insert(),
            [{**marker, "question_code": "ZZZ", "value": 1, "target_value": 1, "n": 7}],
        )
    with engine.connect() as conn:
        pairs = load.read_pair_counts(conn, demo.CONTRACT_ID, ["2026-10"], "OVERALL")
    assert pairs[pairs["question_code"] == "ZZZ"]["n"].tolist() == [7]
    without_marker = pairs[pairs["question_code"] != "ZZZ"].reset_index(drop=True)
    pd.testing.assert_frame_equal(without_marker, expected_pairs("2026-10"), check_dtype=False)


def test_open_month_pairs_are_counted_live_even_if_stored(pairs_engine):
    engine, table = pairs_engine
    with engine.begin() as conn:
        conn.execute(
            table.insert(),
            [
                {"contract_id": demo.CONTRACT_ID, "month": "2026-11", "target_code": "OVERALL",
                 "question_code": "ZZZ", "value": 1, "target_value": 1, "n": 7}
            ],
        )  # fmt: skip
    with engine.connect() as conn:
        pairs = load.read_pair_counts(conn, demo.CONTRACT_ID, ["2026-11"], "OVERALL")
    pd.testing.assert_frame_equal(pairs, expected_pairs("2026-11"), check_dtype=False)


def test_comment_readers_with_text_codes_read_the_same_rows(demo_engine):
    months = ["2026-10", "2026-11"]
    with demo_engine.connect() as conn:
        comments = load.read_comments(conn, demo.CONTRACT_ID, months)
        by_code = load.read_comments(conn, demo.CONTRACT_ID, months, ["COMMENT"])
        scores = load.read_comment_scores(conn, demo.CONTRACT_ID, months)
        scores_by_code = load.read_comment_scores(conn, demo.CONTRACT_ID, months, ["COMMENT"])
    assert len(comments) > 0
    pd.testing.assert_frame_equal(by_code, comments)
    order = ["response_id", "question_code"]
    pd.testing.assert_frame_equal(
        scores_by_code.sort_values(order).reset_index(drop=True),
        scores.sort_values(order).reset_index(drop=True),
    )


def test_stored_funnel_is_read_for_a_closed_month_and_the_open_month_counted_live(demo_engine):
    table = Base.metadata.tables["month_summaries"]
    with demo_engine.connect() as conn:
        live = load.read_funnel(conn, demo.CONTRACT_ID, list(demo.MONTHS))
        assert load.month_funnel(conn, demo.CONTRACT_ID, "2026-10") == tuple(
            live[live["month"] == "2026-10"][list(FUNNEL_COLUMNS)].iloc[0].tolist()
        )
    empty = ThemeSummary.from_records([]).to_records()
    with demo_engine.begin() as conn:
        for month in demo.MONTHS:  # 2026-11 is open: its stored row must be ignored
            row = {"invited": 99, "opened": 98, "answered": 97, "comment_themes": empty}
            conn.execute(table.insert(), [{"contract_id": demo.CONTRACT_ID, "month": month, **row}])
    with demo_engine.connect() as conn:
        funnel = load.read_funnel(conn, demo.CONTRACT_ID, ["2026-08", *demo.MONTHS])
    assert funnel["month"].tolist() == ["2026-08", *demo.MONTHS]
    assert funnel["invited"].tolist() == [0, 99, 99, live["invited"].iloc[-1]]
    assert funnel["answered"].tolist() == [0, 97, 97, live["answered"].iloc[-1]]


def test_stored_themes_replace_the_comments_of_closed_months(demo_engine):
    with demo_engine.connect() as conn:
        computed = monthly.load_month_inputs(conn, demo.CONTRACT_ID, "2026-11", trend_months=3)
        live = monthly.analyse_month(computed, now=NOW)
        october = computed.comments[computed.comments["month"] == "2026-10"]
        stored = monthly.month_comment_themes(october, computed.comment_scores, computed.questions)
    assert not stored.keywords.empty
    table = Base.metadata.tables["month_summaries"]
    with demo_engine.begin() as conn:
        conn.execute(
            table.insert(),
            [{"contract_id": demo.CONTRACT_ID, "month": "2026-10", "invited": 0, "opened": 0,
              "answered": 0, "comment_themes": stored.to_records()}],
        )  # fmt: skip
    with demo_engine.connect() as conn:
        inputs = monthly.load_month_inputs(conn, demo.CONTRACT_ID, "2026-11", trend_months=3)
    assert set(inputs.comments["month"]) == {"2026-11"}  # October's comments are not read
    result = monthly.analyse_month(inputs, now=NOW)
    for name in ("comments", "keywords", "themes", "examples"):
        pd.testing.assert_frame_equal(
            getattr(result.themes, name), getattr(live.themes, name), check_dtype=False
        )


def test_theme_records_round_trip_through_json():
    import json

    summary = ThemeSummary(
        comments=pd.DataFrame({"month": ["2026-10"], "group": ["all"], "n": [3]}),
        keywords=pd.DataFrame(
            {
                "month": ["2026-10"],
                "group": ["all"],
                "keyword": ["回复"],
                "comments": [2],
                "share": [200 / 3],
            }
        ),  # fmt: skip
        themes=pd.DataFrame(
            {
                "month": ["2026-10"],
                "group": ["all"],
                "theme": ["speed"],
                "comments": [2],
                "share": [200 / 3],
                "label_zh": ["速度"],
                "label_en": ["Speed"],
            }
        ),  # fmt: skip
        examples=pd.DataFrame(
            {"month": ["2026-10"], "group": ["all"], "theme": ["speed"], "text": ["太慢 😀"]}
        ),
    )
    back = ThemeSummary.from_records([json.loads(json.dumps(summary.to_records()))])
    for name in ("comments", "keywords", "themes", "examples"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(summary, name))


def test_live_pair_counts_start_from_the_overall_answers_without_statistics(tmp_path):
    """SQLite databases are rarely ANALYZEd: without statistics the pair query must still
    start from the month's overall answers and look up each response's ratings (started from
    the ratings it was quadratic: minutes for a month of 4,000 responses)."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    Base.metadata.create_all(engine)
    statements = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2:4]))
    with engine.connect() as conn:
        load.month_pair_counts(conn, 1, "2026-10", "OVERALL")
        statement, parameters = statements[-1]
        plan = [
            row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        ]
    engine.dispose()
    searches = [step for step in plan if step.startswith(("SEARCH", "SCAN"))]
    assert searches[0].startswith("SEARCH overall USING"), plan
    assert searches[1].startswith("SEARCH rating USING") and "response_id=?" in searches[1], plan


def test_stored_examples_are_masked_with_the_names_known_now(demo_engine):
    """A month's examples were stored with the names known at its close; a customer added
    since is masked too when the analysis is given the current names."""
    with demo_engine.connect() as conn:
        computed = monthly.load_month_inputs(conn, demo.CONTRACT_ID, "2026-11", trend_months=3)
    october = computed.comments[computed.comments["month"] == "2026-10"]
    october = october.assign(text="王小明说回复太慢了，等了两天")
    stored = monthly.month_comment_themes(october, computed.comment_scores, computed.questions)
    assert stored.examples["text"].str.contains("王小明").any()
    with demo_engine.begin() as conn:
        conn.execute(
            Base.metadata.tables["month_summaries"].insert(),
            [{"contract_id": demo.CONTRACT_ID, "month": "2026-10", "invited": 0, "opened": 0,
              "answered": 0, "comment_themes": stored.to_records()}],
        )  # fmt: skip
    with demo_engine.connect() as conn:
        inputs = monthly.load_month_inputs(conn, demo.CONTRACT_ID, "2026-11", trend_months=3)
    shown = monthly.analyse_month(inputs, now=NOW, names=("王小明",)).themes.examples
    october_shown = shown[shown["month"] == "2026-10"]["text"]
    assert len(october_shown) and not october_shown.str.contains("王小明").any()
