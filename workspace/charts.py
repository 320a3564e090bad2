"""Server-rendered SVG charts: a pure function turns a series into the geometry that
templates/workspace/_chart.html draws (no JavaScript, no network, testable without a browser).

Coordinates are SVG user units in a fixed viewBox; the SVG scales to its container.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 480
HEIGHT = 200
# Room for the y-axis labels (left) and the x-axis labels (bottom).
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 40, 8, 10, 26
BAR_FILL = 0.7  # share of a slot a bar takes; the rest is the gap between bars
MAX_TICKS = 5


@dataclass(frozen=True)
class Point:
    """One value of the series, with where it is drawn."""

    label: str
    value: int | float
    x: float  # centre of the slot
    y: float  # top of the bar / the line's point
    bar_x: float
    bar_width: float
    bar_height: float
    url: str | None = None


@dataclass(frozen=True)
class Tick:
    """A y-axis gridline; the template formats `value` in the reader's language."""

    value: int | float
    y: float


@dataclass(frozen=True)
class Chart:
    """What _chart.html needs: the points, the y ticks, the plot box, and the polyline."""

    kind: str  # "bar" or "line"
    title: str
    points: tuple[Point, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: float = MARGIN_LEFT
    plot_right: float = WIDTH - MARGIN_RIGHT
    plot_top: float = MARGIN_TOP
    plot_bottom: float = HEIGHT - MARGIN_BOTTOM
    value_label: str = ""

    @property
    def polyline(self) -> str:
        """The SVG `points` attribute of the line through the values."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def is_empty(self) -> bool:
        return not any(p.value for p in self.points)

    @property
    def label_y(self) -> float:
        return self.plot_bottom + 16


def nice_step(maximum: float, ticks: int = MAX_TICKS) -> float:
    """A round tick step (1, 2 or 5 × 10^n) so that `maximum` needs at most `ticks` steps."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if maximum / step <= ticks:
            return float(step)
    return float(10 * magnitude)  # pragma: no cover - the loop always returns at factor 10


def _plain(value: float) -> int | float:
    """Whole numbers as int, so that templates print "20", not "20.0"."""
    return int(value) if float(value).is_integer() else round(value, 6)


def _chart(kind: str, series: Sequence[tuple], *, title: str, value_label: str, integer: bool) -> Chart:
    """`series`: (label, value) or (label, value, url) tuples, in drawing order."""
    plot_left, plot_right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    plot_top, plot_bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM
    values = [max(float(item[1] or 0), 0.0) for item in series]  # counts and totals: never below zero
    step = nice_step(max(values, default=0))
    if integer:
        step = max(step, 1.0)  # counts: no tick at 0.5
    top = step * max(math.ceil(max(values, default=0) / step), 1)
    scale = (plot_bottom - plot_top) / top
    slot = (plot_right - plot_left) / max(len(series), 1)
    bar_width = slot * BAR_FILL
    points = []
    for index, item in enumerate(series):
        value = values[index]
        centre = plot_left + slot * (index + 0.5)
        height = value * scale
        points.append(Point(label=str(item[0]), value=_plain(value), x=round(centre, 2), y=round(plot_bottom - height, 2),
                            bar_x=round(centre - bar_width / 2, 2), bar_width=round(bar_width, 2),
                            bar_height=round(height, 2), url=item[2] if len(item) > 2 else None))
    count = round(top / step)
    ticks = tuple(Tick(value=_plain(step * i), y=round(plot_bottom - step * i * scale, 2)) for i in range(count + 1))
    return Chart(kind=kind, title=title, points=tuple(points), ticks=ticks, plot_left=plot_left,
                 plot_right=plot_right, plot_top=plot_top, plot_bottom=plot_bottom, value_label=value_label)


def bar_chart(series: Sequence[tuple], *, title: str, value_label: str = "", integer: bool = True) -> Chart:
    """A bar per (label, value[, url])."""
    return _chart("bar", series, title=title, value_label=value_label, integer=integer)


def line_chart(series: Sequence[tuple], *, title: str, value_label: str = "", integer: bool = True) -> Chart:
    """A line through (label, value[, url]) points."""
    return _chart("line", series, title=title, value_label=value_label, integer=integer)
