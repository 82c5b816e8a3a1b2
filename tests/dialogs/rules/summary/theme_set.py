"""Field notes with the themes a librarian would keep, and the measure of an extractor on them.

Each case is the notes of one open conversation as a librarian types or dictates them on a
phone: short lines, verbs in every form, weekdays and times, names, emoji, hashtags, loan
words and typos. `keep` holds the themes she would keep, as lemmas (nouns and noun phrases:
"vrijwilliger", not "vrijwilligers"); `names` the people met and places the caller knows.

`score(extract)` gives the mean share of returned themes she would keep (precision) and of
her themes found (recall). A returned theme is kept when its lemmas equal those of a kept
theme, or its last word's lemma (the head of a noun phrase) equals a kept theme's: "oudere
buurtbewoner" counts for "buurtbewoner". The bench (section 12) and the tests both use it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import simplemma

from search.terms import fold, tokenize


@dataclass(frozen=True)
class Case:
    notes: tuple[str, ...]
    keep: tuple[str, ...]
    person: str = ""
    names: tuple[str, ...] = ()
    lang: str = "nl"


def case(person: str, notes: str, keep: str, names: str = "", lang: str = "nl") -> Case:
    """A case from a block of lines; `keep` and `names` separated by ';'."""
    lines = tuple(line.strip() for line in notes.strip().splitlines() if line.strip())
    return Case(
        notes=lines,
        keep=tuple(k.strip() for k in keep.split(";") if k.strip()),
        person=person,
        names=tuple(n.strip() for n in names.split(";") if n.strip()),
        lang=lang,
    )


CASES: tuple[Case, ...] = (
    case("Fatima", """
        Fatima geeft elke dinsdag taalles in buurthuis De Linde
        vooral moeders uit Syrie en Eritrea, kinderen spelen ernaast
        ze durft nog niet goed Nederlands te praten buiten de les
        wil graag samen met bieb een leesclub in makkelijk Nederlands
        Actie: mail Sanne over rooster leesclub
    """, "taalles; moeder; kind; Nederlands; leesclub; makkelijk Nederlands; bibliotheek",
         "De Linde; Sanne"),
    case("Henk", """
        Henk (72) woont al 40 jaar in de Vogelwijk, sinds zijn vrouw overleden is veel alleen
        eenzaamheid onder ouderen groot probleem zegt hij
        kent buren nauwelijks, vroeger was er een buurtvereniging
        zou graag een koffieochtend willen op woensdag 10:00
        internet lukt niet, zoon helpt soms met DigiD
    """, "eenzaamheid; oudere; buur; buurtvereniging; koffieochtend; DigiD; internet",
         "Vogelwijk"),
    case("Aisha", """
        Aisha leidt de moedergroep in de moskee, ongeveer 15 vrouwen
        ze komen donderdagochtend bij elkaar, thee en praten over opvoeding
        veel vragen over school en huiswerk van de kinderen
        sommige moeders lezen niet, schamen zich daarvoor
        interesse in voorleesochtend met peuters 📚
        #opvoeding
    """, "moedergroep; moskee; vrouw; opvoeding; school; huiswerk; kind; moeder; "
         "voorleesochtend; peuter", ""),
    case("Joost", """
        Joost coördineert huiswerkbegeleiding in wijkcentrum Kanaleneiland
        40 leerlingen groep 7-8 en brugklas, te weinig begeleiders
        vrijwilligers haken af na paar maanden
        zoekt ruimte met wifi en laptops, nu alles op 1 tafel
        Sarah van het wijkteam was er ook bij
        vervolg: na de kerstvakantie langskomen
    """, "huiswerkbegeleiding; leerling; brugklas; begeleider; vrijwilliger; ruimte; wifi; "
         "laptop; wijkteam", "Kanaleneiland; Sarah"),
    case("Marieke", """
        Marieke is vrijwilliger bij het Taalhuis, al 3 jaar
        ze begeleidt twee taalmaatjes, allebei statushouders uit Eritrea
        inburgeringsexamen in maart, spanning loopt op
        ze merkt dat ze vooral oefenen met spreken
        vond de oefenboeken van de bieb verouderd
        #taalmaatje #inburgering
    """, "taalmaatje; inburgering; Taalhuis; vrijwilliger; statushouder; inburgeringsexamen; "
         "oefenboek; bibliotheek", ""),
    case("Ricardo", """
        gesprek met Ricardo, trainer bij voetbalclub SV Zuid
        jongens 12-16 jaar, veel hangen op straat na training
        hij ziet dat lezen ze niks zegt, maar voetbalbladen wel
        idee: boekenkast in de kantine met sportboeken
        sponsor is Albert Heijn Lindenlaan
        bellen maandag 😀
    """, "voetbalclub; jongen; straat; training; voetbalblad; boekenkast; kantine; sportboek; "
         "sponsor", "SV Zuid; Albert Heijn Lindenlaan"),
    case("Els", """
        Els runt de buurtwinkel op het Kerkplein
        iedereen komt er langs, ze weet alles van de buurt
        veel nieuwe gezinnen in de nieuwbouw, kennen niemand
        ze hangt graag posters op voor activiteiten
        zegt dat de bibliotheek onbekend is bij jonge ouders
        misschien een ruilkast met kinderboeken bij de kassa
    """, "buurtwinkel; buurt; gezin; nieuwbouw; poster; activiteit; bibliotheek; ouder; "
         "ruilkast; kinderboek", "Kerkplein"),
    case("Mohammed", """
        Mohammed is sleutelfiguur in Syrische gemeenschap Amersfoort
        vorige week op zaterdag bij hem thuis, heel gastvrij
        veel jongeren zoeken werk of stage, cv schrijven lastig
        ouderen missen Arabische boeken en kranten
        hij organiseert iftar in april, we zijn uitgenodigd 🙏
        Actie: collectie Arabisch checken
    """, "sleutelfiguur; gemeenschap; jongere; werk; stage; cv; oudere; Arabische boeken; "
         "krant; iftar; collectie; Arabisch", "Amersfoort"),
    case("Petra", """
        Petra werkt als wijkverpleegkundige, ziet veel laaggeletterdheid bij cliënten
        brieven van gemeente en zorgverzekeraar snappen ze niet
        schaamte is groot, ze vragen het niet
        doorverwijzen naar het Digitaal Hulpplein zou helpen
        ze had een folder nodig, heb ik meegegeven
        volgende afspraak 14 november om 9.30
    """, "wijkverpleegkundige; laaggeletterdheid; cliënt; brief; gemeente; zorgverzekeraar; "
         "schaamte; Digitaal Hulpplein; folder", ""),
    case("Ingrid", """
        Ingrid, coordinator vrijwilligers bij Humanitas
        thuisadministratie: vrijwilligers helpen mensen met geldzaken en schulden
        veel aanvragen uit de Schilderswijk
        vrijwilligers willen training over digitale overheid
        bieb heeft ruimte op vrijdagmiddag, dat past
    """, "vrijwilliger; Humanitas; thuisadministratie; geldzaak; schuld; aanvraag; training; "
         "digitale overheid; ruimte; bibliotheek", "Schilderswijk"),
    case("Yusuf", """
        Yusuf is jongerenwerker, zit in het jongerencentrum aan de Dorpsstraat
        jongeren gamen veel, ze willen een gametoernooi
        hij denkt aan escape room met boeken als puzzel
        meiden doen weinig mee, ze willen een eigen avond
        plan: in de herfstvakantie samen iets doen
        ik stuur hem de flyer van de makerspace
    """, "jongerenwerker; jongerencentrum; jongere; gametoernooi; escape room; boek; puzzel; "
         "meiden; makerspace; flyer", "Dorpsstraat"),
    case("Greet", """
        Greet (81) buurvrouw van onze vaste bezoeker Jan
        ze komt bijna niet meer buiten, slecht ter been
        luisterboeken vindt ze fijn maar cd-speler is kapot
        boeken aan huis zou uitkomst zijn
        dochter woont in Groningen, komt eens per maand
    """, "buurvrouw; luisterboek; cd-speler; boek aan huis; boek; dochter", "Jan; Groningen"),
    case("Lotte", """
        Lotte is juf van groep 3 op basisschool De Regenboog
        veel kinderen met taalachterstand, thuis wordt geen Nederlands gesproken
        ouders komen niet naar ouderavonden
        ze wil graag een voorleesproject met ouders erbij
        bibliotheek op school werkt goed maar boeken zijn oud
        dinsdag 12 december klassenbezoek gepland ✅
    """, "juf; basisschool; kind; taalachterstand; Nederlands; ouder; ouderavond; "
         "voorleesproject; bibliotheek op school; boek; klassenbezoek", "De Regenboog"),
    case("Karin", """
        karin van de voedselbank, uitgifte op donderdag 13-15u
        wachtrij is lang, mensen staan buiten in de kou
        idee: leeshoek in de wachtruimte
        veel gezinnen met jonge kinderen, ook veel alleenstaanden
        ze zoekt vrijwillgers voor de uitgifte
    """, "voedselbank; uitgifte; wachtrij; leeshoek; wachtruimte; gezin; kind; alleenstaande; "
         "vrijwilliger", ""),
    case("Dirk", """
        Dirk, voorzitter van de moestuinvereniging Groen Oost
        tuinders zijn vooral gepensioneerd, weinig jongeren
        ze ruilen zaden en stekjes, willen een zadenbibliotheek
        wekelijkse koffie in de schuur op zaterdag
        Dirk mailt mij het jaarprogramma
    """, "moestuinvereniging; tuinder; jongere; zaad; stekje; zadenbibliotheek; koffie; schuur; "
         "jaarprogramma", "Groen Oost"),
    case("Samira", """
        Samira zit in de ouderraad van het Da Vinci college
        ouders van tieners voelen zich machteloos bij social media
        schermtijd, gamen, tiktok, allemaal zorgen
        ze wil een ouderavond over mediawijsheid
        misschien samen met de bieb en GGD
        opvolging: in januari contact over datum
    """, "ouderraad; ouder; tiener; social media; schermtijd; zorg; ouderavond; mediawijsheid; "
         "bibliotheek; GGD", "Da Vinci college"),
    case("Wim", """
        Wim (vrijwilliger repaircafe) zit elke 1e zaterdag vd maand in buurthuis t Anker
        mensen komen met stofzuigers, fietsen, kleding
        tijdens het wachten zitten ze maar wat
        hij zou reparatieboeken en tijdschriften willen neerleggen
        groot netwerk van handige mannen, ook eenzaam soms
        #repaircafe
    """, "repaircafe; vrijwilliger; buurthuis; stofzuiger; fiets; kleding; reparatieboek; "
         "tijdschrift; netwerk; eenzaamheid", "t Anker"),
    case("Anouk", """
        Anouk werkt bij het consultatiebureau in Noord
        ze ziet ouders met baby's en peuters, veel eerste generatie
        BoekStart koffertje geeft ze mee maar ouders weten niet wat ermee
        voorlezen aan baby's vinden ouders raar
        samen een uurtje in de wachtkamer?
        ze belt me na overleg met haar teamleider
    """, "consultatiebureau; ouder; baby; peuter; BoekStart; koffertje; voorlezen; wachtkamer",
         "Noord"),
    case("Bram", """
        Bram predikant van de Pauluskerk
        kerk heeft inloop op woensdag, komen veel daklozen en dak- en thuislozen
        ze willen kranten lezen en internet voor sollicitaties
        kerk heeft geen computers
        hij zou een bibliotheekpas voor mensen zonder adres willen
        gaf aan dat vertrouwen tijd kost
    """, "predikant; kerk; inloop; dakloze; krant; internet; sollicitatie; computer; "
         "bibliotheekpas; adres; vertrouwen", "Pauluskerk"),
    case("Noor", """
        Noor, mantelzorger voor haar moeder met dementie
        zwaar, weinig tijd voor zichzelf
        mantelzorgers in de wijk kennen elkaar niet
        ze mist een plek om even bij te praten
        mantelzorgcafé in de bieb misschien? eens per maand op vrijdag
        ze noemde Stichting Mantelzorg Utrecht
    """, "mantelzorger; moeder; dementie; wijk; plek; mantelzorgcafé; bibliotheek",
         "Stichting Mantelzorg Utrecht"),
    case("Tamara", """
        Tamara kapster in winkelcentrum Hoog Catharijne
        klanten praten over alles, vooral geldzorgen
        ze heeft folders liggen van schuldhulp
        zou flyers van de bieb ook neerleggen
        ze leest zelf graag thrillers 😄
    """, "kapster; klant; geldzorg; folder; schuldhulp; flyer; bibliotheek; thriller",
         "Hoog Catharijne"),
    case("Gerrit", """
        Gerrit, boer aan de rand van het dorp, zit in dorpsraad
        dorp heeft geen bibliotheek meer sinds 2015
        ouderen missen de bibliobus
        jonge gezinnen trekken weg, school dreigt te sluiten
        dorpshuis is vrijdag open, daar kan een boekenkast
        hij stuurt de notulen van de dorpsraad door
    """, "boer; dorp; dorpsraad; bibliotheek; oudere; bibliobus; gezin; school; dorpshuis; "
         "boekenkast; notulen", ""),
    case("Hanneke", """
        Hanneke runt samen met Bas de kringloopwinkel
        boeken stromen binnen, meer dan ze kwijt kunnen
        vrijwilligers met afstand tot arbeidsmarkt
        leerwerkplekken, taal is vaak een drempel
        ze willen taalles op de werkvloer
        overleg 3 oktober 10:30 bij hen
    """, "kringloopwinkel; boek; vrijwilliger; arbeidsmarkt; leerwerkplek; taal; drempel; "
         "taalles; werkvloer", "Bas"),
    case("Priya", """
        Priya, expat uit India, werkt bij ASML
        expats voelen zich buitenstaander, Nederlands leren lastig want iedereen spreekt Engels
        ze zoekt een conversation group voor expats
        kinderen gaan naar internationale school
        ze leest veel, zoekt Engelse boeken
    """, "expat; buitenstaander; Nederlands; Engels; conversation group; kind; "
         "internationale school; Engelse boeken", "India; ASML"),
    case("Ilse", """
        ilse wijkagent, spreekuur in het buurthuis op maandagmiddag
        overlast van jongeren bij het winkelcentrum
        ze kent de families, veel problemen thuis
        wil de jongeren iets bieden, bieb als veilige plek
        ze vroeg naar openingstijden in het weekend
    """, "wijkagent; spreekuur; buurthuis; overlast; jongere; winkelcentrum; familie; "
         "veilige plek; openingstijd; bibliotheek", ""),
    case("Hatice", """
        Hatice, Turkse vrouwenvereniging, 30 leden
        vrouwen van 50+, veel diabetes en gezondheidsvragen
        gezondheidsvoorlichting in het Turks zou mooi zijn
        ze koken samen op woensdagavond
        kookboek maken met recepten van de leden?!
        bellen na de ramadan
    """, "vrouwenvereniging; lid; vrouw; diabetes; gezondheidsvraag; gezondheidsvoorlichting; "
         "Turks; kookboek; recept", ""),
    case("Rob", """
        Rob van de scouting, groep heeft 60 leden
        leiding bestaat uit vrijwilligers, moeilijk te vinden
        kinderen lezen steeds minder, merkt hij bij kampvuurverhalen
        verhalenavond bij het kampvuur met een verteller van de bieb!
        clubhuis aan de Bosweg
    """, "scouting; lid; leiding; vrijwilliger; kind; kampvuurverhaal; verhalenavond; kampvuur; "
         "verteller; clubhuis", "Bosweg"),
    case("Esther", """
        Esther is IB'er op OBS De Klimop
        dyslexie bij veel leerlingen, ouders weten niet waar ze hulp vinden
        luisterboeken via de app van de bieb kent niemand
        ze wil een informatieavond over dyslexie
        vervolg: mail met de datum
    """, "IB'er; dyslexie; leerling; ouder; hulp; luisterboek; app; informatieavond; "
         "bibliotheek", "OBS De Klimop"),
    case("Khalid", """
        Khalid, statushouder, 2 jaar in NL, woont met gezin in Hengelo
        spreekt Arabisch en Engels, Nederlands gaat langzaam
        zoekt werk als elektricien, diploma niet erkend
        kinderen gaan naar school, dochter leest veel
        hij zou taalmaatje willen zijn voor nieuwe statushouders
    """, "statushouder; gezin; Arabisch; Engels; Nederlands; werk; elektricien; diploma; kind; "
         "school; taalmaatje", "Hengelo"),
    case("Corrie", """
        Corrie, 68, zit in het bestuur van de ouderensoos
        elke woensdag bingo en koffie in zaal De Kroon, 25 mensen
        digitale vaardigheden: bankieren, WhatsApp, foto's van kleinkinderen
        ze willen een cursus klik en tik
        leden vinden bieb te ver, busje rijdt niet meer
    """, "bestuur; ouderensoos; bingo; koffie; digitale vaardigheden; bankieren; WhatsApp; "
         "foto; kleinkind; cursus; klik en tik; lid; bibliotheek; busje", "De Kroon"),
    case("Daan", """
        Daan heeft een koffiebar in de stationsstraat
        zzp'ers werken er de hele dag op laptops
        hij wil een boekenruil en af en toe lezingen
        podcast opnemen met lokale schrijvers?
        ik laat hem weten wanneer de schrijversweek is
    """, "koffiebar; zzp'er; laptop; boekenruil; lezing; podcast; schrijver; schrijversweek", ""),
    case("Linda", """
        Linda, moeder van een autistische zoon, 9
        zoekt rustige plek, bieb is te druk op woensdagmiddag
        prikkelarm uurtje zou voor veel gezinnen helpen
        ze kent andere ouders via facebookgroep
        ze deelt de oproep daar 👍
    """, "moeder; zoon; plek; prikkelarm uurtje; gezin; ouder; facebookgroep; oproep; "
         "bibliotheek", ""),
    # Issue 26: a street, number words and a bare verb stem ("woon") were themes.
    case("Amal", """
        Ik ben moeder van drie kinderen en woon sinds een jaar in Noord, Kolkstraat 12
        Ik wil met de juf van mijn dochter kunnen praten
    """, "moeder; kind; dochter; juf", "Noord"),
    case("Yusuf", """
        Yusuf woont twee jaar aan de Meeuwenlaan, bakker op het Stationsplein
        de eerste keer kwam hij met zijn drie zonen naar het taalcafé
        ga elke vrijdag naar de moskee, kom daar twintig vaders tegen
        vaders willen voorlezen aan hun kinderen, in het Turks en Nederlands
        Actie: flyer voor de moskee maken
    """, "bakker; zoon; taalcafé; moskee; vader; voorlezen; kind; Turks; Nederlands; flyer"),
    case("Ahmed", """
        He runs a homework club for refugee kids every Wednesday at 4pm
        volunteers from the neighbourhood, mostly students
        parents struggle with digital forms from the municipality
        he wants a quiet room and laptops
        Todo: send Ahmed the schedule
    """, "homework club; refugee; kid; volunteer; neighbourhood; student; parent; "
         "digital form; municipality; room; laptop", "", "en"),
    case("Grace", """
        Grace leads a Ghanaian women's group at the Pentecostal church in Zuidoost
        they meet on Saturdays, cooking and talking about their children
        many mothers worry about school reports and Dutch letters
        she asked about storytime in English and Twi
        she is sending me the group's WhatsApp contact
    """, "women's group; church; mother; child; school report; letter; storytime; English; "
         "Twi; cooking", "Zuidoost", "en"),
    case("Tom", """
        Tom, retired teacher, volunteers at the library on Tuesdays
        he noticed lonely elderly men coming in to read newspapers
        thinks a men's shed with repair workshops would work
        talked about chess club too, he played competitively
        he knows Peter from the allotments
    """, "teacher; library; elderly men; newspaper; men's shed; repair workshop; chess club; "
         "volunteer", "Peter", "en"),
    case("Maria", """
        Maria, social worker in the east district
        families in temporary housing, kids changing schools often
        no quiet place for homework, libraries close early in December
        she wants library cards for all kids in the shelter
        meeting again on 15 January
    """, "social worker; district; family; temporary housing; kid; school; homework; "
         "library; library card; shelter", "", "en"),
)


def _lemmas(text: str, lang: str) -> tuple[str, ...]:
    return tuple(fold(simplemma.lemmatize(t, lang=lang)) for t in tokenize(text))


def _matches(theme: tuple[str, ...], kept: tuple[str, ...]) -> bool:
    return bool(theme) and bool(kept) and (theme == kept or theme[-1] == kept[-1])


@dataclass(frozen=True)
class Score:
    precision: float  # mean over the cases; a case with no themes counts 0
    recall: float
    themes: int  # returned in all
    kept: int  # of those, a librarian would keep


def score(extract: Callable[[Case], Sequence[str]], cases: Sequence[Case] = CASES) -> Score:
    precisions: list[float] = []
    recalls: list[float] = []
    returned = kept_total = 0
    for c in cases:
        found = [_lemmas(t, c.lang) for t in extract(c)]
        keep = [_lemmas(k, c.lang) for k in c.keep]
        kept = sum(1 for f in found if any(_matches(f, k) for k in keep))
        hit = sum(1 for k in keep if any(_matches(f, k) for f in found))
        precisions.append(kept / len(found) if found else 0.0)
        recalls.append(hit / len(keep) if keep else 1.0)
        returned += len(found)
        kept_total += kept
    return Score(statistics.fmean(precisions), statistics.fmean(recalls), returned, kept_total)


def notes_of(c: Case) -> list[str]:
    return list(c.notes)
