"""Browser fixtures: the app served on 127.0.0.1 in a thread; Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from surveyapp.demo import build_demo

from ..conftest import require_tool

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(
    os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture(scope="session")
def browser():
    require_tool(CHROMIUM, "browser tests drive Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page_errors():
    return []


@pytest.fixture
def new_page(browser, page_errors):
    """Pages that record console errors and refuse any request that leaves 127.0.0.1."""
    contexts = []

    def make(viewport=PHONE):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        context.route("**/*", _local_only)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and page_errors.append(msg.text))
        page.on("pageerror", lambda exc: page_errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


def _local_only(route):
    if route.request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
        return route.continue_()
    raise AssertionError(f"the page tried to reach {route.request.url}")


def _serve(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def live_server(app) -> Iterator[str]:
    yield from _serve(app)


@pytest.fixture(scope="module")
def demo_server(demo_app) -> Iterator[str]:
    """The demo data served once per module (tests only read, apart from signing in)."""
    yield from _serve(demo_app)


@pytest.fixture
def demo(session):
    return build_demo(session, seed=42, today=date(2026, 11, 25))


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
