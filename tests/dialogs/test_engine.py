"""The engine on its own: every dialog driven without Telegram or a database."""

from __future__ import annotations

import pytest

from dialogs import engine
from dialogs.catalog import Catalog
from dialogs.state import Begin, Choice, Context, DialogState, Other, Press, Say


def ctx(**kw: object) -> Context:
    base: dict[str, object] = {"lang": "nl", "rev": 0, "values": {"community": "Taalcafé"}}
    base.update(kw)
    return Context.model_validate(base)


def begin(catalog: Catalog, dialog: str, **kw: object) -> engine.Result:
    return engine.step(catalog, None, Begin(dialog=dialog), ctx(**kw))


def button(result: engine.Result, label_part: str) -> str:
    for reply in result.replies:
        for row in reply.buttons:
            for b in row:
                if label_part in b.label:
                    return b.data
    raise AssertionError(f"no {label_part!r} in {[r.text for r in result.replies]}")


def test_start_asks_for_a_community_when_there_is_none(catalog: Catalog) -> None:
    result = begin(catalog, "start")
    assert result.state is not None and result.state.step == "ask_name"
    assert "Met welke community" in result.replies[-1].text


def test_start_greets_once_above_the_first_question(catalog: Catalog) -> None:
    result = begin(catalog, "start")
    greeting, question = result.replies
    assert greeting.lead and "Hallo" in greeting.text and "Hallo" not in question.text


def test_community_name_then_optional_theme_creates_the_community(catalog: Catalog) -> None:
    first = begin(catalog, "start")
    second = engine.step(catalog, first.state, Say(text="  Jonge ondernemers Zuid "),
                         ctx(rev=first.rev))
    assert second.state is not None and second.state.step == "ask_theme"
    assert "Jonge ondernemers Zuid" in second.replies[-1].text
    skipped = engine.step(catalog, second.state, Press(data=button(second, "Overslaan")),
                          ctx(rev=second.rev))
    created = [e for e in skipped.effects if e.name == "create_community"]
    assert created and created[0].data["name"] == "Jonge ondernemers Zuid"
    assert "theme" not in created[0].data


def test_empty_or_whitespace_answer_is_refused_with_a_reason(catalog: Catalog) -> None:
    first = begin(catalog, "start")
    again = engine.step(catalog, first.state, Say(text="   \n "), ctx(rev=first.rev))
    assert again.state == first.state
    assert "niet leeg" in again.replies[0].text
    assert not again.effects


def test_phase_two_before_phase_one_opens_and_offers_phase_one(catalog: Catalog) -> None:
    # Never blocked: the phase opens, led by phase 1 (the lead line is the application's).
    facts = {"phase1_by_hand": True}
    lead = {"community": "X", "p1": "2/5", "phase1_lead": "☝️ Eerst fase 1\n\n"}
    overview = begin(catalog, "phases", values=lead, facts=facts)
    opened = engine.step(catalog, overview.state, Press(data=button(overview, "2.")),
                         ctx(rev=overview.rev, values=lead, facts=facts))
    assert opened.state is not None and opened.state.dialog == "phase2"
    assert opened.replies[-1].text.startswith("☝️ Eerst fase 1\n\nFase 2 · ")
    to_one = engine.step(catalog, opened.state, Press(data=button(opened, "Naar fase 1")),
                         ctx(rev=opened.rev, facts=facts))
    assert to_one.state is not None and to_one.state.dialog == "phase1"


def test_a_button_with_a_condition_shows_and_is_taken_only_while_it_holds(
        catalog: Catalog) -> None:
    overview = begin(catalog, "phases", values={"community": "X"})
    labels = [b.label for row in overview.replies[-1].buttons for b in row]
    assert not any("Kapstok" in label for label in labels)
    forged = f"{overview.rev}.o:frame"
    pressed = engine.step(catalog, overview.state, Press(data=forged), ctx(rev=overview.rev))
    assert pressed.state is not None and pressed.state.dialog == "phases"
    facts = {"phase1_by_frame": True}
    shown = begin(catalog, "phases", values={"community": "X"}, facts=facts)
    taken = engine.step(catalog, shown.state, Press(data=button(shown, "Kapstok")),
                        ctx(rev=shown.rev, facts=facts))
    assert taken.state is not None and taken.state.dialog == "library"


def test_any_phase_opens_once_phase_one_is_done(catalog: Catalog) -> None:
    facts = {"phase1_done": True}
    for number in range(2, 7):
        overview = begin(catalog, "phases", facts=facts)
        opened = engine.step(catalog, overview.state,
                             Press(data=button(overview, f"{number}.")),
                             ctx(rev=overview.rev, facts=facts))
        assert opened.state is not None and opened.state.dialog == f"phase{number}"


def test_checklist_tap_ticks_and_untaps_in_place(catalog: Catalog) -> None:
    opened = begin(catalog, "phase1")
    data = button(opened, "Beleidsplan")
    ticked = engine.step(catalog, opened.state, Press(data=data), ctx(rev=opened.rev))
    assert ticked.effects[0].data == {"item": "p1.policy", "on": True}
    assert ticked.replies[0].edit
    assert "✅ Beleidsplan" in [b.label for row in ticked.replies[0].buttons for b in row][0]
    again = engine.step(catalog, ticked.state, Press(data=button(ticked, "Beleidsplan")),
                        ctx(rev=ticked.rev, ticks={"p1": {"policy"}}))
    assert again.effects[0].data == {"item": "p1.policy", "on": False}


def test_frame_answer_is_kept_and_ticks_its_item(catalog: Catalog) -> None:
    opened = begin(catalog, "phase1")
    asked = engine.step(catalog, opened.state, Press(data=button(opened, "Kapstok")),
                        ctx(rev=opened.rev))
    assert asked.state is not None and asked.state.step == "frame"
    frame = "Wij zijn er voor leesplezier, meedoen en ontmoeting in de wijk."
    saved = engine.step(catalog, asked.state, Say(text=frame), ctx(rev=asked.rev))
    names = {(e.name, str(e.data.get("key") or e.data.get("item"))) for e in saved.effects}
    assert ("answer", "phase1.frame") in names and ("tick", "p1.frame") in names
    assert saved.state is not None and saved.state.step == "checklist"


def test_phase_three_guided_dialog_validates_each_answer(catalog: Catalog) -> None:
    facts = {"phase1_done": True}
    opened = begin(catalog, "phase3", facts=facts)
    r = engine.step(catalog, opened.state, Press(data=button(opened, "Alles doorlopen")),
                    ctx(rev=opened.rev))
    refused = engine.step(catalog, r.state, Say(text=""), ctx(rev=r.rev))
    assert "niet leeg" in refused.replies[0].text
    r = engine.step(catalog, r.state, Say(text="Fatima, voorzitter buurtvereniging"),
                    ctx(rev=r.rev))
    assert "Regio" in [b.label for row in r.replies[-1].buttons for b in row][0]
    r = engine.step(catalog, r.state, Press(data=button(r, "Identiteit")), ctx(rev=r.rev))
    r = engine.step(catalog, r.state, Say(text="Moeders met jonge kinderen"), ctx(rev=r.rev))
    assert r.state is not None and r.state.step == "strength_people"
    bad = engine.step(catalog, r.state, Say(text="7"), ctx(rev=r.rev))
    assert "1 tot en met 5" in bad.replies[0].text and bad.state == r.state
    r = engine.step(catalog, r.state, Say(text="3"), ctx(rev=r.rev))
    assert r.state is not None and r.state.step == "strength_library"
    r = engine.step(catalog, r.state, Press(data=button(r, "2")), ctx(rev=r.rev))
    answers = {e.data["key"]: e.data["value"] for e in r.effects if e.name == "answer"}
    assert answers == {"phase3.strength_library": "2"}
    assert r.state is not None and r.state.step == "checklist"
    assert r.state.data == {"person": "Fatima, voorzitter buurtvereniging", "bond": "identity",
                            "traits": "Moeders met jonge kinderen", "strength_people": "3",
                            "strength_library": "2"}


def test_outdated_button_is_refused_and_names_the_current_step(catalog: Catalog) -> None:
    opened = begin(catalog, "phases")
    old = button(opened, "1.")
    moved = engine.step(catalog, opened.state, Press(data=old), ctx(rev=opened.rev))
    stale = engine.step(catalog, moved.state, Press(data=old), ctx(rev=moved.rev))
    assert stale.stale and stale.notice and "eerdere stap" in stale.notice
    assert stale.state == moved.state and not stale.effects
    assert "Je bent nu hier: Fase 1" in stale.notice and not stale.replies


@pytest.mark.parametrize("data", ["", "x", "1", "abc.o:p1", "0.o:nope", "0.i:../../etc",
                                  "0." + "o" * 80, "-1.o:p1", "0.d:999", "0.s"])
def test_forged_or_malformed_button_data_changes_nothing(catalog: Catalog, data: str) -> None:
    opened = begin(catalog, "phases")
    state = opened.state
    result = engine.step(catalog, state, Press(data=data), ctx(rev=opened.rev))
    assert result.stale and result.state == state and not result.effects


def test_sticker_where_text_is_expected_says_so_and_repeats_the_question(
        catalog: Catalog) -> None:
    first = begin(catalog, "start")
    result = engine.step(catalog, first.state, Other(kind="sticker"), ctx(rev=first.rev))
    [reply] = result.replies  # one message: the reason above the question
    assert reply.text.index("Hier heb ik tekst nodig") < reply.text.index("Met welke community")
    assert result.state == first.state


def test_ten_thousand_characters_for_a_short_answer_gets_a_clear_reason(
        catalog: Catalog) -> None:
    first = begin(catalog, "start")
    result = engine.step(catalog, first.state, Say(text="a" * 10_000), ctx(rev=first.rev))
    assert "te lang" in result.replies[0].text and "10000" in result.replies[0].text
    assert result.state == first.state


def test_text_on_a_resting_step_passes_through_as_a_note(catalog: Catalog) -> None:
    menu = begin(catalog, "menu")
    result = engine.step(catalog, menu.state, Say(text="Sanne wil een leesclub"),
                         ctx(rev=menu.rev))
    assert result.passthrough and result.state == menu.state


def test_switching_community_only_accepts_offered_ids(catalog: Catalog) -> None:
    choices = {"communities": [Choice(id="7", label="Taalcafé"), Choice(id="9", label="Moestuin")]}
    overview = begin(catalog, "community", choices=choices)
    pick = engine.step(catalog, overview.state, Press(data=button(overview, "Wisselen")),
                       ctx(rev=overview.rev, choices=choices))
    forged = engine.step(catalog, pick.state, Press(data=f"{pick.rev}.d:12345"),
                         ctx(rev=pick.rev, choices=choices))
    assert forged.stale and not forged.effects
    chosen = engine.step(catalog, pick.state, Press(data=button(pick, "Moestuin")),
                         ctx(rev=pick.rev, choices=choices))
    assert [e.data["community_id"] for e in chosen.effects if e.name == "switch_community"] == ["9"]


def test_english_user_gets_english_texts(catalog: Catalog) -> None:
    result = engine.step(catalog, None, Begin(dialog="start"), ctx(lang="en"))
    assert "Which community" in result.replies[-1].text


def test_every_button_of_every_step_fits_telegram(catalog: Catalog) -> None:
    long_choices = {"communities": [Choice(id=str(10**20), label="x" * 60)]}
    for dialog in catalog.dialogs.values():
        for step_id in dialog.steps:
            state = DialogState(dialog=dialog.id, step=step_id)
            reply = engine.render(catalog, state, ctx(rev=2**31, choices=long_choices))
            for row in reply.buttons:
                for b in row:
                    assert 1 <= len(b.data.encode()) <= 64, (dialog.id, step_id, b.data)
