"""Checklist items that hold text, through the service with a real database: phase 2's scans,
the frame beside the community, text typed at a checklist, phase 6, and records another
feature lists under an item."""

from __future__ import annotations

from bot.app.feature import Ask, Feature, listed
from bot.app.registry import FEATURES, Service
from bot.features.export.files import render
from dialogs.catalog import Catalog
from storage.export import snapshot
from storage.fieldwork import ItemRepo
from storage.store import Store
from tests.chat import Chat

FRAME = "We staan voor taal, ontmoeting en meedoen in de wijk"


def phase1_done(chat: Chat, store: Store) -> int:
    chat.onboard()
    user = store.user_by_telegram(1001)
    assert user is not None and user.active_community is not None
    for item in ("policy", "goals", "values", "frame", "fit"):
        store.set_tick(user.active_community, f"p1.{item}", True)
    store.set_answer(user.active_community, "phase1.frame", FRAME)
    return user.active_community


def open_phase(chat: Chat, number: int, title: str) -> None:
    chat.send("/fase")
    chat.press(f"{number}. {title}")


def test_a_scan_holds_several_answers_shown_under_its_item(chat: Chat, store: Store) -> None:
    community = phase1_done(chat, store)
    open_phase(chat, 2, "Kies je community")
    assert "community's ontstaan" in chat.text() and "meerdere kenmerken" in chat.text()
    chat.press("Inspirerende voorbeelden")
    assert "binnen én buiten de bibliotheekwereld" in chat.text()
    assert "in Nederland en in het buitenland" in chat.text()
    chat.send("De Bibliotheek Rotterdam werkt met buurtambassadeurs")
    chat.send("In Aarhus organiseert de bieb een makersplaats met bewoners")
    assert "2 antwoorden:" in chat.text()
    chat.press("Klaar")
    text = chat.text()
    assert "(1/5)" in text and "✅ Inspirerende voorbeelden ✍️" in chat.labels()
    assert ("• Inspirerende voorbeelden: De Bibliotheek Rotterdam werkt met buurtambassadeurs"
            " · In Aarhus") in text
    assert [t.text for t in ItemRepo(store).texts(community)["p2.examples"]] == [
        "De Bibliotheek Rotterdam werkt met buurtambassadeurs",
        "In Aarhus organiseert de bieb een makersplaats met bewoners"]


def test_an_answer_can_be_changed_and_removing_the_last_one_unticks(chat: Chat,
                                                                     store: Store) -> None:
    community = phase1_done(chat, store)
    open_phase(chat, 2, "Kies je community")
    chat.press("Themascan")
    chat.send("eenzaamheid")
    chat.press("Aanpassen")
    chat.press("✏️ 1.")
    chat.send("eenzaamheid onder ouderen in de wijk")
    assert "✏️ Aangepast." in chat.text() and "1. eenzaamheid onder ouderen" in chat.text()
    assert store.ticks(community)["p2"] == {"themes"}
    chat.press("Weghalen")
    chat.press("🗑 1.")
    assert "🗑 Weggehaald." in chat.text() and "1 antwoord:" not in chat.text()
    assert "p2" not in store.ticks(community) or "themes" not in store.ticks(community)["p2"]


def test_an_empty_or_5000_character_scan_answer(chat: Chat, store: Store,
                                                catalog: Catalog) -> None:
    community = phase1_done(chat, store)
    open_phase(chat, 2, "Kies je community")
    chat.press("Omgevingsscan")
    outcome = chat.send("   ")
    [reply] = outcome.replies  # refused in one message, the question under the reason
    assert reply.text.startswith("Dit mag niet leeg zijn.") and "Omgevingsscan." in reply.text
    assert not ItemRepo(store).texts(community)
    long = ("De lokale krant schreef over de wandelgroep in het park. " * 100)[:5000]
    outcome = chat.send(long)
    [reply] = outcome.replies
    assert len(reply.text) < 1000 and "1 antwoord:" in reply.text  # shown short in the chat
    assert [t.text for t in ItemRepo(store).texts(community)["p2.scan"]] == [long]  # kept whole
    chat.press("Klaar")
    assert len(chat.text()) < 1500 and "• Omgevingsscan: De lokale krant" in chat.text()
    chat.send("/samenvatting")
    assert len(chat.text()) < 4096 and "• Omgevingsscan: De lokale krant" in chat.text()
    user = store.user_by_telegram(1001)
    assert user is not None
    assert long in render(snapshot(store, user.id), catalog, "md").decode()


def test_the_frame_is_shown_beside_the_community(chat: Chat, store: Store) -> None:
    community = phase1_done(chat, store)
    open_phase(chat, 2, "Kies je community")
    chat.press("Getoetst aan de kapstok")
    text = chat.text()
    assert f"Je kapstok: {FRAME}" in text and "Je community: Taalcafé Noord (thema: taal)" in text
    chat.press("Twijfel nog")
    assert "fits" not in store.ticks(community).get("p2", set())
    assert "• Getoetst aan de kapstok uit fase 1: 🤔 Twijfel nog" in chat.text()
    chat.press("Getoetst aan de kapstok")
    chat.press("Ja, past")
    assert "fits" in store.ticks(community)["p2"]
    assert "• Getoetst aan de kapstok uit fase 1: ✅ Ja, past" in chat.text()


def test_without_a_frame_the_check_says_to_write_it_first(chat: Chat, store: Store) -> None:
    community = phase1_done(chat, store)
    store.db.execute("DELETE FROM answers WHERE community_id = ?", (community,))
    open_phase(chat, 2, "Kies je community")
    chat.press("Getoetst aan de kapstok")
    assert "Je kapstok: nog niet beschreven." in chat.text()
    assert "Beschrijf eerst je kapstok in fase 1" in chat.text()
    chat.press("Kapstok bijwerken")
    assert "Fase 1 · Strategie in kaart" in chat.text()


def test_text_typed_at_a_checklist_is_offered_to_one_of_its_open_items(
        chat: Chat, store: Store) -> None:
    community = phase1_done(chat, store)
    open_phase(chat, 2, "Kies je community")
    outcome = chat.send("Meetup.com heeft een groep ‘Nieuw in Nijmegen’")
    [offer] = outcome.replies
    assert offer.text == ("📝 Genoteerd bij Taalcafé Noord. Hoort het bij een van deze "
                          "onderdelen?")
    assert [b.label for row in offer.buttons for b in row] == [
        "➕ Themascan", "➕ Omgevingsscan", "➕ Inspirerende voorbeelden",
        "📝 Nee, gewoon als notitie"]
    user = store.user_by_telegram(1001)
    assert user is not None and store.notes(user.id)[-1].text.startswith("Meetup.com")
    again = chat.button("➕ Omgevingsscan").data
    chat.press("Omgevingsscan")
    [filed] = chat.last.replies
    assert filed.edit and filed.text.startswith("✅ Bewaard bij ‘Omgevingsscan’ (Fase 2 ·")
    assert "• Omgevingsscan: Meetup.com heeft een groep" in filed.text
    assert not store.notes(user.id)  # moved, not copied
    assert "scan" in store.ticks(community)["p2"]
    chat.press_data(again)  # the offer's button again: that note is filed already
    assert chat.last.notice and "eerdere stap" in chat.last.notice and not chat.last.replies
    assert len(ItemRepo(store).texts(community)["p2.scan"]) == 1


def test_leave_it_a_note_keeps_the_note(chat: Chat, store: Store) -> None:
    phase1_done(chat, store)
    open_phase(chat, 2, "Kies je community")
    chat.send("Bellen met de wijkagent over de hangplek")
    chat.press("gewoon als notitie")
    assert chat.text() == "📝 Genoteerd bij Taalcafé Noord."
    user = store.user_by_telegram(1001)
    assert user is not None and store.notes(user.id)[-1].text.startswith("Bellen met")


def test_text_at_a_checklist_without_items_that_hold_text_is_just_a_note(
        chat: Chat, store: Store) -> None:
    phase1_done(chat, store)
    open_phase(chat, 4, "Ken je community")
    outcome = chat.send("Sanne van het buurthuis wil meedoen")
    [reply] = outcome.replies
    assert reply.text == "📝 Genoteerd bij Taalcafé Noord." and not reply.buttons
    open_phase(chat, 1, "Strategie")  # every text item answered: no offer either
    chat.send("Nog even nadenken over de doelgroep")
    assert chat.text() == "📝 Genoteerd bij Taalcafé Noord."


def test_phase_6_items_hold_the_methods_examples_and_answers(chat: Chat, store: Store) -> None:
    community = phase1_done(chat, store)
    open_phase(chat, 6, "Werk met je community")
    chat.press("Rollen")
    text = chat.text()
    assert "de bibliotheek biedt de plek en brengt mensen met elkaar in contact" in text
    assert "de ambassadeurs zorgen voor de inhoud" in text
    chat.send("Fatima is ambassadeur; de bieb regelt de zaal op dinsdag")
    chat.press("Klaar")
    assert "• Rollen: ambassadeurs en bibliotheek: Fatima is ambassadeur" in chat.text()
    chat.press("Wegen om meer partners")
    assert "meetups" in chat.text() and "via partners een bericht verspreiden" in chat.text()
    assert store.ticks(community)["p6"] == {"roles"}


class Records(Feature):
    """A later feature (phase 6 records) listing what it keeps under an item."""

    name = "records"

    @listed
    def activities(self, ask: Ask) -> dict[str, list[str]]:
        return {"p6.reach": ["Bijeenkomst in de bieb, 12 maart (20 mensen)"]}


def test_another_feature_lists_its_records_under_an_item(store: Store,
                                                         catalog: Catalog) -> None:
    service = Service(store, catalog, features=(*FEATURES, Records))
    chat = Chat(service)
    phase1_done(chat, store)
    open_phase(chat, 6, "Werk met je community")
    assert ("• Wegen om meer partners te bereiken: Bijeenkomst in de bieb, 12 maart (20 mensen)"
            in chat.text())
