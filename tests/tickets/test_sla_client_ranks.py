"""A client ranks only the teams it sees: a gap in the ranks would say where a team under 5
answers stood (issue #23's suppression)."""

import pandas as pd

from analysis.sla_satisfaction import DIMENSIONS
from surveyapp.presenting.sla_satisfaction import _staff_rows


def _teams():
    rows = []
    for rank, (name, n) in enumerate((("甲组", 12), ("小组", 3), ("乙组", 9)), start=1):
        rows.append({"rank": rank, "name": name, "team": None, "n": n, "weight": n,
                     "suppressed": n < 5, "csat": 90.0 - rank, "csat_low": 80.0,
                     "csat_high": 95.0, "tickets": 10, "compliance": 90.0,
                     **dict.fromkeys(DIMENSIONS, 4.0)})  # fmt: skip
    return pd.DataFrame(rows)


def test_client_ranks_have_no_gap_where_a_small_team_was_hidden():
    client = _staff_rows(_teams(), client=True)
    assert [(r["rank"], r["name"]) for r in client] == [(1, "甲组"), (2, "乙组")]
    staff = _staff_rows(_teams(), client=False)
    assert [r["rank"] for r in staff] == [1, 2, 3]
