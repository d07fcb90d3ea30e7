"""The SLA x satisfaction panels' template globals, bound without loading them: the panels need
pandas and SciPy, and the command line must start without them (tests/cli/test_startup.py)."""

from __future__ import annotations

from typing import Any

from flask import Flask


def _panel(*args: Any, **kwargs: Any):
    from .sla_satisfaction import panel

    return panel(*args, **kwargs)


def _held_back(*args: Any, **kwargs: Any) -> int:
    from .sla_satisfaction import contact_cap_held_back

    return contact_cap_held_back(*args, **kwargs)


def init_app(app: Flask) -> None:
    """The panel partials call ``sla_satisfaction_panel(contract, month, audience)``; the
    month page and the PDF call ``contact_cap_held_back(contract_id, month)``."""
    app.add_template_global(_panel, "sla_satisfaction_panel")
    app.add_template_global(_held_back, "contact_cap_held_back")
