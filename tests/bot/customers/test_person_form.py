"""The person form's view state, parsed and checked field by field."""

from datetime import date
from typing import Any

import pytest

from bot.customers.form import person_form_view
from bot.customers.form_inputs import (
    FormMetadata,
    InvalidForm,
    form_input,
    parse_new_person,
    parse_person_edit,
)
from bot.slack.i18n import translator
from bot.slack.ids import PERSON_FIELDS, PERSON_SAVE_ANYWAY
from storage.models.enums import DataSource, Gender, LegalBasis, RelationshipKind

TODAY = date(2026, 11, 27)
FI = translator("fi")
EN = translator("en")


def filled(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "first_name": " Testi ",
        "last_name": "Virtanen",
        "email": "Testi.Virtanen@Example.FI",
        "phone_numbers": "040 123 4567, +46 70 123 4567\n040 123 4567",
        "postal_code": "00100",
        "nationality": "FI",
        "gender": "other",
        "birth_date": "1990-05-17",
        "source": "person",
        "relationship_kind": "customer",
        "legal_basis": "contract",
    }
    values.update(overrides)
    return values


def errors_of(values: dict[str, Any], *, new: bool = True) -> dict[str, str]:
    with pytest.raises(InvalidForm) as raised:
        (parse_new_person if new else parse_person_edit)(values, today=TODAY)
    return raised.value.translated(EN)


def test_a_filled_form_becomes_person_fields() -> None:
    form = parse_new_person(filled(), today=TODAY)

    fields = form.person_fields()
    assert fields.first_name == "Testi"
    assert fields.email == "testi.virtanen@example.fi"
    assert fields.phone_numbers == ["+358401234567", "+46701234567"]
    assert fields.gender is Gender.OTHER and fields.source is DataSource.PERSON
    assert fields.birth_date == date(1990, 5, 17)
    assert (form.relationship_kind, form.legal_basis) == (
        RelationshipKind.CUSTOMER,
        LegalBasis.CONTRACT,
    )
    assert not form.save_anyway


@pytest.mark.parametrize(
    ("block_id", "typed", "message"),
    [
        ("email", "maija.mallikas@", "Enter a real e-mail address"),
        ("phone_numbers", "040 123 4567, 12", "Enter real phone numbers"),
        ("postal_code", "1234", "A postal code has five digits"),
        ("birth_date", "2025-02-30", "That date does not exist."),
        ("birth_date", "2026-11-28", "A date of birth cannot be in the future."),
        ("nationality", "XX", "Choose a country from the list."),
        ("first_name", "   ", "Enter the name."),
        ("gender", "unknown", "Choose one of the options."),
        ("street_address", "x" * 201, "At most 200 characters."),
        (
            "phone_numbers",
            ", ".join(f"040 123 {4500 + i}" for i in range(21)),
            "At most 20 phone numbers.",
        ),
    ],
)
def test_each_error_lands_on_its_own_block(block_id: str, typed: str, message: str) -> None:
    errors = errors_of(filled(**{block_id: typed}))

    assert list(errors) == [block_id]
    assert errors[block_id].startswith(message)


def test_fields_left_empty_are_none() -> None:
    blank = {name: "" for name in ("email", "phone_numbers", "postal_code", "nationality")}
    form = parse_new_person(filled(**blank, birth_date=None, gender=None), today=TODAY)

    fields = form.person_fields()
    assert (fields.email, fields.phone_numbers, fields.postal_code) == (None, [], None)
    assert (fields.nationality, fields.birth_date, fields.gender) == (None, None, None)


def test_a_new_person_needs_a_relationship_legal_basis_and_source() -> None:
    errors = errors_of(filled(relationship_kind=None, legal_basis=None, source=None))

    assert set(errors) == {"relationship_kind", "legal_basis", "source"}
    assert errors["source"] == "This is required."


def test_an_edit_may_leave_the_relationship_but_not_half_of_it() -> None:
    assert parse_person_edit(filled(relationship_kind=None, legal_basis=None), today=TODAY)
    assert set(errors_of(filled(legal_basis=None), new=False)) == {"legal_basis"}


def test_several_errors_at_once_in_finnish() -> None:
    with pytest.raises(InvalidForm) as raised:
        parse_new_person(filled(email="x", postal_code="abcde"), today=TODAY)

    assert raised.value.translated(FI) == {
        "email": "Anna oikea sähköpostiosoite, esim. maija.mallikas@example.fi.",
        "postal_code": "Postinumerossa on viisi numeroa, esim. 00100.",
    }


def test_the_view_state_is_read_by_block_id() -> None:
    view = {
        "state": {
            "values": {
                "first_name": {"first_name": {"type": "plain_text_input", "value": "Maija"}},
                "gender": {
                    "gender": {"type": "static_select", "selected_option": {"value": "female"}}
                },
                "education": {"education": {"type": "static_select", "selected_option": None}},
                "birth_date": {"birth_date": {"type": "datepicker", "selected_date": "1985-03-01"}},
                PERSON_SAVE_ANYWAY: {
                    PERSON_SAVE_ANYWAY: {
                        "type": "checkboxes",
                        "selected_options": [{"value": "yes"}],
                    }
                },
            }
        }
    }

    values = form_input(view)

    assert values == {
        "first_name": "Maija",
        "gender": "female",
        "education": None,
        "birth_date": "1985-03-01",
        PERSON_SAVE_ANYWAY: ["yes"],
    }
    form = parse_person_edit(values | {"last_name": "Mallikas", "source": "person"}, today=TODAY)
    assert form.save_anyway


def test_the_edit_metadata_tells_what_the_staff_member_changed() -> None:
    opened = filled()
    metadata = FormMetadata.parse(FormMetadata.for_edit(7, opened).model_dump_json())

    submitted = filled(postal_code="00200", gender="female")

    assert metadata.edited_person_id() == 7
    assert metadata.changed(submitted) == {"postal_code", "gender"}


def test_the_form_names_every_block_by_its_storage_field_and_keeps_values() -> None:
    values = filled()
    view = person_form_view(EN, metadata=FormMetadata(), values=values).to_dict()

    inputs = {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}
    assert list(inputs) == list(PERSON_FIELDS)
    for name, block in inputs.items():
        assert block["element"]["action_id"] == name
    assert inputs["first_name"]["element"]["initial_value"] == " Testi "
    assert inputs["birth_date"]["element"]["initial_date"] == "1990-05-17"
    assert inputs["gender"]["element"]["initial_option"]["value"] == "other"
    assert inputs["nationality"]["element"]["initial_option"]["text"]["text"] == "Finland"
    assert inputs["relationship_kind"].get("optional") is not True
    assert inputs["nationality"]["element"]["type"] == "external_select"
