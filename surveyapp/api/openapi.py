"""The OpenAPI 3.1 document, built from the code: served at ``/api/v1/openapi.json``.

Each API view carries its operation (summary, description, parameters, body, responses)
through ``@operation``, which also marks it ``@public`` for the session-login check (the API
checks its own bearer token) and tells ``_check_query`` which query parameters it takes. The
document walks the URL map, so a route is described exactly where it is declared;
``tests/api/test_openapi.py`` checks every route is in it and vice versa, Spectral
(``spectral:oas``, ``.ci/spectral.sh``) that it lints clean, and the schemathesis run of
``.ci/run`` checks the answers against it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, jsonify

from ..access import public
from ..dimensions import DIMENSIONS
from ..models import ActionStatus, Effect, Priority
from . import LIMIT_MAX, bp
from .errors import LOCATIONS, PROBLEM_TYPE, TITLES

F = TypeVar("F", bound=Callable)

TIME_FORM = "RFC 3339 in UTC with whole seconds and Z, e.g. 2026-11-02T01:30:00Z"
NULL_STRING = {"type": ["string", "null"]}
TIME = {"type": "string", "format": "date-time", "description": TIME_FORM}
NULL_TIME = {"type": ["string", "null"], "format": "date-time", "description": TIME_FORM}
NULL_NUMBER = {"type": ["number", "null"]}
NULL_INTEGER = {"type": ["integer", "null"]}
MONTH_SCHEMA = {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "examples": ["2026-11"]}
ID = {"type": "integer", "minimum": 1}
KINDS = ["inquiry", "complaint"]
# analysis/action_items.py's rules (its module doc lists them)
RULES = ["below_target", "significant_drop", "sla_breach", "recurring_theme", "low_response_rate"]
DIMENSION_CODES = list(DIMENSIONS)
METRIC_DIMENSIONS = [*DIMENSION_CODES, "nps", "response_rate", "sla_inquiry", "sla_complaint"]
UPSERT_STATUSES = ["created", "updated", "unchanged", "error", "valid"]
BATCH_MAX = 500


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["data", "next"],
        "properties": {
            "data": {"type": "array", "items": ref(name)},
            "next": {
                "type": ["string", "null"],
                "description": "the URL of the next page (also the Link header); null at the end",
            },
        },
    }


def data_of(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["data"],
        "properties": {"data": ref(name)},
    }


def _ticket_fields(*, output: bool) -> dict[str, Any]:
    time_in = {"type": "string", "format": "date-time", "description": "RFC 3339 with an offset"}
    null_in = {**time_in, "type": ["string", "null"]}
    return {
        "contract_number": {"type": "string", "minLength": 1, "maxLength": 50},
        "external_id": {"type": "string", "minLength": 1, "maxLength": 100},
        "kind": {"type": "string", "enum": KINDS},
        "channel": {"type": ["string", "null"], "maxLength": 32},
        "received_at": TIME if output else time_in,
        "first_reply_at": NULL_TIME if output else null_in,
        "resolved_at": NULL_TIME if output else null_in,
        "customer_ref": {
            "type": ["string", "null"],
            "maxLength": 64,
            "description": "the client's customer number, as in the customer list",
        },
        "agent": {
            "type": ["string", "null"],
            "maxLength": 100,
            "description": "the provider's agent who handled it last"
            + ("; null for a client's token" if output else ""),
        },
        "team": {
            "type": ["string", "null"],
            "maxLength": 100,
            "description": "the agent's team when handling it"
            + ("; null for a client's token" if output else ""),
        },
    }


SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": (
            "An RFC 9457 problem document (application/problem+json), the body of every error."
        ),
        "required": ["type", "title", "status", "detail", "request_id", "errors"],
        "properties": {
            "type": {
                "type": "string",
                "enum": [PROBLEM_TYPE + code for code in TITLES],
                "description": "the kind of problem; its last part is a stable machine word",
            },
            "title": {"type": "string", "enum": sorted(set(TITLES.values()))},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "what went wrong this time, in English"},
            "request_id": {
                "type": "string",
                "description": "also the X-Request-Id header and in the server log",
            },
            "errors": {"type": "array", "items": ref("FieldError")},
        },
    },
    "FieldError": {
        "type": "object",
        "description": "One field-level problem; the one shape for every field error.",
        "required": ["field", "problem", "location", "index"],
        "properties": {
            "field": {
                "type": ["string", "null"],
                "description": "the body field or query parameter; null: the item as a whole",
            },
            "problem": {"type": "string", "description": "what to fix"},
            "location": {"type": "string", "enum": list(LOCATIONS)},
            "index": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "the batch item (from 0); null outside batches",
            },
        },
    },
    "Contract": {
        "type": "object",
        "required": [
            "id",
            "number",
            "title",
            "provider",
            "client",
            "status",
            "start_date",
            "end_date",
            "timezone",
            "inquiry_hours",
            "complaint_hours",
            "monthly_fee",
            "currency",
        ],  # fmt: skip
        "properties": {
            "id": ID,
            "number": {
                "type": "string",
                "description": "合同编号; tickets name it contract_number",
            },
            "title": {"type": "string"},
            "provider": {"type": "string", "description": "the provider's name (甲方)"},
            "client": {"type": "string", "description": "the client's name (乙方)"},
            "status": {"type": "string", "enum": ["draft", "active", "ended"]},
            "start_date": {"type": "string", "format": "date"},
            "end_date": {"type": ["string", "null"], "format": "date"},
            "timezone": {"type": "string", "description": "IANA name; months are cut in it"},
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
            "id": ID,
            "contract_id": ID,
            "month": MONTH_SCHEMA,
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
            "One closed month and dimension, the same figures as the dashboard, the portal, the "
            "PDF and the metrics export. Rating dimensions fill n, mean and csat (top-2-box, %) "
            "with 95 % intervals; `nps` fills n, nps, its standard error nps_se and its 95 % "
            "interval; `response_rate` fills invitations and response_rate (%); `sla_inquiry` "
            "and `sla_complaint` fill tickets (decided in the month) and sla_compliance (%, "
            "within the contract's hours) with its 95 % Wilson interval. Other fields are null. "
            "Precision (rounded half to even, as printed on every page): percentages (csat, "
            "response_rate, sla_compliance and their intervals) 1 decimal; NPS, nps_se and its "
            "interval 1 decimal (points, −100 to 100); means 2 decimals. A blank figure says why "
            "in blank_reason: `suppressed` (a client token, fewer than 5 answers), "
            "`no_questions` (the survey asks nothing of this dimension), `no_responses` (no "
            "answers that month), `no_tickets` (no ticket of the kind decided that month), "
            "`no_invitations` (no invitation sent through the platform that month)."
        ),
        "required": [
            "month",
            "dimension",
            "clause_ref",
            "n",
            "mean",
            "mean_low",
            "mean_high",
            "csat",
            "csat_low",
            "csat_high",
            "nps",
            "nps_se",
            "nps_low",
            "nps_high",
            "invitations",
            "response_rate",
            "tickets",
            "sla_compliance",
            "sla_compliance_low",
            "sla_compliance_high",
            "blank_reason",
        ],  # fmt: skip
        "properties": {
            "month": MONTH_SCHEMA,
            "dimension": {"type": "string", "enum": METRIC_DIMENSIONS},
            "clause_ref": NULL_STRING,
            "n": NULL_INTEGER,
            "mean": {**NULL_NUMBER, "description": "1–5, 2 decimals"},
            "mean_low": {**NULL_NUMBER, "description": "2 decimals"},
            "mean_high": {**NULL_NUMBER, "description": "2 decimals"},
            "csat": {**NULL_NUMBER, "description": "%, 1 decimal"},
            "csat_low": {**NULL_NUMBER, "description": "%, 1 decimal"},
            "csat_high": {**NULL_NUMBER, "description": "%, 1 decimal"},
            "nps": {**NULL_NUMBER, "description": "points (−100 to 100), 1 decimal"},
            "nps_se": {**NULL_NUMBER, "description": "standard error of nps, points, 1 decimal"},
            "nps_low": {**NULL_NUMBER, "description": "95 % interval, points, 1 decimal"},
            "nps_high": {**NULL_NUMBER, "description": "95 % interval, points, 1 decimal"},
            "invitations": NULL_INTEGER,
            "response_rate": {**NULL_NUMBER, "description": "%, 1 decimal"},
            "tickets": NULL_INTEGER,
            "sla_compliance": {**NULL_NUMBER, "description": "%, 1 decimal"},
            "sla_compliance_low": {**NULL_NUMBER, "description": "%, 1 decimal"},
            "sla_compliance_high": {**NULL_NUMBER, "description": "%, 1 decimal"},
            "blank_reason": {
                "type": ["string", "null"],
                "enum": [
                    "suppressed",
                    "no_questions",
                    "no_responses",
                    "no_tickets",
                    "no_invitations",
                    None,
                ],
            },
        },
    },
    "SlaFigure": {
        "type": "object",
        "description": (
            "SLA compliance of one ticket kind in one month (by month received, in the "
            "contract's time zone), computed from the stored tickets as on the dashboard: n "
            "tickets decided (met, late, or open past the deadline), pending ones still inside "
            "it; compliance = met / n in % with a 95 % Wilson interval (null when n is 0). "
            "Compliance, its interval and the hours carry one decimal, as the pages print them."
        ),
        "required": [
            "month",
            "kind",
            "clause_ref",
            "hours_allowed",
            "n",
            "met",
            "breaches",
            "pending",
            "compliance",
            "compliance_low",
            "compliance_high",
            "median_hours",
            "p90_hours",
        ],  # fmt: skip
        "properties": {
            "month": MONTH_SCHEMA,
            "kind": {"type": "string", "enum": KINDS},
            "clause_ref": {"type": "string", "enum": ["一(1)", "一(2)"]},
            "hours_allowed": {"type": "integer"},
            "n": {"type": "integer", "minimum": 0},
            "met": {"type": "integer", "minimum": 0},
            "breaches": {"type": "integer", "minimum": 0},
            "pending": {"type": "integer", "minimum": 0},
            "compliance": NULL_NUMBER,
            "compliance_low": NULL_NUMBER,
            "compliance_high": NULL_NUMBER,
            "median_hours": NULL_NUMBER,
            "p90_hours": NULL_NUMBER,
        },
    },
    "ActionItem": {
        "type": "object",
        "required": ["id", "contract_id", "month", "rule", "clause_ref", "title", "status"],
        "properties": {
            "id": ID,
            "contract_id": ID,
            "month": MONTH_SCHEMA,
            "rule": {"type": "string", "enum": RULES},
            "clause_ref": {"type": "string"},
            "dimension": {"type": ["string", "null"], "enum": [*DIMENSION_CODES, None]},
            "title": {"type": "string"},
            "evidence": {
                "type": "object",
                "description": "the figures behind the proposal (depends on the rule)",
            },
            "remedy": {"type": "string"},
            "priority": {"type": "string", "enum": [p.value for p in Priority]},
            "status": {"type": "string", "enum": [s.value for s in ActionStatus]},
            "due_date": {"type": ["string", "null"], "format": "date"},
            "closed_at": NULL_TIME,
            "effect": {"type": ["string", "null"], "enum": [*(e.value for e in Effect), None]},
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
        "required": ["id", "customer_ref", "month", "submitted_at", "answers"],
        "properties": {
            "id": ID,
            "customer_ref": NULL_STRING,
            "month": MONTH_SCHEMA,
            "submitted_at": TIME,
            "locale": {"type": "string", "enum": ["zh_CN", "en"]},
            "seconds_taken": NULL_INTEGER,
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
        "required": [
            "id",
            "contract_id",
            "contract_number",
            "external_id",
            "kind",
            "channel",
            "received_at",
            "first_reply_at",
            "resolved_at",
            "customer_ref",
            "agent",
            "team",
            "updated_at",
        ],  # fmt: skip
        "properties": {
            "id": ID,
            "contract_id": ID,
            **_ticket_fields(output=True),
            "updated_at": {**TIME, "description": f"last change; {TIME_FORM}"},
        },
    },
    "TicketInput": {
        "type": "object",
        "description": (
            "One ticket, identified by contract_number and external_id. A new ticket needs "
            "kind and received_at. Sending a known ticket again changes only the fields sent: "
            "a field left out keeps its stored value, an explicit null clears it (channel, "
            "first_reply_at, resolved_at). Times are RFC 3339 with an offset, not before 2000, "
            "not in the future; first reply and resolution not before receipt."
        ),
        "required": ["contract_number", "external_id"],
        "additionalProperties": False,
        "properties": _ticket_fields(output=False),
    },
    "TicketBatch": {
        "type": "object",
        "description": (
            f"Up to {BATCH_MAX} tickets. An item that does not match TicketInput refuses the "
            "whole batch (422); items that match but break a rule (another provider's "
            "contract, a reply before receipt ...) are reported in `results` by their index."
        ),
        "required": ["tickets"],
        "additionalProperties": False,
        "properties": {
            "tickets": {
                "type": "array",
                "minItems": 1,
                "maxItems": BATCH_MAX,
                "items": ref("TicketInput"),
            },
        },
    },
    "TicketPushed": {
        "type": "object",
        "required": ["status", "data"],
        "properties": {
            "status": {"type": "string", "enum": ["created", "updated", "unchanged"]},
            "data": ref("Ticket"),
            "warnings": {
                "type": "array",
                "items": ref("FieldError"),
                "description": "kept with a remark: a customer_ref not in the customer list",
            },
        },
    },
    "TicketResult": {
        "type": "object",
        "required": ["index", "status", "external_id", "contract_number", "ticket_id", "errors"],
        "properties": {
            "index": {"type": "integer", "minimum": 0},
            "status": {
                "type": "string",
                "enum": UPSERT_STATUSES,
                "description": "`valid`: a good item not stored because the batch was atomic",
            },
            "external_id": NULL_STRING,
            "contract_number": NULL_STRING,
            "ticket_id": NULL_INTEGER,
            "errors": {"type": "array", "items": ref("FieldError")},
            "warnings": {
                "type": "array",
                "items": ref("FieldError"),
                "description": "kept with a remark: a customer_ref not in the customer list",
            },
        },
    },
    "BatchSummary": {
        "type": "object",
        "required": ["created", "updated", "unchanged", "failed", "stored"],
        "properties": {
            "created": {"type": "integer", "minimum": 0},
            "updated": {"type": "integer", "minimum": 0},
            "unchanged": {"type": "integer", "minimum": 0},
            "failed": {"type": "integer", "minimum": 0},
            "stored": {"type": "boolean"},
        },
    },
    "TicketBatchResult": {
        "type": "object",
        "required": ["results", "summary"],
        "properties": {
            "results": {"type": "array", "items": ref("TicketResult")},
            "summary": ref("BatchSummary"),
        },
    },
    "SlaSatisfaction": {
        "type": "object",
        "description": "issue #23: satisfaction by what happened to the customer's tickets",
        "required": ["month", "attribution", "window", "groups", "gap", "teams", "coverage"],
        "properties": {
            "month": MONTH_SCHEMA,
            "attribution": {"type": "string", "enum": ["last_agent", "all_agents"]},
            "window": {
                "type": "object",
                "required": ["start", "end"],
                "properties": {"start": TIME, "end": TIME},
            },
            "groups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["group", "n"],
                    "properties": {
                        "group": {"type": "string", "enum": ["met", "breach", "none"]},
                        "n": {**NULL_INTEGER, "description": "null: under 5, not shown"},
                        **{
                            k: NULL_NUMBER for k in ("csat", "csat_low", "csat_high", "mean", "nps")
                        },
                    },
                },
            },
            "gap": {
                "type": "object",
                "required": ["too_small", "n_met", "n_breach", "csat_points", "p_value"],
                "properties": {
                    "too_small": {"type": "boolean"},
                    "n_met": {"type": "integer", "minimum": 0},
                    "n_breach": {"type": "integer", "minimum": 0},
                    **{k: NULL_NUMBER for k in ("csat_points", "csat_low", "csat_high", "p_value")},
                },
            },
            "teams": {"type": "array", "items": ref("SlaStaffRow")},
            "agents": {
                "type": "array",
                "items": ref("SlaStaffRow"),
                "description": "the provider's tokens only",
            },
            "coverage": {
                "type": "object",
                "required": ["served", "invited", "answered"],
                "properties": {
                    k: {"type": "integer", "minimum": 0} for k in ("served", "invited", "answered")
                },
            },
        },
    },
    "SlaStaffRow": {
        "type": "object",
        "required": ["rank", "name", "n", "weight", "csat", "tickets", "compliance"],
        "properties": {
            "rank": {"type": "integer", "minimum": 1},
            "name": {"type": "string"},
            "team": NULL_STRING,
            "n": {"type": "integer", "minimum": 0},
            "weight": {"type": "number", "minimum": 0},
            "tickets": {"type": "integer", "minimum": 0},
            **{
                k: NULL_NUMBER
                for k in (
                    "csat",
                    "csat_low",
                    "csat_high",
                    "compliance",
                    "professional_knowledge",
                    "problem_solving",
                    "courtesy",
                )
            },
        },
    },
    "CustomerInput": {
        "type": "object",
        "description": (
            "One of the client's customers, by its reference (the CSV import's columns and "
            "checks). The whole record is given: name, email and mobile left out or null are "
            "cleared; language defaults to zh_CN, active to true. Contact data is encrypted "
            "as stored and never read back through the API."
        ),
        "required": ["ref"],
        "additionalProperties": False,
        "properties": {
            "ref": {"type": "string", "minLength": 1, "maxLength": 64},
            "name": {"type": ["string", "null"], "maxLength": 200},
            "email": {
                "type": ["string", "null"],
                "maxLength": 254,
                "description": "an e-mail address (checked as in the CSV import); '' or null: none",
            },
            "mobile": {"type": ["string", "null"], "maxLength": 20},
            "language": {"type": "string", "enum": ["zh_CN", "en"], "default": "zh_CN"},
            "active": {"type": "boolean", "default": True},
        },
    },
    "CustomerBatch": {
        "type": "object",
        "required": ["customers"],
        "additionalProperties": False,
        "properties": {
            "customers": {
                "type": "array",
                "minItems": 1,
                "maxItems": BATCH_MAX,
                "items": ref("CustomerInput"),
            }
        },
    },
    "CustomerResult": {
        "type": "object",
        "required": ["index", "ref", "status"],
        "properties": {
            "index": {"type": "integer", "minimum": 0},
            "ref": {"type": "string"},
            "status": {"type": "string", "enum": ["created", "updated", "unchanged"]},
        },
    },
    "CustomerBatchResult": {
        "type": "object",
        "required": ["results", "summary"],
        "properties": {
            "results": {"type": "array", "items": ref("CustomerResult")},
            "summary": ref("BatchSummary"),
        },
    },
}

# every answer's fields are all documented: generated clients get exact types, no catch-all
for _schema in SCHEMAS.values():
    _schema.setdefault("additionalProperties", False)


def _query(name: str, schema: dict[str, Any], description: str, required: bool = False):
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
    }


PARAMETERS: dict[str, Any] = {
    "contract_id": {
        "name": "contract_id",
        "in": "path",
        "required": True,
        "description": "the contract's id",
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    },
    "ticket_id": {
        "name": "ticket_id",
        "in": "path",
        "required": True,
        "description": "the ticket's id",
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    },
    "limit": _query(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX, "default": 50},
        f"items per page, at most {LIMIT_MAX}",
    ),
    "cursor": _query(
        "cursor",
        {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,200}$"},
        "where the page starts: taken from the previous page's `next`; leave out for the first",
    ),
    "updated_since": _query(
        "updated_since",
        {"type": "string", "format": "date-time"},
        "only tickets changed at or after this time (RFC 3339 with an offset): for "
        "incremental sync, pass the largest updated_at of the last sync",
    ),
    "month": _query("month", MONTH_SCHEMA, "only this month, e.g. 2026-11"),
    "month_required": _query("month", MONTH_SCHEMA, "the survey month, e.g. 2026-11", True),
    "item_status": _query(
        "status",
        {"type": "string", "enum": [s.value for s in ActionStatus]},
        "only items with this status",
    ),
    "atomic": _query(
        "atomic",
        {"type": "boolean", "default": False},
        "all or nothing: with any bad item, store none and answer 422",
    ),
}

HEADERS: dict[str, Any] = {
    "X-Request-Id": {
        "description": "this request's id, also in error bodies and the server log",
        "required": True,
        "schema": {"type": "string"},
    },
    "RateLimit-Limit": {
        "description": "requests allowed in the window of the budget this request counted "
        "against: the token's, or for no or a refused token the address's refused tokens",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    },
    "RateLimit-Remaining": {
        "description": "requests left in the current window",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    },
    "RateLimit-Reset": {
        "description": "seconds until the window starts again",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    },
    "RateLimit-Policy": {
        "description": "the budget as `limit;w=window seconds`, e.g. 3000;w=60",
        "required": True,
        "schema": {"type": "string"},
    },
}
EVERY_ANSWER = {name: {"$ref": f"#/components/headers/{name}"} for name in HEADERS}
RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds to wait before sending the request again",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}
PROBLEM_CONTENT = {"application/problem+json": {"schema": ref("Problem")}}


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {**EVERY_ANSWER, **(headers or {})},
        "content": PROBLEM_CONTENT,
    }


def _ok(description: str, schema: dict[str, Any], link: bool = False) -> dict[str, Any]:
    headers = dict(EVERY_ANSWER)
    if link:
        headers["Link"] = {
            "description": 'the next page, `<url>; rel="next"`; absent on the last page',
            "schema": {"type": "string"},
        }
    return {
        "description": description,
        "headers": headers,
        "content": {"application/json": {"schema": schema}},
    }


ERRORS = {
    "400": _error("a query parameter is unknown or malformed, or the body is not JSON"),
    "401": _error("no token, or an unknown or revoked one"),
    "403": _error("this token's organization may not do this"),
    "404": _error("no such record for this token's organization"),
    "413": _error("the body is larger than 1 MiB"),
    "415": _error("the body is not application/json"),
    "422": _error("the data breaks the rules; errors say which field of which item"),
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
    description: str,
    responses: dict[int, tuple[str, dict[str, Any]]],
    params: tuple[str, ...] = (),
    body: dict[str, Any] | None = None,
    errors: tuple[str, ...] = ("400", "401", "404"),
    tag: str,
    auth: bool = True,
) -> Callable[[F], F]:
    """Describe an API view for the document, and mark it public for the session check."""

    def decorate(view: F) -> F:
        paged = "cursor" in params
        spec: dict[str, Any] = {
            "operationId": view.__name__,
            "summary": summary,
            "description": description,
            "tags": [tag],
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in params],
            "responses": {
                **{
                    str(code): _ok(text, schema, link=paged and code == 200)
                    for code, (text, schema) in responses.items()
                },
                **{code: ERRORS[code] for code in (*errors, *ALWAYS, "default")},
            },
        }
        if body is not None:
            spec["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": body}},
            }
        if not auth:
            spec["security"] = []
        view.openapi = spec  # type: ignore[attr-defined]
        view.query_names = frozenset(  # type: ignore[attr-defined]
            PARAMETERS[p]["name"] for p in params if PARAMETERS[p]["in"] == "query"
        )
        return public(view)

    return decorate


def _path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.removeprefix(bp.url_prefix or ""))


TAGS = [
    {"name": "contracts", "description": "the token's contracts and their survey months"},
    {"name": "customers", "description": "the client's customer list, synced by reference"},
    {"name": "tickets", "description": "inquiries and complaints: the SLA evidence"},
    {"name": "sla", "description": "SLA compliance computed from the stored tickets"},
    {"name": "metrics", "description": "survey scores per month and dimension"},
    {"name": "action items", "description": "improvement items tied to contract clauses"},
    {"name": "responses", "description": "survey responses, customers by reference only"},
    {"name": "meta", "description": "this document"},
]
DESCRIPTION = f"""\
Tickets and customers in; contracts, survey months, SLA figures, metrics, action items and
responses out. No customer contact data ever comes out.

**Authentication.** `Authorization: Bearer <token>`. A token belongs to one organization and
sees only its contracts (another organization's contract is a 404).

**Limits.** Every request counts against its token: 3000 per minute by default
(`RATELIMIT_API_PER_TOKEN`). Requests with no token or a refused one count against their
address: 60 per minute (`RATELIMIT_API_FAILURES_PER_ADDRESS`); past it they get 429 but a valid
token from the same address is never held back. Every answer carries `RateLimit-Limit`,
`RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy` for the budget it counted
against; a 429 also `Retry-After`.

**Paging.** Lists answer `{{data, next}}` ordered by a stable key (the id, or the month for
survey months and metrics); `next` (also a `Link: <...>; rel="next"` header) is the URL of the
next page, null on the last. `limit` sets the page size (1-{LIMIT_MAX}, default 50). Rows
added or changed while you page never repeat or go missing. Tickets take `updated_since` for
incremental sync. A query parameter an operation does not list is refused with 400.

**Times.** Answers give every time as {TIME_FORM}. Times sent need an offset (`Z` or
`+08:00`).

**Errors.** Every error is an RFC 9457 `application/problem+json` document (`Problem`) with
`type`, `title`, `status`, `detail`, `request_id` (also the `X-Request-Id` header of every
answer; quote it to support) and `errors`, the field-level problems in one shape
(`FieldError`: field, problem, location, index).
"""


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
            "description": DESCRIPTION,
            "contact": {"name": "The provider's platform administrator"},
        },
        "servers": [{"url": bp.url_prefix, "description": "this server"}],
        "security": [{"bearerAuth": []}],
        "tags": TAGS,
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "parameters": PARAMETERS,
            "headers": HEADERS,
        },
    }


@bp.get("/openapi.json")
@operation(
    "This document",
    description="The OpenAPI 3.1 document of this API; needs no token.",
    responses={200: ("the OpenAPI 3.1 document", {"type": "object"})},
    errors=(),
    auth=False,
    tag="meta",
)
def openapi_document():
    return jsonify(build_document(current_app))
