"""Progress chart as PNG, sized and lettered for a phone screen.

Uses the object-oriented Figure API with the Agg canvas: no pyplot global state, no
backend switch at import, safe to call from worker threads.
"""

from __future__ import annotations

import io
import math
import textwrap
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

from dialogs.replies import shorten
from dialogs.rules.dates import day_month, month_year
from dialogs.rules.goals.smart import counted_words, format_number

SIZE_INCHES = (8.0, 5.0)
DPI = 100  # 800 x 500 px
FONT_SIZE = 15
Y_LINE = 28  # characters of the y-axis label a line (two lines at most) beside 500 px
COLOURS = {"logged": "#1f5fa8", "plan": "#9aa5b1", "target": "#2e8540", "deadline": "#c0392b"}
LABELS = {
    "nl": {"logged": "Gemeten", "plan": "Planning", "target": "Doel", "deadline": "Einddatum",
           "x": "Datum", "y": "Waarde"},
    "en": {"logged": "Logged", "plan": "Plan", "target": "Target", "deadline": "Deadline",
           "x": "Date", "y": "Value"},
}


def progress_chart(
    points: list[tuple[datetime, float]],
    *,
    baseline: float,
    target: float,
    created: datetime,
    deadline: date,
    title: str,
    lang: str,
    size: tuple[float, float] = SIZE_INCHES,
    unit: str = "",
) -> bytes:
    """Render logged values, plan, target and deadline as a PNG, the y-axis naming the
    goal's measure (`unit`) or "Waarde" without one."""
    return png(progress_figure(points, baseline=baseline, target=target, created=created,
                               deadline=deadline, title=title, lang=lang, size=size,
                               unit=unit))


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def progress_figure(
    points: list[tuple[datetime, float]],
    *,
    baseline: float,
    target: float,
    created: datetime,
    deadline: date,
    title: str,
    lang: str,
    size: tuple[float, float] = SIZE_INCHES,
    unit: str = "",
) -> Figure:
    """The chart as a figure: logged values, plan, target and deadline; the y-axis names
    `unit`, the goal's measure ("aantal verschillende deelnemers"), or says "Waarde".

    The series starts with the baseline at `created`, so a goal without logged
    values still shows a point. Times are shown in `created`'s time zone.
    """
    lang = "nl" if lang == "nl" else "en"
    fits = round(Y_LINE * min(1.0, size[1] / SIZE_INCHES[1]))
    words = {**LABELS[lang], "y": y_label(unit, fits) or LABELS[lang]["y"]}
    tz = created.tzinfo
    start = _naive(created, tz)
    end = datetime.combine(deadline, time())
    series = [(start, baseline)] + sorted(
        (_naive(when, tz), value) for when, value in points if math.isfinite(value)
    )

    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    _draw(ax, series, end, target, lang)
    _style_axes(ax, [when for when, _ in series] + [end], lang, words)
    values = [value for _, value in series] + [target]
    low, high = min(values), max(values)
    pad = (high - low) * 0.12 or max(1.0, abs(high) * 0.1)
    ax.set_ylim(low - pad, high + pad)

    # Lettered the same at any size: a smaller figure (the Word report's, two a row) has
    # room for fewer characters and gives the margins a larger share.
    wide, high = size[0] / SIZE_INCHES[0], size[1] / SIZE_INCHES[1]
    ax.set_title(_fit_title(title, round(48 * wide)), fontsize=FONT_SIZE + 2, loc="left")
    rows = 1 if wide >= 1 else 2  # the legend's four entries on one row or two
    fig.legend(loc="lower center", ncol=4 // rows, fontsize=FONT_SIZE - 3, frameon=False)
    fig.subplots_adjust(left=0.12 / wide, right=1 - 0.04 / wide, top=1 - 0.14 / high,
                        bottom=(0.25 + 0.03 * (rows - 1)) / high)
    return fig


def y_label(unit: str, fits: int = Y_LINE) -> str:
    """The goal's measure without "aantal", on one or two lines of `fits` characters (as
    many as stand beside the axis)."""
    words = counted_words(unit)
    lines = textwrap.wrap(words, fits)
    if len(lines) > 2:
        lines = [lines[0], shorten(" ".join(lines[1:]), fits)]
    return "\n".join(lines)


def _draw(ax: Axes, series: list[tuple[datetime, float]], end: datetime, target: float,
          lang: str) -> None:
    """Plan (dimmed), logged values, target line and deadline line."""
    words = LABELS[lang]
    (start, baseline) = series[0]
    ax.plot([_num(start), _num(end)], [baseline, target], linestyle="--", linewidth=2,
            color=COLOURS["plan"], label=words["plan"])
    ax.plot([_num(when) for when, _ in series], [value for _, value in series], marker="o",
            markersize=8 if len(series) <= 20 else 5, linewidth=2.5,
            color=COLOURS["logged"], label=words["logged"])
    ax.axhline(target, color=COLOURS["target"], linewidth=2,
               label=f"{words['target']} ({format_number(target, lang)})")
    ax.axvline(_num(end), color=COLOURS["deadline"], linewidth=2, linestyle=":",
               label=words["deadline"])


def _num(when: datetime) -> float:
    return float(mdates.date2num(when))


def _naive(when: datetime, tz: tzinfo | None) -> datetime:
    """Drop the zone after converting to the chart's zone (matplotlib plots naive dates)."""
    if when.tzinfo is not None and tz is not None:
        when = when.astimezone(tz)
    return when.replace(tzinfo=None)


def _style_axes(ax: Axes, moments: list[datetime], lang: str, words: dict[str, str]) -> None:
    """Large tick labels, locale-independent month names, number format per language."""
    first, last = min(moments), max(moments)
    if last - first < timedelta(days=7):
        first, last = first - timedelta(days=3), last + timedelta(days=4)
    margin = (last - first) * 0.04
    ax.set_xlim(_num(first - margin), _num(last + margin))
    span = (last - first).days

    def label(x: float, _pos: int | None = None) -> str:
        d = mdates.num2date(x)
        if span > 150:
            return month_year(d, lang)
        return day_month(d, lang)

    if span > 150:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
    else:  # evenly spaced days; AutoDateLocator crowds "29 nov" next to "1 dec"
        step = max(1, math.ceil(span / 5))
        day0 = datetime.combine(first.date(), time())
        ax.xaxis.set_major_locator(
            FixedLocator([_num(day0 + timedelta(days=step * i)) for i in range(span // step + 2)])
        )
    ax.xaxis.set_major_formatter(FuncFormatter(label))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: format_number(y, lang)))
    ax.tick_params(labelsize=FONT_SIZE - 1)
    ax.set_xlabel(words["x"], fontsize=FONT_SIZE)
    ax.set_ylabel(words["y"], fontsize=FONT_SIZE)
    ax.grid(True, alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


@lru_cache(maxsize=1)
def _font_charmap() -> frozenset[int]:
    path = font_manager.findfont(font_manager.FontProperties())
    return frozenset(font_manager.get_font(path).get_charmap())


def _fit_title(title: str, width: int = 48) -> str:
    """At most two lines of `width` characters, without characters the font cannot draw
    (such as emoji)."""
    charmap = _font_charmap()
    clean = "".join(c for c in title if ord(c) in charmap or c.isspace())
    lines = textwrap.wrap(" ".join(clean.split()), width=width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width=width - 1,
                                            placeholder=" …")]
    return "\n".join(lines)
