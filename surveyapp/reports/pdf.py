"""PDF rendering: plotly figures to SVG through one persistent Chromium, HTML to PDF (WeasyPrint).

A fresh Chromium per figure costs 2 to 3 s; kaleido kept open in a background thread exports
each further SVG in about 0.15 s, so a process starts :class:`ChartServer` once (the first
report starts it; a batch or the test session reuses it) and every report shares it.

The charts keep the analysis package's figures and template; only the copy exported here gets
the report's CJK font first in its font list, so Chromium measures the labels with the face
WeasyPrint then embeds (subset) in the PDF.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import threading
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from analysis.figures.theme import FONT_FAMILY

__all__ = [
    "REPORT_FONT",
    "ChartExportUnavailable",
    "ChartServer",
    "chart_server",
    "chromium_path",
    "render_pdf",
]

REPORT_FONT = "WenQuanYi Micro Hei"
DEBIAN_PACKAGES = "chromium fonts-wqy-microhei"
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT_S = 90


class ChartExportUnavailable(RuntimeError):
    """No Chromium to draw the charts with (or it would not start)."""


def chromium_path() -> str:
    """The browser kaleido will drive: ``BROWSER_PATH`` or the first Chromium on the PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        if os.access(configured, os.X_OK):
            return configured
        raise ChartExportUnavailable(f"BROWSER_PATH={configured} is not an executable browser.")
    for name in _BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise ChartExportUnavailable(
        "The PDF report draws its charts with Chromium, which is not installed. Install the "
        f"Debian packages with `sudo apt-get install {DEBIAN_PACKAGES}` (or run `make test` as "
        "root, which installs them through .ci/system-deps), or set BROWSER_PATH to a "
        "Chromium or Chrome executable."
    )


class ChartServer:
    """One kaleido (one headless Chromium) on an event loop of its own thread.

    Unlike ``kaleido.start_sync_server`` this reports a browser that fails to start as an
    exception and bounds every export with a timeout instead of waiting forever.
    """

    def __init__(self, tabs: int = 2) -> None:
        self._tabs = tabs
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def start(self) -> None:
        with self._lock:
            if self.running:
                return
            browser = chromium_path()
            from kaleido import Kaleido

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
            thread.start()
            kaleido = Kaleido(n=self._tabs, mathjax=False, path=browser)
            try:
                asyncio.run_coroutine_threadsafe(kaleido.open(), loop).result(_TIMEOUT_S)
            except Exception as error:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout=5)
                raise ChartExportUnavailable(
                    f"Chromium ({browser}) did not start for the chart export: {error}. "
                    f"Reinstall the Debian packages {DEBIAN_PACKAGES}."
                ) from error
            self._loop, self._thread, self._kaleido = loop, thread, kaleido
            atexit.register(self.stop)

    def stop(self) -> None:
        with self._lock:
            if not self.running:
                return
            loop, kaleido = self._loop, self._kaleido
            self._kaleido = None
            try:
                asyncio.run_coroutine_threadsafe(kaleido.close(), loop).result(_TIMEOUT_S)
            finally:
                loop.call_soon_threadsafe(loop.stop)
                self._thread.join(timeout=10)

    def svgs(
        self, figures: Mapping[str, go.Figure], sizes: Mapping[str, tuple[int, int]]
    ) -> dict[str, str]:
        """Each figure as an SVG document at its ``(width, height)`` in CSS pixels; text stays
        text, so the chart is vector and searchable in the PDF."""
        self.start()
        names = list(figures)

        async def export() -> list[bytes]:
            return await asyncio.gather(
                *(
                    self._kaleido.calc_fig(
                        _report_copy(figures[name]),
                        opts={"format": "svg", "width": sizes[name][0], "height": sizes[name][1]},
                    )
                    for name in names
                )
            )

        images = asyncio.run_coroutine_threadsafe(export(), self._loop).result(_TIMEOUT_S)
        return {name: image.decode("utf-8") for name, image in zip(names, images, strict=True)}


def _report_copy(figure: go.Figure) -> go.Figure:
    copy = go.Figure(figure)
    copy.update_layout(font_family=f"{REPORT_FONT}, {FONT_FAMILY}")
    return copy


_server = ChartServer()


def chart_server() -> ChartServer:
    """The process's one chart server (started on first use, stopped at exit)."""
    return _server


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """The report's HTML (with its print CSS inline) as PDF bytes; fonts embedded and subset."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
