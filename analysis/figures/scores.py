"""Score figures: dimension scores against targets, NPS composition, response funnel."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from ..results import Funnel, NpsEstimate
from .theme import COLORS, TEMPLATE, as_figure, label, spec, trace, values

__all__ = ["nps_composition_figure", "response_funnel_figure", "score_vs_target_figure"]


@as_figure
def score_vs_target_figure(
    scores: pd.DataFrame,
    labels: Mapping[str, str],
    title: str | None = None,
    template: go.layout.Template = TEMPLATE,
) -> dict:
    """Horizontal bars of each dimension's mean with its 95 % interval, and the target.

    ``scores`` has ``dimension, clause_ref, n, mean, mean_low, mean_high, target_mean``; the
    axis label is the dimension's label with its clause (``咨询响应 一(1)``). Bars below target
    are coloured as bad. Suppressed rows (NaN mean) show no bar.
    """
    frame = scores.sort_values("mean", na_position="first")
    names = [
        f"{labels.get(d, d)} {c}".strip()
        for d, c in zip(frame["dimension"], frame["clause_ref"].fillna(""), strict=True)
    ]
    below = (frame["mean"] < frame["target_mean"]).tolist()
    mean = values(frame["mean"])
    high, low = (
        values(frame["mean_high"] - frame["mean"]),
        values(frame["mean"] - frame["mean_low"]),
    )
    n = values(frame["n"])
    bars = []
    # one trace per colour, so the legend names what each colour means
    for is_below, color, name in (
        (False, COLORS["primary"], label(labels, "mean")),
        (True, COLORS["bad"], labels.get("mean_below")
         or f"{label(labels, 'mean')} < {label(labels, 'target')}"),
    ):  # fmt: skip
        keep = [b == is_below for b in below]
        if not any(keep) and is_below:
            continue

        def pick(column: list, keep: list[bool] = keep) -> list:
            return [v if k else None for v, k in zip(column, keep, strict=True)]

        bars.append(
            trace(
                "bar",
                x=pick(mean),
                y=names,
                orientation="h",
                name=name,
                marker={"color": color},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": pick(high),
                    "arrayminus": pick(low),
                    "color": COLORS["text"],
                },
                customdata=n,
                hovertemplate="%{y}: %{x:.2f} (n=%{customdata})<extra></extra>",
            )
        )
    return spec(
        [
            *bars,
            trace(
                "scatter",
                x=values(frame["target_mean"]),
                y=names,
                mode="markers",
                name=label(labels, "target"),
                marker={
                    "symbol": "line-ns-open",
                    "size": 22,
                    "color": COLORS["target"],
                    "line": {"width": 3},
                },
            ),
        ],
        template,
        title={"text": label(labels, "title.scores") if title is None else title},
        xaxis={"range": [1, 5], "dtick": 1},
        barmode="overlay",
    )


@as_figure
def nps_composition_figure(
    nps: NpsEstimate,
    labels: Mapping[str, str],
    title: str | None = None,
    template: go.layout.Template = TEMPLATE,
) -> dict:
    """One stacked bar of detractors, passives and promoters (percent); the NPS in the title
    (``labels["title.nps"]``) and its interval and n in the subtitle (``subtitle.nps``)."""
    parts = [
        ("detractors", nps.detractors, COLORS["bad"]),
        ("passives", nps.passives, COLORS["neutral"]),
        ("promoters", nps.promoters, COLORS["good"]),
    ]
    bars = [
        trace(
            "bar",
            x=[share],
            y=["NPS"],
            orientation="h",
            name=label(labels, key),
            marker={"color": color},
            text=[f"{share:.0f}%"],
            textposition="inside",
        )
        for key, share, color in parts
    ]
    heading = label(labels, "title.nps", nps=nps.value) if title is None else title
    subtitle = label(labels, "subtitle.nps", low=nps.low, high=nps.high, n=nps.n)
    return spec(
        bars,
        template,
        title={"text": heading, "subtitle": {"text": subtitle}},
        margin={"t": 80},
        barmode="stack",
        xaxis={"range": [0, 100]},
    )


@as_figure
def response_funnel_figure(
    funnel: Funnel,
    labels: Mapping[str, str],
    title: str | None = None,
    template: go.layout.Template = TEMPLATE,
) -> dict:
    """The e-mail funnel: e-mails sent -> opened -> answered, with the share of the sent at each
    step. Its own figure beside the response rate (answers / invitations whatever the
    channel), which links handed out by SMS, messaging or QR code also count in."""
    steps = [label(labels, key) for key in ("emailed", "opened", "answered")]
    funnel_trace = trace(
        "funnel",
        y=steps,
        x=[funnel.emailed, funnel.email_opened, funnel.email_answered],
        textinfo="value+percent initial",
        marker={"color": COLORS["primary"]},
    )
    return spec(
        [funnel_trace],
        template,
        title={"text": label(labels, "title.funnel") if title is None else title},
    )
