"""A labelled set for the shareable export: texts a librarian in Utrecht might write, with
the sensitive pieces planted in them and the pieces that must stay.

Kinds: "bekend" (a person she recorded, PEOPLE), "naam" (a name typed only in the text),
"adres" (street with number, postcode), "telefoonnummer", "e-mailadres", "geboortedatum".
Kept on purpose: colleagues (COLLEAGUES), place and neighbourhood names, the library's own
activities, common words that are also names, ordinary dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.features.export import deduce_spans
from bot.features.export.anonymise import (
    Person,
    Span,
    combine,
    pattern_spans,
    recorded_spans,
    shareable_spans,
)

PEOPLE = (
    Person("Fatima el Amrani", "Vrijwilliger"),
    Person("Jan van der Berg", "buurtbewoner"),
    Person("Roos Janssen", None),
    Person("Bram de Jong", "taalmaatje"),
    Person("Mohammed Yilmaz", "voorzitter van de moskee"),
    Person("Els Verhoeven", "wijkverpleegkundige"),
    Person("Kees Mulder", None),
    Person("Wilma de Boer", "directeur van de basisschool"),
    Person("Ahmed Benali", "Jongerenwerker"),
    Person("Merel Visser", "moeder"),
)
COLLEAGUES = ("Anke de Wit", "Sanne Bakker", "Joost")


@dataclass(frozen=True)
class Item:
    where: str  # notitie, antwoord (gesprek), activiteit, resultaat
    text: str
    sensitive: tuple[tuple[str, str], ...]  # (exact text, kind); every occurrence counts
    kept: tuple[str, ...] = ()  # must come out unchanged


SET: tuple[Item, ...] = (
    Item("notitie",
         "Vandaag bij het taalcafé: Fatima heeft de koffie geregeld en nam twee nieuwe"
         " deelnemers mee. Fatima's idee om een woordenspel te doen viel goed.",
         (("Fatima", "bekend"), ("Fatima's", "bekend")), ("taalcafé",)),
    Item("notitie",
         "Kort gebeld met meneer Van der Berg over de buurtbieb. Hij wil de kast bij de"
         " speeltuin bijhouden. Anke gaat de boeken brengen.",
         (("Van der Berg", "bekend"),), ("Anke", "buurtbieb")),
    Item("notitie",
         "De roos in de tuin van het buurthuis bloeit weer. Roos kwam ook kijken en bleef"
         " voor de koffie.",
         (("Roos", "bekend"),), ("De roos in de tuin",)),
    Item("notitie",
         "Bram de Jong helpt voortaan op dinsdag bij Digisterker. Bereikbaar op 06-12345678.",
         (("Bram de Jong", "bekend"), ("06-12345678", "telefoonnummer")),
         ("Digisterker", "dinsdag")),
    Item("antwoord",
         "Ik heb het vooral gehoord van Mohammed Yilmaz en van zijn buurvrouw Hatice"
         " Demir, die al jaren in Overvecht woont.",
         (("Mohammed Yilmaz", "bekend"), ("Hatice Demir", "naam")), ("Overvecht",)),
    Item("antwoord",
         "Volgens Els is de eenzaamheid onder ouderen in Zuilen groter dan we dachten."
         " Ze noemde mevrouw Kaya van de flat aan de Amsterdamsestraatweg 512.",
         (("Els", "bekend"), ("Kaya", "naam"), ("Amsterdamsestraatweg 512", "adres")),
         ("Zuilen",)),
    Item("activiteit",
         "Voorleesochtend in de bibliotheek in Utrecht, samen met Sanne en Joost. Kees"
         " Mulder las voor uit Jip en Janneke.",
         (("Kees Mulder", "bekend"),), ("Sanne", "Joost", "bibliotheek in Utrecht")),
    Item("activiteit",
         "Inloopspreekuur digitale overheid. Wie niet kan komen kan mailen naar"
         " wilma.deboer@basisschooldezon.nl of bellen met 030 123 4567.",
         (("wilma.deboer@basisschooldezon.nl", "e-mailadres"),
          ("030 123 4567", "telefoonnummer")), ("Inloopspreekuur",)),
    Item("resultaat",
         "Dankzij Ahmed zijn er nu twaalf jongeren die wekelijks huiswerkbegeleiding"
         " krijgen. Contact via ahmed.benali@jongerenwerkutrecht.nl.",
         (("Ahmed", "bekend"), ("ahmed.benali@jongerenwerkutrecht.nl", "e-mailadres")),
         ("huiswerkbegeleiding",)),
    Item("resultaat",
         "Merel heeft zes andere moeders meegenomen naar BoekStart. Haar nummer:"
         " +31 6 1234 5678.",
         (("Merel", "bekend"), ("+31 6 1234 5678", "telefoonnummer")), ("BoekStart",)),
    Item("notitie",
         "Bezoek aan Dirk-Jan Hoekstra thuis, Kerkstraat 12, 3511 AB Utrecht. Hij zoekt"
         " hulp bij het invullen van formulieren.",
         (("Dirk-Jan Hoekstra", "naam"), ("Kerkstraat 12, 3511 AB", "adres")), ()),
    Item("notitie",
         "Priya Sharma vroeg of er ook boeken in het Hindi zijn. Beloofd uit te zoeken.",
         (("Priya Sharma", "naam"),), ("Hindi",)),
    Item("antwoord",
         "Mijn buurman, Gerrit Postma, zou graag een leesclub voor mannen beginnen.",
         (("Gerrit Postma", "naam"),), ("leesclub",)),
    Item("antwoord",
         "Naima Bouzid en Lotte van Dijk organiseren de rommelmarkt; je kunt Lotte bereiken"
         " via lottevandijk@hotmail.com.",
         (("Naima Bouzid", "naam"), ("Lotte van Dijk", "naam"), ("Lotte", "naam"),
          ("lottevandijk@hotmail.com", "e-mailadres")), ("rommelmarkt",)),
    Item("notitie",
         "Truus de Graaf (geboren op 3-4-1948) woont sinds kort in het verzorgingshuis en"
         " mist de bibliotheekbus.",
         (("Truus de Graaf", "naam"), ("3-4-1948", "geboortedatum")),
         ("bibliotheekbus",)),
    Item("activiteit",
         "Repair Café in wijkcentrum De Leeuw op zaterdag 14 maart. Aanmelden bij"
         " Pieter van den Heuvel, 06 98765432.",
         (("Pieter van den Heuvel", "naam"), ("06 98765432", "telefoonnummer")),
         ("Repair Café", "14 maart")),
    Item("resultaat",
         "De schrijfworkshop leverde een bundel op met verhalen van Esra Aydın, Tom Bakker"
         " en Jan. Sanne heeft de bundel opgemaakt.",
         (("Esra Aydın", "naam"), ("Tom Bakker", "naam"), ("Jan", "bekend")),
         ("Sanne heeft",)),
    Item("notitie",
         "wilma wil de kinderen van groep 7 laten meedoen aan de voorleeswedstrijd. bel"
         " haar op 030-2345678.",
         (("wilma", "bekend"), ("030-2345678", "telefoonnummer")),
         ("voorleeswedstrijd",)),
    Item("antwoord",
         "We zitten hier met veel hoop, maar de vos en de mars naar het stadhuis hielpen"
         " niet. Yvonne Smits zei dat ook.",
         (("Yvonne Smits", "naam"),), ("veel hoop", "de vos", "de mars")),
    Item("notitie",
         "Post voor het taalcafé kan naar Postbus 1234, 3500 AA Utrecht. Vragen? Mail"
         " info@taalcafe-overvecht.nl of bel 0031 30 765 4321.",
         (("3500 AA", "adres"), ("info@taalcafe-overvecht.nl", "e-mailadres"),
          ("0031 30 765 4321", "telefoonnummer")), ()),
    Item("activiteit",
         "Klik & Tik-les met Marco Rossi en zijn dochter. Ze wonen op de Biltstraat 88 bis.",
         (("Marco Rossi", "naam"), ("Biltstraat 88", "adres")), ("Klik & Tik",)),
    Item("resultaat",
         "Na drie gesprekken met Mohammed en het bestuur is er nu een boekenkast in de"
         " moskee. Joost zorgt voor aanvulling.",
         (("Mohammed", "bekend"),), ("Joost zorgt", "moskee")),
    Item("notitie",
         "Bram belde: hij kan niet op dinsdag. Zijn nieuwe mail is b.dejong@ziggo.nl en zijn"
         " mobiel 0612345679.",
         (("Bram", "bekend"), ("b.dejong@ziggo.nl", "e-mailadres"),
          ("0612345679", "telefoonnummer")), ()),
    Item("antwoord",
         "Mevrouw Van Leeuwen van nummer 14 vindt dat de bibliotheek te vroeg sluit.",
         (("Van Leeuwen", "naam"),), ("bibliotheek",)),
    Item("notitie",
         "Koffie met Anke de Wit en Sanne Bakker over de planning van het najaar.",
         (), ("Anke de Wit", "Sanne Bakker")),
    Item("activiteit",
         "Speurtocht door de wijk met kinderen van de Zonnebloemschool. Begeleiding: Kees en"
         " de moeder van Sem.",
         (("Kees", "bekend"), ("Sem", "naam")), ("Speurtocht",)),
    Item("resultaat",
         "Karin Vermeulen, kersverse vrijwilliger, heeft haar eerste taalles gegeven. Haar"
         " adres is Lange Nieuwstraat 7, 3512 PA.",
         (("Karin Vermeulen", "naam"), ("Lange Nieuwstraat 7, 3512 PA", "adres")),
         ("taalles",)),
    Item("notitie",
         "Ahmed Benali en Fatima el Amrani gaan samen de jongerenavond voorbereiden.",
         (("Ahmed Benali", "bekend"), ("Fatima el Amrani", "bekend")),
         ("jongerenavond",)),
    Item("antwoord",
         "Ik ken die mevrouw niet, maar Henk zegt dat ze elke ochtend met haar hond in het"
         " park loopt.",
         (("Henk", "naam"),), ("park",)),
    Item("notitie",
         "Geboortedatum van de deelnemer voor de pas: 12-09-2016. Vader: Youssef Haddou,"
         " telefoon 06-87654321.",
         (("12-09-2016", "geboortedatum"), ("Youssef Haddou", "naam"),
          ("06-87654321", "telefoonnummer")), ()),
    Item("activiteit",
         "Boekenruilmarkt op het Neude op 5 oktober 2024, met hulp van Els Verhoeven en de"
         " wijkagent.",
         (("Els Verhoeven", "bekend"),), ("5 oktober 2024", "wijkagent")),
    Item("resultaat",
         "De oudercursus is afgerond: acht ouders, onder wie Merel Visser en Samira"
         " El Idrissi, kregen een certificaat.",
         (("Merel Visser", "bekend"), ("Samira El Idrissi", "naam")), ("certificaat",)),
    Item("notitie",
         "Jan van der Berg: 'Kom gerust langs op de Oudegracht 231.' Zijn mail:"
         " jvdberg@xs4all.nl.",
         (("Jan van der Berg", "bekend"), ("Oudegracht 231", "adres"),
          ("jvdberg@xs4all.nl", "e-mailadres")), ()),
    Item("antwoord",
         "Het leesproject loopt goed. De kinderen lezen nu elke week in de bieb.",
         (), ("leesproject", "bieb")),
    Item("notitie",
         "snel getypt na afloop: gesprek met yusuf over de huiswerkklas, hij wil helpen.",
         (("yusuf", "naam"),), ("huiswerkklas",)),
    Item("resultaat",
         "Ook Ngozi Okafor en Siosaia Taufa deden mee aan de verhalenavond in de bibliotheek.",
         (("Ngozi Okafor", "naam"), ("Siosaia Taufa", "naam")), ("verhalenavond",)),
    Item("notitie",
         "Roos en ik spraken over de tuin. Daarna vertelde Roos' buurvrouw Ingrid over de"
         " buurtapp.",
         (("Roos", "bekend"), ("Roos'", "bekend"), ("Ingrid", "naam")), ("buurtapp",)),
)


def labelled(item: Item) -> list[tuple[int, int, str]]:
    """Every occurrence (whole words, as written) of the item's sensitive pieces."""
    return [(m.start(), m.end(), kind) for piece, kind in item.sensitive
            for m in re.finditer(rf"(?<!\w){re.escape(piece)}(?!\w)", item.text)]


@dataclass
class Score:
    """Recall per kind (a labelled piece counts when every letter of it is removed) and
    precision (a removed span counts when it touches a labelled piece)."""

    found: dict[str, list[int]] = field(default_factory=dict)  # kind: [recalled, total]
    removed: int = 0
    right: int = 0
    kept_broken: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def recall(self, kinds: Sequence[str] | None = None) -> float:
        pairs = [v for k, v in self.found.items() if kinds is None or k in kinds]
        total = sum(t for _, t in pairs)
        return sum(r for r, _ in pairs) / total if total else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.removed if self.removed else 1.0


def _covered(text: str, start: int, end: int, spans: Sequence[Span]) -> bool:
    return all(text[i].isspace() or any(s.start <= i < s.end for s in spans)
               for i in range(start, end))


def score(method: Callable[[str], list[Span]], items: Sequence[Item] = SET) -> Score:
    out = Score()
    for item in items:
        spans = method(item.text)
        labels = labelled(item)
        for start, end, kind in labels:
            tally = out.found.setdefault(kind, [0, 0])
            tally[1] += 1
            if _covered(item.text, start, end, spans):
                tally[0] += 1
            else:
                out.missed.append(f"{kind}: {item.text[start:end]}")
        out.removed += len(spans)
        out.right += sum(any(s.start < b and a < s.end for a, b, _ in labels) for s in spans)
        for piece in item.kept:
            at = item.text.find(piece)
            if any(s.start < at + len(piece) and at < s.end for s in spans):
                out.kept_broken.append(piece)
    return out


def recorded_only(text: str) -> list[Span]:
    return combine(recorded_spans(text, PEOPLE, COLLEAGUES), text)


def deduce_only(text: str) -> list[Span]:
    return combine((Span(a, b, k, "") for a, b, k in deduce_spans.detect(text, COLLEAGUES)),
                   text)


def patterns_only(text: str) -> list[Span]:
    return combine(pattern_spans(text), text)


def combined(text: str) -> list[Span]:
    return shareable_spans(text, PEOPLE, COLLEAGUES)


METHODS: dict[str, Callable[[str], list[Span]]] = {
    "(a) recorded people": recorded_only,
    "(b) deduce": deduce_only,
    "patterns (phone, e-mail, birth date)": patterns_only,
    "(c) combined": combined,
}
KINDS = ("bekend", "naam", "adres", "telefoonnummer", "e-mailadres", "geboortedatum")


def table(scores: dict[str, Score]) -> list[str]:
    """Markdown: precision and recall per method, recall per kind."""
    head = ["method", "precision", "recall", *KINDS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, sc in scores.items():
        cells = [f"{sc.recall([k]):.0%}" for k in KINDS]
        lines.append(f"| {name} | {sc.precision:.0%} ({sc.right}/{sc.removed}) |"
                     f" {sc.recall():.0%} | " + " | ".join(cells) + " |")
    return lines


if __name__ == "__main__":
    results = {name: score(method) for name, method in METHODS.items()}
    print("\n".join(table(results)))
    for name, sc in results.items():
        print(name, "missed:", sc.missed, "kept broken:", sc.kept_broken)
    print("labelled:", {k: v[1] for k, v in results["(c) combined"].found.items()})
