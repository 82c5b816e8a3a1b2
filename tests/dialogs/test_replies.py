"""A message step's text goes above the step after it, as one message, where that fits."""

from __future__ import annotations

from dialogs.replies import MAX_TEXT, Attachment, Button, Reply, joined, label

QUESTION = Reply(text="Met wie praat je?", buttons=[[Button(label="Fatima", data="3.d:1")]])


def test_a_lead_and_the_question_after_it_become_one_message() -> None:
    intro = Reply(text="Open gesprek voor Taalcafé Noord.", lead=True, edit=True)
    [one] = joined([intro, QUESTION])
    assert one.text == "Open gesprek voor Taalcafé Noord.\n\nMet wie praat je?"
    assert one.buttons == QUESTION.buttons
    assert one.edit  # it replaces the message whose button was pressed, as the intro did


def test_several_leads_in_a_row_all_go_above_the_question() -> None:
    first, second = Reply(text="Een.", lead=True), Reply(text="Twee.", lead=True)
    assert [r.text for r in joined([first, second, QUESTION])] == [
        "Een.\n\nTwee.\n\nMet wie praat je?"]


def test_what_does_not_fit_in_one_message_stays_apart() -> None:
    long = Reply(text="x" * (MAX_TEXT - 5), lead=True)
    chart = Reply(text="", attachments=[Attachment(kind="photo", filename="a.png",
                                                   content=b"png")])
    with_buttons = Reply(text="Kies:", lead=True, buttons=QUESTION.buttons)
    html = Reply(text="<b>Vet</b>", lead=True, html=True)
    for lead, after in ((long, QUESTION), (Reply(text="Grafiek:", lead=True), chart),
                        (with_buttons, QUESTION), (html, QUESTION)):
        assert joined([lead, after]) == [lead, after]


def test_replies_that_are_not_leads_are_left_alone() -> None:
    plain = Reply(text="Genoteerd.")
    assert joined([plain, QUESTION]) == [plain, QUESTION]


def test_a_label_from_data_is_cut_at_a_word_and_keeps_its_tail() -> None:
    question = "Als we zouden samenwerken, hoe zou dat er voor jou uitzien?"
    assert label(question, 40) == "Als we zouden samenwerken, hoe zou dat…"  # not "…uitz"
    assert label(question, 64) == question
    assert label(question, 40, tail="✍️ 2").endswith("… ✍️ 2")
    assert len(label(question, 40, tail="✍️ 2")) <= 40
    assert label("  Fatima \n Yilmaz ") == "Fatima Yilmaz"
