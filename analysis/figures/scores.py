"""Score figures: dimension scores against targets, NPS composition, response funnel."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from ..results import Funnel, NpsEstimate
from .theme import COLORS, TEMPLATE

__all__ = ["nps_composition_figure", "response_funnel_figure", "score_vs_target_figure"]


def score_vs_target_figure(
    scores: pd.DataFrame,
    labels: Mapping[str, str],
    title: str = "各维度得分与合同目标",
    template: go.layout.Template = TEMPLATE,
) -> go.Figure:
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
    below = frame["mean"] < frame["target_mean"]
    figure = go.Figure(
        [
            go.Bar(
                x=frame["mean"],
                y=names,
                orientation="h",
                name=labels.get("mean", "均分"),
                marker_color=[COLORS["bad"] if b else COLORS["primary"] for b in below],
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": frame["mean_high"] - frame["mean"],
                    "arrayminus": frame["mean"] - frame["mean_low"],
                    "color": COLORS["text"],
                },
                customdata=frame["n"],
                hovertemplate="%{y}: %{x:.2f} (n=%{customdata})<extra></extra>",
            ),
            go.Scatter(
                x=frame["target_mean"],
                y=names,
                mode="markers",
                name=labels.get("target", "目标"),
                marker={
                    "symbol": "line-ns-open",
                    "size": 22,
                    "color": COLORS["target"],
                    "line": {"width": 3},
                },
            ),
        ]
    )
    figure.update_layout(template=template, title=title, xaxis={"range": [1, 5], "dtick": 1})
    return figure


def nps_composition_figure(
    nps: NpsEstimate,
    labels: Mapping[str, str],
    title: str = "NPS 构成",
    template: go.layout.Template = TEMPLATE,
) -> go.Figure:
    """One stacked bar of detractors, passives and promoters (percent), NPS in the title."""
    parts = [
        ("detractors", "贬损者 (0–6)", nps.detractors, COLORS["bad"]),
        ("passives", "被动者 (7–8)", nps.passives, COLORS["neutral"]),
        ("promoters", "推荐者 (9–10)", nps.promoters, COLORS["good"]),
    ]
    figure = go.Figure(
        [
            go.Bar(
                x=[share],
                y=["NPS"],
                orientation="h",
                name=labels.get(key, default),
                marker_color=color,
                text=[f"{share:.0f}%"],
                textposition="inside",
            )
            for key, default, share, color in parts
        ]
    )
    heading = f"{title}：{nps.value:.0f}（95% 区间 {nps.low:.0f}–{nps.high:.0f}，n={nps.n}）"
    figure.update_layout(
        template=template, title=heading, barmode="stack", xaxis={"range": [0, 100]}
    )
    return figure


def response_funnel_figure(
    funnel: Funnel,
    labels: Mapping[str, str],
    title: str = "回复漏斗",
    template: go.layout.Template = TEMPLATE,
) -> go.Figure:
    """Invited -> opened -> answered, with the share of the invited at each step."""
    steps = [
        labels.get("invited", "已邀请"),
        labels.get("opened", "已打开"),
        labels.get("answered", "已回复"),
    ]
    figure = go.Figure(
        go.Funnel(
            y=steps,
            x=[funnel.invited, funnel.opened, funnel.answered],
            textinfo="value+percent initial",
            marker={"color": COLORS["primary"]},
        )
    )
    figure.update_layout(template=template, title=title)
    return figure
