"""The team leader's chart: phases × communities, each cell the share of a phase's items
ticked. Drawn like bot/features/goals/charts.py (object-oriented Figure on the Agg canvas, safe in
a worker
thread), in pieces of at most ROWS communities so each PNG stays readable on a phone and
within Telegram's photo limits (width + height at most 10,000 px)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from bot.features.goals.charts import DPI, FONT_SIZE

ROWS = 25  # communities in one PNG: 25 rows at this size make about 900 x 1,300 px
NAME = 30  # characters of a community's name beside its row
COLOURS = LinearSegmentedColormap.from_list("phase", ["#f4f6f8", "#2e8540"])


@dataclass(frozen=True)
class ChartRow:
    """One community's row: its name and each phase's (ticked, items). Nothing else."""

    name: str
    phases: tuple[tuple[int, int], ...]


@lru_cache(maxsize=1)
def _charmap() -> frozenset[int]:
    path = font_manager.findfont(font_manager.FontProperties())
    return frozenset(font_manager.get_font(path).get_charmap())


def drawable(text: str, limit: int = NAME) -> str:
    """Without characters the font cannot draw (emoji), cut to `limit` characters."""
    charmap = _charmap()
    clean = " ".join("".join(c for c in text if ord(c) in charmap or c.isspace()).split())
    return clean if len(clean) <= limit else clean[:limit - 1].rstrip() + "…"


def pieces(rows: list[ChartRow]) -> list[list[ChartRow]]:
    return [rows[i:i + ROWS] for i in range(0, len(rows), ROWS)] or [[]]


def phase_chart(rows: list[ChartRow], phases: list[str], title: str) -> bytes:
    """One PNG: a row per community, a column per phase, "3/5" in each cell."""
    height = 2.2 + 0.42 * max(1, len(rows))
    fig = Figure(figsize=(9.0, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    matrix = [[done / total if total else 0.0 for done, total in row.phases] or [0.0]
              for row in rows] or [[0.0] * len(phases)]
    ax.imshow(matrix, cmap=COLOURS, vmin=0.0, vmax=1.0, aspect="auto")
    for y, row in enumerate(rows):
        for x, (done, total) in enumerate(row.phases):
            full = total and done / total > 0.6
            ax.text(x, y, f"{done}/{total}", ha="center", va="center",
                    fontsize=FONT_SIZE - 3, color="white" if full else "#1b1b1b")
    ax.set_xticks(range(len(phases)), [drawable(p, 14) for p in phases],
                  fontsize=FONT_SIZE - 3)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), [drawable(r.name) for r in rows], fontsize=FONT_SIZE - 3)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    fig.suptitle(drawable(title, 60), fontsize=FONT_SIZE, x=0.02, ha="left")
    fig.subplots_adjust(left=0.36, right=0.98, top=1 - 1.3 / height, bottom=0.2 / height)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
