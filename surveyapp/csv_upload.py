"""The one CSV upload page flow: the form, running an import, the flash and the status code.

Customers and tickets are imported the same way (all or nothing unless bad rows are skipped);
only the import function differs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField


class ImportForm(FlaskForm):
    file = FileField(validators=[FileRequired()])
    skip_bad_rows = BooleanField()


def run_upload(form: ImportForm, importer: Callable[..., Any]) -> tuple[Any, int]:
    """Validate the upload, call ``importer(data, skip_bad_rows=...)``; (result, HTTP status).

    The status is 400 for an invalid form or a file from which nothing was imported.
    """
    if not form.validate_on_submit():
        return None, 400 if form.is_submitted() else 200
    result = importer(form.file.data.read(), skip_bad_rows=form.skip_bad_rows.data)
    if not result.imported:
        return result, 400
    flash(
        _(
            "Imported: %(created)s new, %(updated)s updated, %(skipped)s rows skipped.",
            created=result.created,
            updated=result.updated,
            skipped=result.skipped,
        ),
        "info",
    )
    return result, 200
