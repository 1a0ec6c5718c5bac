"""The retention review's post, modal and summary, and reading the decisions submitted."""

import json
from datetime import UTC, date, datetime

import pytest

from bot.retention.blocks import (
    REVIEW_PAGE,
    retention_done_view,
    retention_post,
    retention_review_view,
)
from bot.retention.inputs import (
    HOLD_DATE_IN_THE_PAST,
    HOLD_DATE_REQUIRED,
    HOLD_REASON_REQUIRED,
    ReviewMetadata,
    read_decisions,
)
from bot.slack.i18n import translator
from bot.slack.ids import RETENTION_REVIEW, RETENTION_REVIEW_FORM
from storage.erasure import ErasureDone
from storage.models.enums import RecipientKind, RelationshipKind
from storage.requests import RecipientView
from storage.retention import Decision, DecisionsApplied, RetentionCandidate
from tests.bot.helpers.forms import outcome

TODAY = date(2026, 11, 30)
EN = translator("en")


def candidates(count: int) -> list[RetentionCandidate]:
    return [
        RetentionCandidate(n, f"R-T{n:04d}", RelationshipKind.CUSTOMER, date(2022, 1, 1))
        for n in range(1, count + 1)
    ]


def test_the_post_names_records_by_reference_and_its_button_carries_no_policy() -> None:
    text, blocks = retention_post(due=25, references=["R-T0001", "R-T0002"], t=EN)
    rendered = json.dumps([block.to_dict() for block in blocks])

    assert text == "25 records have outlived their retention period and wait for a decision."
    assert "`R-T0001`, `R-T0002` and 23 more" in rendered
    button = blocks[2].to_dict()["elements"][0]
    assert button["action_id"] == RETENTION_REVIEW
    assert button["value"] == "review"


def test_the_modal_lists_a_page_of_records_with_three_inputs_each_within_slacks_limit() -> None:
    view = retention_review_view(candidates(REVIEW_PAGE), due=45, t=EN).to_dict()

    assert view["callback_id"] == RETENTION_REVIEW_FORM
    assert len(view["blocks"]) <= 100
    input_ids = [block["block_id"] for block in view["blocks"] if block["type"] == "input"]
    assert input_ids[:3] == ["decision_1", "hold_until_1", "hold_reason_1"]
    assert len(input_ids) == 3 * REVIEW_PAGE
    assert "25 more records wait" in json.dumps(view)
    assert "customer, last active 1 Jan 2022" in json.dumps(view)
    metadata = ReviewMetadata.parse(view["private_metadata"])
    assert metadata.person_ids == list(range(1, REVIEW_PAGE + 1))


def test_with_nothing_due_the_modal_says_so() -> None:
    view = retention_review_view([], due=0, t=translator("fi")).to_dict()
    assert "submit" not in view
    assert "Yksikään tietue ei odota säilytyspäätöstä." in json.dumps(view, ensure_ascii=False)


def radio(value: str) -> dict[str, object]:
    return {"type": "radio_buttons", "selected_option": {"value": value}}


def test_decisions_are_read_and_undecided_records_left() -> None:
    values = {
        "decision_1": {"decision_1": radio("erase")},
        "decision_2": {"decision_2": radio("hold")},
        "hold_until_2": {"hold_until_2": {"type": "datepicker", "selected_date": "2027-03-01"}},
        "hold_reason_2": {"hold_reason_2": {"type": "plain_text_input", "value": " Riita "}},
        "decision_3": {"decision_3": {"type": "radio_buttons", "selected_option": None}},
    }

    assert outcome(read_decisions, values, [1, 2, 3], TODAY) == [
        Decision(1, erase=True),
        Decision(2, erase=False, hold_until=date(2027, 3, 1), hold_reason="Riita"),
    ]


def test_a_hold_without_a_date_or_reason_or_ending_today_is_shown_beside_its_field() -> None:
    values = {
        "decision_1": {"decision_1": radio("hold")},
        "decision_2": {"decision_2": radio("hold")},
        "hold_until_2": {"hold_until_2": {"type": "datepicker", "selected_date": "2026-11-30"}},
        "hold_reason_2": {"hold_reason_2": {"type": "plain_text_input", "value": "Syy"}},
    }

    assert outcome(read_decisions, values, [1, 2], TODAY) == (
        {
            "hold_until_1": HOLD_DATE_REQUIRED,
            "hold_reason_1": HOLD_REASON_REQUIRED,
            "hold_until_2": HOLD_DATE_IN_THE_PAST,
        }
    )


def test_the_summary_counts_and_lists_the_recipients_to_tell_for_each_erased_record() -> None:
    recipient = RecipientView(
        recipient="Esimerkkirahoitus Oy",
        recipient_kind=RecipientKind.FINANCIER,
        categories=("name", "email"),
        last_disclosed_at=datetime(2026, 3, 2, 10, tzinfo=UTC),
    )
    applied = DecisionsApplied(
        erased=[ErasureDone(7, "R-T0001", [recipient]), ErasureDone(8, "R-T0002", [])],
        held=1,
        refused=["R-T0003"],
        refused_unknown=1,
    )

    rendered = json.dumps(retention_done_view(applied, 3, EN).to_dict())

    assert "Erased: 2. Held: 1. Left for the next review: 3." in rendered
    assert "Refused: 2 records are not due for a decision" in rendered
    assert "`R-T0003`" in rendered
    assert "*Esimerkkirahoitus Oy*" in rendered
    assert "No recipients have received" in rendered


@pytest.mark.parametrize(
    ("language", "due", "headline", "more"),
    [
        (
            "en",
            2,
            "2 records have outlived their retention period and wait for a decision.",
            "`R-T0001` and 1 more",
        ),
        (
            "en",
            3,
            "3 records have outlived their retention period and wait for a decision.",
            "`R-T0001` and 2 more",
        ),
        (
            "fi",
            2,
            "2 tietueen säilytysaika on päättynyt, ja ne odottavat päätöstä.",
            "`R-T0001` ja 1 muu",
        ),
        (
            "fi",
            3,
            "3 tietueen säilytysaika on päättynyt, ja ne odottavat päätöstä.",
            "`R-T0001` ja 2 muuta",
        ),
    ],
)
def test_the_post_counts_the_records_beyond_those_named(
    language: str, due: int, headline: str, more: str
) -> None:
    text, blocks = retention_post(due=due, references=["R-T0001"], t=translator(language))

    assert text == headline
    assert blocks[1].to_dict()["text"]["text"] == more


@pytest.mark.parametrize(
    ("language", "due", "headline"),
    [
        ("en", 1, "1 record has outlived its retention period and waits for a decision."),
        ("en", 2, "2 records have outlived their retention period and wait for a decision."),
        ("fi", 1, "1 tietueen säilytysaika on päättynyt, ja se odottaa päätöstä."),
        ("fi", 2, "2 tietueen säilytysaika on päättynyt, ja ne odottavat päätöstä."),
    ],
)
def test_the_post_s_headline_agrees_with_its_count(language: str, due: int, headline: str) -> None:
    text, _blocks = retention_post(
        due=due, references=[f"R-T{n:04d}" for n in range(due)], t=translator(language)
    )

    assert text == headline


@pytest.mark.parametrize(
    ("language", "more", "said"),
    [
        ("en", 1, "1 more record waits: it is listed once these are decided."),
        ("en", 2, "2 more records wait: they are listed once these are decided."),
        ("fi", 1, "1 muu tietue odottaa: se näytetään, kun näistä on päätetty."),
        ("fi", 2, "2 muuta tietuetta odottaa: ne näytetään, kun näistä on päätetty."),
    ],
)
def test_the_modal_counts_the_records_left_for_the_next_page(
    language: str, more: int, said: str
) -> None:
    view = retention_review_view(
        candidates(REVIEW_PAGE), due=REVIEW_PAGE + more, t=translator(language)
    ).to_dict()

    assert view["blocks"][-1]["elements"][0]["text"] == said
