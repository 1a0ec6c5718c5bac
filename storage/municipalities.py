"""Municipalities (kotikunta) spelt one way, so that a report counts each of them once.

A name is compared folded: case, Unicode composition, spaces and hyphens aside. One of
Finland's municipalities takes its official spelling as Statistics Finland lists it, whatever
was typed ("hämeenlinna", "HÄMEENLINNA" → "Hämeenlinna"; "mariehamn" → "Maarianhamina -
Mariehamn"). Any other name, as one abroad, gets a capital at the start of each word, and a word
typed in capitals lower case after it ("sankt PETERSBURG" → "Sankt Petersburg"), so that the
usual slips come out alike.
"""

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Person

FINNISH_MUNICIPALITIES = (
    "Akaa", "Alajärvi", "Alavieska", "Alavus", "Asikkala", "Askola", "Aura", "Brändö",
    "Eckerö", "Enonkoski", "Enontekiö", "Espoo", "Eura", "Eurajoki", "Evijärvi", "Finström",
    "Forssa", "Föglö", "Geta", "Haapajärvi", "Haapavesi", "Hailuoto", "Halsua", "Hamina",
    "Hammarland", "Hankasalmi", "Hanko", "Harjavalta", "Hartola", "Hattula", "Hausjärvi",
    "Heinola", "Heinävesi", "Helsinki", "Hirvensalmi", "Hollola", "Huittinen", "Humppila",
    "Hyrynsalmi", "Hyvinkää", "Hämeenkyrö", "Hämeenlinna", "Ii", "Iisalmi", "Iitti",
    "Ikaalinen", "Ilmajoki", "Ilomantsi", "Imatra", "Inari", "Inkoo", "Isojoki", "Isokyrö",
    "Janakkala", "Joensuu", "Jokioinen", "Jomala", "Joroinen", "Joutsa", "Juuka",
    "Juupajoki", "Juva", "Jyväskylä", "Jämijärvi", "Jämsä", "Järvenpää", "Kaarina", "Kaavi",
    "Kajaani", "Kalajoki", "Kangasala", "Kangasniemi", "Kankaanpää", "Kannonkoski", "Kannus",
    "Karijoki", "Karkkila", "Karstula", "Karvia", "Kaskinen", "Kauhajoki", "Kauhava",
    "Kauniainen", "Kaustinen", "Keitele", "Kemi", "Kemijärvi", "Keminmaa", "Kemiönsaari",
    "Kempele", "Kerava", "Keuruu", "Kihniö", "Kinnula", "Kirkkonummi", "Kitee", "Kittilä",
    "Kiuruvesi", "Kivijärvi", "Kokemäki", "Kokkola", "Kolari", "Konnevesi", "Kontiolahti",
    "Korsnäs", "Koski Tl", "Kotka", "Kouvola", "Kristiinankaupunki", "Kruunupyy", "Kuhmo",
    "Kuhmoinen", "Kumlinge", "Kuopio", "Kuortane", "Kurikka", "Kustavi", "Kuusamo",
    "Kyyjärvi", "Kärkölä", "Kärsämäki", "Kökar", "Lahti", "Laihia", "Laitila", "Lapinjärvi",
    "Lapinlahti", "Lappajärvi", "Lappeenranta", "Lapua", "Laukaa", "Lemi", "Lemland",
    "Lempäälä", "Leppävirta", "Lestijärvi", "Lieksa", "Lieto", "Liminka", "Liperi", "Lohja",
    "Loimaa", "Loppi", "Loviisa", "Luhanka", "Lumijoki", "Lumparland", "Luoto", "Luumäki",
    "Maalahti", "Maarianhamina - Mariehamn", "Marttila", "Masku", "Merijärvi", "Merikarvia",
    "Miehikkälä", "Mikkeli", "Muhos", "Multia", "Muonio", "Mustasaari", "Muurame",
    "Mynämäki", "Myrskylä", "Mäntsälä", "Mänttä-Vilppula", "Mäntyharju", "Naantali",
    "Nakkila", "Nivala", "Nokia", "Nousiainen", "Nurmes", "Nurmijärvi", "Närpiö",
    "Orimattila", "Oripää", "Orivesi", "Oulainen", "Oulu", "Outokumpu", "Padasjoki",
    "Paimio", "Paltamo", "Parainen", "Parikkala", "Parkano", "Pedersören kunta",
    "Pelkosenniemi", "Pello", "Perho", "Pertunmaa", "Petäjävesi", "Pieksämäki", "Pielavesi",
    "Pietarsaari", "Pihtipudas", "Pirkkala", "Polvijärvi", "Pomarkku", "Pori", "Pornainen",
    "Porvoo", "Posio", "Pudasjärvi", "Pukkila", "Punkalaidun", "Puolanka", "Puumala",
    "Pyhtää", "Pyhäjoki", "Pyhäjärvi", "Pyhäntä", "Pyhäranta", "Pälkäne", "Pöytyä", "Raahe",
    "Raasepori", "Raisio", "Rantasalmi", "Ranua", "Rauma", "Rautalampi", "Rautavaara",
    "Rautjärvi", "Reisjärvi", "Riihimäki", "Ristijärvi", "Rovaniemi", "Ruokolahti",
    "Ruovesi", "Rusko", "Rääkkylä", "Saarijärvi", "Salla", "Salo", "Saltvik", "Sastamala",
    "Sauvo", "Savitaipale", "Savonlinna", "Savukoski", "Seinäjoki", "Sievi", "Siikainen",
    "Siikajoki", "Siikalatva", "Siilinjärvi", "Simo", "Sipoo", "Siuntio", "Sodankylä",
    "Soini", "Somero", "Sonkajärvi", "Sotkamo", "Sottunga", "Sulkava", "Sund",
    "Suomussalmi", "Suonenjoki", "Sysmä", "Säkylä", "Taipalsaari", "Taivalkoski",
    "Taivassalo", "Tammela", "Tampere", "Tervo", "Tervola", "Teuva", "Tohmajärvi",
    "Toholampi", "Toivakka", "Tornio", "Turku", "Tuusniemi", "Tuusula", "Tyrnävä", "Ulvila",
    "Urjala", "Utajärvi", "Utsjoki", "Uurainen", "Uusikaarlepyy", "Uusikaupunki", "Vaala",
    "Vaasa", "Valkeakoski", "Vantaa", "Varkaus", "Vehmaa", "Vesanto", "Vesilahti", "Veteli",
    "Vieremä", "Vihti", "Viitasaari", "Vimpeli", "Virolahti", "Virrat", "Vårdö", "Vöyri",
    "Ylitornio", "Ylivieska", "Ylöjärvi", "Ypäjä", "Ähtäri", "Äänekoski",
)  # fmt: skip
# Names typed for the municipalities whose official name is not the one in everyday use.
EVERYDAY_NAMES = {
    "Maarianhamina": "Maarianhamina - Mariehamn",
    "Mariehamn": "Maarianhamina - Mariehamn",
    "Pedersöre": "Pedersören kunta",
    "Koski": "Koski Tl",
}
SPACES = re.compile(r"\s+")
WORD = re.compile(r"\w+")


def folded(name: str) -> str:
    """The name as it is compared: case, composition, spaces and hyphens aside."""
    text = unicodedata.normalize("NFC", name).casefold()
    return "".join(character for character in text if not character.isspace() and character != "-")


OFFICIAL = {folded(name): name for name in FINNISH_MUNICIPALITIES} | {
    folded(typed): name for typed, name in EVERYDAY_NAMES.items()
}


def normalised_municipality(name: str | None) -> str | None:
    """The one spelling of what was typed; None for nothing typed."""
    text = SPACES.sub(" ", unicodedata.normalize("NFC", name or "")).strip()
    if not text:
        return None
    official = OFFICIAL.get(folded(text))
    if official is not None:
        return official
    return WORD.sub(lambda match: _capitalised(match[0]), text)


def _capitalised(word: str) -> str:
    return word[0].upper() + (word[1:].lower() if word.isupper() else word[1:])


# Finnish sorts å, ä and ö after z.
FINNISH_LAST = str.maketrans({"å": "{0", "ä": "{1", "ö": "{2"})


def _order(name: str) -> str:
    return name.casefold().translate(FINNISH_LAST)


def known_municipalities(*, session: Session, typed: str, most: int) -> list[str]:
    """The municipalities the register's persons live in and Finland's, those whose name begins
    with what was typed first, then those that hold it; in alphabetical order, at most `most`.
    Restricted persons' municipalities are left out: they are only stored."""
    wanted = folded(typed)
    in_register = session.scalars(
        select(Person.municipality)
        .where(Person.municipality.is_not(None), Person.restricted.is_(False))
        .distinct()
    )
    names = sorted({*FINNISH_MUNICIPALITIES, *(n for n in in_register if n)}, key=_order)
    starting = [name for name in names if folded(name).startswith(wanted)]
    holding = [name for name in names if wanted in folded(name) and name not in starting]
    return (starting + holding)[:most]
