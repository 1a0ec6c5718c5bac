"""What staff and data subjects read names things as people do: never a storage field name
(`first_name`, `phone_numbers`), an enumeration's code (`female`, `disclosure_financiers`) or
an audit action (`person.view`), in the catalogue or in what the builders render."""

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import pytest
from babel.messages.pofile import read_po
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

import storage.enums
from bot.agencies.blocks import erase_view, erasure_summary_text, export_summary_text
from bot.customers.blocks import consent_form_view, disclosure_form_view
from bot.customers.card import person_card_view
from bot.customers.fields import data_labels
from bot.customers.form import person_form_view
from bot.customers.form_inputs import FormMetadata
from bot.customers.inputs import CardModalMetadata
from bot.meetings.blocks import meeting_form_view
from bot.meetings.inputs import MeetingFormMetadata
from bot.requests.alert_blocks import (
    alert_blocks,
    alert_text,
    done_view,
    erasure_view,
    filer_outcome_text,
    rejection_reply,
    restriction_view,
)
from bot.requests.blocks import request_details_view, request_form_view
from bot.requests.inputs import RequestFormMetadata
from bot.requests.recipients import recipients_text
from bot.slack.i18n import LOCALE_DIR, translator
from bot.slack.ids import PersonField
from bot.staff.blocks import help_blocks, role_granted_text, staff_blocks
from storage.agency_register import RegisterErasure, RegisterExport, exported_tables
from storage.enums import (
    ConsentPurpose,
    DataSource,
    Education,
    EmploymentStatus,
    Gender,
    HeardFrom,
    LabourMarketPosition,
    LegalBasis,
    MeetingKind,
    RecipientKind,
    RelationshipKind,
    RequestChannel,
    RequestKind,
    RequestStatus,
    Role,
)
from storage.erasure import ErasurePlan, KeptGround, KeptRows, TableRows
from storage.models import Base
from storage.persons import (
    ConsentLine,
    MeetingLine,
    OpenRequest,
    PersonCard,
    PersonFields,
    RelationshipLine,
)
from storage.requests import RecipientView
from storage.staff import StaffMember
from tests.bot.helpers.requests import RECEIVED

LANGUAGES = ("fi", "en")


def _enum_codes() -> set[str]:
    enums = [getattr(storage.enums, name) for name in storage.enums.__all__]
    return {member.value for enum in enums if issubclass(enum, StrEnum) for member in enum}


# Storage names of more than one word cannot be anything but a name: never in any text.
COMPOUND_NAMES = {
    name
    for name in {
        *(column.name for table in Base.metadata.tables.values() for column in table.columns),
        *Base.metadata.tables,
        *PersonField,
        *_enum_codes(),
    }
    if "_" in name
}
# One-word codes that are also English words may be English prose, but never Finnish.
CODES = {code for code in _enum_codes() if "_" not in code}
# One-word codes that no English sentence of the bot uses in lower case, and "email", which the
# bot writes "e-mail".
ENGLISH_CODES = {
    "email",
    *(
        member.value
        for enum in (Gender, Education, EmploymentStatus, LabourMarketPosition)
        for member in enum
        if member.value not in {"other", "basic"}
    ),
}
AUDIT_ACTION = re.compile(r"\b(?:person|request|consent|staff|meeting|home|follow_up)\.[a-z_]+\b")
# A command's English words are typed, not read: the help line that lists them, and the
# console's /press.
COMMAND_WORDS = re.compile(r"/(?:customer|meeting|register|press)\b[^.]*")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def codes_in(text: str, language: str) -> list[str]:
    text = PLACEHOLDER.sub("", COMMAND_WORDS.sub("", text))
    words = set(re.findall(r"[\w-]+", text))
    found = sorted(words & COMPOUND_NAMES) + AUDIT_ACTION.findall(text)
    found += sorted(words & (CODES if language == "fi" else ENGLISH_CODES))
    return found


def texts_of(value: Any) -> Iterator[str]:
    """Every text a reader sees in a Block Kit payload: not ids, values or metadata."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield item
            elif key not in {"action_id", "block_id", "callback_id", "value", "private_metadata"}:
                yield from texts_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts_of(item)


def rendered(shown: View | list[Block] | str) -> list[str]:
    if isinstance(shown, str):
        return [shown]
    if isinstance(shown, View):
        return list(texts_of(shown.to_dict()))
    return [text for block in shown for text in texts_of(block.to_dict())]


# --- the catalogue


def catalogue_texts() -> list[tuple[str, str]]:
    with (LOCALE_DIR / "fi" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalogue = read_po(po_file, locale="fi")
    texts: list[tuple[str, str]] = []
    for entry in catalogue:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        texts += [("en", text) for text in ids] + [("fi", text) for text in strings]
    return texts


def test_the_catalogue_names_no_field_or_code() -> None:
    found = {text: codes_in(text, language) for language, text in catalogue_texts()}
    assert {text: codes for text, codes in found.items() if codes} == {}


# --- what the builders render, with sample data that holds every kind of code

ADDED = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
CARD = PersonCard(
    id=42,
    reference="R-7K3Q9",
    fields=PersonFields(
        first_name="Testi",
        last_name="Virtanen",
        email="testi@example.fi",
        phone_numbers=["+358401234567"],
        street_address="Esimerkkikatu 1",
        postal_code="00100",
        post_office="Helsinki",
        municipality="Tampere",
        nationality="SE",
        gender=Gender.UNDISCLOSED,
        birth_date=date(1990, 5, 17),
        education=Education.UPPER_SECONDARY,
        employment_status=EmploymentStatus.SELF_EMPLOYED,
        labour_market_position=LabourMarketPosition.OUTSIDE_LABOUR_FORCE,
        heard_from=HeardFrom.EMPLOYMENT_OFFICE,
        heard_from_text="Yrittäjäilta",
        source=DataSource.PUBLIC_REGISTER,
    ),
    responsible_advisor_slack_user_id="UADVISOR",
    restricted=True,
    restricted_since=ADDED,
    retention_hold_until=date(2027, 1, 1),
    created_at=ADDED,
    updated_at=ADDED,
    relationships=[
        RelationshipLine(
            RelationshipKind.STAKEHOLDER, LegalBasis.LEGITIMATE_INTEREST, date(2026, 1, 5), None
        )
    ],
    consents=[ConsentLine(ConsentPurpose.DISCLOSURE_FINANCIERS, ADDED, ADDED)],
    meetings=[
        MeetingLine(ADDED, MeetingKind.VIDEO, 45, "Liiketoimintasuunnitelma", None, None, "UADV")
    ],
    open_requests=[
        OpenRequest(
            1,
            RequestKind.RESTRICTION,
            RequestStatus.IN_PROGRESS,
            date(2026, 3, 2),
            date(2026, 4, 2),
        )
    ],
)

RECIPIENTS = [
    RecipientView(
        "Esimerkkirahoitus Oy",
        RecipientKind.FINANCIER,
        (PersonField.FIRST_NAME, PersonField.LAST_NAME, PersonField.EMAIL, PersonField.BIRTH_DATE),
        datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    ),
    RecipientView(
        "Kyselypalvelu",
        RecipientKind.SURVEY_TOOL,
        ("name", "email"),
        datetime(2026, 4, 1, 8, 0, tzinfo=UTC),
    ),
]
PLAN = ErasurePlan(
    person_id=3,
    person_reference="R-7K3Q9",
    deleted=[TableRows("persons", 1), TableRows("phone_numbers", 2), TableRows("consents", 1)],
    kept=[
        KeptRows("data_subject_requests", 1, KeptGround.ACCOUNTABILITY, True),
        KeptRows("audit_events", 9, KeptGround.AUDIT_TRAIL, False),
    ],
    recipients=RECIPIENTS,
)
VERIFIED = replace(
    RECEIVED,
    status=RequestStatus.IN_PROGRESS,
    identity_verified_at=datetime(2025, 11, 26, 10, 0, tzinfo=UTC),
    identity_verification="in_person_id",
    handled_by="UCONTROL1",
    extended_due_on=date(2026, 1, 29),
    extension_reason="Laaja pyyntö.",
)
REJECTED = replace(
    VERIFIED,
    kind=RequestKind.ERASURE,
    status=RequestStatus.REJECTED,
    channel=RequestChannel.IN_PERSON,
    resolution="Tiedot tarvitaan jäsenluetteloon.",
)


def builders(language: str) -> list[tuple[str, View | list[Block] | str]]:
    t = translator(language)
    today = date(2026, 11, 27)
    card_modal = CardModalMetadata(person_id=42)
    staff = [
        StaffMember(n, f"U{role.name}", "Testi", role, True, language)
        for n, role in enumerate(Role, 1)
    ]
    shown: list[tuple[str, View | list[Block] | str]] = [
        ("card", person_card_view(CARD, t, disclose=True)),
        ("person form", person_form_view(t, metadata=FormMetadata())),
        ("consent form", consent_form_view(t, metadata=card_modal, today=today)),
        ("disclosure form", disclosure_form_view(t, metadata=card_modal)),
        (
            "meeting form",
            meeting_form_view(
                t,
                metadata=MeetingFormMetadata.new(response_url=None, pushed=False),
                now=datetime(2026, 11, 27, 12, 0, tzinfo=UTC),
            ),
        ),
        (
            "request form",
            request_form_view(t, metadata=RequestFormMetadata.new(response_url=None)),
        ),
        ("help", help_blocks(t, unknown_word=True)),
        ("staff", staff_blocks(staff, t, {})),
        *((f"granted {role}", role_granted_text("U1", role, t)) for role in Role),
        ("rectified", data_labels([*PersonField, "relationship"], t)),
        ("recipients", recipients_text(RECIPIENTS, t)),
        ("erasure", erasure_view(VERIFIED, PLAN, t)),
        ("restriction", restriction_view(VERIFIED, t)),
        ("done", done_view(VERIFIED, t("Processing was restricted."), RECIPIENTS, t)),
        ("register erasure", erase_view("Agency", named=True, counts=ROWS, t=t)),
        ("register export", export_summary_text(EXPORT, t)),
        *(
            ("register erased", erasure_summary_text(ERASURE, multi_workspace=many, t=t))
            for many in (True, False)
        ),
    ]
    for request in (RECEIVED, VERIFIED, REJECTED):
        shown += [
            ("alert", alert_blocks(request, t)),
            ("alert text", alert_text(request, t)),
            ("details", request_details_view(request, t)),
            ("filer", filer_outcome_text(request, t)),
        ]
    for kind in RequestKind:
        shown.append(
            ("rejection", rejection_reply(replace(REJECTED, kind=kind, language=language)))
        )
    return shown


ROWS = {table.name: 3 for table in exported_tables()}
EXPORT = RegisterExport(agency=1, generated_at=ADDED, rows=ROWS)
ERASURE = RegisterErasure(
    agency=1, erased_at=ADDED, persons=3, rows=ROWS, audit_events=3, audit_broken_at=3
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_builders_name_no_field_or_code(language: str) -> None:
    found = {
        f"{name}: {text}": codes
        for name, shown in builders(language)
        for text in rendered(shown)
        if (codes := codes_in(text, language))
    }
    assert found == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_field_shows_under_its_label(language: str) -> None:
    t = translator(language)
    assert (
        data_labels(["email", "phone_numbers"], t)
        == {
            "fi": "sähköposti, puhelinnumerot",
            "en": "e-mail, phone numbers",
        }[language]
    )
    assert "(etunimi, sukunimi" in recipients_text(RECIPIENTS, translator("fi"))


def test_the_check_catches_a_field_name_and_a_code() -> None:
    assert codes_in("Oikaistu: email, phone_numbers", "fi") == ["phone_numbers", "email"]
    assert codes_in("Koulutus: vocational", "fi") == ["vocational"]
    assert codes_in("Opened (person.view) for customer_service", "en") == [
        "customer_service",
        "person.view",
    ]
    assert codes_in("Rectified: e-mail, phone numbers", "en") == []
