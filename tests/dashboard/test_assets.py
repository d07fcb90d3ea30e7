"""Charts work offline: plotly.js is served from static/ and matches the plotly package."""

import re
from pathlib import Path

import plotly.offline

VENDORED = Path(__file__).resolve().parents[2] / "static" / "vendor" / "plotly.min.js"


def test_the_vendored_plotly_js_matches_the_installed_plotly():
    header = VENDORED.read_text(encoding="utf-8")[:200]
    assert (
        re.search(r"plotly\.js v([\d.]+)", header).group(1) == plotly.offline.get_plotlyjs_version()
    )


def test_pages_load_scripts_from_this_site_only(client):
    for path in ("/static/vendor/plotly.min.js", "/static/js/charts.js"):
        assert client.get(path).status_code == 200
    templates = Path(__file__).resolve().parents[2] / "templates"
    for template in templates.rglob("*.html"):
        assert not re.search(
            r"<script[^>]+src=\"https?://", template.read_text(encoding="utf-8")
        ), template
        assert not re.search(r"<script>(?!\s*</script>)", template.read_text(encoding="utf-8")), (
            template
        )
