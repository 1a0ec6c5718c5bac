"""Every message the bot can say exists in Finnish, with the same placeholders, and every
message with a count has its plural forms."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.slack.i18n import LOCALE_DIR, translator

BOT_DIR = Path(__file__).resolve().parents[3] / "bot"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
COUNTS = {
    "count",
    "cards",
    "coming",
    "erased",
    "held",
    "length",
    "minutes",
    "more",
    "overdue",
    "remaining",
    "undecided",
    "words",
}
# Messages whose counts need no plural form, and why.
SINGULAR_COUNTS = {
    # A unit abbreviation: "1 min" and "5 min" alike.
    "%(minutes)d min": "an abbreviation",
    # Labels followed by a number read right for every count, in both languages.
    "Records waiting for a retention decision: *%(count)d*": "a label and a number",
    "Your follow-ups today: %(count)d": "a label and a number",
    "Erased: %(erased)s. Held: %(held)s. Left for the next review: %(undecided)s.": (
        "labels and numbers"
    ),
    "Data subject requests: %(overdue)d overdue, %(coming)d due within 7 days.": (
        "the English reads right for every count; the Finnish puts labels before the numbers"
    ),
    # Limits fixed in the code, all well above one.
    "At most %(count)d characters.": "field lengths of the person form",
    "At most %(count)d phone numbers.": "the register's cap on a person's phone numbers",
    "Search too long: at most %(length)d characters and %(words)d words.": "search limits",
}


def extracted_messages() -> set[str | tuple[str, ...]]:
    found = extract_from_dir(
        str(BOT_DIR),
        method_map=[("**.py", "python")],
        keywords={"t": None, "N_": None, "n": (1, 2), "Nn_": (1, 2)},
    )
    return {message for _file, _line, message, _comments, _context in found}


def placeholders(message: str | tuple[str, ...]) -> set[str]:
    texts = (message,) if isinstance(message, str) else message
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


def finnish_catalogue():  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / "fi" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale="fi")


def test_every_message_has_a_finnish_translation_with_the_same_placeholders() -> None:
    catalogue = finnish_catalogue()
    missing = []
    for message in sorted(extracted_messages(), key=str):
        entry = catalogue.get(message)
        if entry is None or not entry.string:
            missing.append(message)
            continue
        assert placeholders(message) == placeholders(entry.string), message
    assert missing == []


def test_the_catalogue_has_no_stale_messages() -> None:
    used = extracted_messages()
    stale = [entry.id for entry in finnish_catalogue() if entry.id and entry.id not in used]
    assert stale == []


def test_translators_speak_each_language() -> None:
    assert translator("fi")("Staff") == "Henkilökunta"
    assert translator("en")("Staff") == "Staff"
    assert translator("fi")("Topic: %(topic)s", topic="x") == "Aihe: x"
    assert translator("sv").language == "fi"


def test_every_message_with_a_count_has_plural_forms() -> None:
    singular = [
        entry.id
        for entry in finnish_catalogue()
        if entry.id
        and not entry.pluralizable
        and placeholders(entry.id) & COUNTS
        and entry.id not in SINGULAR_COUNTS
    ]
    assert singular == []


def test_the_exceptions_are_in_the_catalogue() -> None:
    ids = {entry.id for entry in finnish_catalogue()}
    assert set(SINGULAR_COUNTS) <= ids


def test_finnish_has_two_plural_forms() -> None:
    catalogue = finnish_catalogue()
    assert catalogue.num_plurals == 2
    assert catalogue.plural_expr == "(n != 1)"
    plural = [entry for entry in catalogue if entry.pluralizable]
    assert plural
    assert all(len(entry.string) == 2 and all(entry.string) for entry in plural)


@pytest.mark.parametrize(
    ("language", "count", "said"),
    [
        ("en", 0, "and 0 more"),
        ("en", 1, "and 1 more"),
        ("en", 2, "and 2 more"),
        ("en", 5, "and 5 more"),
        ("fi", 0, "ja 0 muuta"),
        ("fi", 1, "ja 1 muu"),
        ("fi", 2, "ja 2 muuta"),
        ("fi", 5, "ja 5 muuta"),
    ],
)
def test_counts_take_the_language_s_plural_form(language: str, count: int, said: str) -> None:
    t = translator(language)
    assert t.n("and %(count)s more", "and %(count)s more", count) == said


@pytest.mark.parametrize(
    ("language", "count", "said"),
    [
        ("en", 0, "The audit trail is intact: 0 events checked."),
        ("en", 1, "The audit trail is intact: 1 event checked."),
        ("en", 2, "The audit trail is intact: 2 events checked."),
        ("en", 5, "The audit trail is intact: 5 events checked."),
        ("fi", 0, "Lokiketju on ehjä: 0 tapahtumaa tarkastettu."),
        ("fi", 1, "Lokiketju on ehjä: 1 tapahtuma tarkastettu."),
        ("fi", 2, "Lokiketju on ehjä: 2 tapahtumaa tarkastettu."),
        ("fi", 5, "Lokiketju on ehjä: 5 tapahtumaa tarkastettu."),
    ],
)
def test_plural_messages_take_other_placeholders(language: str, count: int, said: str) -> None:
    t = translator(language)
    singular = "The audit trail is intact: %(count)d event checked."
    plural = "The audit trail is intact: %(count)d events checked."
    assert t.n(singular, plural, count) == said


def test_a_plural_message_can_name_its_count_placeholder_otherwise() -> None:
    t = translator("en")
    assert t.n("%(n)d of %(total)d", "%(n)d of %(total)d", 3, n=3, total=9) == "3 of 9"
