"""The remediation report's chart: the monthly trend as grouped bars (reportlab graphics), labelled and with a
legend, drawn from gather.py's MonthRow records."""

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

SERIES = (
    ("findings", "Findings raised", colors.HexColor("#b5462f")),
    ("grievances", "Grievances received", colors.HexColor("#d9a441")),
    ("verified", "Corrective actions verified", colors.HexColor("#2f6f8f")),
)


def trend_chart(months: list, width: float, height: float = 220) -> Drawing:
    """Bars per month for each series of SERIES; the y axis counts cases, the x axis names the months."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 45, 55, width - 60, height - 90
    chart.data = [[getattr(month, name) for month in months] or [0] for name, _, _ in SERIES]
    chart.categoryAxis.categoryNames = [month.month.strftime("%b %y") for month in months] or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 45 if len(months) > 12 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(months) > 12 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    top = max((max(series) for series in chart.data), default=0)
    chart.valueAxis.valueMax = max(top + 1, 4)
    chart.valueAxis.valueStep = max(1, round(chart.valueAxis.valueMax / 4))
    chart.groupSpacing, chart.barSpacing = 6, 1
    for index, (_, _, colour) in enumerate(SERIES):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(String(12, 55 + chart.height / 2, "Cases", fontSize=8, textAnchor="middle", angle=90))
    drawing.add(String(45 + chart.width / 2, 55 - (34 if len(months) > 12 else 24), "Month", fontSize=8,
                       textAnchor="middle"))
    legend = Legend()
    legend.x, legend.y = 45, height - 10
    legend.alignment, legend.columnMaximum, legend.fontSize = "right", 1, 8
    legend.dx, legend.dy, legend.deltax = 8, 8, 150
    legend.colorNamePairs = [(colour, label) for _, label, colour in SERIES]
    drawing.add(legend)
    return drawing


def count_chart(labels: list[str], values: list[int], width: float, *, x_label: str, y_label: str,
                colour=colors.HexColor("#2f6f8f"), height: float = 170) -> Drawing:
    """One bar per label, its count written above it; both axes labelled."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 45, 40, width - 60, height - 60
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMax = max(max(values, default=0) * 1.15, 4)
    chart.valueAxis.valueStep = max(1, round(chart.valueAxis.valueMax / 4))
    chart.bars[0].fillColor, chart.bars[0].strokeColor = colour, None
    chart.barLabelFormat, chart.barLabels.fontSize, chart.barLabels.nudge = "%d", 7, 6
    drawing.add(chart)
    drawing.add(String(12, 40 + chart.height / 2, y_label, fontSize=8, textAnchor="middle", angle=90))
    drawing.add(String(45 + chart.width / 2, 14, x_label, fontSize=8, textAnchor="middle"))
    return drawing
