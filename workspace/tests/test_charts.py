"""The SVG chart geometry (pure, no database): round tick steps, bars proportional to their
values inside the plot box, a line through the same points, and a template that writes
coordinates with a decimal point in every language (SVG does not read "12,5")."""
from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from workspace.charts import HEIGHT, MARGIN_BOTTOM, MARGIN_TOP, bar_chart, line_chart, nice_step


@pytest.mark.parametrize("maximum,expected", [
    (0, 1), (-3, 1), (1, 0.2), (4, 1), (5, 1), (6, 2), (10, 2), (11, 5), (23, 5), (26, 10), (100, 20),
    (101, 50), (1234, 500), (0.3, 0.1),
])
def test_nice_step(maximum, expected):
    """At most five steps, each 1, 2 or 5 times a power of ten."""
    assert nice_step(maximum) == pytest.approx(expected)


def test_bars_are_proportional_and_inside_the_plot():
    chart = bar_chart([("2022", 0), ("2023", 5), ("2024", 10, "/x/?year=2024")], title="t")
    bottom = HEIGHT - MARGIN_BOTTOM
    zero, five, ten = chart.points
    assert zero.bar_height == 0 and zero.y == bottom
    assert ten.bar_height == pytest.approx(2 * five.bar_height)
    assert ten.y == pytest.approx(MARGIN_TOP)  # 10 is the top tick (step 2, five steps)
    assert [t.value for t in chart.ticks] == [0, 2, 4, 6, 8, 10]
    assert ten.url == "/x/?year=2024" and five.url is None
    for p in chart.points:  # no overlap, inside the plot box
        assert chart.plot_left <= p.bar_x and p.bar_x + p.bar_width <= chart.plot_right
    assert zero.bar_x + zero.bar_width < five.bar_x
    assert not chart.is_empty


def test_counts_never_get_half_ticks_and_zeros_make_an_empty_chart():
    chart = bar_chart([("a", 0), ("b", 0)], title="t")
    assert chart.is_empty
    assert [t.value for t in chart.ticks] == [0, 1]
    assert all(p.bar_height == 0 for p in chart.points)
    small = bar_chart([("a", 1), ("b", 2)], title="t")
    assert [t.value for t in small.ticks] == [0, 1, 2]


def test_line_goes_through_the_points():
    chart = line_chart([("01/2025", 3), ("02/2025", 0), ("03/2025", 6)], title="t")
    assert chart.kind == "line"
    coords = [tuple(map(float, pair.split(","))) for pair in chart.polyline.split()]
    assert coords == [(p.x, p.y) for p in chart.points]
    assert coords[0][1] > coords[2][1] and coords[1][1] == HEIGHT - MARGIN_BOTTOM
    assert coords[0][0] < coords[1][0] < coords[2][0]


def test_negative_values_are_drawn_as_zero():
    chart = bar_chart([("a", -4), ("b", 2)], title="t")
    assert chart.points[0].bar_height == 0 and chart.points[0].value == 0


@pytest.mark.parametrize("language", ["vi", "en"])
def test_template_writes_plain_coordinates_and_a_table(language):
    chart = bar_chart([("2023", 1234), ("2024", 7), ("2025", 3)], title="Báo cáo", value_label="Số")
    with translation.override(language):
        html = render_to_string("workspace/_chart.html", {"chart": chart, "chart_id": "c1", "label_heading": "Năm"})
    svg = html[html.index("<svg"):html.index("</svg>")]
    svg = svg[svg.index(">"):]  # the shapes (the root's width is "100%")
    for name, value in re.findall(r'\s(x|y|width|height|x1|x2|y1|y2|cx|cy)="([^"]*)"', svg):
        assert re.fullmatch(r"-?\d+(\.\d+)?", value), (name, value)
    assert 'data-testid="chart-table-c1"' in html
    cells = re.findall(r"<td>([^<]*)</td>", html)
    assert cells == (["1.234", "7", "3"] if language == "vi" else ["1,234", "7", "3"])
    assert "<title id=\"c1-title\">Báo cáo</title>" in svg
