"""The OpenAPI 3.1 document, built from the code: served at ``/api/v1/openapi.json``.

Each API view carries its operation (summary, parameters, body, responses) through
``@operation``, which also marks it ``@public`` for the session-login check (the API checks
its own bearer token). The document walks the URL map, so a route is described exactly where
it is declared; ``tests/api/test_openapi.py`` checks every route is in it and vice versa, and
the schemathesis run of ``.ci/run`` checks the answers against it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, jsonify

from ..access import public
from . import PAGE_MAX, PER_PAGE_MAX, bp

F = TypeVar("F", bound=Callable)

NULL_STRING = {"type": ["string", "null"]}
NULL_TIME = {"type": ["string", "null"], "format": "date-time"}
TIME = {"type": "string", "format": "date-time"}
NULL_NUMBER = {"type": ["number", "null"]}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["data", "meta"],
        "properties": {"data": {"type": "array", "items": ref(name)}, "meta": ref("Meta")},
    }


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "details"],
                "properties": {
                    "code": {"type": "string", "examples": ["not_found"]},
                    "message": {"type": "string"},
                    "details": {"type": "object"},
                },
            }
        },
    },
    "Meta": {
        "type": "object",
        "required": ["page", "per_page", "total"],
        "properties": {
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX},
            "total": {"type": "integer", "minimum": 0},
        },
    },
    "Contract": {
        "type": "object",
        "required": ["id", "number", "title", "provider", "client", "status", "start_date"],
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": "string", "description": "合同编号; tickets name it"},
            "title": {"type": "string"},
            "provider": {"type": "string", "description": "the provider's name (甲方)"},
            "client": {"type": "string", "description": "the client's name (乙方)"},
            "status": {"type": "string", "enum": ["draft", "active", "ended"]},
            "start_date": {"type": "string", "format": "date"},
            "end_date": {"type": ["string", "null"], "format": "date"},
            "timezone": {"type": "string"},
            "inquiry_hours": {"type": "integer", "description": "clause 一(1) deadline"},
            "complaint_hours": {"type": "integer", "description": "clause 一(2) deadline"},
            "monthly_fee": {"type": "string", "description": "decimal, in currency"},
            "currency": {"type": "string"},
        },
    },
    "Cycle": {
        "type": "object",
        "required": ["id", "contract_id", "month", "status", "opens_at", "closes_at"],
        "properties": {
            "id": {"type": "integer"},
            "contract_id": {"type": "integer"},
            "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
            "status": {"type": "string", "enum": ["draft", "open", "closed"]},
            "opens_at": TIME,
            "closes_at": TIME,
            "opened_at": NULL_TIME,
            "closed_at": NULL_TIME,
        },
    },
    "Metric": {
        "type": "object",
        "description": (
            "One closed month and dimension, the same figures as the dashboard and the metrics "
            "export. For dimension `nps` the csat fields hold the NPS and its interval; for "
            "`response_rate`, n is the invitations issued (any channel) and csat the response "
            "rate in percent. "
            "A client token gets breakdowns of fewer than 5 answers blanked (null)."
        ),
        "required": ["month", "dimension", "n"],
        "properties": {
            "month": {"type": "string"},
            "dimension": {"type": "string"},
            "clause_ref": NULL_STRING,
            "n": {"type": ["integer", "null"]},
            "mean": NULL_NUMBER,
            "mean_low": NULL_NUMBER,
            "mean_high": NULL_NUMBER,
            "csat": NULL_NUMBER,
            "csat_low": NULL_NUMBER,
            "csat_high": NULL_NUMBER,
        },
    },
    "ActionItem": {
        "type": "object",
        "required": ["id", "contract_id", "month", "rule", "clause_ref", "title", "status"],
        "properties": {
            "id": {"type": "integer"},
            "contract_id": {"type": "integer"},
            "month": {"type": "string"},
            "rule": {"type": "string"},
            "clause_ref": {"type": "string"},
            "dimension": NULL_STRING,
            "title": {"type": "string"},
            "evidence": {"type": "object"},
            "remedy": {"type": "string"},
            "priority": {"type": "string", "enum": ["high", "medium", "low"]},
            "status": {
                "type": "string",
                "enum": ["proposed", "open", "in_progress", "done", "dismissed"],
            },
            "due_date": {"type": ["string", "null"], "format": "date"},
            "closed_at": NULL_TIME,
            "effect": {
                "type": ["string", "null"],
                "enum": ["improved", "unchanged", "worse", "target_met", None],
            },
            "effect_evidence": {
                "type": ["object", "null"],
                "description": (
                    "before, after, change, change_low, change_high (95 % interval), p_value "
                    "and test (welch_t, two_proportion_z, fisher_exact), at full precision; "
                    "for a client, figures of fewer than 5 answers are left out (suppressed)"
                ),
            },
        },
    },
    "SurveyResponse": {
        "type": "object",
        "description": "One response; the customer only by the client's reference id.",
        "required": ["response_id", "customer_ref", "month", "submitted_at", "answers"],
        "properties": {
            "response_id": {"type": "integer"},
            "customer_ref": NULL_STRING,
            "month": {"type": "string"},
            "submitted_at": TIME,
            "locale": {"type": "string"},
            "seconds_taken": {"type": ["integer", "null"]},
            "source": {"type": "string"},
            "answers": {
                "type": "object",
                "description": "question code -> answer (choices joined by ';'), null if none",
                "additionalProperties": NULL_STRING,
            },
        },
    },
    "Ticket": {
        "type": "object",
        "required": ["id", "contract", "external_id", "kind", "received_at"],
        "properties": {
            "id": {"type": "integer"},
            "contract": {"type": "string"},
            "external_id": {"type": "string"},
            "kind": {"type": "string", "enum": ["inquiry", "complaint"]},
            "channel": NULL_STRING,
            "received_at": TIME,
            "first_reply_at": NULL_TIME,
            "resolved_at": NULL_TIME,
            "updated_at": TIME,
        },
    },
    "TicketInput": {
        "type": "object",
        "description": (
            "One ticket. Sending a ticket again (same contract and external_id) updates it. "
            "Times are ISO 8601 with an offset, not before 2000, not in the future; first "
            "reply and resolution not before receipt. Only a provider's token may push."
        ),
        "required": ["contract", "external_id", "kind", "received_at"],
        "additionalProperties": False,
        "properties": {
            "contract": {"type": "string", "minLength": 1, "maxLength": 50},
            "external_id": {"type": "string", "minLength": 1, "maxLength": 100},
            "kind": {"type": "string", "enum": ["inquiry", "complaint"]},
            "channel": {"type": ["string", "null"], "maxLength": 32},
            "received_at": TIME,
            "first_reply_at": NULL_TIME,
            "resolved_at": NULL_TIME,
        },
    },
    "TicketBatch": {
        "type": "object",
        "description": (
            "Up to 500 tickets. Each item is checked on its own against TicketInput and "
            "reported in `results` by its index."
        ),
        "required": ["tickets"],
        "additionalProperties": False,
        "properties": {
            "tickets": {"type": "array", "minItems": 1, "maxItems": 500, "items": {}},
        },
    },
    "TicketResult": {
        "type": "object",
        "required": ["index", "status", "errors"],
        "properties": {
            "index": {"type": "integer", "minimum": 0},
            "status": {
                "type": "string",
                "enum": ["created", "updated", "error", "valid"],
                "description": "`valid`: a good item not stored because the batch was atomic",
            },
            "external_id": NULL_STRING,
            "contract": NULL_STRING,
            "ticket_id": {"type": ["integer", "null"]},
            "errors": {"type": "array", "items": ref("FieldProblem")},
        },
    },
    "FieldProblem": {
        "type": "object",
        "required": ["field", "problem"],
        "properties": {"field": NULL_STRING, "problem": {"type": "string"}},
    },
    "TicketBatchResult": {
        "type": "object",
        "required": ["results", "summary"],
        "properties": {
            "results": {"type": "array", "items": ref("TicketResult")},
            "summary": {
                "type": "object",
                "required": ["created", "updated", "failed", "stored"],
                "properties": {
                    "created": {"type": "integer"},
                    "updated": {"type": "integer"},
                    "failed": {"type": "integer"},
                    "stored": {"type": "boolean"},
                },
            },
        },
    },
}


def _query(name: str, schema: dict[str, Any], description: str, required: bool = False):
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
    }


MONTH_SCHEMA = {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}
PARAMETERS: dict[str, Any] = {
    "contract_id": {
        "name": "contract_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    },
    "page": _query("page", {"type": "integer", "minimum": 1, "maximum": PAGE_MAX}, "from 1"),
    "per_page": _query(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX, "default": 50},
        f"items per page, at most {PER_PAGE_MAX}",
    ),
    "month": _query("month", MONTH_SCHEMA, "only this month, e.g. 2026-11"),
    "month_required": _query("month", MONTH_SCHEMA, "the survey month, e.g. 2026-11", True),
    "item_status": _query(
        "status",
        {"type": "string", "enum": ["proposed", "open", "in_progress", "done", "dismissed"]},
        "only items with this status",
    ),
    "atomic": _query(
        "atomic",
        {"type": "boolean", "default": False},
        "all or nothing: with any bad item, store none and answer 422",
    ),
}


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }
    if headers:
        spec["headers"] = headers
    return spec


def _ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds to wait before sending the request again",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}
ERRORS = {
    "400": _error("a query parameter or the body is malformed"),
    "401": _error("no token, or an unknown or revoked one"),
    "403": _error("this token's organization may not do this"),
    "404": _error("no such record for this token's organization"),
    "413": _error("the body is larger than 1 MiB"),
    "415": _error("the body is not application/json"),
    "422": _error("the data breaks the rules; details say which"),
    "429": _error(
        "too many requests from this token, or too many refused tokens from this address",
        RETRY_AFTER,
    ),
    "503": _error("the database is unavailable, busy or full; nothing was saved", RETRY_AFTER),
    "default": _error("any other error, same shape"),
}


# answered around every view: rate limits (security/limits.py), database outages (outages.py)
ALWAYS = ("429", "503")


def operation(
    summary: str,
    *,
    responses: dict[int, tuple[str, dict[str, Any]]],
    params: tuple[str, ...] = (),
    body: dict[str, Any] | None = None,
    errors: tuple[str, ...] = ("400", "401", "404"),
    description: str = "",
    tag: str = "",
    auth: bool = True,
) -> Callable[[F], F]:
    """Describe an API view for the document, and mark it public for the session check."""

    def decorate(view: F) -> F:
        spec: dict[str, Any] = {
            "operationId": view.__name__,
            "summary": summary,
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in params],
            "responses": {
                **{str(code): _ok(text, schema) for code, (text, schema) in responses.items()},
                **{code: ERRORS[code] for code in (*errors, *ALWAYS, "default")},
            },
        }
        if description:
            spec["description"] = description
        if tag:
            spec["tags"] = [tag]
        if body is not None:
            spec["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": body}},
            }
        if not auth:
            spec["security"] = []
        view.openapi = spec  # type: ignore[attr-defined]
        return public(view)

    return decorate


def _path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.removeprefix(bp.url_prefix or ""))


def build_document(app: Flask) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(f"{bp.name}."):
            continue
        spec = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if spec is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(_path(rule.rule), {})[method.lower()] = spec
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Service satisfaction API",
            "version": "1",
            "description": (
                "Tickets in (inquiries and complaints, the evidence for the contract's reply "
                "and complaint deadlines), contracts, survey months, metrics, action items "
                "and responses out. Authenticate with `Authorization: Bearer <token>`; a token "
                "belongs to one organization and sees only its contracts. Lists are paged "
                "with `page` and `per_page` and answer `{data, meta: {page, per_page, total}}`. "
                "Times are ISO 8601 with an offset. Every error is "
                '`{"error": {"code", "message", "details"}}`. No customer contact data.'
            ),
        },
        "servers": [{"url": bp.url_prefix}],
        "security": [{"bearerAuth": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "parameters": PARAMETERS,
        },
    }


@bp.get("/openapi.json")
@operation(
    "This document",
    responses={200: ("the OpenAPI 3.1 document", {"type": "object"})},
    errors=(),
    auth=False,
    tag="meta",
)
def openapi_document():
    return jsonify(build_document(current_app))
