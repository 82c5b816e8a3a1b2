"""What a librarian reads: pickers that tell conversations apart, buttons cut at a word, a
/help that fits a phone screen, a search that takes FTS-looking words as words."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import docx as python_docx

from tests.bot.features.actions.test_actions import THURSDAY
from tests.chat import Chat


def talk_with(chat: Chat, person: str, note: str, *, again: bool = False) -> None:
    if again:  # someone met before is one tap
        chat.send("/gesprek")
        chat.press(person)
    else:
        chat.send(f"/gesprek {person}")
    chat.send(note)
    chat.press("Einde")
    for label in ("Ja", "Overslaan", "Ja", "Overslaan", "Overslaan"):
        chat.press(label)


def test_the_summary_picker_dates_conversations_as_the_text_and_marks_a_follow_up(
        anna: Chat) -> None:
    clock = anna.service.store.clock
    talk_with(anna, "Fatima", "Ze organiseert een taalcafé")
    clock.now = THURSDAY + timedelta(hours=5, minutes=15)  # 15:15 in Amsterdam
    talk_with(anna, "Fatima", "Ze zoekt vrijwilligers", again=True)
    anna.send("/samenvatting")
    picks = [label for label in anna.labels() if "Fatima" in label]
    assert picks == ["do 26 nov, 10:00 · Fatima", "do 26 nov, 15:15 · Fatima (vervolg)"]


def test_a_long_question_on_a_button_is_cut_at_a_word_and_numbers_do_not_collide(
        anna: Chat) -> None:
    anna.send("/gesprek Fatima")
    anna.send("Ze werkt bij de kinderopvang")
    anna.send("Ze is er al tien jaar")
    anna.press("Alle vragen")
    labels = [label for label in anna.labels() if ". " in label]
    # Before: "✍️ 2 1. Wat voor werk doe je, en hoe ben je erbij betrokken " (cut at 60).
    assert labels[0] == "1. Wat voor werk doe je, en hoe ben je erbij betrokken… ✍️ 2"
    assert labels[1].startswith("2. ") and labels[1].endswith(" ○")
    for text in labels:
        question = text.removesuffix(" ✍️ 2").removesuffix(" ○")
        assert len(text) <= 64 and question.endswith(("…", "?")), text


def test_help_fits_a_phone_screen_with_the_field_first_and_the_rest_one_tap_away(
        anna: Chat) -> None:
    from bot.app.registry import COMMANDS

    [reply] = anna.send("/help").replies
    short = reply.text
    assert len(short) < 900, len(short)  # before: 2,153 characters
    field = [c for c in COMMANDS if c.group == "field"]
    for command in field:  # each field command on a line of its own, in the table's order
        assert re.search(rf"^/{command.shown('nl')} – ", short, re.M), command.name
    lines = [line for line in short.splitlines() if line.startswith("/")]
    assert [line.split(" ", 1)[0] for line in lines] == [f"/{c.shown('nl')}" for c in field]
    assert "/fase" in short and "/export" in short  # the others by name
    anna.press("Alle commando's")
    [full] = anna.last.replies
    assert full.edit  # the same message, now with every command
    for command in COMMANDS:
        assert re.search(rf"^/{command.shown('nl')} – ", full.text, re.M), command.name


def test_search_with_fts_looking_words_finds_what_the_plain_words_find(anna: Chat) -> None:
    anna.send("Sanne wil een leesclub beginnen in de wijk")
    anna.send("De leesclubs van Zuid zoeken een ruimte")

    def hits(words: str) -> str:
        """The hits below the header (which repeats what was typed)."""
        text = anna.send(f"/zoek {words}").replies[0].text
        assert "resulta" in text, (words, text)  # before: "Niets gevonden voor ‘…’"
        return text.split("\n", 1)[1]

    assert hits("leesclub").count("\n1. ") + hits("leesclub").count("\n2. ") == 2
    for typed, plain in (("leesclub OR AND NOT (", "leesclub"), ("NOT leesclub", "leesclub"),
                         ('leesclub NEAR("wijk")', "leesclub wijk")):
        assert hits(typed) == hits(plain), typed


def word_export(chat: Chat) -> Any:
    chat.send("/export")
    chat.press("Taalcafé Noord")
    chat.press("Word")
    [reply] = chat.last.replies
    [attachment] = reply.attachments
    assert attachment.filename.endswith(".docx")
    return python_docx.Document(io.BytesIO(attachment.content))


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def proofing_language(document: Any) -> str | None:
    """The language Word checks spelling in: the document defaults' run language."""
    found = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    return None if found is None else found.get(f"{W}val")


def test_the_word_file_says_who_made_it_when_in_what_language_on_a4(anna: Chat) -> None:
    anna.send("Sanne wil een leesclub beginnen")
    document = word_export(anna)
    props = document.core_properties
    assert props.author == "Anna" and props.last_modified_by == "Anna"  # not "python-docx"
    assert props.created == THURSDAY  # before: 2013-12-23
    assert props.modified == THURSDAY
    assert "Anna" in props.title and "Taalcafé Noord" in props.title
    assert "python-docx" not in (props.comments or "")
    assert props.language == "nl-NL" and proofing_language(document) == "nl-NL"
    for section in document.sections:  # A4: 21 × 29.7 cm, not Letter
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) \
            == (21.0, 29.7)


def test_an_english_word_file_is_checked_in_english(anna: Chat) -> None:
    anna.send("/taal")
    anna.press("English")
    document = word_export(anna)
    assert document.core_properties.language == "en-GB"
    assert proofing_language(document) == "en-GB"
