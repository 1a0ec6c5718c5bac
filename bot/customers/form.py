"""The person form: a new person or an edit, every input block named by its storage field."""

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    CheckboxesElement,
    DatePickerElement,
    DividerBlock,
    ExternalDataSelectElement,
    InputBlock,
    InputInteractiveElement,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.customers.countries import MOST_SUGGESTED, country_name, matching_countries
from bot.customers.duplicates import MATCHED_ON, DuplicateList, match_section
from bot.customers.fields import FORM_ENUMS, enum_label, field_label
from bot.customers.form_inputs import (
    MAX_LENGTHS,
    PHONE_NUMBERS_MAX_LENGTH,
    SAVE_ANYWAY,
    FormMetadata,
)
from bot.slack.controller_notices import ControllerNotice
from bot.slack.i18n import N_, Nn_, Translator
from bot.slack.ids import DUPLICATES_OPEN, PERSON_FORM, PERSON_SAVE_ANYWAY, PersonField
from bot.slack.inputs.text import control_problem
from bot.slack.lists import capped
from storage.municipalities import normalised_municipality
from storage.persons import DuplicateMatch, EditablePerson
from storage.phones import for_display

REQUIRED_ALWAYS = frozenset({PersonField.FIRST_NAME, PersonField.LAST_NAME, PersonField.SOURCE})
REQUIRED_WHEN_NEW = frozenset({PersonField.RELATIONSHIP_KIND, PersonField.LEGAL_BASIS})
MULTILINE = frozenset(
    {PersonField.PHONE_NUMBERS, PersonField.STREET_ADDRESS, PersonField.HEARD_FROM_TEXT}
)
HINTS = {
    PersonField.PHONE_NUMBERS: N_("Several numbers: separate them with commas or new lines."),
    PersonField.RELATIONSHIP_KIND: N_(
        "Editing adds a relationship of a new kind, or sets its legal basis."
    ),
    PersonField.CONSENT_PURPOSE: N_(
        "Required when the legal basis is consent; recorded among the person's consents."
    ),
}
RESTRICTED_DUPLICATE = N_(
    "<@%(staff)s> saved %(reference)s, which has the %(matched)s as the restricted person "
    "%(restricted)s. They were not told of the match, as they may not see restricted persons: "
    "merge the two records, or handle the new one as the restriction requires."
)
# Slack's limit on an option's text, and what is left of it for a new name beside its "(new)".
OPTION_TEXT = 75
NEW_NAME_SHOWN = 60
# Matches the warning lists: with the form's inputs, a modal's 100 blocks hold them well.
DUPLICATES_SHOWN = 10
MORE_DUPLICATES = Nn_(
    "And %(count)d more person has the same e-mail, phone number or name and date of birth.",
    "And %(count)d more persons have the same e-mail, phone number or name and date of birth.",
)


def values_of(person: EditablePerson) -> dict[str, Any]:
    """The person as the form shows them, one text or option value per block id."""
    fields = person.fields
    values: dict[str, Any] = {name: getattr(fields, name, None) for name in PersonField}
    values[PersonField.PHONE_NUMBERS] = ", ".join(
        for_display(number) for number in fields.phone_numbers
    )
    values[PersonField.BIRTH_DATE] = fields.birth_date.isoformat() if fields.birth_date else None
    values[PersonField.RELATIONSHIP_KIND] = person.relationship_kind
    values[PersonField.LEGAL_BASIS] = person.legal_basis
    return {name: (str(value) if value else None) for name, value in values.items()}


def person_form_view(
    t: Translator,
    *,
    metadata: FormMetadata,
    values: dict[str, Any] | None = None,
    duplicates: Sequence[DuplicateMatch] = (),
) -> View:
    new = metadata.person_id is None
    values = values or {}
    blocks: list[Block] = [*duplicate_warning(duplicates, t, new=new)] if duplicates else []
    for name in PersonField:
        optional = name not in REQUIRED_ALWAYS and not (new and name in REQUIRED_WHEN_NEW)
        hint = HINTS.get(name) if not (new and name == PersonField.RELATIONSHIP_KIND) else None
        blocks.append(
            InputBlock(
                block_id=name,
                label=field_label(name, t),
                element=_element(name, values.get(name), t),
                optional=optional,
                hint=t(hint) if hint else None,
            )
        )
    return View(
        type="modal",
        callback_id=PERSON_FORM,
        title=t("New person") if new else t("Edit person"),
        submit=t("Save"),
        close=t("Cancel"),
        private_metadata=metadata.model_dump_json(),
        blocks=blocks,
    )


def duplicate_warning(
    duplicates: Sequence[DuplicateMatch], t: Translator, *, new: bool = True
) -> list[Block]:
    """Each match by public reference and what matched, with its card a button away: the form
    never names who the e-mail or phone number belongs to. An edit is worded as the changes to
    a person already in the register, never as a new person."""
    heading = (
        t(
            ":warning: *The register may already have this person.* Open the card to "
            "check, or tick the box below to save anyway."
        )
        if new
        else t(
            ":warning: *Another person in the register has the same details.* Open their card "
            "to check, or tick the box below to save the changes anyway."
        )
    )
    anyway = t("Save as a new person anyway") if new else t("Not the same person: save the changes")
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=heading))]
    listed, more = capped(duplicates, DUPLICATES_SHOWN)
    blocks += [match_section(match, t) for match in listed]
    if more:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=t.n(*MORE_DUPLICATES, more)),
                accessory=ButtonElement(
                    text=t.n("Show all (%(count)d)", "Show all (%(count)d)", len(duplicates)),
                    action_id=DUPLICATES_OPEN,
                    value=DuplicateList.of(duplicates).pack(),
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=PERSON_SAVE_ANYWAY,
            label=t("Not the same person?"),
            optional=True,
            element=CheckboxesElement(
                action_id=PERSON_SAVE_ANYWAY,
                options=[Option(value=SAVE_ANYWAY, label=anyway)],
            ),
        )
    )
    blocks.append(DividerBlock())
    return blocks


def restricted_duplicate_notice(
    match: DuplicateMatch, *, saved_reference: str, saved_by: str
) -> ControllerNotice:
    """For the contact persons: a person was saved by someone who may not see the restricted
    person it matches. Public references and the staff member only."""
    return ControllerNotice(
        kind="restricted_duplicate",
        key=f"restricted-duplicate:{saved_reference}:{match.reference}",
        message=RESTRICTED_DUPLICATE,
        params={"staff": saved_by, "reference": saved_reference, "restricted": match.reference},
        listed={"matched": tuple(MATCHED_ON[reason] for reason in match.matched_on)},
    )


def _element(name: str, value: str | None, t: Translator) -> InputInteractiveElement:
    if name in (PersonField.BIRTH_DATE, PersonField.CONSENT_GIVEN_ON):
        return DatePickerElement(action_id=name, initial_date=value)
    if name == PersonField.NATIONALITY:
        return ExternalDataSelectElement(
            action_id=name,
            placeholder=t("Type a country's name"),
            min_query_length=1,
            initial_option=country_option(value, t.language) if value else None,
        )
    if name == PersonField.MUNICIPALITY:
        return ExternalDataSelectElement(
            action_id=name,
            placeholder=t("Type the municipality's name"),
            min_query_length=1,
            initial_option=municipality_option(value) if value else None,
        )
    if name in FORM_ENUMS:
        options = [
            Option(value=member.value, label=enum_label(member, t)) for member in FORM_ENUMS[name]
        ]
        chosen = [option for option in options if option.value == value]
        return StaticSelectElement(
            action_id=name,
            placeholder=t("Choose"),
            options=options,
            initial_option=chosen[0] if chosen else None,
        )
    return PlainTextInputElement(
        action_id=name,
        initial_value=value or None,
        multiline=name in MULTILINE or None,
        max_length=MAX_LENGTHS.get(
            name, PHONE_NUMBERS_MAX_LENGTH if name == PersonField.PHONE_NUMBERS else None
        ),
    )


def country_option(code: str, language: str) -> Option:
    return Option(value=code, text=PlainTextObject(text=country_name(code, language), emoji=False))


def country_options(query: str, language: str) -> list[Option]:
    """The nationality select's options for what was typed: at most Slack's 100."""
    return [country_option(code, language) for code, _name in matching_countries(query, language)]


def municipality_option(name: str, label: str | None = None) -> Option:
    return Option(value=name, text=PlainTextObject(text=shortened(label or name), emoji=False))


def municipality_options(typed: str, known: Sequence[str], t: Translator) -> list[Option]:
    """The municipality select's options for what was typed: the known municipalities that
    match it, and last what was typed, spelt as it will be saved, when it is none of them."""
    spelt = None if control_problem(typed) else normalised_municipality(typed)
    options = [municipality_option(name) for name in known[:MOST_SUGGESTED]]
    if spelt is None or spelt in known:
        return options
    new = municipality_option(spelt, t("%(name)s (new)", name=shortened(spelt, NEW_NAME_SHOWN)))
    return [*options[: MOST_SUGGESTED - 1], new]


def shortened(text: str, most: int = OPTION_TEXT) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
