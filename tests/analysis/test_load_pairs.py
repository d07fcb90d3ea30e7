"""Stored pair counts (the optional ``answer_pair_counts`` table) and the index-friendly
comment readers, against a real database."""

import pandas as pd
import pytest
import sqlalchemy as sa

from analysis import load
from surveyapp.models import Base

from . import demo


def pair_table(metadata: sa.MetaData) -> sa.Table:
    """The table as proposed in :data:`analysis.load.OPTIONAL_TABLES`."""
    return sa.Table(
        "answer_pair_counts",
        metadata,
        sa.Column("contract_id", sa.Integer, primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("target_code", sa.String(40), primary_key=True),
        sa.Column("question_code", sa.String(40), primary_key=True),
        sa.Column("value", sa.SmallInteger, primary_key=True),
        sa.Column("target_value", sa.SmallInteger, primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )


@pytest.fixture
def pairs_engine(demo_engine):
    table = Base.metadata.tables.get("answer_pair_counts")
    if table is None:
        table = pair_table(sa.MetaData())
    table.create(demo_engine, checkfirst=True)
    yield demo_engine, table
    table.drop(demo_engine)


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


@pytest.mark.parametrize("table", load.OPTIONAL_TABLES, ids=lambda t: t.name)
def test_optional_table_descriptions_match_the_models_once_they_exist(table):
    model = Base.metadata.tables.get(table.name)
    if model is None:
        pytest.skip(f"{table.name} is not in the models yet")
    assert set(table.c.keys()) <= set(model.c.keys())


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
