"""Issue #21: what real exports did to the import, each reproduced with a file written here.

The real files (问卷星, 腾讯问卷, Microsoft Forms, Google Forms, Qualtrics, LimeSurvey) stay
outside the repository; ``bench/import-real`` imports them. Each test below lays out the same
shape by hand and fails on the code before the fix.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from surveyapp.history.formats import read_table
from surveyapp.history.importing import import_history, load_mapping
from surveyapp.history.mapping import (
    Mapping,
    contact_columns,
    default_origin,
    parse_scales,
    propose_mapping,
)
from surveyapp.history.presets import detect_preset
from surveyapp.history.rows import MappingInvalid, scale_table
from surveyapp.models import Answer, AuditEvent, Response

from .test_views import upload as _upload


def csv_bytes(header: list[str], rows: list[list], bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def run(session, world, data, mapping=None, *, preset=None, origin="file", **kw):
    table = read_table(data)
    source = preset or detect_preset(table.header)
    mapping = mapping or propose_mapping(table.header, world["version"], preset=source)
    return import_history(
        session, world["contract"], world["version"], mapping, table, source=source,
        origin=origin, **kw,
    )  # fmt: skip


def responses(session) -> int:
    return session.scalar(select(func.count()).select_from(Response))


def answers(session, code: str) -> list:
    return session.execute(
        select(Answer.kind, Answer.value, Answer.option_id, Answer.text_value)
        .where(Answer.question_code == code)
        .order_by(Answer.response_id, Answer.seq)
    ).all()


WJX = ["序号", "提交答卷时间", "1、回复速度", "2、推荐意愿"]


def wjx(n: int, day: int = 1, score: str = "满意") -> bytes:
    return csv_bytes(WJX, [[i, f"2025/3/{day} 10:{i:02d}:00", score, "9"] for i in range(1, n + 1)])


# 1. Silent loss ----------------------------------------------------------------------------


def test_two_wjx_surveys_numbered_from_1_do_not_collide(session, world):
    """Two 问卷星 surveys both numbered 序号 1..n: each is its own source (survey number)."""
    first = default_origin("234274756_2_满意度一月_21_21.xlsx", "wjx")
    second = default_origin("34646519_2_满意度二月_45_45.csv", "wjx")
    assert (first, second) == ("wjx-234274756", "wjx-34646519")
    run(session, world, wjx(21, day=1), origin=first)
    summary = run(session, world, wjx(45, day=2), origin=second)
    assert (summary.imported, summary.already_present) == (45, 0)
    assert responses(session) == 66


def test_a_forms_file_and_a_spreadsheet_both_numbered_1_to_n_do_not_collide(session, world):
    forms = csv_bytes(
        ["ID", "Start time", "Completion time", "Speed of reply"],
        [[i, "3/20/25 9:00", "3/20/25 9:05", "Very satisfied"] for i in (1, 2)],
    )
    sheet = csv_bytes(["ID", "Date", "Speed of reply"], [[i, "2025-03-03", "4"] for i in (1, 2)])
    run(session, world, forms, origin=default_origin("surveyEng.xlsx", "msforms"))
    summary = run(session, world, sheet, origin=default_origin("feedback.xlsx", "spreadsheet"))
    assert summary.imported == 2 and responses(session) == 4


def test_the_xlsx_and_csv_export_of_one_form_are_one_source(session, world):
    """Microsoft Forms' xlsx and its later CSV copy: the CSV adds only its new rows."""
    assert default_origin("surveyEng.xlsx", "msforms") == default_origin("surveyEng.csv", "x")
    header = ["ID", "Start time", "Completion time", "Speed of reply"]
    rows = [[i, f"4/{i}/21 11:21:47", f"4/{i}/21 11:22:58", "Very satisfied"] for i in range(1, 29)]
    world["contract"].start_date = datetime(2021, 1, 1).date()
    run(session, world, csv_bytes(header, rows[:20]), origin="surveyEng")
    summary = run(session, world, csv_bytes(header, rows), origin="surveyEng")
    assert (summary.imported, summary.already_present) == (8, 20)


def test_a_remapped_reimport_of_a_file_without_ids_adds_nothing(session, world):
    """The row hash covers every cell, not only the mapped ones."""
    data = csv_bytes(["Date", "Speed of reply", "Recommend", "Note"],
                     [["2025-03-01", "4", "9", "a"], ["2025-03-02", "5", "10", "b"]])  # fmt: skip
    table = read_table(data)
    first = Mapping(date_column="Date", answers={"Speed of reply": "RESP"})
    import_history(session, world["contract"], world["version"], first, table, origin="f")
    again = Mapping(date_column="Date", answers={"Speed of reply": "RESP", "Recommend": "NPS"})
    summary = import_history(
        session, world["contract"], world["version"], again, read_table(data), origin="f"
    )
    assert (summary.imported, summary.already_present) == (0, 2)


# 2. Silent corruption -----------------------------------------------------------------------


def test_a_saved_mapping_is_proposed_only_for_the_same_header(session, world):
    table = read_table(wjx(3))
    mapping = propose_mapping(table.header, world["version"], preset="wjx")
    mapping.value_map.update({"非常满意": 1, "满意": 2, "不满意": 4, "非常不满意": 5})  # reverse
    import_history(session, world["contract"], world["version"], mapping, table, source="wjx",
                   origin="a")  # fmt: skip
    other = [*WJX, "3、渠道"]
    assert load_mapping(session, world["contract"].id, "wjx", other) is None
    saved = load_mapping(session, world["contract"].id, "wjx", table.header)
    assert saved is not None and saved.value_map["非常满意"] == 1
    # a saved mapping of another header is never taken, whatever it holds
    fresh = propose_mapping(other, world["version"], saved=saved, preset="wjx")
    assert fresh.value_map["非常满意"] == 5


def test_a_qualtrics_mapping_of_one_file_does_not_map_another_files_q1(session, world):
    one = ["ResponseId", "RecordedDate", "Q1", "Q2"]
    saved = Mapping(date_column="RecordedDate", answers={"Q1": "NPS", "Q2": "RESP"},
                    header="0" * 16)  # fmt: skip
    proposed = propose_mapping(one, world["version"], saved=saved, preset="qualtrics")
    assert "Q1" not in proposed.answers


def test_a_carried_over_value_map_is_shown_with_its_effect(app, client, session, world, sign_in):
    from surveyapp.history import views

    sign_in(world["admin"])
    table = read_table(wjx(3))
    mapping = propose_mapping(table.header, world["version"], preset="wjx")
    mapping.value_map["满意"] = 2
    import_history(session, world["contract"], world["version"], mapping, table, source="wjx",
                   origin="a")  # fmt: skip
    assert views._changed_labels(mapping) == [("满意", 2, 4)]
    page_url = _upload(client, world, wjx(3, day=9), "x.csv").location
    page = client.get(page_url).text
    assert "flash-warning" in page and "满意 = 2" in page
    preview = client.post(page_url, data={"col-0": "id", "col-1": "date", "col-2": "q:RESP",
                                          "value_map": "满意 = 2"})  # fmt: skip
    assert "满意 (3) → <strong>2</strong>" in preview.text


def test_wjx_option_numbers_into_a_rating_need_an_explicit_choice(session, world):
    data = csv_bytes(WJX, [[1, "2025/3/1 10:00:00", "1", "9"], [2, "2025/3/1 11:00:00", "4", "9"]])
    with pytest.raises(MappingInvalid, match="按序号"):
        run(session, world, data, preset="wjx")
    table = read_table(data)
    mapping = propose_mapping(table.header, world["version"], preset="wjx")
    mapping.numbers = "options_high_first"  # option 1 is 非常满意
    import_history(session, world["contract"], world["version"], mapping, table, source="wjx")
    assert sorted(v for _, v, _, _ in answers(session, "RESP")) == [2, 5]
    by_score = propose_mapping(table.header, world["version"], preset="wjx",
                               filename="1_2_x_按分数_3_3.csv")  # fmt: skip
    assert by_score.numbers == "scores"


# 3. A response keeps its valid answers ---------------------------------------------------------


@pytest.mark.parametrize("code", ["I don't know", "Not Applicable (8)", "-1", "-2", "(空)"])
def test_no_answer_codes_keep_the_response(session, world, code):
    data = csv_bytes(["id", "date", "Speed of reply", "Recommend"],
                     [[1, "2025-03-01", code, "9"], [2, "2025-03-02", "4", code]])  # fmt: skip
    table = read_table(data)
    mapping = Mapping(date_column="date", id_column="id",
                      answers={"Speed of reply": "RESP", "Recommend": "NPS"},
                      no_answer={"RESP": [code], "NPS": [code]})  # fmt: skip
    summary = import_history(session, world["contract"], world["version"], mapping, table)
    assert summary.report.problems == []
    assert (summary.imported, summary.kept_with_no_answer) == (2, 2)
    assert [v for _, v, _, _ in answers(session, "RESP")] == [4]


def test_a_no_answer_code_of_one_question_is_a_problem_in_another(session, world):
    data = csv_bytes(["id", "date", "Speed of reply", "Recommend"],
                     [[1, "2025-03-01", "4", "-1"]])  # fmt: skip
    mapping = Mapping(date_column="date", id_column="id",
                      answers={"Speed of reply": "RESP", "Recommend": "NPS"},
                      no_answer={"RESP": ["-1"]})  # fmt: skip
    summary = import_history(session, world["contract"], world["version"], mapping,
                             read_table(data), skip_bad_rows=True)  # fmt: skip
    assert [p.column for p in summary.report.problems] == ["Recommend"]
    assert (summary.imported, summary.kept_with_problem) == (1, 1)


def test_one_bad_cell_leaves_the_satisfaction_score_unless_strict(session, world):
    data = csv_bytes(["id", "date", "Speed of reply", "Recommend"],
                     [[1, "2025-03-01", "5", "eleven"]])  # fmt: skip
    mapping = Mapping(date_column="date", id_column="id",
                      answers={"Speed of reply": "RESP", "Recommend": "NPS"})  # fmt: skip
    strict = import_history(session, world["contract"], world["version"], mapping,
                            read_table(data), skip_bad_rows=True, strict=True)  # fmt: skip
    assert (strict.imported, strict.skipped) == (0, 1)
    kept = import_history(session, world["contract"], world["version"], mapping,
                          read_table(data), skip_bad_rows=True)  # fmt: skip
    assert (kept.imported, kept.kept_with_problem) == (1, 1)
    assert [v for _, v, _, _ in answers(session, "RESP")] == [5]


@pytest.mark.parametrize(
    ("scale", "values", "stored"),
    [("7", ["1", "4", "7"], [1, 3, 5]), ("0-10", ["0", "5", "10"], [1, 3, 5]),
     ("2", ["1", "2"], [1, 5]), ("0-5", ["0", "5"], [1, 5])],
)  # fmt: skip
def test_scales_of_2_to_11_points_are_mapped_onto_the_surveys(session, world, scale, values,
                                                             stored):  # fmt: skip
    scales, bad = parse_scales(f"RESP = {scale}")
    assert not bad
    data = csv_bytes(["id", "date", "Speed of reply"],
                     [[i, "2025-03-01", v] for i, v in enumerate(values)])  # fmt: skip
    mapping = Mapping(date_column="date", id_column="id", answers={"Speed of reply": "RESP"},
                      scales=scales)  # fmt: skip
    summary = import_history(session, world["contract"], world["version"], mapping,
                             read_table(data))  # fmt: skip
    assert summary.written and [v for _, v, _, _ in answers(session, "RESP")] == stored
    details = session.scalar(select(AuditEvent.details).order_by(AuditEvent.id.desc()))
    assert details["scales"]["RESP"] == [list(p) for p in scale_table(scales["RESP"], "rating")]


def test_a_scale_outside_2_to_11_points_is_refused():
    assert parse_scales("RESP = 12\nNPS = 1")[1] == ["RESP = 12", "NPS = 1"]


def test_other_text_of_a_choice_is_kept_as_text(session, world):
    data = csv_bytes(["id", "date", "Speed of reply", "Channel", "Topics"],
                     [[1, "2025-03-01", "5", "微信群里问的", "账单┋别的事情"]])  # fmt: skip
    summary = run(session, world, data)
    assert summary.report.problems == [] and summary.imported == 1
    assert [(k, t) for k, _, _, t in answers(session, "CHANNEL")] == [("text", "微信群里问的")]
    topics = answers(session, "TOPICS")
    assert [(k, t) for k, _, _, t in topics] == [("multiple", None), ("text", "别的事情")]
    assert [n.column for n in summary.report.notes] == ["Channel", "Topics"]


def test_a_long_comment_is_kept_truncated_with_a_note(session, world):
    data = csv_bytes(["id", "date", "Speed of reply", "Comment"],
                     [[1, "2025-03-01", "5", "很" * 2500]])  # fmt: skip
    summary = run(session, world, data)
    assert summary.report.problems == [] and summary.imported == 1
    assert len(answers(session, "COMMENT")[0][3]) == 2000
    assert "2000" in summary.report.notes[0].problem


def test_incomplete_limesurvey_responses_are_reported_as_incomplete(session, world):
    data = csv_bytes(["Response ID", "Date submitted", "Last page", "Speed of reply"],
                     [[7, "", "", ""], [8, "2016-08-27 20:10:12", "2", "Very satisfied"],
                      [9, "", "1", "Satisfied"]])  # fmt: skip
    world["contract"].start_date = datetime(2016, 1, 1).date()
    summary = run(session, world, data)
    assert summary.report.problems == []
    assert (summary.rows, summary.imported, summary.incomplete) == (3, 1, 2)
    assert summary.report.incomplete == [2, 4]


# 4. Formats ----------------------------------------------------------------------------------


def test_us_dates_are_detected_and_ambiguous_ones_ask(session, world):
    header = ["ID", "Start time", "Completion time", "Speed of reply"]
    us = csv_bytes(header, [[1, "4/28/21 11:21:47", "4/28/21 11:22:58", "Very satisfied"]])
    world["contract"].start_date = datetime(2021, 1, 1).date()
    summary = run(session, world, us)
    assert summary.written and summary.months == ["2021-04"]
    stamp = session.scalar(select(Response.submitted_at))
    assert stamp.astimezone(UTC).replace(tzinfo=None) == datetime(2021, 4, 28, 3, 22, 58)
    both = csv_bytes(header, [[2, "4/5/21 9:00", "4/5/21 9:05", "Very satisfied"]])
    with pytest.raises(MappingInvalid, match="day/month"):
        run(session, world, both)
    table = read_table(both)
    mapping = propose_mapping(table.header, world["version"], preset="msforms")
    mapping.date_order = "dmy"
    summary = import_history(session, world["contract"], world["version"], mapping, table,
                             source="msforms", origin="b")  # fmt: skip
    assert summary.months == ["2021-05"]


@pytest.mark.parametrize("import_id", ['{"ImportId":"QID1"}', "{'ImportId': 'QID1'}"])
def test_qualtrics_extra_header_rows_are_skipped(session, world, import_id):
    data = csv_bytes(
        ["StartDate", "RecordedDate", "ResponseId", "Q1"],
        [["Anfangsdatum", "Erfassungsdatum", "Antwort-ID", "Wie zufrieden?"],
         ['{"ImportId":"startDate"}', '{"ImportId":"recordedDate"}', '{"ImportId":"_recordId"}',
          import_id],
         ["2025-03-01 10:00:00", "2025-03-01 10:05:00", "R_1", "4"]],
    )  # fmt: skip
    table = read_table(data)
    assert table.extra_header_rows == 2
    rows = list(table.rows)
    assert rows == [(4, ["2025-03-01 10:00:00", "2025-03-01 10:05:00", "R_1", "4"])]
    assert detect_preset(table.header) == "qualtrics"
    assert propose_mapping(table.header, world["version"], preset="qualtrics").date_column == (
        "RecordedDate"
    )


def test_a_file_without_dates_takes_the_month_given(session, world):
    data = csv_bytes(["序号", "1、回复速度"], [[1, "满意"], [2, "非常满意"]])
    table = read_table(data)
    mapping = propose_mapping(table.header, world["version"], preset="spreadsheet")
    assert mapping.date_column is None
    with pytest.raises(MappingInvalid, match="month"):
        import_history(session, world["contract"], world["version"], mapping, table)
    mapping.month = "2025-06"
    summary = import_history(session, world["contract"], world["version"], mapping,
                             read_table(data))  # fmt: skip
    assert summary.months == ["2025-06"] and summary.imported == 2


def test_limesurvey_numbering_and_code_headings(world):
    full = ["Response ID", "Date submitted", "Last page", "12 - Speed of reply"]
    coded = ["id. Response ID", "submitdate. Date submitted", "lastpage. Last page",
             "RESP. How fast did we reply?"]  # fmt: skip
    for header in (full, coded):
        assert detect_preset(header) == "limesurvey"
        mapping = propose_mapping(header, world["version"], preset="limesurvey")
        assert mapping.date_column == header[1] and mapping.id_column == header[0]
        assert mapping.answers == {header[3]: "RESP"}


def test_limesurvey_labels_with_their_number_inside(session, world):
    data = csv_bytes(["id", "submitdate", "RESP"],
                     [[1, "2024-01-01 10:00:00", "Agree (6)"], [2, "2024-01-01 11:00:00", "(5)"],
                      [3, "2024-01-01 12:00:00", "(7) Very clear goals"],
                      [4, "2024-01-01 13:00:00", "4)"]])  # fmt: skip
    world["contract"].start_date = datetime(2023, 1, 1).date()
    table = read_table(data)
    mapping = propose_mapping(table.header, world["version"], preset="limesurvey")
    mapping.scales = {"RESP": [1, 7]}
    summary = import_history(session, world["contract"], world["version"], mapping, table,
                             source="limesurvey")  # fmt: skip
    assert summary.report.problems == []
    # 1 + (n - 1) * 4 / 6, halves up: 6 -> 4.33 -> 4, 5 -> 3.67 -> 4, 7 -> 5, 4 -> 3
    assert [v for _, v, _, _ in answers(session, "RESP")] == [4, 4, 5, 3]


def test_microsoft_forms_labels_and_yes_no_through_the_value_map(session, world):
    data = csv_bytes(
        ["ID", "Start time", "Completion time", "Speed of reply", "Channel"],
        [
            [1, "3/20/25 9:00", "3/20/25 9:05", "Somewhat satisfied", "Yes/Ya"],
            [2, "3/21/25 9:00", "3/21/25 9:05", "Somewhat dissatisfied", "No/Tidak"],
        ],
    )
    table = read_table(data)
    mapping = propose_mapping(table.header, world["version"], preset="msforms")
    mapping.value_map.update({"Yes/Ya": "phone", "No/Tidak": "online"})
    import_history(session, world["contract"], world["version"], mapping, table,
                   source="msforms")  # fmt: skip
    assert [v for _, v, _, _ in answers(session, "RESP")] == [4, 2]
    options = {o.code: o.id for o in world["version"].questions[2].options}
    assert [o for _, _, o, _ in answers(session, "CHANNEL")] == [
        options["phone"],
        options["online"],
    ]


def test_excel_serial_times_round_to_the_second():
    from zoneinfo import ZoneInfo

    from surveyapp.history.rows import parse_when

    when = parse_when(44314.4734606481, ZoneInfo("UTC"))
    assert when == datetime(2021, 4, 28, 11, 21, 47, tzinfo=UTC)


def test_an_xls_that_is_not_a_workbook_is_refused_as_xls():
    from surveyapp.history.formats import XLS_MAGIC, FileUnreadable

    with pytest.raises(FileUnreadable, match="XLS"):
        read_table(XLS_MAGIC + b"\x00" * 600)


# 5. Proposals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "preset", "date"),
    [(["Timestamp", "Speed of reply"], "googleforms", "Timestamp"),
     (["ID", "Start time", "Completion time", "Email", "Speed of reply"], "msforms",
      "Completion time"),
     (["StartDate", "EndDate", "RecordedDate", "ResponseId", "Q1"], "qualtrics", "RecordedDate")],
)  # fmt: skip
def test_dates_are_proposed_for_forms_and_qualtrics(world, header, preset, date):
    assert detect_preset(header) == preset
    assert propose_mapping(header, world["version"], preset=preset).date_column == date
    assert propose_mapping(header, world["version"]).date_column == date  # even as spreadsheet


def test_contact_columns_are_found_by_their_content_and_say_why(world):
    header = ["Date", "Agent", "Who", "Login", "Feedback", "Phone model"]
    samples = [["2025-03-01"], ["Agent01"], ["a@example.com", "b@example.org"],
               ["o86_redacted_001", "oAbCdEfGhIjKlMn"], ["13800000000", "+86 138 0000 0000"],
               ["iPhone 12"]]  # fmt: skip
    found = contact_columns(header, Mapping(date_column="Date"), samples)
    assert {h: kind for h, (kind, _) in found.items()} == {
        "Who": "email", "Login": "ref", "Feedback": "mobile",
    }  # fmt: skip
    assert "e-mail" in found["Who"][1] and "openid" in found["Login"][1]
    by_header = contact_columns(["用户名", "手机品牌"], Mapping(), [[], []])
    assert list(by_header) == ["用户名"]  # 用户名 is contact data; 手机品牌 is not


def test_importance_items_are_not_proposed_for_satisfaction_questions(session, world):
    from surveyapp.models import Question

    version = world["version"]
    version.questions.append(Question(position=5, code="SAT_LOGIC", type="rating",
                                      text_zh="逻辑拆解", text_en="Logic"))  # fmt: skip
    version.questions[-1].text_zh = "满意度：逻辑拆解"
    session.flush()
    header = ["序号", "16、请评价以下方面的重要程度—逻辑拆解", "17、请评价您的满意度—逻辑拆解",
              "17、满意度：逻辑拆解"]  # fmt: skip
    proposed = propose_mapping(header, version, preset="wjx")
    assert proposed.answers.get(header[1]) is None
