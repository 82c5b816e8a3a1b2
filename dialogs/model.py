"""Dialog definitions as data: pydantic models plus the checks run when they load."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator, Mapping
from typing import Literal, Protocol

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")

ID_RE = re.compile(r"^[a-z0-9_]{1,24}$")
# Buttons carry "<rev>.<code>"; ids are kept short so the whole string fits Telegram's 64 bytes.
MAX_ID = 24

class DefinitionError(ValueError):
    """A dialog definition breaks one of the definition-time rules."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class Text(Strict):
    """A text in both languages; both must exist and use the same placeholders."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @model_validator(mode="after")
    def _same_placeholders(self) -> Text:
        if _fields(self.nl) != _fields(self.en):
            raise ValueError(f"nl and en use different placeholders: {self.nl!r} / {self.en!r}")
        return self

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


def is_step(target: str) -> bool:
    """A route target within the dialog (not `@dialog` or `/command`)."""
    return not target.startswith(("@", "/"))


class Route(Strict):
    """Where to go next. `to` is a step id, `@dialog` to start another dialog, or
    `/command` (with `{placeholders}` from the dialog's data as its arguments) to end the
    dialog and run that command, as if the librarian had typed it.

    `when` names a condition (a fact from the context, `!fact` for its negation): a route
    whose condition is false is quietly not taken.
    """

    to: str
    when: str | None = None


class Option(Strict):
    """A button of a step. With `when` (a fact, `!fact` for its negation) it is shown, and
    taken, only while that condition holds."""

    id: str
    label: Text
    next: list[Route] = []
    value: str | None = None
    when: str | None = None

    @field_validator("next", mode="before")
    @classmethod
    def _routes(cls, v: object) -> object:
        return _as_routes(v)


class Item(Strict):
    """A checklist item. With `ask`, tapping it opens that question instead of ticking it."""

    id: str
    label: Text
    ask: str | None = None


class Question(Strict):
    """An open question for live mode, with a one-line hint on how to ask it openly."""

    id: str
    text: Text
    hint: Text


class KindRules(Protocol):
    """What loading a definition asks of a step kind (the whole protocol is `StepKind`, in
    dialogs/run.py)."""

    rests: bool

    def check(self, step: Step) -> Iterable[str]:
        ...


def _kinds(info: ValidationInfo) -> Mapping[str, KindRules]:
    """The step kinds a definition may use: the registry the loader passes in its validation
    context (`kinds`; the catalog passes the one it was given). The kinds build on these
    models, so they are handed in rather than imported."""
    kinds: Mapping[str, KindRules] | None = (info.context or {}).get("kinds")
    if kinds is None:
        raise ValueError("no step kinds to check against: validate with context={'kinds': ...}")
    return kinds


class Step(Strict):
    kind: str  # a name in the step kind registry the loader passes in (dialogs.kinds)
    text: Text
    next: list[Route] = []
    save: str | None = None
    validate_: list[str] = Field(default=[], alias="validate")
    optional: bool = False
    rest: bool = False
    options: list[Option] = []
    options_from: str | None = None
    items: list[Item] = []
    questions: list[Question] = []
    checklist: str | None = None
    ticks: str | None = None
    effect: str | None = None
    # Option buttons side by side, this many to a row (a menu of short labels).
    columns: int = Field(default=1, ge=1, le=3)
    # Where a tapped stored choice (`options_from`) is saved, when typed text goes to `save`.
    choice_save: str | None = None
    # The checklist item (`p2.themes`) whose texts an `entries` step keeps.
    holds: str | None = None
    # Data an answer here makes obsolete (a new goal begins: the last one's optional picks
    # must not carry over into it), dropped whenever this step saves an answer.
    clears: list[str] = []

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("next", mode="before")
    @classmethod
    def _routes(cls, v: object) -> object:
        return _as_routes(v)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str, info: ValidationInfo) -> str:
        kinds = _kinds(info)
        if v not in kinds:
            raise ValueError(f"unknown step kind {v!r} (known: {', '.join(kinds)})")
        return v

    @model_validator(mode="after")
    def _shape(self, info: ValidationInfo) -> Step:
        kinds = _kinds(info)
        # The kind's own rules first (what a checklist needs, where an end may lead...).
        problems = list(kinds[self.kind].check(self))
        if problems:
            raise ValueError("; ".join(problems))
        if self.rest and not kinds[self.kind].rests:
            resting = [name for name, kind in kinds.items() if kind.rests]
            names = " and ".join([", ".join(resting[:-1]), resting[-1]] if resting[1:] else resting)
            raise ValueError(f"only {names} steps can be resting steps")
        return self

    def targets(self) -> Iterator[str]:
        for route in self.next:
            yield route.to
        for option in self.options:
            for route in option.next:
                yield route.to
        for item in self.items:
            if item.ask:
                yield item.ask


class Dialog(Strict):
    id: str
    title: Text
    start: str
    answers: bool = False
    # Data the code that starts this dialog passes in (its texts may show it); `passed_in`
    # is data it may pass in, or not.
    given: list[str] = []
    passed_in: list[str] = []
    # Other steps the code may begin this dialog at, besides `start`.
    begins: list[str] = []
    steps: dict[str, Step]

    @model_validator(mode="after")
    def _graph(self) -> Dialog:
        problems = list(check_dialog(self))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def step(self, step_id: str) -> Step:
        return self.steps[step_id]


def _as_routes(v: object) -> object:
    if isinstance(v, str):
        return [{"to": v}]
    return v


def check_dialog(d: Dialog) -> Iterator[str]:
    """Definition-time rules within one dialog (cross-dialog rules live in the catalog)."""
    if not ID_RE.match(d.id):
        yield f"dialog id {d.id!r} must be lowercase letters, digits or _ (max {MAX_ID})"
    for first in [d.start, *d.begins]:
        if first not in d.steps:
            yield f"start step {first!r} does not exist"
    for sid, step in d.steps.items():
        yield from _step_problems(d, sid, step)
    reachable = _reachable(d)
    for sid in d.steps:
        if sid not in reachable:
            yield f"step {sid!r} is unreachable from {', '.join([d.start, *d.begins])!r}"


def _step_problems(d: Dialog, sid: str, step: Step) -> Iterator[str]:
    """The ids within one step, and where its routes lead."""
    if not ID_RE.match(sid):
        yield f"step id {sid!r} must be lowercase letters, digits or _ (max {MAX_ID})"
    buttons = [o.id for o in step.options] + [i.id for i in step.items]
    questions = [q.id for q in step.questions]
    for oid in buttons:
        if not ID_RE.match(oid):
            yield f"{sid}: button id {oid!r} must be lowercase letters, digits or _"
    for qid in questions:
        if not ID_RE.match(qid):
            yield f"{sid}: question id {qid!r} must be lowercase letters, digits or _"
    ids = buttons + questions
    if len(ids) != len(set(ids)):
        yield f"{sid}: button ids are not unique"
    for target in step.targets():
        if is_step(target) and target not in d.steps:
            yield f"{sid}: target {target!r} does not exist"
    saved = {s.save for s in d.steps.values() if s.save}
    for key in step.clears:
        if key not in saved:
            yield f"{sid}: clears {key!r}, which no step of this dialog saves"


def _reachable(d: Dialog) -> set[str]:
    seen: set[str] = set()
    todo = [d.start, *d.begins]
    while todo:
        sid = todo.pop()
        if sid in seen or sid not in d.steps:
            continue
        seen.add(sid)
        todo.extend(t for t in d.steps[sid].targets() if is_step(t))
    return seen
