"""The uploaded file between the pages: only its uploader's, gone after a day."""

import os
import time
from datetime import datetime

from surveyapp.history import uploads
from surveyapp.history.formats import Table


def _table():
    rows = [(2, ["1", datetime(2025, 3, 5, 14, 22, 1), 4.5, None]), (4, ["2", "x", 3, ""])]
    return Table(["id", "when", "score", "note"], iter(rows), "xlsx")


def _save(tmp_path, **kw):
    meta = dict(contract_id=1, user_id=2, filename="a.csv", preset="wjx", encoding=None,
                version_id=3) | kw  # fmt: skip
    return uploads.save(str(tmp_path), _table(), **meta)


def test_an_upload_is_found_only_by_its_contract_and_user(tmp_path):
    saved = _save(tmp_path)
    assert uploads.load(str(tmp_path), saved.id, 1, 2) == saved
    assert uploads.load(str(tmp_path), saved.id, 1, 9) is None
    assert uploads.load(str(tmp_path), saved.id, 7, 2) is None
    assert uploads.load(str(tmp_path), "../../etc/passwd", 1, 2) is None
    table = uploads.table_of(str(tmp_path), saved)
    assert table.header == ["id", "when", "score", "note"]
    assert list(table.rows) == list(_table().rows)  # parsed once, kept with its types
    assert saved.samples[1] == ["2025-03-05 14:22:01", "x"]


def test_uploads_older_than_a_day_are_deleted_by_the_next_upload(tmp_path):
    old = _save(tmp_path)
    day_ago = time.time() - uploads.MAX_AGE_S - 60
    for path in uploads.folder(str(tmp_path)).iterdir():
        os.utime(path, (day_ago, day_ago))
    new = _save(tmp_path)
    assert uploads.load(str(tmp_path), old.id, 1, 2) is None
    assert uploads.load(str(tmp_path), new.id, 1, 2) is not None


def test_a_deleted_upload_is_gone(tmp_path):
    saved = _save(tmp_path)
    uploads.delete(str(tmp_path), saved)
    assert not list(uploads.folder(str(tmp_path)).iterdir())


def _workbook(extra: dict[str, bytes] | None = None) -> bytes:
    """A small XLSX, with extra members added (compressed)."""
    import io
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Date", "Speed of reply"])
    book.active.append(["2025-03-01", 4])
    out = io.BytesIO()
    book.save(out)
    if not extra:
        return out.getvalue()
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in extra.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_workbook_is_refused_before_any_member_is_read(monkeypatch):
    """Issue #19, item 6: members' inflated size and ratio are bounded from the zip directory."""
    import pytest

    from surveyapp.history import formats

    bomb = _workbook({"xl/media/image1.bin": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100_000
    opened = []
    monkeypatch.setattr(formats, "_fits_in_memory", lambda archive: opened.append(1) or True)
    with pytest.raises(formats.FileUnreadable, match="zip bomb"):
        formats.read_table(bomb)
    assert not opened  # refused before the sheet was looked at
    assert formats.read_table(_workbook()).header == ["Date", "Speed of reply"]


def test_a_workbook_inflating_beyond_the_bound_is_refused(monkeypatch):
    import pytest

    from surveyapp.history import formats

    monkeypatch.setattr(formats, "MAX_INFLATED_BYTES", 2000)
    with pytest.raises(formats.FileUnreadable, match="inflates"):
        formats.read_table(_workbook())


def test_the_mapping_pages_do_not_parse_the_file_again(app, client, world, sign_in, monkeypatch):
    """The upload is parsed once; the mapping page and its preview read the parsed rows."""
    from surveyapp.history import formats, views

    from .exports import responses, wjx_csv
    from .test_views import WJX_CHOICES, upload

    sign_in(world["admin"])
    page_url = upload(client, world, wjx_csv(responses(6), "gbk")).location

    def parse_again(*args, **kw):
        raise AssertionError("the upload was parsed again")

    monkeypatch.setattr(views, "read_table", parse_again)
    monkeypatch.setattr(formats, "read_table", parse_again)
    monkeypatch.setattr(formats, "_read_xlsx", parse_again)
    monkeypatch.setattr(formats, "_read_csv", parse_again)
    assert client.get(page_url).status_code == 200
    preview = client.post(page_url, data={**WJX_CHOICES, "value_map": "非常满意 = 5"})
    assert preview.status_code in (200, 400) and "the upload was parsed again" not in preview.text
    assert client.get(page_url).status_code == 200
