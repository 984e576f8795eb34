"""Charts drawn on the server as SVG: a horizontal bar chart of labelled values, and a line
chart of series over years. No script, no library, no resource from elsewhere.

Readable without colour: every bar and point has its value written beside it, every bar its
label, every line its name at its end and its own marker shape and dash. Accessible: the
`<svg>` is ``role="img"`` with a `<title>` and a `<desc>` that says the values in words.
Colours are classes (styled by /static/pages.css, dark mode included) with presentation
attributes as the light-mode fallback; an SVG opened on its own links /static/charts.css for
its dark mode (no inline style, which the page's Content-Security-Policy refuses). Every string
is escaped.
"""

from __future__ import annotations

import math
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.html import Html, attrs, join, tag

FONT = 13  # px, labels and values
ROW = 26  # px per bar
BAR = 16  # px bar thickness
BAR_AREA = 420  # px the longest bar may take
PAD = 8
INK = "#1f2328"
MUTED = "#5c6470"
ACCENT = "#b3261e"
GRID = "#e4ddd2"
# Line colours distinct in hue and lightness; shapes and dashes carry the same distinction.
SERIES_COLOURS = ("#b3261e", "#1f5fa8", "#2f7d32", "#8a4baf", "#b26a00", "#00796b")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle")
BLANK_WORDS = "未填写"
STYLESHEET = "/static/charts.css"  # dark mode for a chart opened on its own


def text_width(text: str, size: int = FONT) -> float:
    """An estimate of the width of ``text`` in px: wide (CJK) characters count double."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return (wide + 0.58 * (len(text) - wide)) * size


def number_text(value: float | None, unit: str = "") -> str:
    """A value as written on a chart: blank in words, thousands grouped, trailing zeros cut."""
    if value is None:
        return BLANK_WORDS
    if isinstance(value, float) and not value.is_integer():
        shown = f"{value:,.4f}".rstrip("0").rstrip(".")
    else:
        shown = f"{int(value):,}"
    return f"{shown}{unit}"


def _svg(width: float, height: float, title: str, desc: str, body: Html, kind: str) -> Html:
    ids = f"chart-{zlib.crc32((title + desc).encode()):08x}"
    return Html(
        f'<?xml-stylesheet type="text/css" href="{STYLESHEET}"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg"{attrs(viewBox=f"0 0 {width:.0f} {height:.0f}")}'
        f"{attrs(width=f'{width:.0f}', height=f'{height:.0f}', role='img')}"
        f"{attrs(aria_labelledby=f'{ids}-t {ids}-d', class_=f'chart {kind}')}"
        f' font-size="{FONT}">'
        f"{tag('title', title, id=f'{ids}-t')}{tag('desc', desc, id=f'{ids}-d')}"
        f"{body}</svg>"
    )


def _text(x: float, y: float, content: str, cls: str, fill: str, **more: object) -> Html:
    return tag("text", content, x=f"{x:.1f}", y=f"{y:.1f}", class_=cls, fill=fill, **more)


# -- bars ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar: what it is (``label``, with an optional ``note`` such as a place or year)."""

    label: str
    value: float | None
    note: str = ""


def bar_chart(bars: Sequence[Bar], title: str, unit: str = "") -> Html:
    """A horizontal bar chart, largest scale first as given, each bar labelled and valued."""
    names = [f"{b.label}（{b.note}）" if b.note else b.label for b in bars]
    left = PAD + max((text_width(n) for n in names), default=0) + PAD
    values = [b.value for b in bars if b.value is not None]
    top = max([v for v in values if v > 0], default=1)
    widest_value = max((text_width(number_text(b.value, unit)) for b in bars), default=0)
    width = left + BAR_AREA + PAD + widest_value + PAD
    height = PAD * 2 + ROW * max(len(bars), 1)
    parts = [
        tag(
            "line",
            x1=f"{left:.1f}",
            x2=f"{left:.1f}",
            y1=PAD,
            y2=f"{height - PAD:.1f}",
            class_="chart-grid",
            stroke=GRID,
        )
    ]
    for i, (bar, name) in enumerate(zip(bars, names, strict=True)):
        y = PAD + i * ROW
        middle = y + ROW / 2 + FONT * 0.35
        size = 0.0 if bar.value is None else max(bar.value, 0) / top * BAR_AREA
        parts.append(_text(left - PAD, middle, name, "chart-ink label", INK, text_anchor="end"))
        if size > 0:
            parts.append(
                tag(
                    "rect",
                    x=f"{left:.1f}",
                    y=f"{y + (ROW - BAR) / 2:.1f}",
                    width=f"{size:.1f}",
                    height=BAR,
                    rx=2,
                    class_="chart-bar",
                    fill=ACCENT,
                )
            )
        cls = "chart-muted value blank" if bar.value is None else "chart-ink value"
        colour = MUTED if bar.value is None else INK
        parts.append(
            _text(left + size + PAD / 2, middle, number_text(bar.value, unit), cls, colour)
        )
    said = "；".join(f"{n}：{number_text(b.value, unit)}" for n, b in zip(names, bars, strict=True))
    desc = f"条形图，共 {len(bars)} 项。{said}。" if bars else "没有可画的数值。"
    return _svg(width, height, title, desc, join(parts), "bars")


# -- lines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One line: its name and its points (x label such as a year, value or None for a gap)."""

    label: str
    points: Sequence[tuple[int | str, float | None]] = field(default_factory=tuple)


def _nice_top(value: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (1 for nothing above 0)."""
    if value <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    return next(m * step for m in (1, 2, 5, 10) if m * step >= value)


def _segments(points: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """The runs of points with a value: a blank year breaks the line rather than bridging it."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if y is None:
            runs.append([])
        else:
            runs[-1].append((x, y))
    return [run for run in runs if run]


@dataclass(frozen=True)
class _Frame:
    """Where a panel's plot sits: x of each label, the value at the top, the plot's band."""

    x_of: dict[int | str, float]
    top: float
    left: float
    right: float

    def y(self, value: float, band_top: float, band_height: float) -> float:
        return band_top + band_height * (1 - max(value, 0) / self.top)


def line_chart(series: Sequence[Series], title: str, unit: str = "") -> Html:
    """Lines over x labels (years): one panel per series, one above the other, sharing the
    years and the scale so they compare at a glance, each labelled by name, each point
    valued. Panels never draw over each other, however close their values."""
    xs = sorted({x for s in series for x, _ in s.points}, key=lambda x: (str(type(x)), x))
    values = [v for s in series for _, v in s.points if v is not None]
    top = _nice_top(max(values, default=0))
    name_width = max((text_width(s.label) for s in series), default=0)
    left = PAD + name_width + PAD + text_width(number_text(top)) + PAD
    plot_w = max(80 * len(xs), 240)
    band = 150 if len(series) == 1 else 54  # the plot's height in each panel
    panel = band + FONT * 2 + PAD  # room above for the values written on the points
    frame = _Frame(
        {x: left + plot_w * (i + 0.5) / max(len(xs), 1) for i, x in enumerate(xs)},
        top,
        left,
        left + plot_w,
    )
    parts = [
        _panel(s, i, frame, PAD + i * panel + FONT * 1.6, band, unit) for i, s in enumerate(series)
    ]
    axis_y = PAD + len(series) * panel + FONT
    parts += [
        _text(frame.x_of[x], axis_y, str(x), "chart-ink xlabel", INK, text_anchor="middle")
        for x in xs
    ]
    said = "；".join(
        f"{s.label}：" + "，".join(f"{x} {number_text(v, unit)}" for x, v in s.points)
        for s in series
    )
    desc = f"折线图，{len(series)} 条线，纵轴自 0 至 {number_text(top)}。{said}。"
    if not series:
        desc = "没有可画的数值。"
    return _svg(left + plot_w + PAD, axis_y + PAD, title, desc, join(parts), "lines")


def _panel(s: Series, i: int, frame: _Frame, band_top: float, band: float, unit: str) -> Html:
    """One series: its name, its 0 and top lines, its line (broken at blanks), valued points."""
    colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
    marker = MARKERS[i % len(MARKERS)]

    def y(v: float) -> float:
        return frame.y(v, band_top, band)

    parts = [
        _text(
            PAD, y(0) - band / 2 + FONT * 0.35, s.label, "chart-ink name", INK, font_weight="bold"
        )
    ]
    for tick in (0, frame.top):
        parts.append(
            tag(
                "line",
                x1=f"{frame.left:.1f}",
                x2=f"{frame.right:.1f}",
                y1=f"{y(tick):.1f}",
                y2=f"{y(tick):.1f}",
                class_="chart-grid",
                stroke=GRID,
            )
        )
        parts.append(
            _text(
                frame.left - PAD,
                y(tick) + FONT * 0.35,
                number_text(tick),
                "chart-muted tick",
                MUTED,
                text_anchor="end",
            )
        )
    placed = [(frame.x_of[x], v) for x, v in s.points]
    for run in _segments(placed):
        pts = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in run)
        parts.append(
            tag(
                "polyline",
                points=pts,
                fill="none",
                stroke=colour,
                stroke_width=2.5,
                stroke_dasharray=DASHES[i % len(DASHES)] or None,
                class_=f"line s{i}",
            )
        )
    for x, v in placed:
        if v is None:
            parts.append(
                _text(
                    x, y(0) - 6, BLANK_WORDS, "chart-muted value blank", MUTED, text_anchor="middle"
                )
            )
            continue
        parts.append(_marker(marker, x, y(v), colour))
        parts.append(
            _text(x, y(v) - 9, number_text(v, unit), "chart-ink value", INK, text_anchor="middle")
        )
    return tag("g", parts, class_="series", data_series=s.label)


# Marker outlines as offsets from the point, in units of the marker's radius.
_SHAPES: dict[str, tuple[tuple[float, float], ...]] = {
    "square": ((-1, -1), (1, -1), (1, 1), (-1, 1)),
    "triangle": ((0, -1.25), (1.1, 0.95), (-1.1, 0.95)),
    "diamond": ((0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)),
}


def _marker(kind: str, x: float, y: float, colour: str) -> Html:
    r = 4.5
    if kind in _SHAPES:
        pts = " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in _SHAPES[kind])
        return tag("polygon", points=pts, fill=colour, class_="marker")
    if kind == "cross":
        d = "".join(
            f"M{x - r:.1f},{y + sign * r:.1f}L{x + r:.1f},{y - sign * r:.1f}" for sign in (1, -1)
        )
        return tag("path", d=d, stroke=colour, stroke_width=2.5, fill="none", class_="marker")
    return tag("circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=r, fill=colour, class_="marker")
