"""The app as ``bench/submit`` serves it: the real application plus one bare endpoint.

``POST /bench/bare/<token>`` writes the rows of a response as a full submission writes them
(the response, its answer rows, the invitation's ``responded_at``): a plain prebuilt INSERT of
the response and the intake's own prebuilt answer and invitation statements
(``surveyapp.survey.intake``), but with no form parsing, no validation (not even that the
cycle is open), no CSRF, no follow-up rules and no template: the reference the full path is
compared with under the same gunicorn settings. (A full submission also stores the consent
answer, and its GET the opened time.) It exists only in this benchmark app, never in
``create_app()``.
"""

from __future__ import annotations

import json
import os

from flask import Blueprint
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from surveyapp import create_app
from surveyapp.access import public
from surveyapp.extensions import csrf, db
from surveyapp.models import Invitation, Response, utcnow
from surveyapp.survey import intake
from surveyapp.survey.tokens import token_hash

bare = Blueprint("bench_bare", __name__)


_INSERT_RESPONSE = insert(Response).returning(Response.id)
_INVITATION = select(Invitation.id, Invitation.cycle_id).where(
    Invitation.token_hash == bindparam("token_hash")
)


@bare.post("/bench/bare/<token>")
@public
def insert_rows(token: str):
    """The response's rows written with nothing checked (see the module's note)."""
    found = db.session.connection().execute(_INVITATION, {"token_hash": token_hash(token)}).first()
    if found is None:
        return "", 404
    spec = BARE_SPEC
    now = utcnow()
    try:
        response_id = (
            db.session.connection()
            .execute(
                _INSERT_RESPONSE,
                {
                    "invitation_id": found.id,
                    "cycle_id": found.cycle_id,
                    "contract_id": spec["contract_id"],
                    "month": spec["month"],
                    "survey_version_id": spec["version_id"],
                    "submitted_at": now,
                    "locale": "zh_CN",
                    "seconds_taken": 60,
                    "source": "survey",
                },
            )
            .scalar_one()
        )
        intake._insert_answers(db.session, response_id, spec["rows"])
        intake._mark_responded(db.session, found.id, now)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return "", 409
    return "", 201


@bare.get("/bench/empty")
@public
def empty():
    """No database, no template: what any request costs under these server settings."""
    return "", 204


BARE_SPEC: dict = {}


def create():
    BARE_SPEC.update(json.loads(os.environ["BENCH_BARE_SPEC"]))
    app = create_app()
    # The bench's clients all come from 127.0.0.1, where real customers each have an address of
    # their own: only the per-address survey limit is lifted. The per-token limit and the
    # limiter's work on every survey request stay as deployed.
    app.config["RATELIMIT_SURVEY_PER_ADDRESS"] = "1000000 per minute"
    csrf.exempt(insert_rows)
    app.register_blueprint(bare)
    return app
