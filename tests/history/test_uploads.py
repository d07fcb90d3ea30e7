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
