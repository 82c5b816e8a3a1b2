"""/annuleer at every step of a wizard keeps what was typed: what a wizard had not stored
yet becomes a draft, offered when she starts that wizard again, and the reply says which."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.app.registry import Service
from tests.chat import Chat

# One wizard: how it is opened, each input in order ("=label" taps a button), and how she
# opens it again later. Typed texts are distinctive, so the database can be searched for them.
Inputs = list[str]
WIZARDS: dict[str, tuple[Inputs, Inputs, Inputs]] = {
    "goal": (["/doelen", "=Nieuw SMART-doel"],
             ["een wekelijks taalcafé organiseren voor nieuwkomers",
              "aantal deelnemers per week", "4", "12",
              "twee ambassadeurs leiden de avonden samen",
              "meer nieuwkomers lenen boeken", "1 juni",
              "=Iets aanpassen", "=S · wat en voor wie",
              "een taalcafé op dinsdagavond voor nieuwkomers", "=Opslaan"],
             ["/doelen", "=Nieuw SMART-doel"]),
    "activity": (["/activiteit", "=Activiteit vastleggen"],
                 ["voorleesochtend", "=Vandaag", "Voorlezen met ouders in de speelhoek",
                  "14", "=Niemand", "=Een ambassadeur", "Volgende keer meer prentenboeken"],
                 ["/activiteit", "=Activiteit vastleggen"]),
    "action": (["/acties", "=➕ Actie"],
               ["Ambassadeurs uitnodigen voor de borrel", "Karim Bouzid", "=Geen datum"],
               ["/acties", "=➕ Actie"]),
    "second goal": (["/doelen", "=Nieuw SMART-doel", "een boekenkring voor ouders",
                     "aantal ouders per keer", "3", "10", "de bibliotheek met Sanne",
                     "ouders lezen vaker voor", "1 juni", "=Opslaan", "=Nieuw SMART-doel"],
                    ["een voorleesochtend voor peuters", "aantal peuters", "2", "8",
                     "de bibliotheek met de peuterspeelzaal", "peuters lezen vaker",
                     "1 juni", "=Opslaan"],
                    ["/doelen", "=Nieuw SMART-doel"]),
    "new community": (["/community", "=Nieuwe community"],
                      ["Moestuin Oost", "groente kweken met buren"],
                      ["/community", "=Nieuwe community"]),
    "reminder time": (["/herinneringen", "=Andere tijd", "10:30", "=Andere tijd"], [], []),
    "conversation": (["/gesprek Fatima Yilmaz"],
                     ["Ze leidt al drie jaar het taalcafé voor nieuwkomers", "=Einde", "=Ja",
                      "Wij bereiken nieuwkomers, zij krijgen ruimte", "=Ja",
                      "Ze komt zelf met ideeën voor avonden", "=Overslaan"],
                     ["/gesprek Fatima Yilmaz"]),
    "vision": (["/doelen", "=🔭 Visie", "=Visie formuleren"],
               ["Meer nieuwkomers vinden de weg naar de bibliotheek.",
                "Nederlands oefenen en buren leren kennen.",
                "Nieuwkomers voelen zich thuis in de wijk.",
                "Sanne van het buurthuis"],
               []),
}
# Answers changed later in the wizard: once the change is typed (at that input's index), the
# first answer is gone from the wizard, and nothing needs to name it.
REPLACED = {"goal": {0: 9}}
# A day typed is kept as a date, and named in words.
DAYS = {"1 juni": ("2027-06-01", "1 juni 2027")}
CASES = [(wizard, n) for wizard, (_, inputs, _) in WIZARDS.items()
         for n in range(len(inputs) + 1)]
RESUME = "▶️ Verder met het concept"


def stored(db: Path, text: str, *, drafts: bool = True) -> bool:
    """Whether `text` is anywhere in the database but the dialog's own working state (and
    but the drafts, unless `drafts`)."""
    skip = {"dialog_state"} | (set() if drafts else {"drafts"})
    conn = sqlite3.connect(db)
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in skip and not name.startswith("sqlite_")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                if any(isinstance(cell, str) and text in cell for cell in row):
                    return True
        return False
    finally:
        conn.close()


def do(chat: Chat, line: str) -> None:
    if line.startswith("="):
        chat.press(line[1:])
    else:
        chat.send(line)


@pytest.mark.parametrize(("wizard", "done"), CASES, ids=[f"{w}-{n}" for w, n in CASES])
def test_cancel_at_every_step_keeps_what_was_typed_and_says_how(
        anna: Chat, db_path: Path, wizard: str, done: int) -> None:
    opening, inputs, reopen = WIZARDS[wizard]
    for line in opening + inputs[:done]:
        do(anna, line)
    anna.send("/annuleer")
    reply = anna.text()
    assert reply.startswith(("Gestopt.", "Er loopt niets"))  # the last: the wizard was done
    replaced = {inputs[i] for i, at in REPLACED.get(wizard, {}).items() if done > at}
    typed = [line for line in inputs[:done]
             if not line.startswith("=") and len(line) > 3 and line not in replaced]
    drafted = "bewaar ik als concept" in reply
    for text in typed:  # before: "…is bewaard." while nothing was stored
        kept_as, shown_as = DAYS.get(text, (text, text))
        assert stored(db_path, kept_as), f"{text!r} is lost:\n{reply}"
        if not stored(db_path, kept_as, drafts=False):  # in the draft only: named there
            assert drafted and any(line.startswith("• ") and line.endswith(shown_as)
                                   for line in reply.splitlines()), reply
    if not drafted:
        assert not any(line.startswith("• ") for line in reply.splitlines())
        return
    # Later she starts the same wizard: the draft is offered, and carries on where she was.
    for line in reopen:
        do(anna, line)
    assert "Hier was je al eerder aan begonnen." in anna.text()
    anna.press(RESUME)
    assert anna.text().startswith("Verder met je concept.")
    for line in inputs[done:]:
        do(anna, line)
    changed = {inputs[i] for i in REPLACED.get(wizard, {})}  # all inputs are done now
    for text in typed:  # all of it ends where the wizard stores it, nothing stays a draft
        if text not in changed:
            assert stored(db_path, DAYS.get(text, (text,))[0], drafts=False), text
    for line in reopen:
        do(anna, line)
    assert RESUME not in anna.labels()


def test_a_draft_can_be_thrown_away(anna: Chat, db_path: Path) -> None:
    anna.send("/doelen")
    anna.press("Nieuw SMART-doel")
    anna.send("een wekelijks taalcafé organiseren voor nieuwkomers")
    anna.send("/annuleer")
    anna.send("/doelen")
    anna.press("Nieuw SMART-doel")
    anna.press("Concept weggooien")
    assert anna.text().startswith("Concept weggegooid.\n\nS · Specifiek.")
    assert not stored(db_path, "een wekelijks taalcafé organiseren")
    anna.press_data(anna.button("Concept weggooien").data)  # the same button once more
    assert anna.last.notice is not None and not anna.last.replies


def test_a_draft_stays_with_its_community(anna: Chat) -> None:
    anna.send("/doelen")
    anna.press("Nieuw SMART-doel")
    anna.send("een wekelijks taalcafé organiseren voor nieuwkomers")
    anna.send("/annuleer")
    anna.send("/community")
    anna.press("Nieuwe community")
    anna.send("Moestuin Oost")
    anna.press("Overslaan")
    anna.send("/doelen")
    anna.press("Nieuw SMART-doel")
    assert RESUME not in anna.labels()  # Moestuin Oost has no draft
    anna.send("/annuleer")
    anna.send("/community")
    anna.press("Wisselen")
    anna.press("Taalcafé Noord")
    anna.send("/doelen")
    anna.press("Nieuw SMART-doel")
    assert RESUME in anna.labels()


@pytest.mark.parametrize("help_first", [False, True])
def test_cancel_during_onboarding_keeps_the_community_and_says_so(
        service: Service, help_first: bool) -> None:
    bram = Chat(service, telegram_id=1002, name="Bram")
    bram.send("/start")
    bram.send("Moestuin Oost")
    if help_first:
        bram.send("/help")
        assert bram.text().startswith("Vastgelegd: je werkt nu met Moestuin Oost.")
    bram.send("/annuleer")
    assert bram.text().startswith("Vastgelegd: je werkt nu met Moestuin Oost.") != help_first
    assert "Gestopt. Wat je tot nu toe hebt ingevuld, is bewaard." in bram.text()
    user = service.store.user_by_telegram(1002)
    assert user is not None
    assert [c.name for c in service.store.communities(user.id)] == ["Moestuin Oost"]


def test_the_issue_s_sequence(anna: Chat, db_path: Path, service: Service) -> None:
    """`/doelen` → ➕ → the S answer → `/annuleer`."""
    anna.send("/doelen")
    anna.press("Nieuw SMART-doel")
    anna.send("een wekelijks taalcafé organiseren voor nieuwkomers")
    anna.send("/annuleer")
    assert anna.text() == (
        "Gestopt. Wat je had ingevuld, bewaar ik als concept:\n"
        "• S · Specifiek: een wekelijks taalcafé organiseren voor nieuwkomers\n"
        "Begin je er hier weer aan, dan kun je verder waar je was."
        " Met /start kom je bij het menu.")
    anna.send("/annuleer")
    assert anna.text().startswith("Er loopt niets wat ik kan stoppen.")


def test_a_drafted_number_says_which_question_it_answered(anna: Chat) -> None:
    """Before: the draft listed bare "• 0" and "• 8"; now each number after its question."""
    anna.send("/doelen")
    anna.press("Nieuw SMART-doel")
    for line in ("een wekelijks taalcafé organiseren", "aantal deelnemers per avond", "0", "8"):
        anna.send(line)
    anna.send("/annuleer")
    lines = anna.text().splitlines()
    assert "• Waar staan jullie nu? 0" in lines, lines
    assert "• Welk getal willen jullie bereiken? 8" in lines, lines
    assert "• M · Meetbaar: aantal deelnemers per avond" in lines, lines
