"""Server-rendered SVG charts: horizontal bars, a time series in columns, a choropleth map of departments.

No JavaScript and no external file: each chart is inline SVG with role="img", a <title> and a <desc>, and the
page always shows the same numbers in a table next to it (the accessible alternative, also printable and
downloadable as CSV). Colours come from classes styled in the one stylesheet.

The map reads the department outlines at run time from
`settings.TREMPLIN_DATA_DIR / "reference/geo/france-geojson/departements-version-simplifiee.geojson"` (never
copied into the repository), projects them with an equirectangular projection scaled by cos(latitude) and caches
the SVG paths per file modification time. A missing or unreadable file gives no map, and the page says so.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Sequence
from itertools import count
from pathlib import Path

from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tremplin.observatory.formatting import count as format_count
from tremplin.observatory.formatting import euros_short

logger = logging.getLogger(__name__)

GEOJSON_RELATIVE = Path("reference/geo/france-geojson/departements-version-simplifiee.geojson")
MAP_WIDTH = 560
MIN_STEP = 1.0  # px: a vertex closer than this to the previous one kept is dropped (invisible at this size)
CLASSES = 5
_ids = count(1)


def _id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _frame(width: float, height: float, title: str, description: str, body: str, css: str) -> SafeString:
    title_id, desc_id = _id("graphique-titre"), _id("graphique-description")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart {}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{} {}" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        css,
        int(width),
        int(height),
        title_id,
        desc_id,
        title_id,
        title,
        desc_id,
        description,
        mark_safe(body),  # built below from escaped parts only
    )


def bar_chart(rows: Sequence[dict], title: str, description: str, measure: str = "amount") -> SafeString:
    """Horizontal bars, one per row ({label, contracts, amount}), in the given order."""
    label_width, bar_width, value_width, row_height, top = 250, 290, 90, 28, 8
    width = label_width + bar_width + value_width
    values = [float(row.get(measure) or 0) for row in rows]
    largest = max(values, default=0) or 1
    parts = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = top + index * row_height
        length = max(value / largest * bar_width, 1 if value else 0)
        shown = euros_short(row.get(measure)) if measure == "amount" else format_count(row.get(measure))
        parts.append(
            f'<g class="chart__row"><title>{escape(row["label"])} : {escape(shown)}</title>'
            f'<text class="chart__label" x="{label_width - 8}" y="{y + 18}" text-anchor="end">'
            f"{escape(_truncate(str(row['label']), 34))}</text>"
            f'<rect class="chart__bar" x="{label_width}" y="{y + 5}" width="{length:.1f}" height="{row_height - 10}"/>'
            f'<text class="chart__value" x="{label_width + length + 6:.1f}" y="{y + 18}">{escape(shown)}</text></g>'
        )
    height = top * 2 + max(len(rows), 1) * row_height
    return _frame(width, height, title, description, "".join(parts), "chart--bars")


def _nice_step(largest: float, ticks: int = 4) -> float:
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def column_chart(rows: Sequence[dict], title: str, description: str, measure: str = "amount") -> SafeString:
    """Vertical columns in the given (chronological) order, with a y axis and labelled gridlines."""
    width, height, left, right, top, bottom = 720, 280, 78, 12, 14, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(row.get(measure) or 0) for row in rows]
    largest = max(values, default=0)
    step = _nice_step(largest) if largest > 0 else 1
    ceiling = step * max(1, math.ceil(largest / step))
    fmt = euros_short if measure == "amount" else format_count
    parts = []
    tick = 0.0
    while tick <= ceiling + step / 2:
        y = top + plot_h - tick / ceiling * plot_h
        parts.append(
            f'<line class="chart__grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart__axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(fmt(tick))}</text>'
        )
        tick += step
    n = max(len(rows), 1)
    slot = plot_w / n
    bar = max(min(slot * 0.7, 60), 1)
    label_every = max(1, math.ceil(n / 12))
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        x = left + index * slot + (slot - bar) / 2
        h = value / ceiling * plot_h if ceiling else 0
        y = top + plot_h - h
        shown = fmt(row.get(measure))
        parts.append(
            f'<g class="chart__row"><title>{escape(row["label"])} : {escape(shown)}</title>'
            f'<rect class="chart__bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}"/></g>'
        )
        if index % label_every == 0:
            parts.append(
                f'<text class="chart__axis" x="{x + bar / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle">'
                f"{escape(_short_period(row))}</text>"
            )
    parts.append(
        f'<line class="chart__baseline" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>'
    )
    return _frame(width, height, title, description, "".join(parts), "chart--columns")


def _short_period(row: dict) -> str:
    key = str(row.get("key") or "")
    if len(key) == 7 and key[4] == "-":  # "2024-03" → "03/24"
        return f"{key[5:]}/{key[2:4]}"
    return key or "?"


# ---------------------------------------------------------------- map

_map_cache: dict = {}
_map_lock = threading.Lock()


def geojson_path() -> Path:
    return Path(settings.TREMPLIN_DATA_DIR) / GEOJSON_RELATIVE


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def department_shapes(path: Path | None = None) -> tuple[dict[str, tuple[str, str]], tuple[float, float]] | None:
    """{code: (name, SVG path)} and the (width, height) of the projected map, or None when the file is missing
    or unreadable. Cached per file and modification time."""
    path = path or geojson_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    with _map_lock:
        cached = _map_cache.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        try:
            with open(path, encoding="utf-8") as handle:
                features = json.load(handle)["features"]
            shapes = _project(features)
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning("Department outlines unreadable (%s): %s", path, error)
            return None
        _map_cache[path] = (stamp, shapes)
        return shapes


def _project(features: list[dict]) -> tuple[dict[str, tuple[str, str]], tuple[float, float]]:
    points = [point for feature in features for ring in _rings(feature.get("geometry") or {}) for point in ring]
    if not points:
        raise ValueError("no coordinates")
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    factor = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = MAP_WIDTH / ((max_lon - min_lon) * factor)
    height = (max_lat - min_lat) * scale
    shapes = {}
    for feature in features:
        properties = feature.get("properties") or {}
        code = str(properties.get("code", ""))
        segments = []
        for ring in _rings(feature.get("geometry") or {}):
            coords, last = [], None
            for lon, lat, *_ in ring:
                x, y = (lon - min_lon) * factor * scale, (max_lat - lat) * scale
                if last is None or abs(x - last[0]) + abs(y - last[1]) >= MIN_STEP:
                    coords.append(f"{x:.1f},{y:.1f}")
                    last = (x, y)
            if len(coords) >= 3:
                segments.append("M" + "L".join(coords) + "Z")
        if code and segments:
            shapes[code] = (str(properties.get("nom", code)), "".join(segments))
    return shapes, (MAP_WIDTH, height)


def class_breaks(values: Sequence[float], classes: int = CLASSES) -> list[float]:
    """Upper bounds of up to `classes` quantile classes of the positive values (ascending, without repeats)."""
    positive = sorted(v for v in values if v and v > 0)
    if not positive:
        return []
    breaks = []
    for index in range(1, classes + 1):
        bound = positive[min(len(positive) - 1, math.ceil(index * len(positive) / classes) - 1)]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def class_of(value: float | None, breaks: Sequence[float]) -> int:
    """0 for no value, else the colour step 1…CLASSES; with fewer breaks than colours, steps are spread so that
    the largest class always gets the darkest colour."""
    if not value or value <= 0 or not breaks:
        return 0
    for index, bound in enumerate(breaks, start=1):
        if value <= bound:
            return _step(index, len(breaks))
    return CLASSES


def _step(index: int, classes: int) -> int:
    return math.ceil(index * CLASSES / classes)


def choropleth(
    rows: Sequence[dict], title: str, description: str, measure: str = "amount", selected: str = ""
) -> dict | None:
    """The map of departments coloured by `measure` of the department rows; None when the outlines are
    unavailable. Returns {"svg": SafeString, "legend": [{"css", "label"}], "drawn": n}."""
    shapes = department_shapes()
    if shapes is None:
        return None
    outlines, (width, height) = shapes
    by_code = {row["key"]: row for row in rows if row.get("key")}
    breaks = class_breaks([float(row.get(measure) or 0) for row in by_code.values() if row["key"] in outlines])
    fmt = euros_short if measure == "amount" else format_count
    parts = []
    for code, (name, path) in sorted(outlines.items()):
        row = by_code.get(code)
        value = float(row.get(measure) or 0) if row else 0
        level = class_of(value, breaks)
        css = f"map__dept map__dept--{level}" + (" map__dept--selected" if code == selected else "")
        if row:
            text = f"{name} ({code}) : {format_count(row.get('contracts'))} marché(s), {euros_short(row.get('amount'))}"
        else:
            text = f"{name} ({code}) : aucun marché"
        parts.append(f'<path class="{css}" data-code="{escape(code)}" d="{path}"><title>{escape(text)}</title></path>')
    legend = [{"css": "map__dept--0", "label": "Aucun marché ou montant"}]
    lower = 0.0
    for index, bound in enumerate(breaks, start=1):
        legend.append({"css": f"map__dept--{_step(index, len(breaks))}", "label": f"{fmt(lower)} à {fmt(bound)}"})
        lower = bound
    svg = _frame(width, height, title, description, "".join(parts), "chart--map")
    return {"svg": svg, "legend": legend, "drawn": len(outlines)}
