"""Dutch-like field notes with a fixed seed: common words often, rare words seldom (Zipf)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

from search.terms import STOPWORDS


def _words(text: str) -> list[str]:
    return text.split()


_FUNCTION = _words("""de het een en van in op met voor aan bij om over naar uit als dat die
ze zij hij we wij je ik er niet ook nog wel maar want dus omdat toen heel erg al""")

_CONTENT = _words("""
bibliotheek buurthuis taalcafé vrijwilliger vrijwilligers nieuwkomers ouders kinderen
jongeren ouderen buurt wijk dorp stad gemeente school moskee kerk vereniging stichting
voorzitter coördinator wijkagent jongerenwerker huiswerkbegeleiding voorleesuur leesclub
spreekuur inloop koffieochtend bijeenkomst gesprek afspraak plan idee vraag probleem
doel doelen visie samenwerking partner partners netwerk ruimte zaal tafel boeken
computer internet formulier belasting toeslag digitaal cursus workshop training les
lessen taal nederlands lezen schrijven rekenen gezondheid armoede eenzaamheid werk
baan vrouwen mannen vaders moeders gezinnen studenten senioren statushouders buren
markt festival bijeenkomsten dinsdag woensdag donderdag vrijdag zaterdag ochtend middag
avond maand week jaar voorjaar zomer najaar winter folder flyer poster krant nieuwsbrief
facebook whatsapp groep groepen community leden deelnemers bezoekers gasten organisatie
organisaties welzijn zorg wijkteam huisarts apotheek bakkerij winkel winkeliers
ondernemers bedrijf bedrijven kunst muziek theater film museum geschiedenis natuur tuin
moestuin koken eten koffie thee samen elkaar mensen iedereen niemand iemand veel weinig
meer minder groot klein nieuw oud goed slecht mooi lastig moeilijk makkelijk belangrijk
sterk zwak actief betrokken gemotiveerd enthousiast kritisch voorzichtig open gastvrij
helpen organiseren verbinden ontmoeten leren delen vertellen luisteren vragen zoeken
vinden maken bouwen starten stoppen blijven komen gaan zien horen denken weten willen
kunnen moeten mogen hebben zijn worden krijgen geven nemen houden brengen halen regelen
bellen mailen schrijven lezen uitnodigen aanmelden inschrijven betalen subsidie budget
geld kosten fonds aanvraag verslag notulen agenda rooster planning evaluatie resultaat
succes kans risico zorgen wensen behoeften talenten kwaliteiten kennis ervaring verhalen
herinneringen toekomst verleden vandaag morgen gisteren straks later eerder vaak soms
nooit altijd misschien zeker graag liever samenwerken meedoen bijdragen ondersteunen
ambassadeur ambassadeurs rol rollen taken verantwoordelijk eigenaar gastheer gastvrouw
kapstok strategie beleidsplan thema thema's omgevingsscan themascan voorbeeld inspiratie
meetup buurtcentrum speeltuin sportclub voetbal zwemmen wandelen fietsen bus trein
parkeren toegankelijk rolstoel slechthorend slechtziend laaggeletterd digibeet tablet
telefoon app website wachtwoord inloggen digid afspraken spelregels vertrouwen respect""")

TAGS = ("#buurthuis", "#ouders", "#jongeren", "#taalcafé", "#digitaal", "#vrijwilligers",
        "#partners", "#gemeente", "#school", "#idee")


class Notes:
    """An endless stream of notes, the same for the same seed."""

    def __init__(self, seed: int = 7) -> None:
        self.random = random.Random(seed)
        # Rank-weighted (Zipf-like, s=0.8) content words; function words fill in between.
        self.content = list(_CONTENT)
        self.random.shuffle(self.content)
        self.weights = list(itertools.accumulate(1 / (rank + 1) ** 0.8
                                                 for rank in range(len(self.content))))

    def words(self, count: int) -> list[str]:
        return self.random.choices(self.content, cum_weights=self.weights, k=count)

    def note(self) -> str:
        rnd = self.random
        out: list[str] = []
        for word in self.words(rnd.randint(5, 14)):
            if rnd.random() < 0.45:
                out.append(rnd.choice(_FUNCTION))
            out.append(word)
        text = " ".join(out)
        text = text[0].upper() + text[1:]
        if rnd.random() < 0.25:
            text += " " + rnd.choice(TAGS)
        return text

    def __iter__(self) -> Iterator[str]:
        while True:
            yield self.note()


def content_words(text: str) -> list[str]:
    """The searchable (non-stop) words of a note, in order."""
    stop = STOPWORDS["nl"]
    return [w for w in text.lower().split() if w.isalpha() and w not in stop]
