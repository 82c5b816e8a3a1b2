"""The recordings in tests/bot/features/voice/audio/ and what is said in them.

The Dutch ones a librarian's note would sound like are voiced by MBROLA's Dutch diphone voices,
far closer to a person than espeak-ng's own robot voice: `espeak-ng -v mb-nl2 -s 140`
(nl_taalcafe, nl_actie; a man) and `-v mb-nl3 -s 140` (nl_ouders; a woman), from Debian's
espeak-ng, mbrola, mbrola-nl2 and mbrola-nl3 (non-free: the voices may be used and their output
shared freely, not sold). English: espeak-ng `-v en-gb -s 150`. The benchmark's nl_60s and
long and nl_12s (nl_taalcafe's sentences as they were first recorded, 12 s) are espeak-ng
`-v nl -s 120 -g 4`. Each is encoded with opusenc as Ogg/Opus, mono, like
Telegram's voice notes (`--bitrate 24`; the long one `--bitrate 6`). round_video.mp4 is a
240×240 H.264 round video whose AAC sound is nl_taalcafe's, muxed with PyAV. No tool is needed
to run the tests: the files are committed.
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
    "nl_ouders.ogg": "De ouders in de wijk willen een plek waar kinderen na school hun huiswerk"
                     " kunnen maken. Fatima kent veel moeders van de basisschool.",
    # nl_60s.ogg: the sentences above and two more, 60 seconds (for the benchmark).
    # long.ogg: 604 s; speech in its first and last six seconds, silence in between.
    "long.ogg": "Ze wil graag meedoen. Actie: een ruimte in de bibliotheek regelen. Tot slot:"
                " de volgende bijeenkomst is in de bibliotheek.",
    "silent.ogg": "",  # three seconds of silence
    "empty.ogg": "",  # no samples at all
}

LANGUAGE = {"nl_taalcafe.ogg": "nl", "nl_actie.ogg": "nl", "nl_ouders.ogg": "nl",
            "en_volunteers.ogg": "en"}


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.lower())
    return re.findall(r"[\wéèëïöüáà]+", text)


def overlap(spoken: str, heard: str) -> float:
    """Share of the spoken words found in the transcript (each counted as often as said)."""
    said = Counter(words(spoken))
    got = Counter(words(heard))
    return sum((said & got).values()) / max(1, sum(said.values()))


# The lowest overlap the worker's decoding gave each recording on the CPU paths measured
# (`python -m bench.voice_isa` on an AMD EPYC with AVX-512: GENERIC, AVX2, AVX512, and AVX512
# with oneDNN; docs/benchmarks.md). "Nederland hoefenen", "mee doen" and "rente" for "ruimte"
# are what the lost words were.
MEASURED = {"nl_taalcafe.ogg": 0.82, "nl_actie.ogg": 0.82, "nl_ouders.ogg": 0.91,
            "en_volunteers.ogg": 0.91}
MARGIN_WORDS = 2  # another server's kernels may lose up to two more words of each recording
# Words a librarian searches for or acts on: each came out on every path measured.
KEY_WORDS = {
    "nl_taalcafe.ogg": ("taalcafé", "nieuwkomers", "bibliotheek", "vrijwilligers"),
    "nl_actie.ogg": ("actie", "bibliotheek", "regelen"),
    "nl_ouders.ogg": ("ouders", "kinderen", "huiswerk", "fatima"),
    "en_volunteers.ogg": ("volunteers", "library", "reading", "club"),
}


def bar(name: str) -> float:
    """The overlap a transcript of `name` must reach: the lowest measured, less the margin."""
    return MEASURED[name] - MARGIN_WORDS / len(words(SPOKEN[name]))


def heard(name: str, text: str) -> bool:
    """`text` is a transcript of the recording `name` as far as a librarian relies on it: its
    key words are there and it holds enough of what was said, whatever CPU made it."""
    got = set(words(text))
    return overlap(SPOKEN[name], text) >= bar(name) and all(w in got for w in KEY_WORDS[name])
