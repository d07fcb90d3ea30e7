"""The monthly statement as its own PDF: a small template rendered by the reports' one PDF
renderer (WeasyPrint), so fonts and print rules match the monthly report."""

from __future__ import annotations

from flask import render_template

from ..i18n import current_locale
from ..reports.pdf import render_pdf
from .statement import Statement
from .wording import wording


def statement_pdf(statement: Statement) -> bytes:
    html = render_template(
        "breaches/statement_pdf.html", s=statement, locale=current_locale(), **wording()
    )
    return render_pdf(html)
