"""Small presentation helpers for dashboard templates."""

from __future__ import annotations

from collections.abc import Sequence

SPARK_WIDTH, SPARK_HEIGHT = 96, 24


def sparkline_points(values: Sequence[float | None], low: float = 0.0, high: float = 100.0) -> str:
    """SVG polyline points of a series on a fixed scale; gaps (None) are skipped."""
    if not values:
        return ""
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    points = []
    for i, value in enumerate(values):
        if value is None:
            continue
        y = SPARK_HEIGHT - (min(max(value, low), high) - low) / (high - low) * SPARK_HEIGHT
        points.append(f"{i * step:.1f},{y:.1f}")
    return " ".join(points)


def number(value: float | None, digits: int = 1) -> str:
    """A figure for display; a dash when there is none (no data, or suppressed)."""
    if value is None or value != value:
        return "—"
    return f"{value:.{digits}f}"


def signed(value: float | None, digits: int = 1) -> str:
    if value is None or value != value:
        return "—"
    return f"{value:+.{digits}f}"


def register_filters(app) -> None:
    from ..presenting.reading import change_text, figure_text, local_time_text

    app.add_template_filter(number, "num")
    app.add_template_filter(signed, "signed")
    # a figure at its one precision (surveyapp.presenting.reading.PRECISION), and its change
    app.add_template_filter(figure_text, "fig")
    app.add_template_filter(change_text, "change")
    app.add_template_filter(local_time_text, "contract_time")  # in the contract's time zone
