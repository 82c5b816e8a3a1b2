"""The kind registry: adding a kind is one module, its YAML and its tests.

`Tally` below stands for that module: it is registered from here, without touching the
engine, the model or the catalog, and a dialog using it runs through the engine.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.app.registry import load_catalog
from dialogs import engine
from dialogs.catalog import DEFINITIONS
from dialogs.kinds import KINDS, Kind, StepKind, with_kinds
from dialogs.model import DefinitionError, Route, Step
from dialogs.replies import Effect, Reply
from dialogs.run import Result, Run
from dialogs.state import Begin, Context, DialogState, Other, Press, Say
from tests.dialogs.kinds.walk import Walk, small_catalog


class Tally:
    """Counts taps on "+1" in place; typing "klaar" saves the count and moves on."""

    rests = False

    def check(self, step: Step) -> Iterable[str]:
        if not step.next:
            yield "a tally step needs next"

    def render(self, run: Run, state: DialogState, step: Step, edit: bool) -> Reply:
        text = step.text.get(run.ctx.lang).format_map(run.values(state))
        count = state.data.get("count", 0)
        return Reply(text=f"{text} {count}", buttons=[[run.button("+1", "t:up")]], edit=edit)

    def enter(self, run: Run, state: DialogState, step: Step,
              edit: bool) -> Result | list[Route]:
        run.replies.append(run.render(state, edit=edit))
        return run.finish(state, [])

    def say(self, run: Run, state: DialogState, step: Step, text: str) -> Result:
        if text.strip().casefold() != "klaar":
            return run.again(state, "choose_button")
        run.save(state, step, str(state.data.get("count", 0)))
        return run.enter(state, step.next)

    def press(self, run: Run, state: DialogState, step: Step, code: str,
              ident: str) -> Result | None:
        if (code, ident) != ("t", "up"):
            return None
        state.data["count"] = state.data.get("count", 0) + 1
        run.effects.append(Effect(name="tallied", data={"count": state.data["count"]}))
        run.keep_rev()
        return run.finish(state, [run.render(state, edit=True)])


TALLY = """
id: tally
title: {nl: Turven, en: Tally}
start: count
steps:
  count:
    kind: tally
    text: {nl: "Geteld bij {community}:", en: "Counted at {community}:"}
    save: total
    next: done
  done:
    kind: end
    text: {nl: "Klaar: {total}.", en: "Done: {total}."}
"""


def test_a_new_kind_registered_from_outside_runs_through_the_engine(tmp_path: Path) -> None:
    catalog = small_catalog(tmp_path / "defs", {"tally": TALLY}, with_kinds(tally=Tally()))
    walk = Walk(catalog, "tally")
    assert walk.text() == "Geteld bij Taalcafé: 0"
    shown = walk.rev
    walk.press("+1")
    walk.press("+1")
    assert walk.text() == "Geteld bij Taalcafé: 2" and walk.result.replies[0].edit
    assert walk.rev == shown and walk.effects("tallied") == [{"count": 2}]
    assert walk.state is not None
    assert engine.render(catalog, walk.state, walk.ctx()).text == "Geteld bij Taalcafé: 2"
    walk.say("hoeveel?")
    assert "Tik op een van de knoppen" in walk.text() and walk.rev == shown
    walk.say("Klaar")
    assert walk.state is None and walk.text() == "Klaar: 2."
    assert walk.effects("ended") == [{"dialog": "tally"}]


def test_a_press_the_new_kind_does_not_know_is_stale(tmp_path: Path) -> None:
    catalog = small_catalog(tmp_path / "defs", {"tally": TALLY}, with_kinds(tally=Tally()))
    walk = Walk(catalog, "tally")
    result = walk.go(Press(data=f"{walk.rev}.x:up"))
    assert result.stale and "eerdere stap" in (result.notice or "")
    assert not result.effects


def test_the_new_kind_checks_its_own_steps_when_they_load(tmp_path: Path) -> None:
    broken = TALLY.replace("    save: total\n    next: done\n", "    save: total\n")
    broken = broken.replace("Klaar: {total}.", "Klaar.").replace("Done: {total}.", "Done.")
    kinds = with_kinds(tally=Tally())
    with pytest.raises(DefinitionError, match="a tally step needs next") as info:
        small_catalog(tmp_path / "defs", {"tally": broken}, kinds)
    assert "tally.yaml" in str(info.value) and "steps.count" in str(info.value)


def test_a_kind_not_in_the_registry_is_refused_naming_file_and_step(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as info:
        small_catalog(tmp_path / "defs", {"tally": TALLY})
    message = str(info.value)
    assert message.startswith("tally.yaml: steps.count.kind")
    assert "unknown step kind 'tally'" in message and "checklist" in message


def test_a_misspelt_kind_in_a_shipped_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "defs"
    shutil.copytree(DEFINITIONS, folder)
    path = folder / "fieldwork" / "phase1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: checklist", "kind: checklst", 1), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"phase1\.yaml: steps\.\w+\.kind.*'checklst'"):
        load_catalog(folder)


def test_resting_steps_are_those_of_kinds_that_rest(tmp_path: Path) -> None:
    resting = TALLY.replace("    save: total\n", "    save: total\n    rest: true\n")
    with pytest.raises(DefinitionError, match="only choice and checklist steps can be resting"):
        small_catalog(tmp_path / "a", {"tally": resting}, with_kinds(tally=Tally()))

    class RestingTally(Tally):
        rests = True

    catalog = small_catalog(tmp_path / "b", {"tally": resting}, with_kinds(tally=RestingTally()))
    state = DialogState(dialog="tally", step="count", data={})
    passed = engine.step(catalog, state, Other(kind="sticker"), Context())
    assert passed.passthrough and not passed.replies


def test_builtin_kinds_follow_the_protocol_and_names_are_not_replaced() -> None:
    assert set(KINDS) == {"message", "question", "choice", "checklist", "live", "entries",
                          "several", "end"}
    for kind in [*KINDS.values(), Tally()]:
        assert isinstance(kind, StepKind)
    with pytest.raises(ValueError, match="'choice' already exists"):
        with_kinds(choice=Kind())
    assert "tally" not in KINDS and "tally" in with_kinds(tally=Tally())


def test_the_catalog_runs_steps_by_the_kinds_it_was_loaded_with(tmp_path: Path) -> None:
    catalog = small_catalog(tmp_path / "defs", {"tally": TALLY}, with_kinds(tally=Tally()))
    assert catalog.kinds["tally"].__class__ is Tally
    result = engine.step(catalog, None, Begin(dialog="tally"), Context(rev=4))
    assert result.rev == 5 and result.replies[0].buttons[0][0].data == "5.t:up"
    said = engine.step(catalog, result.state, Say(text="klaar"), Context(rev=5))
    assert said.state is None and said.replies[-1].text == "Klaar: 0."
