"""Definition files: the shipped ones load, and each definition-time rule catches its mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.app.registry import load_catalog
from dialogs.catalog import DEFINITIONS
from dialogs.model import LANGS, DefinitionError


def test_every_shipped_definition_loads_in_both_languages() -> None:
    catalog = load_catalog()
    assert {"start", "menu", "phases", "community", "language"} <= set(catalog.dialogs)
    assert {f"phase{n}" for n in range(1, 7)} <= set(catalog.dialogs)
    for dialog in catalog.dialogs.values():
        for step in dialog.steps.values():
            for lang in LANGS:
                assert step.text.get(lang).strip()
                for option in step.options:
                    assert option.label.get(lang).strip()
    for text in catalog.texts.values():
        assert text.nl != "" and text.en != ""


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "defs"
    shutil.copytree(DEFINITIONS, target)
    return target


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = next(folder.rglob(name))  # definitions live in a folder per feature
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN = [
    ("duplicate step id", "phase1.yaml", "  frame_saved:\n",
     "  checklist:\n    kind: end\n    text: {nl: a, en: b}\n  frame_saved:\n", "defined twice"),
    ("unknown target", "phase1.yaml", "next: frame_saved", "next: nowhere", "does not exist"),
    ("unknown dialog", "menu.yaml", 'next: "@phases"', 'next: "@nowhere"', "does not exist"),
    ("missing start", "phase2.yaml", "start: checklist", "start: begin", "does not exist"),
    ("unreachable step", "phase2.yaml", "steps:\n",
     "steps:\n  orphan:\n    kind: end\n    text: {nl: a, en: b}\n", "unreachable"),
    ("missing English", "phase2.yaml",
     '      en: "{phase1_lead}Phase 2 · Choose', '      xx: "{phase1_lead}Phase 2 · Choose',
     "text.en"),
    ("placeholders differ", "phase2.yaml", "({p2}). A community is", "({p3}). A community is",
     "placeholders"),
    ("unknown validator", "start.yaml", "[nonempty, one_line, \"max_length:80\"]",
     "[nonempty, shout]", "unknown validator"),
    ("conditional last route", "goals.yaml", "[{to: log_pick, when: has_goals}, {to: no_goals}]",
     "[{to: log_pick, when: has_goals}]", "last route"),
    ("long button id", "phase2.yaml", "- id: kind", "- id: a_very_long_identifier_beyond_limits",
     "button id"),
    ("unknown effect", "start.yaml", "effect: create_community", "effect: launch_rocket",
     "unknown effect"),
    ("not yaml", "phase2.yaml", "steps:\n", "steps: [\n", "not valid YAML"),
    # Names the bot provides are checked too: a typo would otherwise never route, or show "…".
    ("misspelled fact", "goals.yaml", "{to: log_pick, when: has_goals}",
     "{to: log_pick, when: has_gaols}", "goals.yaml, step .*unknown fact 'has_gaols'"),
    ("misspelled fact of a button", "phases.yaml", "when: phase1_by_frame",
     "when: phase1_by_fraem", "phases.yaml, step .*unknown fact 'phase1_by_fraem'"),
    ("misspelled placeholder", "phase1.yaml",
     "({p1}). Voordat je community's aan de bibliotheek verbindt: binnen welk kader werk je? "
     'Vink af wat klaar is, en beschrijf je kapstok in je eigen woorden.{library_frame_line}"\n'
     '      en: "Phase 1 · Map the strategy ({p1})',
     "({comunity}). Voordat je community's aan de bibliotheek verbindt: binnen welk kader werk "
     'je? Vink af wat klaar is, en beschrijf je kapstok in je eigen woorden.{library_frame_line}"\n'
     '      en: "Phase 1 · Map the strategy ({comunity})',
     r"phase1.yaml, step .*unknown placeholder \{comunity\}"),
    ("misspelled effect", "start.yaml", "effect: create_community", "effect: create_comunity",
     "start.yaml, step .*unknown effect 'create_comunity'"),
    ("misspelled choice source", "talk.yaml", "options_from: people", "options_from: peple",
     "talk.yaml, step .*unknown choice source 'peple'"),
]


@pytest.mark.parametrize(("what", "file", "old", "new", "message"), BROKEN,
                         ids=[b[0] for b in BROKEN])
def test_broken_definition_is_refused_with_the_reason(tmp_path: Path, what: str, file: str,
                                                      old: str, new: str, message: str) -> None:
    folder = _copy(tmp_path)
    _edit(folder, file, old, new)
    with pytest.raises(DefinitionError, match=message) as info:
        load_catalog(folder)
    assert file.split(".")[0] in str(info.value) or "texts" in str(info.value)


def test_missing_engine_text_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, "texts.yaml", "stale_button:", "old_button:")
    with pytest.raises(DefinitionError, match="stale_button"):
        load_catalog(folder)
