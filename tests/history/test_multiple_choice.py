"""A multiple-choice question exported as one column per option (LimeSurvey, 问卷星 按序号).

LimeSurvey's response export writes question ``TOPICS`` with options SQ001, SQ002 as columns
``TOPICS[SQ001]``, ``TOPICS[SQ002]`` (code headings) or ``Topics [Billing]`` (full headings),
with ``Y`` / blank (answer codes) or ``Yes`` / ``No`` (full answers); ``TOPICS[other]`` holds
typed text. 问卷星's export by option number writes ``第4题(账单)`` with 1 / 0, and -3 where the
question was not shown.
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from surveyapp.history.formats import read_table
from surveyapp.history.importing import import_history
from surveyapp.history.mapping import Mapping, propose_mapping
from surveyapp.history.rows import MappingInvalid
from surveyapp.models import Answer, Response

# (response id, billing ticked, repair ticked)
TICKS = [(1, True, False), (2, True, True), (3, False, True), (4, False, False)]


def export(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def limesurvey(yes: str, no: str, billing: str, repair: str) -> bytes:
    return export(
        ["id", "submitdate", "lastpage", "RESP", billing, repair, "TOPICS[other]"],
        [
            [str(n), f"2025-03-0{n} 10:00:00", "1", "A4", yes if b else no, yes if r else no, ""]
            for n, b, r in TICKS
        ],
    )


def topics_by_response(session) -> dict[str, list[str]]:
    codes = {o.id: o.code for o in _topics(session).options}
    stored: dict[str, list[str]] = {}
    for source_id, option_id in session.execute(
        select(Response.source_id, Answer.option_id)
        .join(Answer, Answer.response_id == Response.id)
        .where(Answer.question_code == "TOPICS")
        .order_by(Response.source_id, Answer.seq)
    ):
        stored.setdefault(source_id.partition("|")[2], []).append(codes[option_id])
    return stored


def _topics(session):
    from surveyapp.models import Question

    return session.scalar(select(Question).where(Question.code == "TOPICS"))


def run(session, world, data, mapping=None, preset="limesurvey"):
    table = read_table(data)
    mapping = mapping or propose_mapping(table.header, world["version"], preset=preset)
    summary = import_history(
        session, world["contract"], world["version"], mapping, table, source=preset
    )
    return mapping, summary


EXPECTED = {"1": ["billing"], "2": ["billing", "repair"], "3": ["repair"]}


def test_limesurvey_option_columns_with_answer_codes_become_one_multiple_choice_answer(
    session, world
):
    data = limesurvey("Y", "", "TOPICS[SQ001]", "TOPICS[SQ002]")
    mapping, summary = run(session, world, data)
    assert mapping.answers == {"RESP": "RESP", "TOPICS[SQ001]": "TOPICS", "TOPICS[SQ002]": "TOPICS"}
    assert summary.report.problems == [] and summary.imported == 4
    assert topics_by_response(session) == EXPECTED


def test_limesurvey_option_columns_with_full_headings_and_full_answers(session, world):
    data = limesurvey("Yes", "No", "Topics [Billing]", "Topics [Repair]")
    mapping, summary = run(session, world, data)
    assert mapping.answers["Topics [Billing]"] == mapping.answers["Topics [Repair]"] == "TOPICS"
    assert summary.report.problems == [] and summary.imported == 4
    assert topics_by_response(session) == EXPECTED


def test_wjx_columns_by_option_number_with_skipped_and_not_shown_as_no_answer(session, world):
    data = export(
        ["序号", "提交答卷时间", "1、回复速度", "第4题(账单)", "第4题(维修)"],
        [[str(n), f"2025/3/{n} 10:00:00", "满意", "1" if b else "0", "1" if r else "0"]
         for n, b, r in TICKS]
        + [["5", "2025/3/5 10:00:00", "(跳过)", "1", "-3"],
           ["6", "2025/3/6 10:00:00", "一般", "-3", "-3"]],
    )  # fmt: skip
    mapping = Mapping(
        date_column="提交答卷时间",
        id_column="序号",
        answers={"1、回复速度": "RESP", "第4题(账单)": "TOPICS", "第4题(维修)": "TOPICS"},
        value_map={"满意": 4, "一般": 3},
        preset="wjx",
    )
    _, summary = run(session, world, data, mapping=mapping, preset="wjx")
    assert summary.report.problems == [] and summary.imported == 6
    assert topics_by_response(session) == EXPECTED | {"5": ["billing"]}
    ratings = session.scalars(select(Answer.value).where(Answer.question_code == "RESP"))
    assert sorted(ratings) == [3, 4, 4, 4, 4]


def test_a_ticked_column_that_names_no_option_is_reported_with_line_and_column(session, world):
    data = limesurvey("Y", "", "TOPICS[SQ001]", "TOPICS[SQ009]")
    mapping = Mapping(
        date_column="submitdate",
        id_column="id",
        answers={"TOPICS[SQ001]": "TOPICS", "TOPICS[SQ009]": "TOPICS"},
        preset="limesurvey",
    )
    _, summary = run(session, world, data, mapping=mapping)
    assert [(p.line, p.column) for p in summary.report.problems] == [
        (3, "TOPICS[SQ009]"),
        (4, "TOPICS[SQ009]"),
        (5, None),  # nothing ticked: no answer in any mapped column
    ]
    assert summary.imported == 0


def test_the_other_text_column_is_not_proposed_as_an_option(world):
    table = read_table(limesurvey("Y", "", "TOPICS[SQ001]", "TOPICS[SQ002]"))
    mapping = propose_mapping(table.header, world["version"], preset="limesurvey")
    assert "TOPICS[other]" not in mapping.answers


def test_a_single_choice_question_mapped_from_two_columns_is_refused(session, world):
    data = limesurvey("Y", "", "A", "B")
    mapping = Mapping(
        date_column="submitdate", answers={"A": "CHANNEL", "B": "CHANNEL"}, preset="limesurvey"
    )
    with pytest.raises(MappingInvalid, match="CHANNEL"):
        run(session, world, data, mapping=mapping)


def test_a_tencent_export_as_the_public_sample_lays_it_out(session, world):
    """Letters before option texts, English month dates, options after a colon, trailing comma."""
    letters = {5: "A.非常满意", 4: "B.满意", 3: "C.一般", 2: "D.不满意", 1: "E.非常不满意"}
    scores = [5, 4, 4, 2]
    data = export(
        ["编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置国家和地区", "用户标识",
         "昵称", "1.回复速度", "2.渠道", "3.原因:账单", "3.原因:维修", ""],
        [[str(n), f"0{n}-Sep-2025 07:44:08", f"0{n}-Sep-2025 07:45:08", "60", "中国",
          f"o86_openid{n}", "小狮子", letters[score], "A.电话" if n % 2 else "B.在线",
          "A.账单" if b else "", "B.维修" if r else "", ""]
         for (n, b, r), score in zip(TICKS, scores, strict=True)],
    )  # fmt: skip
    mapping, summary = run(session, world, data, preset="tencent")
    assert mapping.answers == {
        "1.回复速度": "RESP", "2.渠道": "CHANNEL", "3.原因:账单": "TOPICS", "3.原因:维修": "TOPICS",
    }  # fmt: skip
    assert summary.report.problems == [] and summary.imported == 4
    assert summary.months == ["2025-09"]
    ratings = session.scalars(select(Answer.value).where(Answer.question_code == "RESP"))
    assert sorted(ratings) == sorted(scores)
    assert topics_by_response(session) == EXPECTED
    stored = " ".join(str(v) for v in session.scalars(select(Answer.text_value)) if v)
    assert "openid" not in stored and "小狮子" not in stored
