"""What the application provides for definitions to name, and what each step needs of it.

The application declares every fact (`when:`), context value (`{placeholder}`), choice
source (`options_from:`) and effect (`effect:`) it provides, in `Names`. The catalog refuses
a definition naming anything else, so a misspelling fails when it loads instead of quietly
never routing or showing "…". From the same declarations each step knows which facts,
values and choices an event at that step may touch; the application loads only those.

A name ending in `*` is a family: `goal_*` covers `goal_7_name`, `goal_7_now`, …
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dialogs.model import Dialog, Route, Step

# Values the engine fills from the user itself; every context has them.
BUILT_IN_VALUES = frozenset({"name", "lang"})
# Effects the engine emits on its own, besides those a definition names.
ENGINE_EFFECTS = frozenset({"tick", "answer", "note", "ended", "live_prompt", "live_note",
                            "live_mark", "entry_add", "entry_edit", "entry_remove",
                            "offer_note"})
ANSWERS = "answer.*"  # stored answers of the active community, shown under a question
ITEM_TEXTS = "item.*"  # what each checklist item holds (`item.p1.frame`), shown under it


@dataclass(frozen=True)
class Names:
    """The names the application provides (declared by the code that provides each)."""

    facts: frozenset[str] = frozenset()
    values: frozenset[str] = frozenset()
    choices: frozenset[str] = frozenset()
    effects: frozenset[str] = frozenset()
    commands: frozenset[str] = frozenset()

    def has_value(self, name: str) -> bool:
        return name in BUILT_IN_VALUES or covered(name, self.values)


def covered(name: str, declared: Iterable[str]) -> bool:
    """Whether `name` is one of `declared` or belongs to a family there (`goal_*`)."""
    for entry in declared:
        if entry == name or (entry.endswith("*") and name.startswith(entry[:-1])):
            return True
    return False


@dataclass(frozen=True)
class Needs:
    facts: frozenset[str] = frozenset()
    values: frozenset[str] = frozenset()
    choices: frozenset[str] = frozenset()
    ticks: bool = False

    def __or__(self, other: Needs) -> Needs:
        return Needs(self.facts | other.facts, self.values | other.values,
                     self.choices | other.choices, self.ticks or other.ticks)


NOTHING = Needs()


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def step_placeholders(step: Step) -> set[str]:
    """Both languages use the same placeholders (checked when a text loads)."""
    names = placeholders(step.text.nl)
    for option in step.options:
        names |= placeholders(option.label.nl)
    return names


def saved_keys(dialog: Dialog) -> set[str]:
    """Keys the dialog's own data holds: its answers, and what its starter passes in."""
    saved = {s.save for s in dialog.steps.values() if s.save}
    saved |= {s.choice_save for s in dialog.steps.values() if s.choice_save}
    return saved | set(dialog.given) | set(dialog.passed_in)


@dataclass
class NeedsIndex:
    """Per step: what an event there may need (rendering it, leaving it, arriving anywhere
    it leads to, through message steps). Built once per catalog."""

    dialogs: dict[str, Dialog]
    checklists: frozenset[str]
    computed_uses: dict[str, frozenset[str]]
    validator_uses: dict[str, frozenset[str]]
    names: Names
    _render: dict[tuple[str, str], Needs] = field(default_factory=dict)
    _event: dict[tuple[str, str], Needs] = field(default_factory=dict)

    def render(self, dialog_id: str, step_id: str) -> Needs:
        key = (dialog_id, step_id)
        if key not in self._render:
            self._render[key] = self._render_needs(self.dialogs[dialog_id], step_id)
        return self._render[key]

    def event(self, dialog_id: str, step_id: str) -> Needs:
        key = (dialog_id, step_id)
        if key not in self._event:
            step = self.dialogs[dialog_id].step(step_id)
            needs = self.render(dialog_id, step_id) | self._leave(step)
            for target in step.targets():
                needs |= self._arrive(dialog_id, target, set())
            self._event[key] = needs
        return self._event[key]

    def begin(self, dialog_id: str, step_id: str | None = None) -> Needs:
        dialog = self.dialogs[dialog_id]
        return self._arrive(dialog_id, step_id or dialog.start, set())

    def _arrive(self, dialog_id: str, target: str, seen: set[tuple[str, str]]) -> Needs:
        if target.startswith("/"):  # ends the dialog; its arguments come from the data
            provided = {n for n in placeholders(target) if self.names.has_value(n)}
            return Needs(values=frozenset(provided - BUILT_IN_VALUES))
        if target.startswith("@"):
            dialog_id, target = target[1:], self.dialogs[target[1:]].start
        if (dialog_id, target) in seen:
            return NOTHING
        seen.add((dialog_id, target))
        step = self.dialogs[dialog_id].step(target)
        needs = self.render(dialog_id, target)
        if step.kind == "message":  # passed through on the way: its routes are taken now
            needs |= self._leave(step)
            for route in step.next:
                needs |= self._arrive(dialog_id, route.to, seen)
        return needs

    def _leave(self, step: Step) -> Needs:
        routes: list[Route] = [*step.next]
        for option in step.options:
            routes += option.next
        facts = {r.when.lstrip("!") for r in routes if r.when}
        return Needs(facts=frozenset(facts))

    def _render_needs(self, dialog: Dialog, step_id: str) -> Needs:
        step = dialog.step(step_id)
        values: set[str] = set()
        ticks = step.kind == "checklist"
        for name in step_placeholders(step):
            if name in self.checklists:
                ticks = True
            elif name in self.computed_uses:
                values |= self.computed_uses[name]
            elif self.names.has_value(name) and name not in BUILT_IN_VALUES:
                values.add(name)
        for spec in step.validate_:
            values |= self.validator_uses.get(spec.split(":")[0], frozenset())
        if step.kind == "question" and step.save and dialog.answers:
            values.add(ANSWERS)
        if ticks:  # a checklist shows what its items hold
            values.add(ITEM_TEXTS)
        choices = {step.options_from} if step.options_from else set()
        if step.holds:
            choices.add(f"entries.{step.holds}")
        facts = {o.when.lstrip("!") for o in step.options if o.when}  # which buttons show
        return Needs(facts=frozenset(facts), values=frozenset(values),
                     choices=frozenset(choices), ticks=ticks)


def unknown_names(dialog: Dialog, names: Names, computed: Iterable[str],
                  checklists: Iterable[str]) -> Iterator[str]:
    """Problems with names in one dialog that nobody provides, worded for a trainer."""
    computed, checklists = set(computed), set(checklists)
    saved = saved_keys(dialog)
    for sid, step in dialog.steps.items():
        where = f"{dialog.id}.yaml, step {sid}"
        for name in sorted(step_placeholders(step)):
            if not (name in saved or name in computed or name in checklists
                    or names.has_value(name)):
                yield f"{where}: unknown placeholder {{{name}}}"
        yield from _unknown_facts(where, step, names)
        for target in step.targets():
            if target.startswith("/"):
                yield from _unknown_in_command(where, target, names, saved)
        if step.effect and step.effect not in names.effects:
            yield f"{where}: unknown effect {step.effect!r}"
        if step.options_from and step.options_from not in names.choices:
            yield f"{where}: unknown choice source {step.options_from!r} in options_from"


def _unknown_facts(where: str, step: Step, names: Names) -> Iterator[str]:
    """Conditions (`when:`) of the step's routes and options naming no declared fact."""
    routes = [*step.next] + [r for o in step.options for r in o.next]
    conditions = [r.when for r in routes] + [o.when for o in step.options]
    for when in conditions:
        if when and when.lstrip("!") not in names.facts:
            yield f"{where}: unknown fact {when.lstrip('!')!r} in when"


def _unknown_in_command(where: str, target: str, names: Names,
                        saved: set[str]) -> Iterator[str]:
    """A `/command {args}` route: the command, and the placeholders of its arguments."""
    command = target[1:].split(" ", 1)[0]
    if command not in names.commands:
        yield f"{where}: unknown command {target.split(' ', 1)[0]!r} in next"
    for name in sorted(placeholders(target)):
        if not (name in saved or names.has_value(name)):
            yield f"{where}: unknown placeholder {{{name}}} in {target!r}"
