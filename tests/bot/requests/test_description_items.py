from bot.requests.description_items import open_items_text
from bot.slack.i18n import translator
from storage.register_description import OpenItem


def test_nothing_left_open_says_nothing() -> None:
    assert open_items_text([], "fi", translator("fi")) == ""


def test_the_open_items_are_named_in_the_staff_member_s_language() -> None:
    items = [OpenItem("fi", "processors.1.name", "[[palvelin]]"), OpenItem("en", "security", "")]
    finnish = open_items_text(items, "fi", translator("fi"))
    assert "1 täyttämätön kohta" in finnish and "processors.1.name [[palvelin]]" in finnish
    assert "security" not in finnish
    english = open_items_text(items, "en", translator("en"))
    assert "1 item left open" in english and "en: security (—)" in english


def test_a_long_list_is_cut_short() -> None:
    items = [OpenItem("en", f"rights.{i}", "") for i in range(9)]
    text = open_items_text(items, "en", translator("en"))
    assert "9 items" in text and "and 3 more" in text and "rights.8" not in text
