"""The audit-log page names each action in the reader's language (the code stays in the
``title`` and as the filter's value), and every action the app records has such a label."""

from __future__ import annotations

import ast
from html.parser import HTMLParser
from pathlib import Path

import pytest

from surveyapp import audit
from surveyapp.labels import ACTION_LABELS

from ..factories import make_organization, make_user

SURVEYAPP = Path(__file__).resolve().parents[2] / "surveyapp"


class _AuditPage(HTMLParser):
    """The visible text of each column (by the cell's first class: ``audit-action``,
    ``audit-record``, ``audit-details``) and the (value, text) of the action filter."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.columns: dict[str, list[str]] = {}
        self.options: list[tuple[str, str]] = []
        self._in_body = self._in_select = False
        self._column: str | None = None
        self._text: list[str] = []
        self.feed(html)

    @property
    def actions(self) -> list[str]:
        return self.columns.get("audit-action", [])

    @property
    def records(self) -> list[str]:
        return self.columns.get("audit-record", [])

    @property
    def details(self) -> list[str]:
        return self.columns.get("audit-details", [])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tbody":
            self._in_body = True
        elif tag == "td" and self._in_body:
            self._column = (attrs.get("class") or "").split(" ")[0]
            self._text = []
        elif tag == "select" and attrs.get("name") == "action":
            self._in_select = True
        elif tag == "option" and self._in_select:
            self.options.append((attrs["value"], ""))

    def handle_endtag(self, tag):
        if tag == "td" and self._column is not None:
            self.columns.setdefault(self._column, []).append("".join(self._text).strip())
            self._column = None
        elif tag == "select":
            self._in_select = False
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._column is not None:
            self._text.append(data)
        elif self._in_select and self.options:
            value, text = self.options[-1]
            self.options[-1] = (value, text + data.strip())


@pytest.fixture
def admin(session):
    return make_user(session, "provider_admin", make_organization(session, "provider"))


def _page(sign_in, session, admin, *actions: str) -> _AuditPage:
    for action in actions:
        audit.record(session, action, actor=admin, organization_id=admin.organization_id)
    session.commit()
    return _AuditPage(sign_in(admin).get("/audit/?actor=" + admin.email).text)


def test_an_action_shows_its_chinese_label_not_its_code(sign_in, session, admin):
    page = _page(sign_in, session, admin, "history.imported", "cycle.closed")
    assert {"导入历史数据", "关闭调查月", "登录"} <= set(page.actions)
    assert not {"history.imported", "cycle.closed", "sign_in"} & set(page.actions)


def test_the_action_filter_shows_labels_and_keeps_codes_as_values(sign_in, session, admin):
    page = _page(sign_in, session, admin, "history.imported")
    assert ("history.imported", "导入历史数据") in page.options
    assert ("sign_in", "登录") in page.options


def test_an_english_reader_sees_the_english_label(sign_in, session, admin):
    admin.locale = "en"
    page = _page(sign_in, session, admin, "history.imported")
    assert "History imported" in page.actions
    assert ("history.imported", "History imported") in page.options


def test_an_action_without_a_label_shows_its_code(sign_in, session, admin):
    page = _page(sign_in, session, admin, "billing.invoice_sent")
    assert "billing.invoice_sent" in page.actions
    assert ("billing.invoice_sent", "billing.invoice_sent") in page.options


def _recorded_actions() -> dict[str, str]:
    """Each action code passed to ``audit.record`` in surveyapp, with where it is recorded.

    The action is a literal, or a local name assigned only literals in the same function;
    anything else cannot be checked here and is reported as ``?``.
    """
    found = {}
    for path in sorted(SURVEYAPP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for call in ast.walk(tree):
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "record"
                and isinstance(call.func.value, ast.Name)
                and call.func.value.id == "audit"
            ):
                continue
            where = f"{path.relative_to(SURVEYAPP.parent)}:{call.lineno}"
            action = next((k.value for k in call.keywords if k.arg == "action"), None)
            action = action or (call.args[1] if len(call.args) > 1 else None)
            if isinstance(action, ast.Constant) and isinstance(action.value, str):
                found[action.value] = where
            elif isinstance(action, ast.Name):
                scope = next(
                    (f for f in functions if f.lineno <= call.lineno <= f.end_lineno), tree
                )
                values = [
                    node.value.value
                    for node in ast.walk(scope)
                    if isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == action.id for t in node.targets)
                    and isinstance(node.value, ast.Constant)
                ]
                found.update(dict.fromkeys(values, where) or {"?": where})
            else:
                found["?"] = where
    return found


def test_every_recorded_action_has_a_label():
    recorded = _recorded_actions()
    assert len(recorded) > 30
    missing = {code: where for code, where in recorded.items() if code not in ACTION_LABELS}
    assert missing == {}, "add these to ACTION_LABELS in surveyapp/labels.py"
