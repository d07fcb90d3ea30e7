"""The demo report checked with real tools: pdffonts, pdftotext, pdftoppm (poppler-utils)."""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
from pathlib import Path

import pytest
from flask_babel import force_locale
from fontTools.ttLib import TTCollection
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import Customer, Report
from surveyapp.reports import content

from .conftest import CONTRACT, MONTH, build_demo_report, pdf_text, run

ARTIFACTS = Path(
    os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
)
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

pytestmark = pytest.mark.usefixtures("poppler")


def _fonts(path: Path) -> list[dict[str, str]]:
    lines = run("pdffonts", str(path)).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        match = re.match(
            r"(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line
        )
        assert match, line
        fonts.append(
            dict(
                zip(("name", "type", "encoding", "emb", "sub", "uni"), match.groups(), strict=True)
            )
        )
    return fonts


def test_the_cjk_font_is_embedded_and_subset_and_no_font_is_left_out(demo_report):
    fonts = _fonts(demo_report.path)
    cjk = [f for f in fonts if "WenQuanYi" in f["name"]]
    assert cjk, fonts
    assert all(f["emb"] == "yes" and f["sub"] == "yes" and f["uni"] == "yes" for f in cjk)
    assert all(f["emb"] == "yes" for f in fonts), fonts


def test_every_character_of_the_report_has_a_glyph_in_the_embedded_font(demo_report):
    """No missing-glyph boxes: each printed character exists in WenQuanYi Micro Hei."""
    if not os.path.exists(WQY):
        pytest.skip("fonts-wqy-microhei is not installed")
    cmap = set()
    for font in TTCollection(WQY).fonts:
        cmap |= set(font.getBestCmap())
    text = pdf_text(demo_report.path)
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert not missing, f"characters without a glyph: {sorted(missing)}"


def _expected_headlines(analysis) -> dict[str, str]:
    """The analysis' own figures for the month, formatted as the report prints them."""
    overall = analysis.scores[analysis.scores["dimension"] == "overall"].iloc[0]
    month = analysis.month
    return {
        "csat": f"{overall['csat']:.1f}%",
        "nps": f"{analysis.nps.value:.1f}",
        "response_rate": f"{analysis.response_rate.value:.1f}%",
        "sla_inquiry": f"{analysis.sla.month(month, 'inquiry').compliance.value:.1f}%",
        "sla_complaint": f"{analysis.sla.month(month, 'complaint').compliance.value:.1f}%",
    }


def test_the_text_has_the_contract_the_month_and_the_analysis_headline_figures(demo_report):
    text = pdf_text(demo_report.path)
    assert CONTRACT in text
    assert "2026年10月" in text
    assert "October" not in text and "Oct " not in text
    with demo_report.app.app_context(), force_locale("zh_CN"):
        labels = {h.key: h.label for h in content.headlines(demo_report.analysis)}
    expected = _expected_headlines(demo_report.analysis)
    for key, value in expected.items():
        assert not math.isnan(float(value.rstrip("%")))
        lines = [line for line in text.splitlines() if line.strip().startswith(labels[key])]
        assert lines, f"no headline line for {labels[key]}"
        assert value == lines[0].split()[len(labels[key].split())], (key, lines[0], value)


def test_the_report_names_no_customer(demo_report):
    text = pdf_text(demo_report.path)
    with demo_report.app.app_context():
        customers = db.session.scalars(
            select(Customer).where(Customer.contract_id == demo_report.contract_id)
        ).all()
        contacts = [c.reveal_contact() for c in customers]
        db.session.remove()
    assert contacts
    for contact in contacts:
        for value in (contact.email, contact.mobile, contact.name):
            assert not value or value not in text, value


def test_the_report_lists_breaches_by_ticket_id_and_the_months_proposals(demo_report):
    text = pdf_text(demo_report.path)
    analysis = demo_report.analysis
    breaches = analysis.sla.breaches
    ids = breaches.loc[breaches["month"] == MONTH, "external_id"].tolist()
    assert ids and all(ticket in text for ticket in ids)
    assert analysis.action_items
    flat = re.sub(r"\s+", "", text)
    assert all(re.sub(r"\s+", "", item.title)[:12] in flat for item in analysis.action_items)


def test_pdftoppm_renders_every_page_and_the_first_two_are_kept(demo_report, tmp_path):
    info = run("pdfinfo", str(demo_report.path)).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 3
    rendered = run("pdftoppm", "-png", "-r", "60", str(demo_report.path), str(tmp_path / "page"))
    assert "Error" not in rendered.stderr, rendered.stderr
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    assert all(image.stat().st_size > 5_000 for image in images)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for number, image in enumerate(images[:2], start=1):
        shutil.copyfile(image, ARTIFACTS / f"report-page-{number}.png")


def test_the_archived_bytes_match_their_sha256_and_size(demo_report):
    with demo_report.app.app_context():
        report = db.session.get(Report, demo_report.report_id)
        assert hashlib.sha256(demo_report.content).hexdigest() == report.sha256
        assert len(demo_report.content) == report.size_bytes
        assert len(report.inputs_version) == 64
        db.session.remove()
    assert demo_report.content.startswith(b"%PDF-")


def test_an_english_report_is_built_on_request(report_demo_app, charts, tmp_path):
    english = build_demo_report(report_demo_app, tmp_path, locale="en")
    text = pdf_text(english.path)
    assert "Oct 2026" in text and "Customer satisfaction summary" in text
    assert "2026年10月" not in text
    assert CONTRACT in text
