"""Charts drawn on the server: the geometry of a bar chart, so a template writes plain inline SVG (no chart library,
nothing to download, readable with JavaScript off).

A bar's length is proportional to its value: width = value / max(values) × BAR_AREA (the longest bar fills the
area; a value of 0 draws no bar, only its label and number).
"""

from dataclasses import dataclass

LABEL_WIDTH = 120  # room for the label on the left of each bar
BAR_AREA = 200  # the longest bar's length
VALUE_WIDTH = 40  # room for the number after the bar
ROW_HEIGHT = 24
BAR_HEIGHT = 16
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH


@dataclass(frozen=True)
class ChartRow:
    """One row to draw: its label, the number it stands for, the band colouring it and, optionally, a link."""

    label: str
    value: int
    band: str
    href: str = ""


@dataclass(frozen=True)
class Bar:
    row: ChartRow
    y: float  # top of the bar
    text_y: float  # baseline of the label and the number
    width: float
    value_x: float  # where the number starts


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: `bars` from the top, in `width` × `height` SVG units; `hidden` rows not drawn."""

    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    hidden: int

    label_width = LABEL_WIDTH


def bar_chart(title: str, rows: list[ChartRow], limit: int = 10) -> BarChart:
    """The first `limit` rows as bars (the caller orders them), each as long as its share of the largest value."""
    shown = rows[:limit]
    largest = max((row.value for row in shown), default=0)
    bars = []
    for index, row in enumerate(shown):
        width = BAR_AREA * row.value / largest if largest else 0.0
        top = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        bars.append(Bar(row=row, y=top, text_y=top + BAR_HEIGHT - 4, width=round(width, 1),
                        value_x=round(LABEL_WIDTH + width + 6, 1)))
    return BarChart(title=title, bars=tuple(bars), width=WIDTH, height=max(len(bars), 1) * ROW_HEIGHT,
                    hidden=len(rows) - len(shown))


TREND_WIDTH = 320
TREND_HEIGHT = 80
TREND_MARGIN = 6


@dataclass(frozen=True)
class TrendChart:
    """A node's two scores over its history as polylines: x spreads the entries evenly, oldest left;
    y = (1 − score) × height, so the top of the box is a score of 1."""

    forced_labour: str  # SVG points
    child_labour: str
    width: int
    height: int
    entries: int


def trend_chart(history: list) -> TrendChart | None:
    """The polylines of history entries (oldest first, each with child_labour and forced_labour), or None for
    fewer than two entries (no trend to draw)."""
    if len(history) < 2:
        return None
    step = (TREND_WIDTH - 2 * TREND_MARGIN) / (len(history) - 1)
    inner = TREND_HEIGHT - 2 * TREND_MARGIN

    def points(name):
        return " ".join(f"{TREND_MARGIN + i * step:.1f},{TREND_MARGIN + (1 - getattr(e, name)) * inner:.1f}"
                        for i, e in enumerate(history))

    return TrendChart(points("forced_labour"), points("child_labour"), TREND_WIDTH, TREND_HEIGHT, len(history))
