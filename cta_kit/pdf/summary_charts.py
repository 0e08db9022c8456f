"""The summary's charts as ReportLab drawings: one definition for the web page (SVG) and the PDF.

The SVG is made safe for a strict Content-Security-Policy: ReportLab writes ``style="..."``
attributes, which ``style-src 'self'`` blocks, so they become SVG presentation attributes; there
is no script and no fixed size (a viewBox lets it scale to a phone's width).
"""

from __future__ import annotations

import math
from collections.abc import Callable
import xml.etree.ElementTree as ET

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from cta_kit.domain.summary.charts import BARS, LINE, STACKED_COLUMNS, ChartData
from cta_kit.pdf.fonts import font_name

WIDTH, HEIGHT = 260, 180  # pt in the PDF; SVG user units on the page
FONT_SIZE = 8
TITLE_SIZE = 10
# Okabe & Ito's palette, told apart with the common colour-vision deficiencies.
PALETTE = tuple(
    colors.HexColor(code) for code in ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
)
MAX_LABEL_WIDTH = WIDTH * 0.55
INK = colors.HexColor("#222222")
GRID = colors.HexColor("#BBBBBB")
SVG_NS = "http://www.w3.org/2000/svg"


def nice_step(largest: float, steps: int = 5) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... that covers `largest` in at most `steps` steps."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude * steps >= largest:
                return factor * magnitude
        magnitude *= 10


def _value_axis(axis, largest: float, headroom: float = 1.0) -> None:
    """From zero up to a round number, five steps at most, whole numbers only."""
    step = nice_step(largest * headroom)
    axis.valueMin, axis.valueMax, axis.valueStep = 0, step * max(1, math.ceil(largest * headroom / step)), step
    axis.labelTextFormat = "%d"


def _month_labels(axis) -> None:
    """Twelve months in 230 pt: turned 45 degrees, so each label has the room it needs."""
    axis.labels.fontSize = FONT_SIZE - 1
    axis.labels.angle = 45
    axis.labels.boxAnchor = "ne"
    axis.labels.dy = -2


def _style_axes(chart) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font_name(False)
        axis.labels.fontSize = FONT_SIZE
        axis.labels.fillColor = INK
        axis.strokeColor = GRID
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.3


def _largest(chart: ChartData, stacked: bool) -> float:
    if stacked:
        return max((sum(series.values[i] or 0 for series in chart.series) for i in range(len(chart.categories))), default=0)
    return max((value or 0 for series in chart.series for value in series.values), default=0)


def _stacked_columns(chart: ChartData, drawing: Drawing, top: float, rating_text=None) -> None:
    legend_rows = math.ceil(len(chart.series) / 3)
    legend_top = 6 + legend_rows * 11
    bars = VerticalBarChart()
    bars.x, bars.y = 28, legend_top + 26
    bars.width, bars.height = WIDTH - 36, top - bars.y - 6
    bars.data = [series.values for series in chart.series] or [tuple(0 for _ in chart.categories)]
    bars.categoryAxis.categoryNames = list(chart.short_categories)
    bars.categoryAxis.style = "stacked"
    bars.groupSpacing = 3
    _style_axes(bars)
    _month_labels(bars.categoryAxis)
    _value_axis(bars.valueAxis, _largest(chart, True))
    for index in range(len(chart.series)):
        bars.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        bars.bars[index].strokeColor = None
    drawing.add(bars)
    if chart.series:
        legend = Legend()
        legend.x, legend.y = 4, legend_top
        legend.alignment = "right"
        legend.columnMaximum = legend_rows
        legend.deltax = (WIDTH - 8) / 3
        legend.dx = legend.dy = 6
        legend.deltay = 11
        legend.fontName, legend.fontSize, legend.fillColor = font_name(False), FONT_SIZE, INK
        legend.strokeColor = None
        legend.colorNamePairs = [
            (PALETTE[i % len(PALETTE)], _fitted(series.name, legend.deltax - 16)) for i, series in enumerate(chart.series)
        ]
        drawing.add(legend)


def _line(chart: ChartData, drawing: Drawing, top: float, rating_text=None) -> None:
    line = HorizontalLineChart()
    line.x, line.y = 28, 30
    line.width, line.height = WIDTH - 36, top - line.y - 14  # room above 5 for its label
    runs = _runs(chart.series[0].values)
    line.data = runs or [chart.series[0].values]
    line.joinedLines = 0
    line.categoryAxis.categoryNames = list(chart.short_categories)
    _style_axes(line)
    _month_labels(line.categoryAxis)
    # A rating is shown on its whole scale, 1 to 5: zooming in would make a dip look like a fall.
    line.valueAxis.valueMin, line.valueAxis.valueMax, line.valueAxis.valueStep = 1, 5, 1
    line.valueAxis.labelTextFormat = "%d"
    for index, run in enumerate(line.data):
        style = line.lines[index]
        style.strokeColor, style.strokeWidth = PALETTE[0], 1.5
        style.symbol = makeMarker("FilledCircle", size=4, fillColor=PALETTE[0], strokeColor=PALETTE[0])
        if sum(value is not None for value in run) >= 2:
            style.lineStyle = "joinedLine"
    # ReportLab numbers a line's labels by drawn point, skipping months without a value, so the
    # labels are given in that order rather than computed from the data by position.
    show = rating_text or "{:.2f}".format
    line.lineLabelFormat = "values"
    line.lineLabelArray = [[show(value) for value in run if value is not None] for run in line.data]
    line.lineLabels.fontName, line.lineLabels.fontSize = font_name(False), FONT_SIZE - 2
    line.lineLabels.fillColor = INK
    line.lineLabels.dy = 5
    drawing.add(line)


def _runs(values: tuple) -> list[tuple]:
    """One series per unbroken run of months, so the line stops where a month has no rating
    instead of bridging it (a single month is a dot)."""
    runs, current = [], None
    for index, value in enumerate(values):
        if value is None:
            current = None
            continue
        if current is None:
            current = [None] * len(values)
            runs.append(current)
        current[index] = value
    return [tuple(run) for run in runs]


def _bars(chart: ChartData, drawing: Drawing, top: float, rating_text=None) -> None:
    names = [_fitted(name, MAX_LABEL_WIDTH) for name in chart.short_categories]
    label_width = max((stringWidth(name, font_name(False), FONT_SIZE) for name in names), default=0)
    bars = HorizontalBarChart()
    bars.x, bars.y = label_width + 8, 14
    bars.width, bars.height = WIDTH - bars.x - 12, top - bars.y - 6
    values = chart.series[0].values
    # The first category at the top, where a reader starts.
    bars.data = [tuple(reversed([value or 0 for value in values]))]
    bars.categoryAxis.categoryNames = list(reversed(names))
    _style_axes(bars)
    _value_axis(bars.valueAxis, _largest(chart, False), headroom=1.15)  # room for the figure after a bar
    bars.bars[0].fillColor = PALETTE[0]
    bars.bars[0].strokeColor = None
    bars.barLabelFormat = "%d"
    bars.barLabels.fontName, bars.barLabels.fontSize, bars.barLabels.fillColor = font_name(False), FONT_SIZE, INK
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 3
    drawing.add(bars)


def _fitted(text: str, width: float) -> str:
    """The text, or as much of it as fits followed by an ellipsis (the table has it whole)."""
    font = font_name(False)
    if stringWidth(text, font, FONT_SIZE) <= width:
        return text
    while text and stringWidth(text + "…", font, FONT_SIZE) > width:
        text = text[:-1]
    return text.rstrip() + "…"


DRAWERS = {STACKED_COLUMNS: _stacked_columns, LINE: _line, BARS: _bars}


def chart_drawing(chart: ChartData, rating_text: Callable[[float], str] | None = None) -> Drawing:
    """A WIDTH x HEIGHT drawing: the title at the top, then the chart.

    `rating_text` writes an average rating as the reader's language does (4,50 in French).
    """
    # Otherwise the renderer starts from Helvetica, listed unembedded in the PDF.
    drawing = Drawing(WIDTH, HEIGHT, initialFontName=font_name(False), initialFontSize=FONT_SIZE)
    # A title longer than the chart (a translation may be) is set smaller, down to the axis size.
    title_size = max(FONT_SIZE, min(TITLE_SIZE, TITLE_SIZE * WIDTH / max(1, stringWidth(chart.title, font_name(True), TITLE_SIZE))))
    drawing.add(String(0, HEIGHT - TITLE_SIZE, chart.title, fontName=font_name(True), fontSize=title_size, fillColor=INK))
    DRAWERS[chart.kind](chart, drawing, HEIGHT - TITLE_SIZE - 6, rating_text)
    return drawing


SVG_FONTS = {"DejaVuSans": ("DejaVu Sans, Verdana, sans-serif", None), "DejaVuSans-Bold": ("DejaVu Sans, Verdana, sans-serif", "bold")}


def chart_svg(chart: ChartData, element_id: str, rating_text: Callable[[float], str] | None = None) -> str:
    """Inline SVG markup, with no style attribute, a title for screen readers and no fixed size."""
    source = renderSVG.drawToString(chart_drawing(chart, rating_text))
    root = ET.fromstring(source.encode("utf-8"))
    for element in root.iter():
        style = element.attrib.pop("style", None)
        for declaration in (style or "").split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name and name not in element.attrib:
                element.set(name, value)
        family = element.get("font-family")
        if family in SVG_FONTS:
            element.set("font-family", SVG_FONTS[family][0])
            if SVG_FONTS[family][1]:
                element.set("font-weight", SVG_FONTS[family][1])
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("role", "img")
    root.set("class", "chart")
    root.set("aria-labelledby", f"{element_id}-title")
    title = root.find(f"{{{SVG_NS}}}title")
    if title is not None:
        title.text = chart.title
        title.set("id", f"{element_id}-title")
    description = root.find(f"{{{SVG_NS}}}desc")
    if description is not None:
        root.remove(description)
    # ReportLab writes the same ids ("clip", "group") in every drawing; on a page with four
    # charts, they must not be shared.
    for element in root.iter():
        if element is not root and "id" in element.attrib and element is not title:
            element.set("id", f"{element_id}-{element.get('id')}")
        for name in ("clip-path", "mask", "fill"):
            value = element.get(name, "")
            if value.startswith("url(#"):
                element.set(name, f"url(#{element_id}-{value[5:]}")
    root.set("id", element_id)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ET.tostring(root, encoding="unicode")
