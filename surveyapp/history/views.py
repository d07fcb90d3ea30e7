"""Importing past results, for provider administrators: upload → mapping → preview → confirm.

The uploaded file waits in the instance folder (:mod:`.uploads`) under a random id that only
its uploader can use; nothing is written to the survey tables before the confirm step, and then
only from a file without problems unless the user chose to skip the bad rows.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from ..access import contract_or_404, requires
from ..extensions import db
from ..i18n import current_locale
from ..models import Contract, Role, Survey, SurveyVersion
from . import uploads
from .formats import FileUnreadable, read_table
from .importing import ImportSummary, group_problems, import_history, load_mapping, preview
from .mapping import (
    CONTACT_FIELDS,
    NUMBERS,
    Mapping,
    choices_of,
    clean_origin,
    contact_columns,
    default_origin,
    mapping_from_choices,
    no_answer_text,
    parse_no_answer,
    parse_scales,
    parse_value_map,
    propose_mapping,
    scales_text,
    value_map_text,
)
from .presets import PRESETS, detect_preset
from .rows import MappingInvalid, Note, OtherText, RowParser, scale_table

bp = Blueprint("history", __name__, url_prefix="/contracts/<int:contract_id>/history")
MAX_BYTES = 50 * 1024 * 1024
PREVIEW_ROWS = 10
CONTACT_LABELS = {
    "ref": _l("Customer number"),
    "name": _l("Customer name"),
    "email": _l("Customer e-mail"),
    "mobile": _l("Customer mobile"),
}


class UploadForm(FlaskForm):
    file = FileField(validators=[FileRequired()])
    preset = SelectField(
        choices=[("", _l("Detect from the header"))] + [(k, p.label) for k, p in PRESETS.items()],
        default="",
    )
    encoding = SelectField(
        choices=[("", _l("Detect")), ("utf-8", "UTF-8"), ("gbk", "GBK / GB18030")], default=""
    )
    version = SelectField(coerce=int)
    origin = StringField(validators=[Optional()])
    header_rows = IntegerField(validators=[Optional(), NumberRange(1, 10)])


class ConfirmForm(FlaskForm):
    skip_bad_rows = BooleanField()
    strict = BooleanField()


NUMBER_LABELS = {
    "scores": _l("Scores (问卷星 按分数): 5 is the best"),
    "options_high_first": _l("Option numbers (按序号), the first option is the best"),
    "options_low_first": _l("Option numbers (按序号), the first option is the worst"),
}


def _versions(contract: Contract) -> list[SurveyVersion]:
    query = (
        select(SurveyVersion)
        .join(Survey)
        .where(Survey.provider_id == contract.provider_id)
        .order_by(SurveyVersion.survey_id == contract.survey_id, SurveyVersion.id)
    )
    return list(reversed(db.session.scalars(query).all()))


@bp.route("/", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def upload(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    versions = _versions(contract)
    form = UploadForm()
    form.version.choices = [(v.id, f"{v.survey.name} · v{v.number}") for v in versions]
    error, status = None, 200
    if form.validate_on_submit():
        data = form.file.data.read(MAX_BYTES + 1)
        try:
            if len(data) > MAX_BYTES:
                raise FileUnreadable(_("The file is larger than 50 MB; split it."))
            table = read_table(
                data, encoding=form.encoding.data or None, header_rows=form.header_rows.data
            )
            preset = form.preset.data or detect_preset(table.header)
            filename = form.file.data.filename or ""
            saved = uploads.save(
                current_app.instance_path,
                table,
                contract_id=contract.id,
                user_id=current_user.id,
                filename=filename,
                preset=preset,
                encoding=form.encoding.data or None,
                version_id=form.version.data,
                origin=clean_origin(form.origin.data or "") or default_origin(filename, preset),
            )
        except FileUnreadable as exc:
            error, status = str(exc), 400
        else:
            return redirect(url_for(".mapping", contract_id=contract.id, upload_id=saved.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "history/upload.html", contract=contract, form=form, error=error, versions=versions
    ), status


def _upload_or_404(contract: Contract, upload_id: str) -> uploads.Upload:
    found = uploads.load(current_app.instance_path, upload_id, contract.id, current_user.id)
    if found is None:
        abort(404)
    return found


def _version_or_404(contract: Contract, version_id: int) -> SurveyVersion:
    version = next((v for v in _versions(contract) if v.id == version_id), None)
    if version is None:
        abort(404)
    return version


def _table(upload: uploads.Upload):
    return uploads.table_of(current_app.instance_path, upload)


@bp.route("/<upload_id>", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def mapping(contract_id: int, upload_id: str):
    contract = contract_or_404(contract_id, current_user)
    upload = _upload_or_404(contract, upload_id)
    version = _version_or_404(contract, upload.version_id)
    header = upload.header
    form = FlaskForm()
    bad_lines: list[str] = []
    if form.validate_on_submit():
        value_map, bad_lines = parse_value_map(request.form.get("value_map", ""))
        scales, bad_scales = parse_scales(request.form.get("scales", ""))
        bad_lines += bad_scales
        choices = [request.form.get(f"col-{i}", "") for i in range(len(header))]
        chosen = mapping_from_choices(header, choices, value_map, upload.preset)
        chosen.no_answer = parse_no_answer(request.form.get("no_answer", ""))
        chosen.scales = scales
        numbers = request.form.get("numbers", "")
        chosen.numbers = numbers if numbers in NUMBERS else None
        order = request.form.get("date_order", "")
        chosen.date_order = order if order in ("mdy", "dmy") else None
        chosen.month = request.form.get("month", "").strip() or None
        chosen.header = Mapping.from_json(upload.mapping or {}).header
        upload.mapping = chosen.to_json()
        uploads.update(current_app.instance_path, upload)
    elif upload.mapping is not None:
        chosen = Mapping.from_json(upload.mapping)
    else:
        saved = load_mapping(db.session, contract.id, upload.preset, header)
        chosen = propose_mapping(
            header, version, saved=saved, preset=upload.preset, filename=upload.filename
        )
        upload.carried = saved is not None
        uploads.update(current_app.instance_path, upload)
    return _mapping_page(contract, upload, version, header, chosen, bad_lines=bad_lines)


def _mapping_page(contract, upload, version, header, chosen, *, bad_lines=(), summary=None):
    status = 200
    rows, problems, check = [], [], None
    error = None
    effects: list[dict] = []
    if upload.mapping is not None:
        try:
            rows, report = preview(contract, version, chosen, _table(upload), PREVIEW_ROWS)
            problems = report.problems
            check = summary or import_history(
                db.session, contract, version, chosen, _table(upload),
                source=upload.preset, origin=upload.origin, dry_run=True,
            )  # fmt: skip
            effects = value_effects(contract, version, chosen, _table(upload))
        except MappingInvalid as exc:
            error, status = str(exc), 400
    codes = list(dict.fromkeys(chosen.answers.values()))  # one per question, as in the rows
    questions = {q.code: q for q in version.questions}
    return render_template(
        "history/mapping.html",
        contract=contract,
        upload=upload,
        version=version,
        header=header,
        choices=choices_of(chosen, header),
        samples=[column[:3] for column in upload.samples],
        contacts=contact_columns(header, chosen, upload.samples),
        contact_fields=[(f, CONTACT_LABELS[f]) for f in CONTACT_FIELDS],
        value_map=value_map_text(chosen.value_map),
        no_answer=no_answer_text(chosen.no_answer),
        scales=scales_text(chosen.scales),
        scale_tables=[
            (c, f"{n[0]}–{n[1]}", scale_table(n, str(questions[c].type)))
            for c, n in chosen.scales.items()
            if c in questions
        ],
        mapping=chosen,
        numbers=[(k, NUMBER_LABELS[k]) for k in NUMBERS],
        changed_labels=_changed_labels(chosen),
        effects=effects,
        groups=group_problems(check.report.problems) if check else [],
        bad_lines=bad_lines,
        preview_rows=[_display(row, version, codes, contract.timezone) for row in rows],
        preview_codes=codes,
        problems=problems,
        check=check,
        confirmed=summary,
        error=error,
        form=FlaskForm(),
        confirm_form=ConfirmForm(),
        preset_label=PRESETS[upload.preset].label if upload.preset in PRESETS else upload.preset,
    ), (400 if summary is not None else status)


@bp.post("/<upload_id>/confirm")
@requires(Role.PROVIDER_ADMIN)
def confirm(contract_id: int, upload_id: str):
    contract = contract_or_404(contract_id, current_user)
    upload = _upload_or_404(contract, upload_id)
    version = _version_or_404(contract, upload.version_id)
    form = ConfirmForm()
    if not form.validate_on_submit() or upload.mapping is None:
        return redirect(url_for(".mapping", contract_id=contract.id, upload_id=upload.id))
    chosen = Mapping.from_json(upload.mapping)
    table = _table(upload)
    try:
        summary = import_history(
            db.session, contract, version, chosen, table,
            skip_bad_rows=form.skip_bad_rows.data, source=upload.preset, actor=current_user,
            origin=upload.origin, strict=form.strict.data,
        )  # fmt: skip
    except MappingInvalid:
        return redirect(url_for(".mapping", contract_id=contract.id, upload_id=upload.id))
    if not summary.written:
        return _mapping_page(contract, upload, version, table.header, chosen, summary=summary)
    uploads.delete(current_app.instance_path, upload)
    flash(_summary_text(summary), "info")
    return redirect(url_for("dashboard.contract", contract_id=contract.id))


def _summary_text(summary: ImportSummary) -> str:
    return _(
        "Imported %(imported)s responses; %(skipped)s bad rows skipped; %(present)s already "
        "present. Months: %(months)s.",
        imported=summary.imported,
        skipped=summary.skipped,
        present=summary.already_present,
        months=", ".join(summary.months) or "–",
    )


def _changed_labels(mapping: Mapping) -> list[tuple[str, object, object]]:
    """Value-map entries that differ from the tool's defaults (a carried-over reverse map):
    (label, score here, default score or None)."""
    default = PRESETS.get(mapping.preset, PRESETS["spreadsheet"]).value_map
    folded = {k.casefold(): v for k, v in default.items()}
    return [
        (label, score, folded.get(label.casefold()))
        for label, score in mapping.value_map.items()
        if folded.get(label.casefold()) != score
    ]


EFFECT_ROWS = 2000
EFFECT_VALUES = 12


def value_effects(contract, version, mapping: Mapping, table) -> list[dict]:
    """Per mapped rating, NPS or choice column: its most frequent values in the file (the first
    EFFECT_ROWS rows) and what each is stored as, so the effect of every value map, scale and
    number choice is seen before the import."""
    parser = RowParser(contract, version, mapping, table.header)
    counts: list[dict] = [{} for _column in parser.columns]
    for seen, (_line, cells) in enumerate(table.rows):
        if seen >= EFFECT_ROWS:
            break
        for column, found in zip(parser.columns, counts, strict=True):
            if column.grouped or column.question.type == "text" or column.index >= len(cells):
                continue
            cell = cells[column.index]
            if cell is not None and str(cell).strip():
                found[cell] = found.get(cell, 0) + 1
    out = []
    for column, found, codes in zip(parser.columns, counts, parser.no_answer, strict=True):
        if not found:
            continue
        shown = []
        for cell, n in sorted(found.items(), key=lambda kv: -kv[1])[:EFFECT_VALUES]:
            if str(cell).strip().casefold() in codes:
                stored = _("no answer")
            else:
                try:
                    stored = _stored(parser._answer(column.question, cell), column.question)
                except MappingInvalid:
                    raise
                except Exception as exc:  # CellError, NumbersUnchosen: shown as the problem
                    stored = "⚠ " + (str(exc) or _("choose how numbers are read"))
            shown.append((str(cell)[:40], n, stored))
        out.append({"column": column.name, "code": column.question.code, "values": shown})
    return out


def _stored(value, question) -> str:
    """A parsed value as the preview shows it: a score, an option's label, "other" text."""
    if isinstance(value, Note):
        value = value.value
    if isinstance(value, OtherText):
        return _("“other” text")
    if isinstance(value, tuple):
        return " / ".join(_stored(v, question) for v in value)
    if question.type in ("single", "multiple") and isinstance(value, int):
        labels = {o.id: o.label_zh if current_locale() != "en" else o.label_en
                  for o in question.options}  # fmt: skip
        return labels.get(value, str(value))
    return "" if value is None else str(value)


def _display(row, version: SurveyVersion, codes: list[str], timezone: str) -> dict:
    """A preview row as the page shows it: local time, month, id, each answer readable."""
    zh = current_locale() != "en"
    questions = {q.code: q for q in version.questions}
    labels = {
        o.id: (o.label_zh if zh else o.label_en) for q in questions.values() for o in q.options
    }

    def show(code: str, value) -> str:
        if value is None:
            return ""
        if questions[code].type == "multiple":
            return " / ".join(labels.get(v, str(v)) for v in value)
        if questions[code].type == "single":
            return labels.get(value, str(value))
        return str(value)

    return {
        "line": row.line,
        "when": row.submitted_at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M"),
        "month": row.month,
        "source_id": row.source_id if len(row.source_id) < 20 else row.source_id[:16] + "…",
        "cells": [show(code, v) for code, v in zip(codes, row.values, strict=True)],
    }
