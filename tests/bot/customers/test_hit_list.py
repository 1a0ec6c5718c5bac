"""The search's hit list counts the matches it does not show, in both languages."""

import json
from dataclasses import replace

import pytest

from bot.customers.blocks import hit_list_blocks
from bot.slack.i18n import translator
from storage.search import PersonHit, SearchResult

HIT = PersonHit(
    id=1,
    reference="R-T0001",
    first_name="Maija",
    last_name="Mallikas",
    municipality=None,
    last_meeting_at=None,
)


@pytest.mark.parametrize(
    ("language", "total", "capped", "said"),
    [
        ("en", 2, False, "1 more person matches."),
        ("en", 3, False, "2 more people match."),
        ("en", 2, True, "More than 1 other person matches."),
        ("fi", 2, False, "Lisäksi 1 muu osuma."),
        ("fi", 3, False, "Lisäksi 2 muuta osumaa."),
        ("fi", 2, True, "Lisäksi yli 1 muu osuma."),
        ("fi", 3, True, "Lisäksi yli 2 muuta osumaa."),
    ],
)
def test_the_matches_not_shown_are_counted(
    language: str, total: int, capped: bool, said: str
) -> None:
    result = SearchResult(hits=[HIT], total=total, total_is_capped=capped)

    blocks = hit_list_blocks("mallikas", result, translator(language))

    assert said in json.dumps(blocks, ensure_ascii=False)


@pytest.mark.parametrize(
    ("language", "said"), [("en", "restricted (Art 18)"), ("fi", "rajoitettu")]
)
def test_a_restricted_hit_says_so_and_offers_no_meeting(language: str, said: str) -> None:
    restricted = replace(HIT, restricted=True)
    result = SearchResult(hits=[HIT, restricted], total=2)

    blocks = hit_list_blocks("mallikas", result, translator(language))

    sections = [block["text"]["text"] for block in blocks if block["type"] == "section"]
    actions = [
        [button["action_id"] for button in block["elements"]]
        for block in blocks
        if block.get("block_id", "").startswith("hit_")
    ]
    assert said not in sections[1] and said in sections[2]
    assert actions == [
        ["person_open", "person_edit", "meeting_log"],
        ["person_open", "person_edit"],
    ]
