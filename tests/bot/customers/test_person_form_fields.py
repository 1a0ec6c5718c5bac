"""The person form names its inputs by the vocabulary its input model reads."""

from datetime import date
from typing import Any

import pytest

from bot.customers.form import person_form_view
from bot.customers.form_inputs import FormMetadata, NewPersonForm, PersonForm, parse_new_person
from bot.slack.i18n import translator
from bot.slack.ids import PersonField
from storage.enums import DataSource, LegalBasis, RelationshipKind
from tests.bot.helpers.forms import input_ids

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize("metadata", [FormMetadata(), FormMetadata(person_id=7)])
def test_the_person_form_has_exactly_the_person_fields(metadata: FormMetadata) -> None:
    view = person_form_view(translator("en"), metadata=metadata)

    assert input_ids(view) == [(field.value, field.value) for field in PersonField]


@pytest.mark.parametrize("model", [PersonForm, NewPersonForm])
def test_the_input_model_reads_every_person_field_and_no_other(model: type[PersonForm]) -> None:
    assert set(model.model_fields) - {"save_anyway"} == {field.value for field in PersonField}


def test_the_input_model_reads_what_the_person_form_names() -> None:
    view = person_form_view(translator("en"), metadata=FormMetadata())
    submitted: dict[str, Any] = {
        PersonField.FIRST_NAME: "Testi",
        PersonField.LAST_NAME: "Esimerkki",
        PersonField.EMAIL: "testi.esimerkki@example.fi",
        PersonField.BIRTH_DATE: "1980-05-17",
        PersonField.SOURCE: DataSource.PERSON.value,
        PersonField.RELATIONSHIP_KIND: RelationshipKind.CUSTOMER.value,
        PersonField.LEGAL_BASIS: LegalBasis.CONTRACT.value,
    }
    values = {block: submitted.get(block) for block, _ in input_ids(view)}

    form = parse_new_person(values, today=TODAY)

    assert (form.first_name, form.last_name, form.email, form.birth_date) == (
        "Testi",
        "Esimerkki",
        "testi.esimerkki@example.fi",
        date(1980, 5, 17),
    )
    assert (form.source, form.relationship_kind, form.legal_basis) == (
        DataSource.PERSON,
        RelationshipKind.CUSTOMER,
        LegalBasis.CONTRACT,
    )
