"""The accessibility checkers themselves find known faults (so a clean walk means something)."""

import pytest

from .a11y import axe_serious, nu_errors

pytestmark = pytest.mark.browser


def test_axe_and_nu_report_known_faults(new_page):
    page = new_page()
    page.set_content("<html><body><img src='x.png'><input type=text></body></html>")
    found = axe_serious(page)
    assert any(v.startswith("image-alt") for v in found)
    assert any(v.startswith("label") for v in found)

    errors = nu_errors({
        "bad": "<!DOCTYPE html><html><body><p><div></p></body></html>",
        "good": "<!DOCTYPE html><html lang=en><head><title>x</title></head>"
                "<body><p>ok</p></body></html>",
    })
    assert errors and all(e.startswith("bad:") for e in errors)
