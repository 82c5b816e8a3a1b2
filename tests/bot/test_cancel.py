"""/annuleer at every step of a wizard says truthfully what was kept: what it calls kept is
in the database, and what is not there it names, in full, so she can start again with it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.service import Service
from tests.chat import Chat

# One wizard: how it is opened, then each input in order ("=label" taps a button). Typed
# texts are distinctive, so the database can be searched for them.
Inputs = list[str]
WIZARDS: dict[str, tuple[Inputs, Inputs]] = {
    "goal": (["/doelen", "=Nieuw SMART-doel"],
             ["een wekelijks taalcafé organiseren voor nieuwkomers",
              "aantal deelnemers per week", "4", "12",
              "twee ambassadeurs leiden de avonden samen",
              "meer nieuwkomers lenen boeken", "1 juni",
              "=Iets aanpassen", "=S · wat en voor wie",
              "een taalcafé op dinsdagavond voor nieuwkomers", "=Opslaan"]),
    "activity": (["/activiteit", "=Activiteit vastleggen"],
                 ["voorleesochtend", "=Vandaag", "Voorlezen met ouders in de speelhoek",
                  "14", "=Een ambassadeur", "Volgende keer meer prentenboeken"]),
    "action": (["/acties", "=➕ Actie"],
               ["Ambassadeurs uitnodigen voor de borrel", "Karim Bouzid", "=Geen datum"]),
    "second goal": (["/doelen", "=Nieuw SMART-doel", "een boekenkring voor ouders",
                     "aantal ouders per keer", "3", "10", "de bibliotheek met Sanne",
                     "ouders lezen vaker voor", "1 juni", "=Opslaan", "=Nieuw SMART-doel"],
                    ["een voorleesochtend voor peuters", "aantal peuters"]),
    "new community": (["/community", "=Nieuwe community"],
                      ["Moestuin Oost", "groente kweken met buren"]),
    "reminder time": (["/herinneringen", "=Andere tijd", "10:30", "=Andere tijd"], []),
    "conversation": (["/gesprek Fatima Yilmaz"],
                     ["Ze leidt al drie jaar het taalcafé voor nieuwkomers", "=Einde", "=Ja",
                      "Wij bereiken nieuwkomers, zij krijgen ruimte", "=Ja",
                      "Ze komt zelf met ideeën voor avonden"]),
    "vision": (["/doelen", "=🔭 Visie", "=Visie formuleren"],
               ["Meer nieuwkomers vinden de weg naar de bibliotheek.",
                "Nederlands oefenen en buren leren kennen.",
                "Nieuwkomers voelen zich thuis in de wijk.",
                "Sanne van het buurthuis"]),
}
# Answers changed later in the wizard: once the change is typed (at that input's index), the
# first answer is gone from the wizard, and nothing needs to name it.
REPLACED = {"goal": {0: 9}}
# A day typed is kept as a date, and named in words.
DAYS = {"1 juni": ("2027-06-01", "1 juni 2027")}
CASES = [(wizard, n) for wizard, (_, inputs) in WIZARDS.items() for n in range(len(inputs) + 1)]


def stored(db: Path, text: str) -> bool:
    """Whether `text` is anywhere in the database but the dialog's own working state."""
    conn = sqlite3.connect(db)
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")
            if name != "dialog_state" and not name.startswith("sqlite_")]
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
def test_cancel_at_every_step_says_what_the_database_holds(
        anna: Chat, db_path: Path, wizard: str, done: int) -> None:
    opening, inputs = WIZARDS[wizard]
    for line in opening + inputs[:done]:
        do(anna, line)
    anna.send("/annuleer")
    reply = anna.text()
    assert reply.startswith(("Gestopt.", "Er loopt niets"))  # the last: the wizard was done
    replaced = {inputs[i] for i, at in REPLACED.get(wizard, {}).items() if done > at}
    typed = [line for line in inputs[:done]
             if not line.startswith("=") and len(line) > 3 and line not in replaced]
    for text in typed:
        kept_as, shown_as = DAYS.get(text, (text, text))
        if stored(db_path, kept_as):
            assert f"• {shown_as}" not in reply, f"{text!r} is stored, yet called not kept"
        else:  # before: "Wat je tot nu toe hebt ingevuld, is bewaard." with nothing stored
            assert "is bewaard" not in reply and "Er loopt niets" not in reply
            assert f"• {shown_as}" in reply, f"{text!r} is not stored and not named:\n{reply}"
    if "niet bewaard" in reply:
        named = [line[2:] for line in reply.splitlines() if line.startswith("• ")]
        assert named and not any(stored(db_path, text) for text in named if len(text) > 3)


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
        "Gestopt. Dit had je ingevuld, maar het is niet bewaard:\n"
        "• een wekelijks taalcafé organiseren voor nieuwkomers\n"
        "Wil je het toch vastleggen, begin dan opnieuw en neem het van hier over."
        " Met /start kom je bij het menu.")
    anna.send("/annuleer")
    assert anna.text().startswith("Er loopt niets wat ik kan stoppen.")
