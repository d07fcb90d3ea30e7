"""import_history: four export layouts, idempotence, all-or-nothing, contacts, aggregates."""

from __future__ import annotations

from collections import Counter
from datetime import UTC
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import func, select

import analysis
from analysis.load import read_funnel
from surveyapp.history.formats import read_table
from surveyapp.history.importing import import_history
from surveyapp.history.mapping import Mapping, propose_mapping
from surveyapp.models import Answer, AnswerCount, Customer, Cycle, Invitation, Response

from .exports import limesurvey_csv, responses, wjx_csv, xlsx


def run(session, world, data, *, preset=None, mapping=None, **kw):
    table = read_table(data)
    mapping = mapping or propose_mapping(table.header, world["version"], preset=preset)
    return import_history(
        session, world["contract"], world["version"], mapping, table,
        source=preset or "spreadsheet", **kw,
    )  # fmt: skip


def by_hand(rows):
    """Mean and CSAT of RESP, NPS of NPS, per month, computed straight from the rows."""
    out = {}
    for month in sorted({r.month for r in rows}):
        resp = [r.resp for r in rows if r.month == month]
        nps = [r.nps for r in rows if r.month == month]
        out[month] = {
            "n": len(resp),
            "mean": sum(resp) / len(resp),
            "csat": 100 * sum(v >= 4 for v in resp) / len(resp),
            "nps": 100 * (sum(v >= 9 for v in nps) - sum(v <= 6 for v in nps)) / len(nps),
        }
    return out


def stored_metrics(session, contract_id, months):
    counts = analysis.read_counts(session.connection(), months, [contract_id])
    out = {}
    for month in months:
        of = counts[counts["month"] == month]
        resp = of[of["question_code"] == "RESP"].set_index("value")["n"]
        nps = of[of["question_code"] == "NPS"].set_index("value")["n"]
        out[month] = {
            "n": int(resp.sum()),
            "mean": analysis.mean_score(resp).value,
            "csat": analysis.csat_top2box(resp).value,
            "nps": analysis.nps(nps).value,
        }
    return out


def assert_metrics_match(session, world, rows):
    expected = by_hand(rows)
    got = stored_metrics(session, world["contract"].id, list(expected))
    for month, figures in expected.items():
        assert got[month] == pytest.approx(figures), month


def test_wjx_export_in_gbk_with_chinese_headers_and_text_answers(session, world):
    rows = responses(60)
    summary = run(session, world, wjx_csv(rows, "gbk"), preset="wjx")
    assert summary.report.problems == []
    assert (summary.imported, summary.skipped, summary.already_present) == (60, 0, 0)
    assert_metrics_match(session, world, rows)


def test_wjx_export_in_utf8_with_bom(session, world):
    rows = responses(36, seed=2)
    data = wjx_csv(rows, "utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    summary = run(session, world, data, preset="wjx")
    assert summary.imported == 36 and summary.report.ok
    assert_metrics_match(session, world, rows)


def test_limesurvey_export_with_answer_codes(session, world):
    rows = responses(48, seed=3)
    summary = run(session, world, limesurvey_csv(rows), preset="limesurvey")
    assert summary.imported == 48 and summary.report.ok
    assert_metrics_match(session, world, rows)
    channels = Counter(
        session.scalars(select(Answer.option_id).where(Answer.question_code == "CHANNEL"))
    )
    options = {o.code: o.id for o in world["version"].questions[2].options}
    assert channels[options["phone"]] == sum(r.channel == "phone" for r in rows)


def test_xlsx_with_dates_as_excel_serial_numbers(session, world):
    rows = responses(24, seed=4)
    summary = run(session, world, xlsx(rows))
    assert summary.imported == 24 and summary.report.ok
    assert_metrics_match(session, world, rows)
    first = session.scalar(select(Response).order_by(Response.id))
    assert first.submitted_at.astimezone(pd.Timestamp(0, tz="Asia/Shanghai").tz).replace(
        tzinfo=None
    ) == pytest.approx(rows[0].at, abs=pd.Timedelta(seconds=1))


def test_imported_months_get_closed_historical_cycles_and_no_invitations(session, world):
    rows = responses(24, seed=5)
    run(session, world, wjx_csv(rows, "gbk"), preset="wjx")
    cycles = session.scalars(select(Cycle).order_by(Cycle.month)).all()
    assert [c.month for c in cycles] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert all(c.historical and c.status == "closed" for c in cycles)
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0
    sources = set(session.execute(select(Response.source, Response.invitation_id)).all())
    assert sources == {("wjx", None)}
    funnel = read_funnel(session.connection(), world["contract"].id, ["2025-03"])
    assert funnel["invited"].tolist() == [0]
    stored = session.scalar(
        select(func.sum(AnswerCount.n)).where(AnswerCount.question_code == "RESP")
    )
    assert stored == 24


def test_submitted_times_are_stored_as_the_models_store_them(session, world):
    """Rows written by plain executemany compare equal to the same instant bound by SQLAlchemy
    (on SQLite the stored text must match the column type's format to the microsecond)."""
    rows = responses(3, seed=6)
    run(session, world, wjx_csv(rows, "gbk"), preset="wjx")
    shanghai = ZoneInfo("Asia/Shanghai")
    for row in rows:
        instant = row.at.replace(tzinfo=shanghai).astimezone(UTC)
        found = session.scalar(select(Response.source_id).where(Response.submitted_at == instant))
        assert found == f"file|{row.number}"  # the source's origin, then the file's id


def test_reimporting_the_same_file_adds_nothing(session, world):
    data = wjx_csv(responses(30), "gbk")
    run(session, world, data, preset="wjx")
    again = run(session, world, data, preset="wjx")
    assert (again.imported, again.already_present) == (0, 30)
    assert session.scalar(select(func.count()).select_from(Response)) == 30


def test_a_file_without_ids_is_idempotent_by_row_hash(session, world):
    data = xlsx(responses(20, seed=6))
    run(session, world, data)
    again = run(session, world, data)
    assert (again.imported, again.already_present) == (0, 20)
    assert session.scalar(select(func.count()).select_from(Response)) == 20


def test_an_overlapping_file_adds_only_the_new_rows(session, world):
    rows = responses(40, seed=7)
    run(session, world, wjx_csv(rows[:30], "gbk"), preset="wjx")
    summary = run(session, world, wjx_csv(rows[20:], "gbk"), preset="wjx")
    assert (summary.imported, summary.already_present) == (10, 10)
    assert_metrics_match(session, world, rows)


def _replace_cell(data: bytes, line: int, column: int, value: str) -> bytes:
    """The file with one cell changed (the test files have no quoted commas)."""
    text = data.decode("gbk").split("\r\n")
    cells = text[line - 1].split(",")
    cells[column] = value
    text[line - 1] = ",".join(cells)
    return "\r\n".join(text).encode("gbk")


def test_a_file_with_one_bad_cell_imports_nothing_and_names_line_and_column(session, world):
    data = _replace_cell(wjx_csv(responses(10, seed=8), "gbk"), 5, 6, "还行吧")
    summary = run(session, world, data, preset="wjx")
    assert summary.imported == 0 and not summary.written
    assert [(p.line, p.column) for p in summary.report.problems] == [(5, "1、回复速度")]
    assert "还行吧" in summary.report.problems[0].problem
    assert session.scalar(select(func.count()).select_from(Response)) == 0

    # imported anyway: the row keeps its valid answers, the bad cell is left out (reported)
    summary = run(session, world, data, preset="wjx", skip_bad_rows=True)
    assert (summary.imported, summary.kept_with_problem, summary.skipped) == (10, 1, 0)
    assert session.scalar(select(func.count()).select_from(Response)) == 10
    codes = session.scalars(select(Answer.question_code)).all()
    assert Counter(codes)["RESP"] == 9 and Counter(codes)["NPS"] == 10


def test_strict_mode_refuses_the_whole_row(session, world):
    data = _replace_cell(wjx_csv(responses(10, seed=8), "gbk"), 5, 6, "还行吧")
    summary = run(session, world, data, preset="wjx", skip_bad_rows=True, strict=True)
    assert (summary.imported, summary.kept_with_problem, summary.skipped) == (9, 0, 1)


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [(7, "12", "out of range"), (1, "2024/6/1 10:00:00", "before the contract starts"),
     (6, "非常好", "Unknown answer label")],
)  # fmt: skip
def test_each_kind_of_bad_cell_is_reported(session, world, column, value, problem):
    data = _replace_cell(wjx_csv(responses(3, seed=9), "gbk"), 3, column, value)
    summary = run(session, world, data, preset="wjx")
    assert [p.line for p in summary.report.problems] == [3]
    assert problem in summary.report.problems[0].problem


def test_a_duplicate_row_in_the_file_is_reported(session, world):
    data = xlsx(responses(3, seed=10) + responses(1, seed=10))
    summary = run(session, world, data)
    assert [(p.line, p.problem) for p in summary.report.problems] == [
        (5, "Duplicate row: the same as line 2.")
    ]


def test_contact_columns_are_not_stored_with_responses(session, world):
    rows = responses(5, seed=11)
    run(session, world, wjx_csv(rows, "gbk"), preset="wjx")
    texts = session.scalars(select(Answer.text_value).where(Answer.text_value.is_not(None))).all()
    assert texts and not any("1380000" in t for t in texts)
    assert session.scalar(select(func.count()).select_from(Customer)) == 0


def test_contact_columns_mapped_to_customers_are_stored_encrypted(session, world):
    rows = responses(4, seed=12)
    table = read_table(wjx_csv(rows, "gbk"))
    mapping = propose_mapping(table.header, world["version"], preset="wjx")
    mapping.contacts = {"5、您的手机号": "mobile"}
    import_history(session, world["contract"], world["version"], mapping, table, source="wjx")
    customers = session.scalars(select(Customer)).all()
    assert len(customers) == 4
    assert "1380000" not in (customers[0].mobile_enc or "")
    assert customers[0].reveal_contact().mobile.startswith("1380000")


def test_the_mapping_is_saved_and_proposed_again_next_month(session, world):
    from surveyapp.history.importing import load_mapping

    table = read_table(wjx_csv(responses(3), "gbk"))
    mapping = propose_mapping(table.header, world["version"], preset="wjx")
    mapping.value_map["还行"] = 3
    import_history(session, world["contract"], world["version"], mapping, table, source="wjx")
    saved = load_mapping(session, world["contract"].id, "wjx", table.header)
    assert saved == mapping
    assert propose_mapping(table.header, world["version"], saved=saved) == mapping


def test_a_dry_run_writes_nothing(session, world):
    summary = run(session, world, wjx_csv(responses(6), "gbk"), preset="wjx", dry_run=True)
    assert summary.imported == 6 and not summary.written
    assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_the_proposed_wjx_mapping(world):
    table = read_table(wjx_csv(responses(1), "gbk"))
    mapping = propose_mapping(table.header, world["version"], preset="wjx")
    assert (mapping.date_column, mapping.id_column) == ("提交答卷时间", "序号")
    assert mapping.answers == {
        "1、回复速度": "RESP", "2、推荐意愿": "NPS", "3、渠道": "CHANNEL", "4、意见": "COMMENT",
    }  # fmt: skip
    assert mapping.value_map["非常满意"] == 5
    assert Mapping.from_json(mapping.to_json()) == mapping
