"""The audit log shows a label, not an internal code (``response_id``), for every detail key
the code records."""

import re
from pathlib import Path

from surveyapp.labels import DETAIL_LABELS

SOURCE = Path(__file__).resolve().parents[1] / "surveyapp"


def _recorded_detail_keys() -> set[str]:
    keys = set()
    for path in SOURCE.rglob("*.py"):
        for block in re.findall(r"details=\{([^}]*)", path.read_text(encoding="utf-8")):
            keys |= set(re.findall(r'"([a-z_]+)":', block))
    return keys


def test_every_recorded_detail_key_has_a_label():
    keys = _recorded_detail_keys()
    assert "response_id" in keys  # the scan finds the keys
    assert sorted(keys - set(DETAIL_LABELS)) == []
