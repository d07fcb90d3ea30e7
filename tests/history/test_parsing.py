"""Dates as the tools write them, preset detection, header matching."""

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from surveyapp.csv_import import CellError
from surveyapp.history.formats import FileUnreadable, read_table
from surveyapp.history.mapping import contact_columns, propose_mapping
from surveyapp.history.presets import detect_preset, header_key
from surveyapp.history.rows import parse_when

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The metadata columns of a public 腾讯问卷 CSV export (see README, "History import").
TENCENT_HEADER = [
    "编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置国家和地区", "地理位置省",
    "地理位置市", "用户类型", "用户标识", "昵称", "自定义字段", "1.回复速度", "2.渠道", "",
]  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "utc"),
    [
        ("2025/3/5 14:22:01", datetime(2025, 3, 5, 6, 22, 1, tzinfo=UTC)),
        ("2025-03-05 14:22", datetime(2025, 3, 5, 6, 22, tzinfo=UTC)),
        ("2025-03-05T14:22:01+00:00", datetime(2025, 3, 5, 14, 22, 1, tzinfo=UTC)),
        ("2025年3月5日", datetime(2025, 3, 5, 4, 0, tzinfo=UTC)),
        ("2025-03", datetime(2025, 3, 1, 4, 0, tzinfo=UTC)),
        (datetime(2025, 3, 5, 14, 22), datetime(2025, 3, 5, 6, 22, tzinfo=UTC)),
        (45721.5, datetime(2025, 3, 5, 4, 0, tzinfo=UTC)),
        ("45721.5", datetime(2025, 3, 5, 4, 0, tzinfo=UTC)),
        ("05-Mar-2025 14:22:01", datetime(2025, 3, 5, 6, 22, 1, tzinfo=UTC)),  # 腾讯问卷 CSV
    ],
)
def test_dates_as_the_tools_write_them(cell, utc):
    assert parse_when(cell, SHANGHAI) == utc


@pytest.mark.parametrize(
    "cell", ["soon", "2025-13-01", "", 12, "2025/2/30", "2025/2/30 10:00:00", "2025/3/5 25:00:00"]
)
def test_what_is_not_a_date(cell):
    with pytest.raises(CellError):
        parse_when(cell, SHANGHAI)


@pytest.mark.parametrize(
    ("header", "preset"),
    [
        (["序号", "提交答卷时间", "所用时间", "1、回复速度"], "wjx"),
        (["编号", "开始答题时间", "结束答题时间", "答题时长", "1.回复速度"], "tencent"),
        (TENCENT_HEADER, "tencent"),
        (["id", "submitdate", "lastpage", "startlanguage", "RESP"], "limesurvey"),
        (["Response ID", "Date submitted", "Speed of reply"], "limesurvey"),
        (["Date", "Speed of reply"], "spreadsheet"),
    ],
)
def test_the_preset_is_detected_from_the_header(header, preset):
    assert detect_preset(header) == preset


@pytest.mark.parametrize(
    ("header", "key"),
    [("1、回复速度", "回复速度"), ("Q2. Speed of reply?", "speed of reply"),
     ("第3题 推荐意愿（单选题）", "推荐意愿"), ("3.渠道：", "渠道"),
     ("第3题(回复速度)", "回复速度")],
)  # fmt: skip
def test_numbering_and_type_hints_are_ignored_when_matching(header, key):
    assert header_key(header) == key


def test_limesurvey_array_rows_match_by_their_sub_code(world):
    mapping = propose_mapping(
        ["id", "submitdate", "SAT[RESP]", "NPS", "G01Q03"], world["version"], preset="limesurvey"
    )
    assert mapping.answers == {"SAT[RESP]": "RESP", "NPS": "NPS"}
    assert (mapping.date_column, mapping.id_column) == ("submitdate", "id")
    assert mapping.value_map["A5"] == 5


def test_an_empty_file_is_unreadable():
    with pytest.raises(FileUnreadable):
        read_table(b"")
    with pytest.raises(FileUnreadable):
        read_table(b"PK\x03\x04broken")


def test_xlsx_cells_keep_their_types_whole_numbers_as_int_and_blanks_as_none():
    """What the row parser gets from a workbook (python-calamine): a date cell as a datetime,
    a whole number as int, a fraction as float, text as text, an empty cell as None; blank
    rows are skipped and the line numbers are the sheet's."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["时间", "评分", "推荐", "意见", ""])
    sheet.append([datetime(2025, 3, 4, 9, 30), 5, 45720.5, "很好"])
    sheet.append([])
    sheet.append([datetime(2025, 3, 5, 10, 0), None, 9, None])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue())
    assert table.kind == "xlsx" and table.header == ["时间", "评分", "推荐", "意见"]
    rows = list(table.rows)
    assert [line for line, _ in rows] == [2, 4]
    first, second = rows[0][1], rows[1][1]
    assert first[:4] == [datetime(2025, 3, 4, 9, 30), 5, 45720.5, "很好"]
    assert type(first[1]) is int and type(first[2]) is float
    assert second[:4] == [datetime(2025, 3, 5, 10, 0), None, 9, None]


def test_the_proposed_tencent_mapping_leaves_its_metadata_and_nickname_unmapped(world):
    mapping = propose_mapping(TENCENT_HEADER, world["version"], preset="tencent")
    assert (mapping.date_column, mapping.id_column) == ("结束答题时间", "编号")
    assert mapping.answers == {"1.回复速度": "RESP", "2.渠道": "CHANNEL"}
    assert contact_columns(TENCENT_HEADER, mapping) == {"昵称": "name"}
