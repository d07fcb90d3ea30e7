"""Survey administration: surveys, their versions and questions (provider admins write,
analysts read and preview). The steps live in ``surveys.py`` and ``versioning.py``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ..access import PROVIDER_STAFF, requires
from ..dimensions import DIMENSIONS
from ..extensions import db
from ..i18n import LOCALES, current_locale
from ..models import QuestionType, Role, ShowIf, Survey, SurveyLanguages, SurveyVersion, utcnow
from ..survey.forms import field_name, read_answers, text_limit
from ..survey.logic import asked_until, form_page, next_step, posted_step
from . import surveys as steps
from .forms import edits_from, read_rows, read_texts, renumbered, rows_of, with_blanks
from .versioning import VersionRuleError, VersionTexts, edit_survey, is_frozen

bp = Blueprint("survey_versions", __name__, url_prefix="/surveys")

TYPE_LABELS = {
    QuestionType.RATING: _l("Rating 1–5"),
    QuestionType.NPS: _l("NPS 0–10"),
    QuestionType.SINGLE: _l("One choice"),
    QuestionType.MULTIPLE: _l("Several choices"),
    QuestionType.TEXT: _l("Text"),
}
SHOW_IF_LABELS = {
    ShowIf.AT_MOST: _l("at most"),
    ShowIf.AT_LEAST: _l("at least"),
    ShowIf.EQUALS: _l("equal to"),
    ShowIf.CHOSEN: _l("one of (options)"),
}
LANGUAGE_NAMES = {
    SurveyLanguages.BOTH: _l("Chinese and English"),
    SurveyLanguages.ZH: _l("Chinese only"),
    SurveyLanguages.EN: _l("English only"),
}


@bp.context_processor
def _names() -> dict:
    return {
        "language_names": LANGUAGE_NAMES,
        "type_labels": TYPE_LABELS,
        "show_if_ops": list(ShowIf),
        "show_if_labels": SHOW_IF_LABELS,
    }


def _survey_or_404(survey_id: int) -> Survey:
    survey = db.session.scalar(
        steps.provider_surveys(current_user.organization_id).where(Survey.id == survey_id)
    )
    if survey is None:
        abort(404)
    return survey


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
    surveys = db.session.scalars(steps.provider_surveys(current_user.organization_id)).all()
    frozen = {v.id: is_frozen(db.session, v) for s in surveys for v in s.versions}
    return render_template("survey_versions/index.html", surveys=surveys, frozen=frozen)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def new():
    provider_id = current_user.organization_id
    sources = db.session.scalars(steps.provider_surveys(provider_id)).all()
    form = request.form if request.method == "POST" else MultiDict(request.args)
    error = None
    if request.method == "POST":
        how = form.get("how", "standard")
        name, languages = form.get("name", ""), form.get("languages", "")
        try:
            if how == "copy":
                source_id = form.get("source", type=int)
                source = next((s for s in sources if s.id == source_id), None)
                if source is None:
                    abort(404)
                survey = steps.copy_survey(db.session, source, name, current_user)
            elif how == "scratch":
                survey = steps.create_survey(
                    db.session, provider_id, name, languages, read_texts(form), current_user
                )
            else:
                survey = steps.create_from_standard(
                    db.session,
                    provider_id,
                    name,
                    languages,
                    current_user,
                    guided=how == "standard_guided",
                )
        except VersionRuleError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Survey created. Add or change its questions, then preview it."), "info")
            return redirect(url_for("survey_versions.edit", survey_id=survey.id, number=1))
    return render_template(
        "survey_versions/new.html",
        form=form,
        sources=sources,
        languages=list(SurveyLanguages),
        error=error,
    ), (400 if error else 200)


@bp.route("/<int:survey_id>/settings", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def settings(survey_id: int):
    survey = _survey_or_404(survey_id)
    error = None
    if request.method == "POST":
        try:
            steps.rename_survey(
                db.session,
                survey,
                request.form.get("name", ""),
                request.form.get("languages", ""),
                current_user,
            )
        except VersionRuleError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Saved."), "info")
            return redirect(url_for("survey_versions.index"))
    return render_template(
        "survey_versions/settings.html",
        survey=survey,
        form=request.form if request.method == "POST" else None,
        languages=list(SurveyLanguages),
        using=steps.contracts_using(db.session, survey),
        error=error,
    ), (400 if error else 200)


@bp.post("/<int:survey_id>/retire")
@requires(Role.PROVIDER_ADMIN)
def retire(survey_id: int):
    survey = _survey_or_404(survey_id)
    using = steps.retire_survey(db.session, survey, current_user, utcnow())
    db.session.commit()
    flash(_("The survey is retired: new contracts can no longer choose it."), "info")
    if using:
        flash(
            _(
                "Contracts %(numbers)s still use it until they end or their survey is changed.",
                numbers=", ".join(using),
            ),
            "warning",
        )
    return redirect(url_for("survey_versions.index"))


@bp.post("/<int:survey_id>/reinstate")
@requires(Role.PROVIDER_ADMIN)
def reinstate(survey_id: int):
    survey = _survey_or_404(survey_id)
    steps.reinstate_survey(db.session, survey, current_user)
    db.session.commit()
    flash(_("The survey can be chosen for contracts again."), "info")
    return redirect(url_for("survey_versions.index"))


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
    rows, texts = rows_of(version), VersionTexts.of(version)
    if request.method == "POST":
        rows, texts = read_rows(request.form), read_texts(request.form)
        if request.form.get("more"):
            rows = with_blanks(renumbered(rows))
        else:
            try:
                saved = edit_survey(db.session, version, edits_from(rows), current_user, texts)
            except VersionRuleError as exc:
                db.session.rollback()
                error = exc.message
            else:
                db.session.commit()
                _flash_saved(version, saved)
                return redirect(
                    url_for("survey_versions.show", survey_id=survey_id, number=saved.number)
                )
    return render_template(
        "survey_versions/edit.html",
        version=version,
        survey=version.survey,
        frozen=is_frozen(db.session, version),
        rows=rows,
        texts=texts,
        error=error,
        types=list(QuestionType),
        dimensions=list(DIMENSIONS),
    ), (400 if error else 200)


def _flash_saved(version: SurveyVersion, saved: SurveyVersion) -> None:
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


@bp.route("/<int:survey_id>/versions/<int:number>/preview", methods=["GET", "POST"])
@requires(*PROVIDER_STAFF)
def preview(survey_id: int, number: int):
    """The form as a customer sees it, in one of the survey's languages; a post checks the
    answers as the real form would and stores nothing."""
    version = _version_or_404(survey_id, number)
    shown = version.survey.language_codes
    lang = request.values.get("lang") or ("en" if current_locale() == "en" else "zh")
    lang = lang if lang in shown else shown[0]
    g.locale = next(code for code in LOCALES if code.startswith(lang))
    errors, checked, page = {}, False, form_page(version.questions, 1)
    if request.method == "POST":
        step = posted_step(version.questions, request.form)
        answers = read_answers(asked_until(version.questions, step), request.form)
        following = next_step(version.questions, step, answers.given) if answers.ok else None
        errors, checked = answers.errors, following is None
        page = form_page(version.questions, following or step, answers.given)
    return render_template(
        "survey_versions/preview.html",
        version=version,
        page=page,
        languages=shown,
        lang=lang,
        values=request.form if request.method == "POST" else MultiDict(),
        errors=errors,
        checked=checked,
        field_name=field_name,
        text_limit=text_limit,
    ), (400 if errors else 200)
