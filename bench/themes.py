"""Section 12 of `python -m bench`: the summaries' themes on the labelled field notes of
tests/dialogs/rules/summary/theme_set.py: the share of themes a librarian would keep
(precision), the share of her themes found (recall), and the time per summary.

The extractor before issue 25 (YAKE keywords with stop lists and a crude stemmer) is not kept
in the code; its figures, measured on the same set and machine at commit b2b0e57, are below.
"""

from __future__ import annotations

import statistics
import time

from bench.report import Figure, Section
from bench.stats import Runs
from dialogs.rules.summary import themes
from tests.dialogs.rules.summary.theme_set import CASES, Case, score

#: Before issue 25 (commit b2b0e57): mean precision, mean recall, median ms per summary.
BEFORE_PRECISION = 0.48
BEFORE_RECALL = 0.31
BEFORE_MS = 14.7


def extract(case: Case) -> list[str]:
    return themes(list(case.notes), case.lang, case.person, names=case.names)


def section(quick: bool) -> Section:
    """Section 12: the summaries' themes, before and after."""
    began = time.perf_counter()
    extract(CASES[0])
    extract(CASES[-1])  # the English dictionary too
    first_s = time.perf_counter() - began
    result = score(extract)
    times: list[float] = []
    for _ in range(1 if quick else 5):
        for case in CASES:
            start = time.perf_counter()
            extract(case)
            times.append((time.perf_counter() - start) * 1000)
    before = "before issue 25"
    return Section("12. Summary themes", [
        Figure("themes a librarian would keep (mean precision)", Runs.of([result.precision]),
               "", Runs.of([BEFORE_PRECISION]), before, "≥ 0.78", result.precision >= 0.78,
               fmt="{:.2f}"),
        Figure("her themes found (mean recall)", Runs.of([result.recall]), "",
               Runs.of([BEFORE_RECALL]), before, fmt="{:.2f}"),
        Figure("themes of one summary", Runs.of([statistics.median(times)]), "ms",
               Runs.of([BEFORE_MS]), before, "< 50 ms", statistics.median(times) < 50),
        Figure("first summary in a process (YAKE and the dictionaries load)",
               Runs.of([first_s * 1000]), "ms", fmt="{:.0f}", ratio=False),
    ], before=[
        f"{len(CASES)} conversations' field notes, labelled with the themes a librarian would"
        " keep (`tests/dialogs/rules/summary/theme_set.py`); a theme counts as kept when its"
        " lemma, or its last word's, matches a labelled one. Time: median over the cases,"
        f" {result.themes} themes in all, of which {result.kept} kept.",
    ])
