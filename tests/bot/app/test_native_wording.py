"""Sentences a native Dutch speaker tripped over (issue 23, "Reads right"): each as the
librarian sees it, through the service or the renderer that makes it."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.export.files import render
from bot.features.goals import view as goals_view
from dialogs.catalog import Catalog
from dialogs.rules.summary import (
    CommunityDefinition,
    CommunityDigest,
    ConversationDigest,
    ItemNotes,
    QuestionNotes,
    summarize_community,
    summarize_conversation,
)
from storage.actions import ActionRepo
from storage.export import snapshot
from storage.goals import GoalRepo
from tests.bot.features.activities.test_activities import goal, log_one
from tests.chat import Chat

AMS = ZoneInfo("Europe/Amsterdam")


def test_the_definition_lets_typed_text_stand_on_its_own() -> None:
    text = summarize_community(CommunityDigest(name="Vrouwen van de Wijk", definition=(
        CommunityDefinition(known_person="Fatima Yilmaz, dertig jaar geleden uit Turkije gekomen",
                            bond="region", bond_detail="Lindenholt", strength_each_other=4,
                            characteristics=["veel nieuwkomers"]))), AMS)
    assert "gekomen al" not in text and ";" not in text
    lines = text.splitlines()
    at = lines.index("Definitie:")
    assert lines[at + 1:at + 5] == [
        "• Iemand die je al kent: Fatima Yilmaz, dertig jaar geleden uit Turkije gekomen",
        "• Vooral verbonden door: regio (Lindenholt)",
        "• Kenmerken: veel nieuwkomers",
        "• Onderlinge band: 4/5"]


def test_what_an_item_holds_reads_as_sentences() -> None:
    text = summarize_community(CommunityDigest(name="Noord", items=[ItemNotes(
        phase="Fase 2", label="Inspirerende voorbeelden",
        texts=["In Zuid lezen vaders voor.", "in Noord een moedergroep"])]), AMS)
    assert ".;" not in text
    assert "• Inspirerende voorbeelden: In Zuid lezen vaders voor. In Noord een moedergroep." \
        in text


def test_a_note_ending_in_a_tag_is_a_sentence_of_its_own() -> None:
    summary = summarize_conversation(ConversationDigest(
        person_name="Fatima", started_at=datetime(2026, 11, 3, 14, tzinfo=AMS),
        questions=[QuestionNotes(key="work", title="Wat voor werk doe je?", notes=[
            "Ze leidt het taalcafé en wil begeleiding #vrijwilligers",
            "ze zoekt een ruimte op dinsdag"])]), AMS)
    assert "begeleiding #vrijwilligers. Ze zoekt een ruimte op dinsdag." in summary.text


def test_asking_about_details_says_what_is_known_in_words(chat: Chat) -> None:
    chat.onboard()
    chat.send("/gesprek Ahmed")
    chat.press("Gegevens")
    assert "Wat wil je aanvullen over Ahmed?" in chat.text()
    assert "—" not in chat.text() and "Je weet nog alleen de naam." in chat.text()
    chat.press("Rol")
    chat.send("vrijwilliger")
    chat.press("Gegevens")
    assert "Je weet al: vrijwilliger." in chat.text()


def test_an_overdue_action_says_when_it_was_due(anna: Chat) -> None:
    user = anna.service.user(anna.who)
    assert user.active_community is not None
    ActionRepo(anna.service.store).add(user.id, user.active_community, "Flyers maken",
                                       due=date(2026, 11, 20))
    anna.send("/acties")
    assert "Flyers maken · ⚠️ moest vrijdag 20 november af zijn" in anna.text()
    assert "⚠️ was" not in anna.text()


def test_an_activity_counts_its_participants_as_people(anna: Chat) -> None:
    log_one(anna, "taalcafé")
    assert "✅ Vastgelegd: taalcafé op 26 nov, met 14 deelnemers." in anna.text()
    assert "koffie · 14 deelnemers · geleid door een ambassadeur" in anna.text()
    assert " mee" not in anna.text().replace("meetellen", "")
    log_one(anna, None, "1")
    assert "✅ Vastgelegd: taalcafé op 26 nov, met 1 deelnemer." in anna.text()
    assert "koffie · 1 deelnemer · geleid" in anna.text()


def test_an_outcome_saved_says_where_to_find_it(anna: Chat) -> None:
    anna.send("/activiteit")
    anna.press("Opbrengst vastleggen")
    anna.press("Nieuwe kennis")
    anna.send("Wat nieuwkomers van de bieb verwachten")
    assert "Je vindt de opbrengst terug in de samenvatting en in elke export." in anna.text()
    assert "vindt haar" not in anna.text()


def test_behind_schedule_counts_people_in_whole_numbers(anna: Chat) -> None:
    user = anna.service.user(anna.who)
    assert user.active_community is not None
    GoalRepo(anna.service.store).add_goal(
        user.id, user.active_community, specific="een wekelijks taalcafé", metric="deelnemers",
        baseline=4, target=12, achievable="", relevant="", relevant_part=None,
        deadline=date(2027, 6, 1))
    anna.service.store.clock.now += timedelta(days=45)  # type: ignore[attr-defined]
    anna.send("/doelen")
    found = re.search(r"🟠 Achter op schema \(volgens de planning nu ([^)]*)\)", anna.text())
    assert found is not None and found.group(1).isdigit(), anna.text()


def test_a_deadline_too_early_is_said_plainly(anna: Chat) -> None:
    anna.send("/doelen")
    anna.press("Nieuw SMART-doel")
    for answer in ("een leesclub voor vaders", "aantal vaders", "3", "9", "twee vaders"):
        anna.send(answer)
    anna.send("ouders elkaar leren kennen")
    anna.send("vandaag")
    assert "is vandaag of al voorbij" not in anna.text()
    assert "Kies een einddatum na vandaag; 26 november 2026 is te vroeg." in anna.text()


def test_the_weekly_overview_says_the_time_zone_in_words(anna: Chat) -> None:
    anna.send("/herinneringen")
    assert "Europe/Amsterdam" not in anna.text()
    assert "elke maandag om 09:00 (Nederlandse tijd)" in anna.text()
    anna.press("Tijdzone")
    assert "Nu: Nederlandse tijd." in anna.text() and "Europe/" not in anna.text()
    anna.send("Paramaribo")
    assert "elke maandag om 09:00 (tijd in Paramaribo)" in anna.text()
    anna.press("Tijdzone")
    anna.send("Brussel")
    assert "elke maandag om 09:00 (tijd in Brussel)" in anna.text()  # not "Brussels"


def test_the_export_question_puts_word_first_in_plain_words(anna: Chat) -> None:
    anna.send("/export")
    anna.press("Taalcafé Noord")
    formats = anna.labels()[-4:]  # below the period, appendix and audience
    assert formats[0].startswith("📄 Word")
    text = anna.text()
    asked = text[text.index("In welk formaat"):]
    assert "Word" in asked.split("Markdown")[0]
    assert "JSON is alles" not in text and "ander programma" in text


def test_my_data_is_described_without_tables(anna: Chat) -> None:
    anna.send("/mijngegevens")
    assert "Alles wat Veldgids over jou bewaart" in anna.text()
    assert "tabel" not in anna.text() and "regel" not in anna.text()


def test_the_weekly_overview_lists_open_items_without_the_typing_mark(
        catalog: Catalog) -> None:
    labels = [label for c in goals_view.checklists(catalog, "nl") for _, label in c.items]
    assert "Inspirerende voorbeelden" in labels
    assert not [label for label in labels if "✍️" in label]


def test_the_report_names_the_action_before_its_state_and_the_goal_its_progress(
        anna: Chat) -> None:
    import docx as python_docx

    user = anna.service.user(anna.who)
    assert user.active_community is not None
    goal(anna)
    done = ActionRepo(anna.service.store).add(user.id, user.active_community,
                                              "Vergaderruimte reserveren")
    ActionRepo(anna.service.store).done(user.id, done)
    data = snapshot(anna.service.store, user.id, user.active_community)
    document = python_docx.Document(io.BytesIO(render(data, anna.service.catalog, "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    assert "☑ Vergaderruimte reserveren — gedaan op 26 november 2026" in paragraphs
    [where] = [p for p in paragraphs if p.startswith("Waar het staat: ")]
    assert where.endswith("einddatum 1 juni 2027") and "niet gehaald" not in where
    assert not [p for p in paragraphs if "Stand: loopt" in p or "Stand van zaken" in p]


def test_one_participant_is_one_deelnemer_in_the_overview_and_the_report(anna: Chat) -> None:
    log_one(anna, "taalcafé", "1")
    anna.send("/activiteit")
    assert "1 activiteit, 1 deelnemer\n" in anna.text() and "1 deelnemers" not in anna.text()
    user = anna.service.user(anna.who)
    data = snapshot(anna.service.store, user.id, user.active_community)
    report = render(data, anna.service.catalog, "md").decode()
    assert "1 keer samen aan de slag: 1 bezoek (alle deelnemers opgeteld)" in report
    assert "met koffie · 1 deelnemer · geleid door een ambassadeur" in report
    assert "1 deelnemers" not in report and "1 bezoeken" not in report
