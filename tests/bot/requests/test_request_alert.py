import json
from dataclasses import replace
from datetime import UTC, date, datetime

from slack_sdk.models.blocks import Block

from bot.requests.alert_blocks import (
    alert_blocks,
    alert_text,
    extension_refusal,
    filer_outcome_text,
    reject_view,
    rejected_view,
    rejection_reply,
)
from bot.slack.i18n import translator
from storage.models.enums import AnswerDelivery, RequestStatus
from tests.bot.helpers.requests import RECEIVED

FI = translator("fi")
EN = translator("en")

VERIFIED = replace(
    RECEIVED,
    status=RequestStatus.IN_PROGRESS,
    handled_by="UCONTROL1",
    identity_verified_at=datetime(2025, 11, 26, tzinfo=UTC),
    identity_verification="other: Videopuhelu <!here>",
)


def dumped(blocks: list[Block]) -> str:
    return json.dumps([block.to_dict() for block in blocks], ensure_ascii=False)


def action_ids(blocks: list[Block]) -> list[str]:
    return [
        element["action_id"]
        for block in blocks
        if block.type == "actions"
        for element in block.to_dict()["elements"]
    ]


def test_the_alert_names_the_reference_and_never_the_person() -> None:
    text = dumped(alert_blocks(RECEIVED, FI)) + alert_text(RECEIVED, FI)
    assert "R-7K3Q9" in text and "29.12.2025" in text
    for personal in ("Mallikas", "example.fi", "kopion"):
        assert personal not in text


def test_the_buttons_follow_the_state() -> None:
    assert action_ids(alert_blocks(RECEIVED, FI)) == [
        "request_start",
        "request_verify",
        "request_extend",
        "request_reject",
        "request_open",
    ]
    assert action_ids(alert_blocks(VERIFIED, FI)) == [
        "request_fulfil",
        "request_extend",
        "request_reject",
        "request_open",
    ]
    extended = replace(VERIFIED, extended_due_on=date(2026, 2, 25), extension_reason="Laaja")
    assert action_ids(alert_blocks(extended, FI)) == [
        "request_fulfil",
        "request_reject",
        "request_open",
    ]
    done = replace(VERIFIED, status=RequestStatus.COMPLETED, resolution="Lähetetty")
    assert action_ids(alert_blocks(done, FI)) == ["request_open"]
    for blocks in (alert_blocks(RECEIVED, FI), alert_blocks(VERIFIED, FI)):
        values = {
            element["value"]
            for block in blocks
            if block.type == "actions"
            for element in block.to_dict()["elements"]
        }
        assert values == {"12"}


def test_the_alert_shows_how_the_identity_was_verified_escaped_and_the_handler() -> None:
    text = dumped(alert_blocks(VERIFIED, EN))
    assert "Other: Videopuhelu &lt;!here&gt;" in text
    assert "<@UCONTROL1>" in text and "In progress" in text


def test_an_extension_shows_both_dates_and_cannot_be_repeated() -> None:
    extended = replace(RECEIVED, extended_due_on=date(2026, 2, 25), extension_reason="Laaja")
    assert "25.2.2026 (pidennetty; alkuperäinen määräpäivä 29.12.2025)" in dumped(
        alert_blocks(extended, FI)
    )
    assert extension_refusal(RECEIVED, today=date(2025, 12, 29), language="fi") is None
    too_late = extension_refusal(RECEIVED, today=date(2025, 12, 30), language="fi")
    assert too_late and "on ohitettu" in FI(too_late[0], **too_late[1])
    again = extension_refusal(extended, today=date(2025, 12, 1), language="fi")
    assert again and "25.2.2026" in FI(again[0], **again[1])


def test_the_filer_is_told_the_outcome_without_the_reasons() -> None:
    rejected = replace(VERIFIED, status=RequestStatus.REJECTED, resolution="Ilmeisen perusteeton")
    text = filer_outcome_text(rejected, FI)
    assert "#12" in text and "R-7K3Q9" in text and "hylättiin" in text
    assert "perusteeton" not in text
    assert "completed" in filer_outcome_text(replace(rejected, status=RequestStatus.COMPLETED), EN)


def test_the_requester_s_language_is_named_as_each_language_writes_it_mid_sentence() -> None:
    assert "the requester's language: Finnish" in dumped(alert_blocks(RECEIVED, EN))
    assert "pyytäjän kieli: suomi" in dumped(alert_blocks(RECEIVED, FI))
    english = replace(RECEIVED, language="en")
    assert "the requester's language: English" in dumped(alert_blocks(english, EN))
    assert "written in English" in dumped([*reject_view(english, EN).blocks])
    assert "(in English)" in dumped([*rejected_view(english, EN).blocks])


def test_the_rejection_reply_is_in_the_requesters_language() -> None:
    rejected = replace(VERIFIED, status=RequestStatus.REJECTED, resolution="Ilmeisen perusteeton")
    finnish = rejection_reply(rejected)
    assert "Perustelut: Ilmeisen perusteeton" in finnish
    assert "tietosuojavaltuutetun" in finnish
    assert "muita oikeussuojakeinoja, kuten saattaa asia tuomioistuimen käsiteltäväksi" in finnish
    assert "Sinulla on oikeus" in finnish and "Teillä" not in finnish
    assert "tarkastuspyyntö, vastaanotettu 25.11.2025" in finnish
    english = rejection_reply(replace(rejected, language="en"))
    assert "Data Protection Ombudsman" in english and "other legal remedies" in english


def test_a_fulfilled_request_waits_for_its_answer_to_be_recorded_as_delivered() -> None:
    fulfilled = replace(
        VERIFIED,
        status=RequestStatus.FULFILLED,
        resolution="Tiedot koottu",
        fulfilled_at=datetime(2025, 11, 27, tzinfo=UTC),
    )

    blocks = alert_blocks(fulfilled, FI)

    assert action_ids(blocks) == ["request_answered", "request_open"]
    shown = dumped(blocks) + alert_text(fulfilled, FI)
    assert "vastauksen perillemenoa ei ole vielä kirjattu" in shown
    assert "Kirjaa perillemeno" in shown
    assert "answer not yet recorded as delivered" in alert_text(fulfilled, EN)


def test_a_completed_request_shows_how_and_when_the_answer_was_delivered() -> None:
    completed = replace(
        VERIFIED,
        status=RequestStatus.COMPLETED,
        resolution="Tiedot koottu",
        answer_delivery=AnswerDelivery.POST,
        answered_on=date(2025, 12, 1),
        completed_at=datetime(2025, 12, 2, tzinfo=UTC),
    )

    blocks = alert_blocks(completed, FI)

    assert action_ids(blocks) == ["request_open"]
    assert "Postitse, 1.12.2025" in dumped(blocks)
    assert "By post, 1 Dec 2025" in dumped(alert_blocks(completed, EN))
