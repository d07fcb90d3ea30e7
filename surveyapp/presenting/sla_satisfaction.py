"""What a missed deadline costs, as people read it: the dashboard panel, the portal's team view,
the PDF section, the API's figures and the per-response CSV (issue #23).

One function per reader's cut, all from :func:`month_join`: provider staff see the groups,
the teams and the agents; a client (portal, PDF, client token) sees the groups and the teams
of 5 responses or more and never an agent (clause 四 privacy rule of DESIGN.md section 5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from analysis.sla_load import SlaInputs, read_sla_inputs
from analysis.sla_satisfaction import (
    DIMENSIONS,
    MIN_GROUP,
    MIN_TEST_N,
    SlaSatisfaction,
    sla_satisfaction,
)

from ..dimensions import dimension_label
from ..extensions import db
from ..models import Contract, Cycle, Invitation, utcnow
from .reading import PRECISION

__all__ = [
    "AUDIENCES",
    "api_figures",
    "export_table",
    "month_join",
    "panel",
]

AUDIENCES = ("provider", "client")
GROUP_LABELS = {
    "met": _l("All tickets met the deadline"),
    "breach": _l("At least one ticket breached"),
    "none": _l("No tickets"),
}
ATTRIBUTION_LABELS = {
    "last_agent": _l("the agent who handled the customer's latest ticket"),
    "all_agents": _l("every agent who handled one of the customer's tickets, weighted equally"),
}


@dataclass(frozen=True)
class MonthJoin:
    inputs: SlaInputs
    result: SlaSatisfaction


def month_join(contract: Contract, month: str, now: datetime | None = None) -> MonthJoin:
    """Read the inputs with SQL aggregates and compute the month's join and figures. A closed
    month is read as it stood when it closed (a ticket pending then is not a breach later), so
    every page, the API and the archived PDF agree."""
    if now is None:
        now = db.session.scalar(
            select(Cycle.closed_at).where(Cycle.contract_id == contract.id, Cycle.month == month)
        )
    with db.engine.connect() as conn:
        inputs = read_sla_inputs(conn, contract.id, month)
    result = sla_satisfaction(
        inputs.responses,
        inputs.tickets,
        inputs.invitations,
        month=month,
        now=now or utcnow(),
        **inputs.as_kwargs(),
    )
    return MonthJoin(inputs, result)


def _num(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}"


def _interval(low: float, high: float) -> str:
    if math.isnan(low) or math.isnan(high):
        return "—"
    return f"{low:.1f}–{high:.1f}"


def _groups(result: SlaSatisfaction, client: bool) -> list[dict[str, Any]]:
    rows = []
    for record in result.groups.to_dict("records"):
        hidden = client and record["n"] < MIN_GROUP
        rows.append(
            {
                "key": record["group"],
                "label": str(GROUP_LABELS[record["group"]]),
                "n": int(record["n"]),
                "suppressed": hidden,
                "csat": "—" if hidden else _num(record["csat"]),
                "csat_interval": "—" if hidden else _interval(record["csat_low"],
                                                              record["csat_high"]),
                "mean": "—" if hidden else _num(record["mean"], 2),
                "nps": "—" if hidden else _num(record["nps"], PRECISION["nps"]),
            }
        )  # fmt: skip
    return rows


def _gap_text(result: SlaSatisfaction) -> str:
    gap = result.gap
    if gap.too_small:
        return _(
            "Too small to say: the difference is tested only with at least %(min)s responses "
            "in each group (met %(met)s, breached %(breach)s).",
            min=MIN_TEST_N,
            met=gap.n_met,
            breach=gap.n_breach,
        )
    words = dict(
        points=_num(gap.csat),
        low=_num(gap.csat_low),
        high=_num(gap.csat_high),
        p=f"{gap.csat_p:.3f}" if gap.csat_p >= 0.001 else "< 0.001",
    )
    if gap.significant:
        return _(
            "Customers whose tickets all met the deadline gave a CSAT %(points)s points higher "
            "than customers with a breached ticket (95 %% interval %(low)s to %(high)s, "
            "p = %(p)s): this is what the breaches cost.",
            **words,
        )
    return _(
        "The CSAT of customers with a breached ticket differs by %(points)s points from those "
        "whose tickets all met the deadline (95 %% interval %(low)s to %(high)s, p = %(p)s): "
        "not a significant difference.",
        **words,
    )


def _staff_rows(table, client: bool) -> list[dict[str, Any]]:
    rows = []
    shown = 0
    for record in table.sort_values("rank").to_dict("records"):
        if client and record["suppressed"]:
            continue
        shown += 1
        rows.append(
            {
                # a client ranks only the teams it sees: a gap would tell where a hidden one was
                "rank": shown if client else int(record["rank"]),
                "name": record["name"],
                "team": record.get("team"),
                "n": int(record["n"]),
                "responses": str(int(record["n"]))
                if record["weight"] == record["n"]
                else _num(record["weight"], 1),
                "suppressed": bool(record["suppressed"]),
                "csat": _num(record["csat"]),
                "csat_interval": _interval(record["csat_low"], record["csat_high"]),
                "dimensions": [_num(record[d], 2) for d in DIMENSIONS],
                "tickets": int(record["tickets"]),
                "compliance": _num(record["compliance"]),
            }
        )
    return rows


def _methods(contract: Contract, result: SlaSatisfaction) -> str:
    zone = ZoneInfo(contract.timezone)
    start, end = (moment.astimezone(zone).date() for moment in result.window)
    return _(
        "Each response is linked to the same customer's tickets (by customer number) received "
        "from %(start)s up to %(end)s (the survey month and the month before, %(zone)s). A "
        "response is attributed to %(rule)s. CSAT is the share of 4 and 5 on the overall "
        "rating with a Wilson interval; the difference uses Newcombe's interval and a "
        "two-proportion test, and is reported only with at least %(min)s responses in each "
        "group. Groups under %(small)s responses are not shown to the client.",
        start=format_date(start, "medium"),
        end=format_date(end, "medium"),
        zone=contract.timezone,
        rule=ATTRIBUTION_LABELS[result.attribution],
        min=MIN_TEST_N,
        small=MIN_GROUP,
    )


def panel(contract: Contract, month: str | None, audience: str) -> dict[str, Any] | None:
    """Everything the panel partials print, for ``provider`` or ``client`` eyes."""
    if audience not in AUDIENCES:
        raise ValueError(audience)
    if not month:
        return None
    result = month_join(contract, month).result
    client = audience == "client"
    cov = result.coverage
    return {
        "month": month,
        "client": client,
        "groups": _groups(result, client),
        "gap": _gap_text(result),
        "gap_figures": None if client and result.gap.too_small else result.gap,
        "dimensions": [dimension_label(d) for d in DIMENSIONS],
        "teams": _staff_rows(result.teams, client),
        "agents": [] if client else _staff_rows(result.agents, False),
        "hidden_teams": int(result.teams["suppressed"].sum()) if client else 0,
        "coverage": {
            "served": cov.served,
            "invited": cov.invited,
            "answered": cov.answered,
            "share": _num(cov.share),
        },
        "attribution": str(ATTRIBUTION_LABELS[result.attribution]),
        "methods": _methods(contract, result),
        "min_group": MIN_GROUP,
    }


def api_figures(contract: Contract, month: str, *, client: bool) -> dict[str, Any]:
    """JSON figures (numbers, not text): a client's token gets no agents and no group under 5."""
    result = month_join(contract, month).result

    def clean(value: Any) -> Any:
        if isinstance(value, float) and math.isnan(value):
            return None
        return value.item() if hasattr(value, "item") else value

    def records(frame, keep) -> list[dict[str, Any]]:
        return [{k: clean(v) for k, v in r.items() if k in keep} for r in frame.to_dict("records")]

    staff_keys = {"rank", "name", "team", "n", "weight", "csat", "csat_low", "csat_high",
                  "tickets", "compliance", *DIMENSIONS}  # fmt: skip
    groups = records(result.groups, {"group", "n", "csat", "csat_low", "csat_high", "mean",
                                     "nps"})  # fmt: skip
    if client:
        groups = [g if g["n"] >= MIN_GROUP else {"group": g["group"], "n": None} for g in groups]
    teams = result.teams
    if client:  # ranked again among the teams a client sees (a gap would place a hidden one)
        teams = teams.loc[~teams["suppressed"]].sort_values("rank")
        teams = teams.assign(rank=range(1, len(teams) + 1))
    gap = result.gap
    body = {
        "month": month,
        "attribution": result.attribution,
        "window": {"start": result.window[0].isoformat(), "end": result.window[1].isoformat()},
        "groups": groups,
        "gap": {
            "too_small": gap.too_small,
            "n_met": gap.n_met,
            "n_breach": gap.n_breach,
            "csat_points": None if gap.too_small else clean(gap.csat),
            "csat_low": None if gap.too_small else clean(gap.csat_low),
            "csat_high": None if gap.too_small else clean(gap.csat_high),
            "p_value": None if gap.too_small else clean(gap.csat_p),
        },
        "teams": records(teams, staff_keys - {"team"}),
        "coverage": {
            "served": result.coverage.served,
            "invited": result.coverage.invited,
            "answered": result.coverage.answered,
        },
    }
    if not client:
        body["agents"] = records(result.agents, staff_keys)
    return body


def export_table(contract: Contract, month: str) -> tuple[list[str], list[list[Any]]]:
    """One row per response with its group, linked tickets and attributed agents (provider
    staff only); the customer appears by number only, never by contact data."""
    joined = month_join(contract, month)
    links = joined.result.links
    header = [
        "contract", "month", "response_id", "customer_ref", "group", "tickets", "breaches",
        "ticket_ids", "agents", "teams", "overall", "nps", *DIMENSIONS,
    ]  # fmt: skip
    scores = joined.inputs.responses.set_index("response_id")
    attributed = joined.result.attributions.groupby("response_id").agg(
        agents=("agent", lambda v: ";".join(sorted(set(map(str, v))))),
        teams=("team", lambda v: ";".join(sorted({t for t in v if isinstance(t, str)}))),
    )
    rows = []
    for record in links.to_dict("records"):
        score = scores.loc[record["response_id"]]
        rows.append(
            [
                contract.number, month, int(record["response_id"]), record["customer_ref"] or "",
                record["group"], int(record["tickets"]), int(record["breaches"]),
                record["ticket_ids"],
                *(attributed.loc[record["response_id"]] if record["response_id"] in
                  attributed.index else ("", "")),
                *(_cell(score[c]) for c in ("overall", "nps", *DIMENSIONS)),
            ]
        )  # fmt: skip
    return header, rows


def _cell(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def contact_cap_held_back(contract_id: int, month: str) -> int:
    """Invitations of the contract-month held back by the provider's contact-frequency cap."""
    return db.session.scalar(
        select(func.count())
        .select_from(Invitation)
        .join(Cycle, Cycle.id == Invitation.cycle_id)
        .where(
            Cycle.contract_id == contract_id,
            Cycle.month == month,
            Invitation.held_back_at.is_not(None),
        )
    )
