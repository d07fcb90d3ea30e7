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


def _workbook(rows: list[list], far: str | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if far:
        sheet[far] = "stray"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fits(data: bytes) -> bool:
    import zipfile

    from surveyapp.history.formats import _fits_in_memory

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _fits_in_memory(archive)


def test_a_sheet_with_a_stray_far_away_cell_is_streamed_not_loaded_whole():
    """calamine would hold the used range A1:ZZ200000 in memory (4.5 GB, the process aborts):
    such a sheet is read by openpyxl's streaming reader instead, with the same rows."""
    rows = [["时间", "评分"], [datetime(2025, 3, 4, 9, 30), 5], [datetime(2025, 3, 5, 9, 0), 4]]
    assert _fits(_workbook(rows))
    far = _workbook(rows, far="ZZ200000")
    assert not _fits(far)
    assert not _fits(_workbook(rows, far="XFD1048576"))
    table = read_table(far)
    first = list(table.rows)[:2]
    assert table.header[:2] == ["时间", "评分"]
    assert [values[:2] for _, values in first] == [row for row in rows[1:]]


def test_a_date_at_midnight_reads_as_a_datetime_from_either_reader():
    """calamine gives a date for a date cell at 00:00; the parser would read a date as noon,
    and the row's source id (a hash of its cells when the file has no id) would change."""
    rows = [["时间", "评分"], [datetime(2025, 3, 4), 5]]
    for data in (_workbook(rows), _workbook(rows, far="ZZ200000")):
        (_, values), *_ = list(read_table(data).rows)
        assert values[0] == datetime(2025, 3, 4) and type(values[0]) is datetime


def test_an_error_cell_is_kept_as_its_text_to_be_reported():
    """A cell showing #DIV/0! must not read as a blank answer: openpyxl keeps its text (the
    row parser then reports it), so a sheet with an error value is not given to calamine."""
    data = _workbook([["时间", "评分"], [datetime(2025, 3, 4, 9), "=1/0"]])
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # as Excel saves it: the error value
        sheet = archive.read("xl/worksheets/sheet1.xml").replace(
            b'<c r="B2"><f>1/0</f><v /></c>', b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as copy:
            for item in archive.infolist():
                copy.writestr(item, sheet if item.filename.endswith("sheet1.xml") else
                              archive.read(item.filename))  # fmt: skip
    assert b't="e"' in sheet and not _fits(out.getvalue())
    (_, values), *_ = list(read_table(out.getvalue()).rows)
    assert values[1] == "#DIV/0!"


def test_the_proposed_tencent_mapping_leaves_its_metadata_and_nickname_unmapped(world):
    mapping = propose_mapping(TENCENT_HEADER, world["version"], preset="tencent")
    assert (mapping.date_column, mapping.id_column) == ("结束答题时间", "编号")
    assert mapping.answers == {"1.回复速度": "RESP", "2.渠道": "CHANNEL"}
    found = contact_columns(TENCENT_HEADER, mapping)
    assert {header: kind for header, (kind, _why) in found.items()} == {
        "昵称": "name",
        "用户标识": "ref",  # a WeChat openid (issue #21: it was missed)
    }
