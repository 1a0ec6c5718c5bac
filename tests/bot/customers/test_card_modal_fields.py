"""The consent and disclosure modals name their inputs by the vocabulary their readers use."""

from datetime import date
from typing import Any

from bot.customers.blocks import consent_form_view, disclosure_form_view
from bot.customers.inputs import CardModalMetadata, read_consent, read_disclosure
from bot.slack.i18n import translator
from bot.slack.ids import ConsentField, DisclosureField
from storage.enums import ConsentPurpose, RecipientKind
from tests.bot.helpers.forms import input_ids

TODAY = date(2026, 3, 2)
METADATA = CardModalMetadata(person_id=7)


def test_the_consent_modal_has_exactly_the_consent_fields() -> None:
    view = consent_form_view(translator("en"), metadata=METADATA, today=TODAY)

    assert input_ids(view) == [(field.value, field.value) for field in ConsentField]


def test_the_consent_reader_reads_what_the_consent_modal_names() -> None:
    view = consent_form_view(translator("en"), metadata=METADATA, today=TODAY)
    submitted: dict[str, Any] = {
        ConsentField.PURPOSE: {"selected_option": {"value": ConsentPurpose.MARKETING.value}},
        ConsentField.STATUS: {"selected_option": {"value": "given"}},
        ConsentField.DATE: {"selected_date": TODAY.isoformat()},
    }
    state = {block: {action: submitted[block]} for block, action in input_ids(view)}

    choice = read_consent(state, today=TODAY)

    assert (choice.purpose, choice.given, choice.on) == (ConsentPurpose.MARKETING, True, TODAY)


def test_the_disclosure_modal_has_exactly_the_disclosure_fields() -> None:
    view = disclosure_form_view(translator("en"), metadata=METADATA)

    assert input_ids(view) == [(field.value, field.value) for field in DisclosureField]


def test_the_disclosure_reader_reads_what_the_disclosure_modal_names() -> None:
    view = disclosure_form_view(translator("en"), metadata=METADATA)
    submitted: dict[str, Any] = {
        DisclosureField.RECIPIENT: {"value": "Esimerkki-ELY"},
        DisclosureField.RECIPIENT_KIND: {"selected_option": {"value": RecipientKind.AUTHORITY}},
        DisclosureField.CATEGORIES: {"selected_options": [{"value": "email"}]},
    }
    state = {block: {action: submitted[block]} for block, action in input_ids(view)}

    choice = read_disclosure(state)

    assert (choice.recipient, choice.recipient_kind, choice.categories) == (
        "Esimerkki-ELY",
        RecipientKind.AUTHORITY,
        ["email"],
    )
