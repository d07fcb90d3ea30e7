"""The provider admin's page for how a contract's survey looks: the client's logo and the
survey's rating style (``/contracts/<id>/survey-page``). Rules and checks in ``branding``."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import contract_or_404, requires
from ..extensions import db
from ..models import ContractLogo, Role, Survey
from .branding import (
    MAX_LOGO_BYTES,
    SCALE_STYLES,
    LogoRefused,
    remove_logo,
    set_scale_style,
    store_logo,
)

bp = Blueprint("survey_page", __name__, url_prefix="/contracts")


@bp.route("/<int:contract_id>/survey-page", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def edit(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    survey = db.session.get(Survey, contract.survey_id) if contract.survey_id else None
    error, status = None, 200
    if request.method == "POST":
        action = request.form.get("action")
        if action == "logo":
            upload = request.files.get("logo")
            data = upload.stream.read(MAX_LOGO_BYTES + 1) if upload else b""
            try:
                store_logo(db.session, contract, data, actor=current_user)
            except LogoRefused as refused:
                error, status = str(refused.args[0]), 400
            else:
                flash(_("The logo is saved."), "ok")
        elif action == "remove-logo":
            if remove_logo(db.session, contract, actor=current_user):
                flash(_("The logo is removed."), "ok")
        elif action == "style" and survey is not None:
            style = request.form.get("scale_style")
            if style in SCALE_STYLES:
                set_scale_style(db.session, survey, style, actor=current_user)
                flash(_("The rating style is saved."), "ok")
        if error is None:
            return redirect(url_for("survey_page.edit", contract_id=contract.id), 303)
    logo = db.session.get(ContractLogo, contract.id)
    return render_template(
        "survey/branding_page.html",
        contract=contract,
        survey=survey,
        logo=logo,
        error=error,
        styles=SCALE_STYLES,
    ), status
