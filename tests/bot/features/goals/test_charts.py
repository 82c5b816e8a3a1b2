"""Progress chart PNGs: they open again, have a phone-friendly size, never crash."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from matplotlib import image

from bot.features.goals.chart_jobs import ChartInputs
from bot.features.goals.charts import progress_chart, progress_figure
from dialogs.rules.dates import SHORT_MONTHS as MONTHS

AMS = ZoneInfo("Europe/Amsterdam")
CREATED = datetime(2026, 11, 24, 15, tzinfo=AMS)
ROOT = Path(__file__).resolve().parents[4]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def render(points: list[tuple[datetime, float]], **overrides: object) -> bytes:
    kwargs: dict[str, object] = {
        "baseline": 4, "target": 12, "created": CREATED, "deadline": date(2027, 6, 1),
        "title": "Meer deelnemers aan het taalcafé", "lang": "nl",
    }
    kwargs.update(overrides)
    return progress_chart(points, **kwargs)  # type: ignore[arg-type]


def pixels(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_MAGIC)
    array = image.imread(io.BytesIO(png), format="png")
    height, width = array.shape[:2]
    return width, height


@pytest.mark.parametrize("count", [0, 1, 40])
def test_chart_opens_with_phone_size(count: int) -> None:
    points = [(CREATED + timedelta(days=4 * (i + 1)), 4 + 0.2 * i) for i in range(count)]
    width, height = pixels(render(points))
    assert 700 <= width <= 1300 and 400 <= height <= 800
    assert width > height


def test_reduction_goal_english_short_span_and_odd_input() -> None:
    points = [(CREATED + timedelta(hours=5), 38.0), (CREATED + timedelta(days=1), float("nan"))]
    png = render(points, baseline=40, target=12.5, deadline=date(2026, 11, 26), lang="en",
                 title="Shorter waiting list 📚 " + "with a very long title " * 10)
    assert pixels(png)[0] >= 700


def test_points_in_other_zones_and_unsorted() -> None:
    points = [(datetime(2027, 2, 1, 8, tzinfo=ZoneInfo("UTC")), 9.0),
              (datetime(2027, 1, 1, 8, tzinfo=AMS), 6.0)]
    assert pixels(render(points))


def test_flat_goal_does_not_crash() -> None:
    assert pixels(render([], baseline=5, target=5))


def test_dutch_month_abbreviations_do_not_depend_on_locale() -> None:
    assert MONTHS["nl"][2] == "mrt" and MONTHS["nl"][4] == "mei" and MONTHS["nl"][9] == "okt"


def test_rendering_in_threads() -> None:
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(render([]))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3 and all(r.startswith(PNG_MAGIC) for r in results)


def test_import_has_no_pyplot_or_backend_side_effects() -> None:
    # (Reading rcParams["backend"] would itself import pyplot, so only check the module.)
    code = "import sys, bot.features.goals.charts; assert 'matplotlib.pyplot' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


@pytest.mark.parametrize(("metric", "lang", "shown"), [
    ("aantal verschillende deelnemers", "nl", "verschillende deelnemers"),
    ("Het aantal taalcafé-avonden", "nl", "taalcafé-avonden"),
    ("nieuwe bibliotheekpassen", "nl", "nieuwe bibliotheekpassen"),
    ("number of library cards", "en", "library cards"),
    ("", "nl", "Waarde"),
    ("", "en", "Value"),
])
def test_the_y_axis_says_what_the_goal_counts(metric: str, lang: str, shown: str) -> None:
    """The y-axis names the goal's measure ("verschillende deelnemers"), not "Waarde"."""
    figure = progress_figure([], baseline=4, target=12, created=CREATED,
                             deadline=date(2027, 6, 1), title="Nieuwkomers bereiken",
                             lang=lang, unit=metric)
    assert figure.axes[0].get_ylabel().replace("\n", " ") == shown


def test_a_long_measure_fits_beside_the_axis() -> None:
    figure = progress_figure([], baseline=4, target=12, created=CREATED,
                             deadline=date(2027, 6, 1), title="Bereik", lang="nl",
                             unit="aantal deelnemers dat na drie maanden nog steeds elke week "
                                  "naar het taalcafé in de bibliotheek komt")
    lines = figure.axes[0].get_ylabel().split("\n")
    assert len(lines) <= 2 and all(len(line) <= 30 for line in lines), lines


def test_a_goal_chart_is_drawn_again_when_its_measure_or_the_chart_code_changes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key holds the measure and the chart code's source: a chart drawn with
    "Waarde" before this change is not served again."""
    from bot.features.goals import chart_jobs

    inputs = ChartInputs(points=[], baseline=0, target=30, created=CREATED,
                         deadline=date(2027, 3, 31), title="Nieuwkomers bereiken", lang="nl",
                         unit="aantal verschillende deelnemers")
    other = dataclasses.replace(inputs, unit="aantal bezoeken")
    assert inputs.key() != other.key()
    assert inputs.draw() != dataclasses.replace(inputs, unit="").draw()  # drawn with it
    before = inputs.key()
    chart_jobs._chart_code.cache_clear()
    monkeypatch.setattr(chart_jobs, "_chart_code", lambda: b"# the chart code, changed")
    assert inputs.key() != before
