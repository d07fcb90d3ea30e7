"""Survey administration: versions and their questions (editing for provider admins only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import PROVIDER_STAFF, requires
from ..dimensions import DIMENSIONS
from ..extensions import db
from ..models import QuestionType, Role, Survey, SurveyVersion
from .forms import options_text, parse_editor
from .versioning import VersionRuleError, edit_survey, is_frozen

bp = Blueprint("survey_versions", __name__, url_prefix="/surveys")


def _version_or_404(survey_id: int, number: int) -> SurveyVersion:
    version = db.session.scalar(
        select(SurveyVersion)
        .join(Survey)
        .where(
            Survey.id == survey_id,
            Survey.provider_id == current_user.organization_id,
            SurveyVersion.number == number,
        )
    )
    if version is None:
        abort(404)
    return version


@bp.get("/")
@requires(*PROVIDER_STAFF)
def index():
    surveys = db.session.scalars(
        select(Survey).where(Survey.provider_id == current_user.organization_id).order_by(Survey.id)
    ).all()
    frozen = {v.id: is_frozen(db.session, v) for s in surveys for v in s.versions}
    return render_template("survey_versions/index.html", surveys=surveys, frozen=frozen)


@bp.get("/<int:survey_id>/versions/<int:number>")
@requires(*PROVIDER_STAFF)
def show(survey_id: int, number: int):
    version = _version_or_404(survey_id, number)
    return render_template(
        "survey_versions/show.html", version=version, frozen=is_frozen(db.session, version)
    )


@bp.route("/<int:survey_id>/versions/<int:number>/edit", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def edit(survey_id: int, number: int):
    version = _version_or_404(survey_id, number)
    error = None
    if request.method == "POST":
        try:
            saved = edit_survey(
                db.session, version, parse_editor(request.form, version), current_user
            )
        except VersionRuleError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            if saved.id != version.id:
                flash(
                    _(
                        "Version %(old)s is in use, so your changes were saved as version %(new)s.",
                        old=version.number,
                        new=saved.number,
                    ),
                    "info",
                )
            else:
                flash(_("Saved."), "info")
            return redirect(
                url_for("survey_versions.show", survey_id=survey_id, number=saved.number)
            )
    return render_template(
        "survey_versions/edit.html",
        version=version,
        frozen=is_frozen(db.session, version),
        error=error,
        options_text=options_text,
        types=list(QuestionType),
        dimensions=list(DIMENSIONS),
    ), (400 if error else 200)
