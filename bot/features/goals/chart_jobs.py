"""Progress charts made later: what a chart depends on is read when asked for (on the
database's thread), the drawing happens off the event loop, in a worker process, and is
skipped when the same inputs were drawn before (storage/charts.py keeps the drawings)."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from bot.app.users import zone_of
from bot.features.goals import view as view
from bot.ops import offload
from dialogs.replies import Attachment
from storage.charts import ChartCache
from storage.goals import Goal, GoalRepo
from storage.store import User


@dataclass(frozen=True)
class ChartJob:
    """A goal's progress chart (a PNG photo) to be made later: nothing is read until then."""

    repo: GoalRepo
    user: User
    goal: Goal

    def __call__(self) -> Attachment:
        return self.prepare()()

    def prepare(self) -> PreparedChart:
        """Read the goal's progress now (on the database's thread); the result draws the chart
        when called, in any thread, unless the same inputs were drawn before."""
        goal, tz = self.goal, zone_of(self.user)
        inputs = ChartInputs(points=self.repo.progress(goal.id), baseline=goal.baseline,
                             target=goal.target, created=goal.created_at.astimezone(tz),
                             deadline=goal.deadline, title=goal.specific,
                             lang=self.user.language, unit=goal.metric)
        key = inputs.key()
        cache = ChartCache(self.repo.store)
        return PreparedChart(goal.id, key, inputs, cache.get(goal.id, key),
                             view.short(goal.specific, 200))


@dataclass(frozen=True)
class ChartInputs:
    """Everything a progress chart depends on: plain data a worker process can take."""

    points: list[tuple[datetime, float]]
    baseline: float
    target: float
    created: datetime
    deadline: date
    title: str
    lang: str
    unit: str = ""  # the goal's measure, which the y-axis names

    def key(self) -> str:
        """Changes when anything drawn changes, the chart code included."""
        digest = hashlib.sha256(_chart_code())
        digest.update(repr(dataclasses.astuple(self)).encode())
        return digest.hexdigest()

    def draw(self) -> bytes:
        from bot.features.goals.charts import (  # matplotlib is loaded only where drawn
            png,
            progress_figure,
        )

        return png(progress_figure(self.points, baseline=self.baseline, target=self.target,
                                   created=self.created, deadline=self.deadline,
                                   title=self.title, lang=self.lang, unit=self.unit))


@dataclass(frozen=True)
class PreparedChart:
    """A chart whose data was read: call it (in a worker thread) for the photo."""

    goal_id: int
    key: str
    inputs: ChartInputs
    cached: bytes | None
    caption: str

    def __call__(self) -> Attachment:
        png = self.cached if self.cached is not None else offload.call(ChartInputs.draw,
                                                                       self.inputs)
        return Attachment(kind="photo", filename=f"goal-{self.goal_id}.png", content=png,
                          caption=self.caption)

    def remember(self, cache: ChartCache, drawn: Attachment) -> None:
        """Keep a new drawing for next week (on the database's thread)."""
        if self.cached is None:
            cache.put(self.goal_id, self.key, drawn.content)


@lru_cache(maxsize=1)
def _chart_code() -> bytes:
    # its source, without importing matplotlib
    spec = importlib.util.find_spec("bot.features.goals.charts")
    origin = spec.origin if spec else None
    return Path(origin).read_bytes() if origin else b""


def chart_job(repo: GoalRepo, user: User, goal: Goal) -> ChartJob:
    """The goal's chart, to be read and drawn when called (or `prepare()`d, then drawn)."""
    return ChartJob(repo, user, goal)
