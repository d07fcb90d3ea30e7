"""An imported month says which questions it holds and why a figure is blank."""

import csv
import io

from flask import render_template

from surveyapp.history.formats import read_table
from surveyapp.history.importing import import_history
from surveyapp.history.mapping import Mapping
from surveyapp.history.notes import month_notes


def test_a_month_with_only_choice_answers_says_why_csat_and_nps_are_blank(app, session, world):
    out = io.StringIO(newline="")
    csv.writer(out).writerows([["id", "date", "渠道", "回复速度"], [1, "2025-03-01", "电话", ""],
                               [2, "2025-04-01", "在线", "5"]])  # fmt: skip
    table = read_table(out.getvalue().encode())
    mapping = Mapping(date_column="date", id_column="id",
                      answers={"渠道": "CHANNEL", "回复速度": "RESP"})  # fmt: skip
    import_history(session, world["contract"], world["version"], mapping, table)
    march, april = month_notes(session, world["contract"].id)
    assert march.month == "2025-03" and march.questions == ["CHANNEL"]
    assert any("CSAT" in why for why in march.blanks)
    assert any("NPS" in why for why in march.blanks)
    assert april.questions == ["CHANNEL", "RESP"]
    assert not any("CSAT" in why for why in april.blanks)
    with app.test_request_context():
        html = render_template("history/_month_note.html", note=march)
    assert "2025-03" in html and "CHANNEL" in html


def test_the_dashboard_of_an_imported_month_says_why_its_figures_are_blank(
    client, session, sign_in, world
):
    from ..factories import make_user

    out = io.StringIO(newline="")
    csv.writer(out).writerows([["id", "date", "渠道"], [1, "2025-03-01", "电话"]])
    mapping = Mapping(date_column="date", id_column="id", answers={"渠道": "CHANNEL"})
    import_history(
        session, world["contract"], world["version"], mapping, read_table(out.getvalue().encode())
    )
    sign_in(make_user(session, "provider_analyst", world["contract"].provider, locale="en"))
    page = client.get(f"/dashboard/contracts/{world['contract'].id}?month=2025-03").text
    assert "Imported month 2025-03" in page and "NPS is blank" in page
