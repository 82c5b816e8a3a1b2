"""End steps: their text closes the dialog, which leaves no state and says it ended."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.model import DefinitionError
from tests.dialogs.kinds.walk import Walk, small_catalog

SHORT = """
id: short
title: {nl: Kort, en: Short}
start: pick
steps:
  pick:
    kind: choice
    text: {nl: Klaar?, en: Done?}
    options:
      - {id: ok, label: {nl: Goed, en: Fine}, next: bye}
  bye:
    kind: end
    text: {nl: "Tot ziens, {community}.", en: "Goodbye, {community}."}
"""


def test_reaching_an_end_closes_the_dialog(tmp_path: Path) -> None:
    walk = Walk(small_catalog(tmp_path, {"short": SHORT}), "short")
    walk.press("Goed")
    assert walk.state is None
    assert [r.text for r in walk.result.replies] == ["Tot ziens, Taalcafé."]
    assert walk.result.replies[0].edit and not walk.result.replies[0].buttons
    assert walk.effects("ended") == [{"dialog": "short"}]


@pytest.mark.parametrize("extra", ["    next: pick\n",
                                   "    options: [{id: a, label: {nl: A, en: A}}]\n"])
def test_an_end_step_has_no_next_and_no_options(tmp_path: Path, extra: str) -> None:
    with pytest.raises(DefinitionError, match="an end step has no next and no options"):
        small_catalog(tmp_path, {"short": SHORT + extra})
