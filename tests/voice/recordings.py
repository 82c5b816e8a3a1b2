"""The recordings in tests/voice/audio/ and what is said in them.

Made once with espeak-ng (Dutch: `-v nl -s 120 -g 4`; English: `-v en-gb -s 150`), encoded
with opusenc as Ogg/Opus, mono, like Telegram's voice notes (`--bitrate 24`; the long one
`--bitrate 6`). No tool is needed to run the tests: the files are committed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

AUDIO = Path(__file__).with_name("audio")

SPOKEN = {
    "nl_taalcafe.ogg": "Ze organiseert elke week een taalcafé voor nieuwkomers in de"
                       " bibliotheek. De vrijwilligers helpen met Nederlands oefenen.",
    "en_volunteers.ogg": "We met the volunteers at the library on Tuesday. They want to start"
                         " a reading club for newcomers in the neighbourhood.",
    "nl_actie.ogg": "Ze wil graag meedoen. Actie: een ruimte in de bibliotheek regelen.",
    # nl_60s.ogg: the sentences above and two more, 60 seconds (for the benchmark).
    # long.ogg: 604 s; speech in its first and last six seconds, silence in between.
    "long.ogg": "Ze wil graag meedoen. Actie: een ruimte in de bibliotheek regelen. Tot slot:"
                " de volgende bijeenkomst is in de bibliotheek.",
    "silent.ogg": "",  # three seconds of silence
    "empty.ogg": "",  # no samples at all
}


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.lower())
    return re.findall(r"[\wéèëïöüáà]+", text)


def overlap(spoken: str, heard: str) -> float:
    """Share of the spoken words found in the transcript (each counted as often as said)."""
    said = Counter(words(spoken))
    got = Counter(words(heard))
    return sum((said & got).values()) / max(1, sum(said.values()))
