"""The search's hit list counts the matches it does not show, in both languages."""

import json

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
