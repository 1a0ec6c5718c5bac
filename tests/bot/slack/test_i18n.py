"""Every message the bot can say exists in Finnish, with the same placeholders."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.slack.i18n import LOCALE_DIR, translator

BOT_DIR = Path(__file__).resolve().parents[3] / "bot"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def extracted_messages() -> set[str]:
    found = extract_from_dir(
        str(BOT_DIR), method_map=[("**.py", "python")], keywords={"t": None, "N_": None}
    )
    return {message for _file, _line, message, _comments, _context in found}


def finnish_catalogue():  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / "fi" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale="fi")


def test_every_message_has_a_finnish_translation_with_the_same_placeholders() -> None:
    catalogue = finnish_catalogue()
    missing = []
    for message in sorted(extracted_messages()):
        entry = catalogue.get(message)
        if entry is None or not entry.string:
            missing.append(message)
            continue
        assert set(PLACEHOLDER.findall(message)) == set(PLACEHOLDER.findall(entry.string)), message
    assert missing == []


def test_the_catalogue_has_no_stale_messages() -> None:
    used = extracted_messages()
    stale = [entry.id for entry in finnish_catalogue() if entry.id and entry.id not in used]
    assert stale == []


def test_translators_speak_each_language() -> None:
    assert translator("fi")("Staff") == "Henkilökunta"
    assert translator("en")("Staff") == "Staff"
    assert translator("fi")("No access: %(names)s", names="<@U1>") == "Ei pääsyä: <@U1>"
    assert translator("sv").language == "fi"
