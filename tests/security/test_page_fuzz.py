"""Issue 19 item 8: no query string or form field of any page makes a 500.

The routes come from ``app.url_map`` (path ids are a real tenant's rows, built as in
tests/test_access.py); each route's query and form fields are the string literals of its view
function, plus the names every list page uses. Each is sent the numbers that used to fail
(``²``, full-width digits, beyond 64 bits, negative, zero) and, through hypothesis, any text.
A 400 or 404 with a message is fine; a 500 is not. The API has its own run (tests/api/fuzz.sh).
"""

from __future__ import annotations

import inspect
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyapp.models import Role

from ..factories import make_organization
from ..test_access import ACCESS, Tenant, _args, cheap_work  # noqa: F401

NASTY = ["²", "１２", "-1", "0", "99999999999999999999", "18446744073709551616", "1e3", "٣"]
COMMON = ("page", "contract", "owner", "owner_id", "status", "month", "per_page", "overdue")
SKIP = {"static", "auth.sign_out"}
_LITERAL = re.compile(r"""["']([a-z][a-z0-9_]{0,30})["']""")


def _fields(view) -> list[str]:
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        source = ""
    return sorted(set(_LITERAL.findall(source)) | set(COMMON))


@pytest.fixture
def setup(app, session):
    tenant = Tenant(session, app, make_organization(session, "provider"),
                    make_organization(session), "Z-1")  # fmt: skip
    return tenant


def _routes(app, role: Role):
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or rule.endpoint.startswith("api."):
            continue
        allowed = ACCESS.get(rule.endpoint)
        if allowed is not None and role not in allowed:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule, method, _fields(app.view_functions[rule.endpoint])))
    return routes


def _send(client, rule, method, tenant, values: dict):
    url = rule.build(_args(rule, tenant))[1]
    if method == "GET":
        return client.get(url, query_string=values)
    return client.open(url, method=method, data=values)


@pytest.mark.parametrize("who", ["admin", "client_user"])
def test_the_numbers_that_used_to_fail_give_no_500_on_any_page(client, setup, sign_in, who):
    user = getattr(setup, who)
    sign_in(user)
    routes = _routes(client.application, user.role_enum)
    assert len(routes) > 10
    for rule, method, fields in routes:
        for value in NASTY:
            response = _send(client, rule, method, setup, dict.fromkeys(fields, value))
            assert response.status_code < 500, (method, rule.rule, value, response.status_code)


@pytest.mark.parametrize("who", ["admin", "client_user"])
def test_any_text_in_any_field_gives_no_500(client, setup, sign_in, who):
    user = getattr(setup, who)
    sign_in(user)
    routes = _routes(client.application, user.role_enum)
    values = st.one_of(
        st.sampled_from(NASTY),
        st.integers(-(2**70), 2**70).map(str),
        st.text(max_size=12),
    )

    @settings(
        max_examples=120,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data):
        rule, method, fields = data.draw(st.sampled_from(routes))
        chosen = data.draw(st.dictionaries(st.sampled_from(fields), values, max_size=4))
        response = _send(client, rule, method, setup, chosen)
        assert response.status_code < 500, (method, rule.rule, chosen, response.status_code)

    check()  # fmt: skip


@pytest.mark.parametrize(
    "raw", ["²", "１２", "٣", "-1", "0", "99999999999999999999", "1.5", "+1", "0x1"]
)
def test_one_parser_refuses_what_is_not_ascii_digits_in_range(raw):
    from surveyapp.security.inputs import BadNumber, parse_number

    with pytest.raises(BadNumber):
        parse_number(raw, name="page")
    assert parse_number(" 12 ", name="page") == 12 and parse_number("", name="page") is None


@pytest.mark.parametrize("query", ["page=²", "page=１２", "page=0", "page=-3", "page=" + "9" * 25])
def test_a_bad_page_is_a_400_that_names_the_field(client, setup, sign_in, query):
    sign_in(setup.admin)
    response = client.get(f"/contracts/{setup.contract.id}/customers/?{query}")
    assert response.status_code == 400 and "page" in response.text
