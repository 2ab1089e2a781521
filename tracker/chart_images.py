"""Charts drawn as PNG images on the server, for the Word paper: Plotly's static image export
(``plotly.io.write_images`` through Kaleido), which drives the machine's Chromium
(``CHART_IMAGES_BROWSER``, Debian's /usr/bin/chromium) with the plotly.js bundled in the
plotly package: no network. Where the browser is missing or fails, there are no images
(None) and the paper keeps its tables, which always carry the same figures."""
from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)

WIDTH, HEIGHT_MIN = 1000, 300


def pngs(figures: Sequence[dict[str, Any]]) -> list[bytes] | None:
    """Each figure (as ``tracker.charts`` returns it) as PNG bytes, all in one browser
    session; None when they cannot be drawn here."""
    if not figures:
        return []
    browser = current_app.config.get("CHART_IMAGES_BROWSER", "/usr/bin/chromium")
    if not browser or not Path(browser).exists():
        return None
    os.environ.setdefault("BROWSER_PATH", browser)
    try:
        import plotly.io as pio

        with tempfile.TemporaryDirectory(prefix="tracker-charts-") as folder:
            paths = [Path(folder) / f"chart-{n}.png" for n in range(len(figures))]
            sized = [_for_paper(figure) for figure in figures]
            pio.write_images(sized, paths, format="png", width=WIDTH, scale=1)
            return [path.read_bytes() for path in paths]
    except Exception:  # noqa: BLE001  # any failure of the browser: the paper keeps its tables
        log.warning("Charts could not be drawn as images; the paper has its tables only",
                    exc_info=True)
        return None


def _for_paper(figure: dict[str, Any]) -> dict[str, Any]:
    layout = dict(figure["layout"])
    layout["height"] = max(HEIGHT_MIN, int(layout.get("height") or HEIGHT_MIN))
    return {"data": figure["data"], "layout": layout}
