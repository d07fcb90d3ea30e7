"""What a missed deadline costs: each response joined to the same customer's tickets.

The join (issue #23)
    A response of survey month ``M`` is linked to the tickets of the same customer (by the
    client's customer number) **received in month M or the month before**, in the contract's
    time zone (:func:`ticket_window`). A customer whose linked tickets all met their deadline
    is in group ``met``; one with at least one breached ticket in ``breach``; one without
    linked tickets in ``none``. Deadlines are those of :mod:`analysis.sla` (inquiry first
    reply within the inquiry hours, complaint solved within the complaint hours, open past the
    deadline is a breach, open inside it is pending and breaks nothing).

Attribution (a contract setting)
    ``last_agent``: the response counts for the agent who handled the customer's latest linked
    ticket (latest by receipt), and for that ticket's team. ``all_agents``: it counts for every
    agent who handled a linked ticket, each with weight ``1 / k`` for ``k`` agents, and for the
    team each agent was in on that customer's latest ticket with the agent. Tickets keep the
    team they were handled by, so an agent who moves leaves the old tickets with the old team.

Figures
    CSAT (share of 4 and 5 on the overall rating, Wilson interval), mean overall rating (t
    interval) and NPS (normal interval) per group; ``met`` minus ``breach`` with a 95 %
    interval (Newcombe's hybrid score interval for the CSAT difference, Welch for the mean,
    normal for NPS) and a two-sided p-value (pooled two-proportion z test, Welch t test,
    z test); the gap is *too small to say* unless both groups have n >= 30. Per team and per
    agent: responses attributed (a weighted count under ``all_agents``), CSAT with a Wilson
    interval on the weighted count, mean per dimension, SLA compliance of their linked
    tickets, ranked by CSAT. Groups under 5 responses are flagged ``suppressed``.

Frames in, frames out; nothing here imports the application.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from scipy import stats

from .frames import require_columns
from .proportions import Z_95, two_proportion_test, wilson_interval
from .sla import _ticket_flags

__all__ = [
    "ATTRIBUTIONS",
    "DIMENSIONS",
    "GROUPS",
    "LINK_TICKET_COLUMNS",
    "MIN_GROUP",
    "MIN_TEST_N",
    "RESPONSE_COLUMNS",
    "Coverage",
    "Gap",
    "SlaSatisfaction",
    "attribute",
    "client_teams",
    "coverage",
    "link_responses",
    "sla_satisfaction",
    "ticket_outcomes",
    "ticket_window",
]

ATTRIBUTIONS = ("last_agent", "all_agents")
GROUPS = ("met", "breach", "none")
DIMENSIONS = ("professional_knowledge", "problem_solving", "courtesy")
"""The dimensions shown per team and agent: 二(2) knowledge, 二(3) problem solving, conduct."""
MIN_GROUP = 5
MIN_TEST_N = 30
RESPONSE_COLUMNS = ("response_id", "customer_ref", "overall", "nps", *DIMENSIONS)
LINK_TICKET_COLUMNS = (
    "external_id", "kind", "received_at", "first_reply_at", "resolved_at", "customer_ref",
    "agent", "team",
)  # fmt: skip


def ticket_window(month: str, timezone: str) -> tuple[datetime, datetime]:
    """``[start, end)`` in UTC of the tickets linked to month ``month``'s responses: from the
    first day of the month before to the first day of the month after, in ``timezone``.

    >>> ticket_window("2026-11", "Asia/Shanghai")[0].isoformat()
    '2026-09-30T16:00:00+00:00'
    """
    period = pd.Period(month, freq="M")
    zone = ZoneInfo(timezone)
    start = (period - 1).start_time.to_pydatetime().replace(tzinfo=zone)
    end = (period + 1).start_time.to_pydatetime().replace(tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def ticket_outcomes(
    tickets: pd.DataFrame, inquiry_hours: float, complaint_hours: float, now: datetime
) -> pd.DataFrame:
    """``tickets`` (:data:`LINK_TICKET_COLUMNS`) with ``met``, ``breach`` and ``pending``."""
    require_columns(tickets, LINK_TICKET_COLUMNS, "tickets")
    hours = np.where(tickets["kind"] == "inquiry", inquiry_hours, complaint_hours)
    return _ticket_flags(tickets.copy(), hours.astype(float), now)


def link_responses(responses: pd.DataFrame, tickets: pd.DataFrame) -> pd.DataFrame:
    """Each response with its customer's group and linked tickets.

    ``tickets`` are the window's tickets with outcomes (:func:`ticket_outcomes`). Returns the
    responses with ``group`` (``met``, ``breach`` or ``none``), ``tickets`` (linked count),
    ``breaches`` and ``ticket_ids`` (the linked external ids, by receipt, ``;``-joined).
    """
    require_columns(responses, RESPONSE_COLUMNS, "responses")
    # only the responders' tickets are joined (a month has many more tickets than responses)
    wanted = tickets["customer_ref"].isin(responses["customer_ref"].dropna())
    linked = tickets.loc[wanted, ["customer_ref", "external_id", "received_at", "breach"]]
    linked = linked.sort_values(["received_at", "external_id"])
    grouped = linked.groupby("customer_ref", sort=False)
    ids: dict[str, list[str]] = {}
    for ref, external_id in zip(linked["customer_ref"], linked["external_id"], strict=True):
        ids.setdefault(ref, []).append(str(external_id))  # a loop beats a per-group agg here
    per_customer = pd.DataFrame({"tickets": grouped.size(), "breaches": grouped["breach"].sum()})
    per_customer["ticket_ids"] = [";".join(ids[ref]) for ref in per_customer.index]
    out = responses.merge(per_customer, how="left", left_on="customer_ref", right_index=True)
    out["tickets"] = out["tickets"].fillna(0).astype(int)
    out["breaches"] = out["breaches"].fillna(0).astype(int)
    out["ticket_ids"] = out["ticket_ids"].fillna("")
    out["group"] = np.where(
        out["tickets"] == 0, "none", np.where(out["breaches"] > 0, "breach", "met")
    )
    return out


def attribute(responses: pd.DataFrame, tickets: pd.DataFrame, rule: str) -> pd.DataFrame:
    """One row per response x agent it is attributed to: ``response_id, agent, team, weight``.

    See the module doc for the two rules. Tickets without an agent attribute nothing; a
    response whose customer has no linked ticket with an agent is left out.
    """
    if rule not in ATTRIBUTIONS:
        raise ValueError(f"attribution must be one of {ATTRIBUTIONS}, not {rule!r}")
    handled = tickets.loc[tickets["customer_ref"].notna() & tickets["agent"].notna()]
    handled = handled.sort_values(["received_at", "external_id"])
    if rule == "last_agent":
        per_customer = handled.groupby("customer_ref").tail(1)
    else:
        per_customer = handled.groupby(["customer_ref", "agent"]).tail(1)
    per_customer = per_customer[["customer_ref", "agent", "team"]]
    out = responses[["response_id", "customer_ref"]].merge(per_customer, on="customer_ref")
    out["weight"] = 1.0 / out.groupby("response_id")["agent"].transform("size")
    return out[["response_id", "agent", "team", "weight"]].reset_index(drop=True)


@dataclass(frozen=True)
class Gap:
    """``met`` minus ``breach``: CSAT points, mean points and NPS points, each with a 95 %
    interval and a two-sided p-value; ``too_small`` when either group has n < 30."""

    n_met: int
    n_breach: int
    csat: float
    csat_low: float
    csat_high: float
    csat_p: float
    mean: float
    mean_low: float
    mean_high: float
    mean_p: float
    nps: float
    nps_low: float
    nps_high: float
    nps_p: float

    @property
    def too_small(self) -> bool:
        return min(self.n_met, self.n_breach) < MIN_TEST_N

    @property
    def significant(self) -> bool:
        return not self.too_small and self.csat_p < 0.05


@dataclass(frozen=True)
class Coverage:
    """Customers with tickets received in the month, of them invited, of them answered."""

    served: int
    invited: int
    answered: int

    @property
    def share(self) -> float:
        """Answered as a percentage of the customers served (NaN when nobody was served)."""
        return 100 * self.answered / self.served if self.served else math.nan


@dataclass(frozen=True)
class SlaSatisfaction:
    """A contract-month's join. ``groups``: one row per group (``met``, ``breach``, ``none``)
    with ``n, csat, csat_low, csat_high, mean, mean_low, mean_high, nps, nps_low, nps_high``.
    ``teams`` and ``agents``: one row each with ``name, n, weight, csat, csat_low, csat_high``,
    the :data:`DIMENSIONS` means, ``tickets, compliance, rank, suppressed`` (agents also
    ``team``). ``links``: one row per response with its group and linked ticket ids;
    ``attributions``: :func:`attribute`'s rows."""

    month: str
    attribution: str
    window: tuple[datetime, datetime]
    groups: pd.DataFrame
    gap: Gap
    teams: pd.DataFrame
    agents: pd.DataFrame
    coverage: Coverage
    links: pd.DataFrame
    attributions: pd.DataFrame


def _proportion(x: np.ndarray, n: np.ndarray) -> dict[str, np.ndarray]:
    low, high = wilson_interval(x, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, 100 * x / n, np.nan)
    return {"csat": share, "csat_low": 100 * low, "csat_high": 100 * high}


def _group_row(frame: pd.DataFrame) -> dict[str, float]:
    rated = frame["overall"].dropna()
    n = len(rated)
    satisfied = float((rated >= 4).sum())
    row: dict[str, float] = {"n": n, **{k: float(v) for k, v in _proportion(
        np.array(satisfied), np.array(float(n))).items()}}  # fmt: skip
    mean = rated.mean() if n else math.nan
    half = stats.t.ppf(0.975, n - 1) * rated.std(ddof=1) / math.sqrt(n) if n >= 2 else math.nan
    row |= {"mean": mean, "mean_low": mean - half, "mean_high": mean + half}
    scores = frame["nps"].dropna()
    m = len(scores)
    if m:
        plus, minus = (scores >= 9).mean(), (scores <= 6).mean()
        score = plus - minus
        se = math.sqrt(max(plus + minus - score**2, 0.0) / m)
    else:
        score = se = math.nan
    row |= {"nps_n": m, "nps": 100 * score, "nps_se": 100 * se}
    row |= {"nps_low": 100 * (score - Z_95 * se), "nps_high": 100 * (score + Z_95 * se)}
    return row


def newcombe_difference(x1: float, n1: float, x2: float, n2: float) -> tuple[float, float, float]:
    """``p1 - p2`` with Newcombe's hybrid score interval (his method 10), as fractions.

    Built from each proportion's Wilson interval ``(l, u)``:
    ``d - sqrt((p1 - l1)² + (u2 - p2)²)`` to ``d + sqrt((u1 - p1)² + (p2 - l2)²)``; the same
    as statsmodels' ``confint_proportions_2indep(..., method="newcomb")``.
    """
    if not (n1 > 0 and n2 > 0):
        return math.nan, math.nan, math.nan
    p1, p2 = x1 / n1, x2 / n2
    (l1, l2), (u1, u2) = wilson_interval([x1, x2], [n1, n2])
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


def _gap(linked: pd.DataFrame, groups: pd.DataFrame) -> Gap:
    met = linked.loc[linked["group"] == "met"]
    breach = linked.loc[linked["group"] == "breach"]
    a, b = met["overall"].dropna(), breach["overall"].dropna()
    xa, xb = float((a >= 4).sum()), float((b >= 4).sum())
    d, low, high = newcombe_difference(xa, len(a), xb, len(b))
    _z, p = two_proportion_test(xb, len(b), xa, len(a))
    if len(a) >= 2 and len(b) >= 2:
        welch = stats.ttest_ind(a, b, equal_var=False)
        ci = welch.confidence_interval(0.95)
        mean, mean_low, mean_high, mean_p = (
            a.mean() - b.mean(),
            ci.low,
            ci.high,
            float(welch.pvalue),
        )
    else:
        mean = mean_low = mean_high = mean_p = math.nan
    g = groups.set_index("group")
    nps = g.at["met", "nps"] - g.at["breach", "nps"]
    se = math.hypot(g.at["met", "nps_se"], g.at["breach", "nps_se"])
    nps_p = 2 * stats.norm.sf(abs(nps) / se) if se > 0 else math.nan
    return Gap(
        n_met=len(a), n_breach=len(b),
        csat=100 * d, csat_low=100 * low, csat_high=100 * high, csat_p=float(p),
        mean=float(mean), mean_low=float(mean_low), mean_high=float(mean_high), mean_p=mean_p,
        nps=float(nps), nps_low=float(nps - Z_95 * se), nps_high=float(nps + Z_95 * se),
        nps_p=float(nps_p),
    )  # fmt: skip


def _staff_table(
    attributed: pd.DataFrame, linked: pd.DataFrame, tickets: pd.DataFrame, by: str
) -> pd.DataFrame:
    """Weighted figures per ``by`` (``agent`` or ``team``), ranked by CSAT then responses."""
    columns = ["name", "n", "weight", "csat", "csat_low", "csat_high", *DIMENSIONS,
               "tickets", "compliance", "rank", "suppressed"]  # fmt: skip
    if by == "agent":
        columns.insert(1, "team")
    rows = attributed.dropna(subset=[by]).merge(linked, on="response_id")
    if rows.empty:
        return pd.DataFrame([], columns=columns)
    rows = rows.assign(
        w_rated=rows["weight"].where(rows["overall"].notna(), 0.0),
        w_sat=rows["weight"].where(rows["overall"] >= 4, 0.0),
    )
    for dim in DIMENSIONS:
        rows[f"w_{dim}"] = rows["weight"].where(rows[dim].notna(), 0.0)
        rows[f"s_{dim}"] = rows[dim].fillna(0.0) * rows[f"w_{dim}"]
    summed = ["weight", "w_rated", "w_sat", *(f"{p}_{d}" for p in "ws" for d in DIMENSIONS)]
    grouped = rows.groupby(by)
    sums = grouped[summed].sum()
    sums["n"] = grouped["response_id"].nunique()
    table = pd.DataFrame({"name": sums.index, "n": sums["n"].to_numpy(),
                          "weight": sums["weight"].to_numpy()})  # fmt: skip
    for key, values in _proportion(sums["w_sat"].to_numpy(), sums["w_rated"].to_numpy()).items():
        table[key] = values
    with np.errstate(divide="ignore", invalid="ignore"):
        for dim in DIMENSIONS:
            w = sums[f"w_{dim}"].to_numpy()
            table[dim] = np.where(w > 0, sums[f"s_{dim}"].to_numpy() / w, np.nan)
    own = tickets.dropna(subset=[by]).groupby(by)[["met", "breach"]].sum()
    decided = (own["met"] + own["breach"]).reindex(table["name"]).fillna(0).to_numpy()
    met = own["met"].reindex(table["name"]).fillna(0).to_numpy()
    table["tickets"] = decided.astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["compliance"] = np.where(decided > 0, 100 * met / decided, np.nan)
    if by == "agent":
        current = (
            tickets.dropna(subset=["agent"]).sort_values("received_at").groupby("agent")["team"]
            .last()
        )  # fmt: skip
        table.insert(1, "team", table["name"].map(current))
    table = table.sort_values(["csat", "n", "name"], ascending=[False, False, True],
                              na_position="last").reset_index(drop=True)  # fmt: skip
    table["rank"] = np.arange(1, len(table) + 1)
    table["suppressed"] = table["n"] < MIN_GROUP
    return table[columns]


def coverage(served_refs: pd.Series, invitations: pd.DataFrame) -> Coverage:
    """``served_refs``: customer numbers with a ticket received in the month;
    ``invitations``: the month's ``customer_ref, answered`` (one row per invitation)."""
    served = set(served_refs.dropna())
    invited = invitations.loc[invitations["customer_ref"].isin(served)]
    return Coverage(
        served=len(served),
        invited=int(invited["customer_ref"].nunique()),
        answered=int(invited.loc[invited["answered"].astype(bool), "customer_ref"].nunique()),
    )


def sla_satisfaction(
    responses: pd.DataFrame,
    tickets: pd.DataFrame,
    invitations: pd.DataFrame,
    *,
    month: str,
    timezone: str = "Asia/Shanghai",
    inquiry_hours: float = 24,
    complaint_hours: float = 48,
    attribution: str = "last_agent",
    now: datetime,
) -> SlaSatisfaction:
    """The month's join and figures (module doc).

    ``responses``: :data:`RESPONSE_COLUMNS`, one row per response of the month (``overall``
    the 1-5 overall rating, ``nps`` 0-10, the dimensions' 1-5 ratings; NaN where unanswered).
    ``tickets``: :data:`LINK_TICKET_COLUMNS` (UTC timestamps); those outside
    :func:`ticket_window` are ignored. ``invitations``: ``customer_ref, answered``.
    """
    start, end = ticket_window(month, timezone)
    received = pd.to_datetime(tickets["received_at"], utc=True)
    window = tickets.loc[(received >= start) & (received < end)]
    flagged = ticket_outcomes(window, inquiry_hours, complaint_hours, now)
    linked = link_responses(responses, flagged)
    groups = pd.DataFrame(
        [{"group": g, **_group_row(linked.loc[linked["group"] == g])} for g in GROUPS]
    )
    attributed = attribute(responses, flagged, attribution)
    this_month_start = ticket_window(str(pd.Period(month, freq="M") + 1), timezone)[0]
    served = flagged.loc[pd.to_datetime(flagged["received_at"], utc=True) >= this_month_start,
                         "customer_ref"]  # fmt: skip
    return SlaSatisfaction(
        month=month,
        attribution=attribution,
        window=(start, end),
        groups=groups,
        gap=_gap(linked, groups),
        teams=_staff_table(attributed, linked, flagged, "team"),
        agents=_staff_table(attributed, linked, flagged, "agent"),
        coverage=coverage(served, invitations),
        links=linked[
            ["response_id", "customer_ref", "group", "tickets", "breaches", "ticket_ids"]
        ],  # fmt: skip
        attributions=attributed,
    )


def client_teams(result: SlaSatisfaction) -> pd.DataFrame:
    """What a client may see of the staff: teams of 5 responses or more, no agent at all."""
    teams = result.teams.loc[~result.teams["suppressed"]]
    return teams.drop(columns=["suppressed"]).reset_index(drop=True)
