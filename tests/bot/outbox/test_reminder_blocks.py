"""The reminders' Block Kit: requests by public reference only, follow-ups with their buttons."""

from dataclasses import replace
from datetime import date

from bot.outbox.reminders import (
    REQUEST_LINES,
    deadlines_blocks,
    deadlines_text,
    follow_ups_blocks,
    split_overdue,
)
from bot.slack.i18n import translator
from storage.enums import RequestKind, RequestStatus
from storage.meetings import FollowUp, FollowUpReminder
from tests.bot.helpers.requests import RECEIVED

TODAY = date(2026, 11, 27)
REQUEST = replace(
    RECEIVED,
    kind=RequestKind.ERASURE,
    status=RequestStatus.IN_PROGRESS,
    details="Poistakaa tietoni.",
    received_on=date(2026, 10, 28),
    due_on=date(2026, 11, 30),
    extension_reason="Testi Virtanen pyysi lisäaikaa.",
    filed_by="UADV1",
    handled_by="UCTRL1",
)


def test_a_deadline_line_gives_kind_reference_due_date_and_status_only() -> None:
    overdue = replace(REQUEST, id=13, due_on=date(2026, 11, 20), person_reference=None)
    blocks = [b.to_dict() for b in deadlines_blocks([overdue, REQUEST], translator("en"), TODAY)]

    assert blocks[1]["text"]["text"] == (
        "*Overdue*\na requester not in the register  ·  Erasure request  ·  "
        "due 20 Nov 2026  ·  In progress"
    )
    assert blocks[2]["text"]["text"] == (
        "*Due within 7 days*\nR-7K3Q9  ·  Erasure request  ·  due 30 Nov 2026  ·  In progress"
    )
    for private in ("Maija", "example.fi", "Poistakaa", "Testi Virtanen"):
        assert private not in str(blocks)


def test_an_extended_request_is_due_on_its_extended_date() -> None:
    extended = replace(REQUEST, due_on=date(2026, 11, 1), extended_due_on=date(2027, 1, 28))
    assert split_overdue([extended], TODAY) == ([], [extended])


def test_a_long_list_is_cut_with_a_count_of_the_rest() -> None:
    many = [replace(REQUEST, id=n) for n in range(REQUEST_LINES + 4)]
    (_, section, _) = deadlines_blocks(many, translator("fi"), TODAY)

    text = section.to_dict()["text"]["text"]
    assert text.count("R-7K3Q9") == REQUEST_LINES and text.endswith("Ja 4 muuta.")
    assert len(text) < 3000


def test_the_counts_read_in_finnish() -> None:
    assert deadlines_text(0, 3, translator("fi")) == (
        "Rekisteröityjen pyynnöt: myöhässä 0, 7 päivän kuluessa erääntyviä 3."
    )


def test_a_follow_up_names_the_person_escaped_with_a_button_to_the_card() -> None:
    reminder = FollowUpReminder(
        follow_ups=[FollowUp(7, 3, "R-7K3Q9", "Maija", "<@U1> & Mallikas", None)], more=0
    )
    header, line = (b.to_dict() for b in follow_ups_blocks(reminder, translator("fi"), TODAY))

    assert header["text"]["text"] == "Tämän päivän yhteydenotot, 27.11.2026"
    assert line["text"]["text"] == "*Maija &lt;@U1&gt; &amp; Mallikas*  ·  R-7K3Q9"
    assert line["accessory"] == {
        "type": "button",
        "action_id": "person_open",
        "text": {"type": "plain_text", "text": "Avaa kortti", "emoji": True},
        "value": "3",
    }
