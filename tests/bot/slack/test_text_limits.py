"""Echoed text cut after escaping, and lists packed into sections Slack takes."""

import re

from bot.slack.i18n import translator
from bot.slack.lists import capped, more_text, packed_sections
from bot.slack.text import escaped, excerpt, mrkdwn_escape


def test_escaped_text_is_cut_after_escaping_never_inside_an_entity() -> None:
    typed = "<!channel>&" * 100
    shown = escaped(typed, 50)
    assert len(shown) <= 50 and shown.endswith("…")
    assert "<" not in shown and ">" not in shown
    body = shown.removesuffix("…")
    assert mrkdwn_escape(typed).startswith(body)
    assert re.search(r"&[a-z]*$", body) is None  # no entity cut in two


def test_short_text_is_only_escaped() -> None:
    assert escaped("Testi & <Virtanen>", 100) == "Testi &amp; &lt;Virtanen&gt;"
    assert excerpt("Testi", 5) == "Testi"
    assert excerpt("Testi Virtanen", 6) == "Testi…"


def test_lines_are_packed_into_sections_within_the_limit() -> None:
    lines = [f"{i:03d} " + "x" * 96 for i in range(100)]
    sections = packed_sections(lines)
    texts = [section.to_dict()["text"]["text"] for section in sections]
    assert all(len(text) <= 3000 for text in texts)
    assert "\n".join(texts).split("\n") == lines
    assert len(packed_sections(["y" * 5000])[0].to_dict()["text"]["text"]) == 3000


def test_a_capped_list_says_how_many_more_in_each_language() -> None:
    assert capped([1, 2, 3], 2) == ([1, 2], 1)
    assert capped([1], 2) == ([1], 0)
    assert more_text(1, translator("fi")) == "Ja 1 muu."
    assert more_text(3, translator("fi")) == "Ja 3 muuta."
    assert more_text(3, translator("en")) == "And 3 more."
