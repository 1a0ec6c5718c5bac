"""The card's blocks: everything shown, translated, escaped, and within Slack's limits."""

import json
from datetime import UTC, date, datetime, timedelta

from bot.customers.card import person_card_view
from bot.slack.i18n import translator
from storage.models.enums import (
    ConsentPurpose,
    DataSource,
    Education,
    HeardFrom,
    LegalBasis,
    MeetingKind,
    RelationshipKind,
    RequestKind,
    RequestStatus,
)
from storage.persons import (
    ConsentLine,
    MeetingLine,
    OpenRequest,
    PersonCard,
    PersonFields,
    RelationshipLine,
)

ADDED = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def card(**overrides: object) -> PersonCard:
    values: dict[str, object] = dict(
        id=42,
        reference="R-7K3Q9",
        fields=PersonFields(
            first_name="Testi",
            last_name="Virtanen",
            email="testi@example.fi",
            phone_numbers=["+358401234567", "+46701234567"],
            street_address="Esimerkkikatu 1",
            postal_code="00100",
            post_office="Helsinki",
            nationality="SE",
            birth_date=date(1990, 5, 17),
            education=Education.VOCATIONAL,
            heard_from=HeardFrom.EVENT,
            heard_from_text="Yrittäjäilta",
            source=DataSource.PUBLIC_REGISTER,
        ),
        responsible_advisor_slack_user_id="UADVISOR",
        restricted=False,
        restricted_since=None,
        retention_hold_until=None,
        created_at=ADDED,
        updated_at=ADDED,
        relationships=[
            RelationshipLine(RelationshipKind.CUSTOMER, LegalBasis.CONTRACT, date(2026, 1, 5), None)
        ],
        consents=[ConsentLine(ConsentPurpose.MARKETING, ADDED, ADDED + timedelta(days=30))],
        meetings=[],
        open_requests=[
            OpenRequest(
                1, RequestKind.ACCESS, RequestStatus.RECEIVED, date(2026, 3, 2), date(2026, 4, 2)
            )
        ],
    )
    values.update(overrides)
    return PersonCard(**values)  # type: ignore[arg-type]


def test_the_card_shows_every_part_in_finnish() -> None:
    text = json.dumps(person_card_view(card(), translator("fi")).to_dict(), ensure_ascii=False)

    for shown in (
        "Testi Virtanen",
        "R-7K3Q9",
        "040 1234567",
        "+46 70 123 45 67",
        "00100 Helsinki",
        "Ruotsi",
        "17.5.1990",
        "Ammatillinen tutkinto",
        "Tapahtuma Yrittäjäilta",
        "Julkinen rekisteri",
        "<@UADVISOR>",
        "Asiakas 5.1.2026 alkaen, käsittelyperuste: Sopimus",
        "Markkinointi: annettu 5.1.2026, peruutettu 4.2.2026",
        "Tarkastuspyyntö (Vastaanotettu), määräpäivä 2.4.2026",
        "Ei vielä tapaamisia.",
    ):
        assert shown in text, shown


def test_a_full_card_stays_within_slacks_limits() -> None:
    meetings = [
        MeetingLine(
            occurred_at=ADDED + timedelta(days=number),
            kind=MeetingKind.VIDEO,
            duration_minutes=45,
            topic="<&>" * 66,
            notes="&" * 5000,
            follow_up_on=date(2026, 6, 1),
            advisor_slack_user_id="UADVISOR",
        )
        for number in range(10)
    ]
    long_fields = PersonFields(
        first_name="<!channel>", last_name="&" * 100, heard_from_text="<" * 500
    )

    view = person_card_view(card(meetings=meetings, fields=long_fields), translator("en"))

    blocks = view.to_dict()["blocks"]
    assert len(blocks) <= 100
    for block in blocks:
        if block["type"] == "section":
            assert len(block.get("text", {}).get("text", "")) <= 3000
            assert all(len(field["text"]) <= 2000 for field in block.get("fields", []))
            assert len(block.get("fields", [])) <= 10
    text = json.dumps(blocks)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert text.count("Video call") == 10
