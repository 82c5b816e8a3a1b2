"""The version to share ("om te delen") names no one: the labelled set's planted names,
addresses, phone numbers and e-mail addresses, placed in notes, a conversation's answers,
activities, outcomes, goals and the vision of a real SQLite store, are in none of the four
files; colleagues stay named; transcripts are gone; the file name says what it is.

deduce is loaded once for the whole test session (conftest.py `deduce_loaded`)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import docx as python_docx
import jsonschema
import pytest

from bot.features.export.files import FORMATS, Format
from bot.features.export.job import export_file
from bot.features.export.options import Options
from dialogs.catalog import Catalog
from storage.actions import ActionRepo
from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.export import schema
from storage.goals import GoalRepo
from storage.membership import Members
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import Clock
from tests.bot.features.export import deid_set

ASKED = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
# With the appendix: every note is in it, anonymised; still no transcript.
SHARE = Options(appendix=True, shareable=True)
INTERNAL = Options(appendix=True)
# A conversation's words that are not a marked quote: a transcript, in no shareable file.
TRANSCRIPT = "Ze komt uit Syrië en werkte daar twintig jaar als kok"
CONTACT = ("fatima.elamrani@gmail.com", "06-98765432")


def _fill(store: Store) -> tuple[int, int]:
    user = store.create_user(name="Anke de Wit", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1001)
    community = store.create_community(user.id, "Taalcafé Overvecht", "taal")
    members = Members(store)
    members.add_owner(community, user.id)
    for number, name in enumerate(deid_set.COLLEAGUES[1:], start=2):
        colleague = store.create_user(name=name, language="nl", timezone="Europe/Amsterdam",
                                      telegram_id=1000 + number)
        assert members.invite(user.id, community, colleague.id) is None
        invitation = members.pending(community)[-1]
        members.accept(invitation.id, colleague.id)
    talk = TalkRepo(store)
    people = [talk.add_person(user.id, community, p.name, p.role, None)
              for p in deid_set.PEOPLE]
    conv = talk.start(user.id, community, people[0], "Kerkstraat 12, Utrecht")
    talk.add_turn(conv, user.id, "librarian", "work", TRANSCRIPT + f" ({', '.join(CONTACT)}).")
    activities, together = ActivityRepo(store), CollaborationRepo(store)
    for item in deid_set.SET:
        if item.where == "antwoord":  # the person's words, marked as a quote
            turn = talk.add_turn(conv, user.id, "librarian", "work", item.text)
            assert talk.star_note(user.id, turn, True)
        elif item.where == "activiteit":
            activities.add(user.id, community, kind="taalcafe", day=date(2026, 11, 3),
                           what=item.text[:60], participants=8, led_by="Joost", note=item.text)
        elif item.where == "resultaat":
            together.add_outcome(user.id, community, "change", item.text)
        else:
            store.add_note(user.id, community, item.text, ["buurthuis"])
    activities.add(user.id, community, kind="Voorlezen met Wilma de Boer", day=date(2026, 11, 4),
                   what="Voorlezen", participants=5, led_by="Sanne Bakker", note=None)
    together.add_role(user.id, community, "Mohammed Yilmaz", "ambassador", person_id=people[4])
    goals = GoalRepo(store)
    goals.save_vision(community, "Samen met Fatima el Amrani een taalcafé", "Nederlands spreken",
                      "Bram de Jong en Els Verhoeven vinden hier hun plek", "met Kees Mulder")
    goals.add_goal(user.id, community, specific="Wilma de Boer brengt 10 ouders mee",
                   metric="aantal verschillende deelnemers", baseline=0, target=10,
                   achievable="met Ahmed Benali", relevant="taal", relevant_part=None,
                   deadline=date(2027, 6, 30))
    store.add_note(user.id, community, "Een roos op tafel maakte het gezellig.", [])
    store.set_answer(community, "phase3.known", "Gerrit Postma, Amsterdamsestraatweg 512")
    ActionRepo(store).add(user.id, community, "Bel Merel Visser over de bus", who="Kees Mulder",
                          due=date(2026, 12, 20))
    talk.set_summary(conv, "Fatima el Amrani vertelde over het taalcafé.", ["Fatima"])
    store.add_note(user.id, None, "Los genoteerd: Jan van der Berg, jan.vdberg@ziggo.nl.", [])
    return user.id, community


def _text(fmt: Format, content: bytes) -> str:
    if fmt == "docx":
        document = python_docx.Document(io.BytesIO(content))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        props = document.core_properties
        return "\n".join([p.text for p in document.paragraphs] + cells
                         + [props.title or "", props.author or ""])
    if fmt == "csv":
        return "\n".join(";".join(row) for row in csv.reader(
            io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    if fmt == "json":
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode()


def _planted() -> set[str]:
    """Every planted piece; of the names typed only in a text, the ones the combined method
    finds (test_anonymise.py holds its recall on the rest)."""
    missed = {m.split(": ", 1)[1] for m in deid_set.score(deid_set.combined).missed}
    return {piece for item in deid_set.SET for piece, kind in item.sensitive
            if kind != "naam" or piece not in missed} | {
        p.name for p in deid_set.PEOPLE} | set(CONTACT) | {"Kerkstraat 12", "jan.vdberg@ziggo.nl"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog,
             deduce_loaded: None) -> dict[str, tuple[str, str]]:
    """Each format's (file name, text) of the shareable export, and the internal one in
    Markdown as "intern"."""
    path = tmp_path_factory.mktemp("share") / "veldgids.db"
    store = Store(path, clock=Clock())
    try:
        user, community = _fill(store)
    finally:
        store.close()
    out = {}
    for fmt in FORMATS:
        name, content = export_file(str(path), user, community, catalog, fmt, ASKED, SHARE)
        out[fmt] = (name, _text(fmt, content))
    name, content = export_file(str(path), user, community, catalog, "md", ASKED, INTERNAL)
    out["intern"] = (name, content.decode())
    name, content = export_file(str(path), user, None, catalog, "json", ASKED, SHARE)
    out["alles"] = (name, _text("json", content))
    return out


def test_no_planted_piece_is_in_any_shareable_file(
        exported: dict[str, tuple[str, str]]) -> None:
    planted = _planted()
    assert len(planted) >= 30
    for fmt in (*FORMATS, "alles"):
        text = exported[fmt][1]
        left = sorted(p for p in planted if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))
        assert left == [], (fmt, left)
        assert TRANSCRIPT not in text, fmt
    internal = exported["intern"][1]
    assert "Fatima el Amrani" in internal and TRANSCRIPT in internal


def test_colleagues_stay_named_and_people_become_their_role_or_initial(
        exported: dict[str, tuple[str, str]]) -> None:
    for fmt in ("md", "docx", "json"):
        text = exported[fmt][1]
        assert "Anke de Wit" in text and "Sanne Bakker" in text, fmt
        assert "een vrijwilliger" in text.lower() and "een taalmaatje" in text.lower(), fmt
        assert "Een roos op tafel maakte het gezellig." in text, fmt
        assert "De roos in de tuin" in text, fmt
    assert "Joost" in exported["csv"][1]  # who led the activities


def test_a_marked_quote_stays_without_names(exported: dict[str, tuple[str, str]]) -> None:
    quote = next(i for i in deid_set.SET if i.where == "antwoord" and not i.sensitive)
    data = json.loads(exported["json"][1])
    turns = [t for c in data["communities"][0]["conversations"] for t in c["turns"]]
    assert turns and all(t["starred"] for t in turns)
    assert quote.text in [t["text"] for t in turns]
    assert data["shareable"] is True
    jsonschema.validate(data, schema())


def test_the_file_name_and_the_first_page_say_it_is_the_version_to_share(
        exported: dict[str, tuple[str, str]]) -> None:
    for fmt in ("md", "docx"):
        top = exported[fmt][1].split("In één oogopslag")[0]
        assert "Versie om te delen: zonder de namen van mensen uit de community" in top, fmt
    assert "Versie om te delen" not in exported["intern"][1]
    for fmt in FORMATS:
        assert exported[fmt][0] == f"veldgids-taalcafe-overvecht-2026-12-07-om-te-delen.{fmt}"
    assert exported["intern"][0] == "veldgids-taalcafe-overvecht-2026-12-07.md"
    assert exported["alles"][0] == "veldgids-alles-2026-12-07-om-te-delen.json"


def test_the_english_name_is_to_share(db_path: Path, catalog: Catalog) -> None:
    from bot.features.export.files import filename

    data = {"exported_at": "2026-12-07T10:00:00+00:00", "librarian": {"language": "en"}}
    assert filename(data, "docx", None, SHARE) == "veldgids-all-2026-12-07-to-share.docx"


def test_the_bot_makes_it_in_a_process_that_ends_after_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Where deduce is not loaded yet (the heavy-work process), a fresh process loads it and
    ends: its gigabyte does not stay. Costs deduce's load (about 6 s of CPU)."""
    from bot.features.export import deduce_spans, share_process

    def not_here(text: str, colleagues: object) -> list[tuple[int, int, str]]:
        raise AssertionError("deduce ran in the process that asked")

    monkeypatch.setattr(deduce_spans, "loaded", lambda: False)
    monkeypatch.setattr(deduce_spans, "detect", not_here)
    monkeypatch.setenv("VELDGIDS_DATA_DIR", str(tmp_path))
    data = {"librarian": {"name": "Anke de Wit"}, "communities": [{
        "id": 1, "name": "Taalcafé", "members": [],
        "people": [{"id": 1, "name": "Fatima el Amrani", "role": "Vrijwilliger"}],
        "notes": [{"id": 1, "text": "Fatima belde met Anke: 06-12345678.", "tags": []}]}]}
    shared = share_process.shared(data)
    assert shared["communities"][0]["notes"][0]["text"] == \
        "Een vrijwilliger belde met Anke: [telefoonnummer]."
    assert shared["shareable"] is True


def test_deduce_keeps_its_lookup_structures_where_it_can(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """In its own package folder when they are built there (the Docker image, `make`) or it
    may write there; else in the data dir (a container built without them)."""
    from bot.features.export import deduce_spans

    assert deduce_spans.cache_path(None) is None
    monkeypatch.setattr(deduce_spans.os, "access", lambda path, mode: False)
    monkeypatch.setattr(deduce_spans, "PICKLE", "__init__.py")  # a file deduce ships there
    assert deduce_spans.cache_path(tmp_path) is None
    monkeypatch.setattr(deduce_spans, "PICKLE", "not-built.pickle")
    assert deduce_spans.cache_path(tmp_path) == tmp_path
