"""The person form submitted: field errors, a duplicate warning, or the saved person's card.

The consent modal submitted: the consent saved, the card underneath updated and saying what
was saved.

The disclosure modal submitted: recorded when the person's consent allows it, and said so on
the card underneath, which lists it; else the refusal and its reason shown on the form."""

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.customers.bulk_lookups import watch_card_opened
from bot.customers.card import (
    consent_saved_text,
    disclosure_saved_text,
    person_card_view,
    saved_notice,
    saved_view,
)
from bot.customers.fields import enum_label
from bot.customers.form import person_form_view, restricted_duplicate_notice
from bot.customers.form_inputs import (
    CONSENT_NEEDED,
    FormMetadata,
    PersonForm,
    SubmittedView,
    form_input,
    parse_new_person,
    parse_person_edit,
)
from bot.customers.inputs import CardModalMetadata, read_consent, read_disclosure
from bot.requests.fulfil import finish_rectification
from bot.slack.clock import AgencyClock
from bot.slack.controller_notices import tell_controllers
from bot.slack.i18n import N_, Translator
from bot.slack.ids import CONSENT_FORM, DISCLOSURE_FORM, PERSON_FORM, DisclosureField, PersonField
from bot.slack.inputs.view_state import InvalidForm
from bot.slack.middleware import require
from storage import consents, disclosures, persons
from storage.disclosures import ConsentMissing
from storage.enums import Purpose
from storage.errors import ConsentRequired, PersonRestricted
from storage.permissions import Permission
from storage.persons import DuplicateCheck, DuplicateMatch, SavedPerson
from storage.staff import StaffMember

NO_CONSENT = N_(
    "Refused: the person has not given consent to “%(purpose)s”, or has withdrawn it. "
    "Record the consent on the card first."
)
RESTRICTED = N_("Refused: the person's data is restricted (Art 18) and is not disclosed.")

IDENTIFYING = frozenset(
    {
        PersonField.FIRST_NAME,
        PersonField.LAST_NAME,
        PersonField.EMAIL,
        PersonField.PHONE_NUMBERS,
        PersonField.BIRTH_DATE,
    }
)
RELATIONSHIP = frozenset({PersonField.RELATIONSHIP_KIND, PersonField.LEGAL_BASIS})


def save_new_person(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    creation_key = SubmittedView.parse(view).creation_key
    created = persons.created_with(session=session, creation_key=creation_key)
    if created is not None:  # the form sent again: the first one's answer
        _show_card(ack, created.id, context=context, session=session, staff=staff, t=t)
        return
    values = form_input(view)
    form = parse_new_person(values, today=clock.today())
    duplicates = _check_duplicates(
        ack, form, FormMetadata(), values, session=session, staff=staff, t=t
    )
    if duplicates is None:
        return
    saved = persons.create_person(
        session=session,
        actor=staff,
        fields=form.person_fields(),
        relationship_kind=form.relationship_kind,
        legal_basis=form.legal_basis,
        started_on=clock.today(),
        creation_key=creation_key,
        consent=form.consent(),
    )
    _remember_accepted(duplicates, session=session, saved=saved, staff=staff)
    _tell_of_restricted(duplicates.restricted, session=session, saved=saved, staff=staff)
    _show_card(ack, saved.id, context=context, session=session, staff=staff, t=t)


def save_edited_person(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    metadata = FormMetadata.parse(view.get("private_metadata", ""))
    values = form_input(view)
    form = parse_person_edit(values, today=clock.today())
    changed = metadata.changed(values)
    duplicates = DuplicateCheck(warning=[], restricted=[])
    if changed & IDENTIFYING:
        checked = _check_duplicates(ack, form, metadata, values, session=session, staff=staff, t=t)
        if checked is None:
            return
        duplicates = checked
    relationship_changed = bool(changed & RELATIONSHIP)
    rectifying = metadata.request_id is not None
    try:
        saved = persons.update_person(
            session=session,
            actor=staff,
            person_id=metadata.edited_person_id(),
            fields=form.person_fields(),
            only=changed,
            relationship_kind=form.relationship_kind if relationship_changed else None,
            legal_basis=form.legal_basis if relationship_changed else None,
            started_on=clock.today(),
            purpose=Purpose.DATA_SUBJECT_REQUEST if rectifying else Purpose.CUSTOMER_SERVICE,
            consent=form.consent(),
        )
    except ConsentRequired:
        raise InvalidForm({PersonField.CONSENT_PURPOSE: (CONSENT_NEEDED, {})}) from None
    if metadata.request_id is not None:
        finish_rectification(
            session=session,
            staff=staff,
            t=t,
            request_id=metadata.request_id,
            person_id=saved.id,
            changed=saved.changed,
        )
    _remember_accepted(duplicates, session=session, saved=saved, staff=staff)
    _tell_of_restricted(duplicates.restricted, session=session, saved=saved, staff=staff)
    _show_card(ack, saved.id, context=context, session=session, staff=staff, t=t)


def _check_duplicates(
    ack: Ack,
    form: PersonForm,
    metadata: FormMetadata,
    values: dict[str, Any],
    *,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> DuplicateCheck | None:
    """None once the form is shown again, everything kept, warning of the persons it may
    duplicate; else the save goes on, with the restricted matches the contact persons hear of."""
    check = persons.check_duplicates(
        session=session,
        viewer=staff,
        fields=form.person_fields(),
        exclude_person_id=metadata.person_id,
        save_anyway=form.save_anyway,
    )
    if check.warning:
        warning = person_form_view(t, metadata=metadata, values=values, duplicates=check.warning)
        ack(response_action="update", view=warning)
        return None
    return check


def _remember_accepted(
    check: DuplicateCheck, *, session: Session, saved: SavedPerson, staff: StaffMember
) -> None:
    """The matches saved anyway stay accepted: neither person's later saves warn of the
    other."""
    persons.accept_distinct(
        session=session,
        actor=staff,
        person_id=saved.id,
        others=[match.id for match in check.accepted],
    )


def _tell_of_restricted(
    matches: list[DuplicateMatch], *, session: Session, saved: SavedPerson, staff: StaffMember
) -> None:
    for match in matches:
        notice = restricted_duplicate_notice(
            match, saved_reference=saved.reference, saved_by=staff.slack_user_id
        )
        tell_controllers(session=session, notice=notice)


def _show_card(
    ack: Ack,
    person_id: int,
    *,
    context: BoltContext,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    card = persons.person_card(
        session=session, viewer=staff, person_id=person_id, purpose=Purpose.CUSTOMER_SERVICE
    )
    watch_card_opened(context, session=session, staff=staff)
    ack(
        response_action="update",
        view=person_card_view(card, t, disclose=staff.can(Permission.REQUEST_WORK)),
    )


def is_new(view: dict[str, Any]) -> bool:
    return FormMetadata.parse(view.get("private_metadata", "")).person_id is None


def is_edit(view: dict[str, Any]) -> bool:
    return not is_new(view)


def save_consent(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    metadata = CardModalMetadata.parse(view.get("private_metadata", ""))
    choice = read_consent((view.get("state") or {}).get("values", {}), today=clock.today())
    saved = consents.record_consent(
        session=session,
        actor=staff,
        person_id=metadata.person_id,
        purpose=choice.purpose,
        given=choice.given,
        on=choice.on,
    )
    _confirm_on_card(
        ack, client, metadata, consent_saved_text(saved, t), session=session, staff=staff, t=t
    )


def save_disclosure(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    metadata = CardModalMetadata.parse(view.get("private_metadata", ""))
    choice = read_disclosure((view.get("state") or {}).get("values", {}))
    try:
        saved = disclosures.record_disclosure(
            session=session,
            actor=staff,
            person_id=metadata.person_id,
            recipient=choice.recipient,
            recipient_kind=choice.recipient_kind,
            categories=choice.categories,
        )
    except ConsentMissing as missing:
        purpose = enum_label(missing.purpose, t)
        raise InvalidForm(
            {DisclosureField.RECIPIENT_KIND: (NO_CONSENT, {"purpose": purpose})}
        ) from None
    except PersonRestricted as restricted:
        raise InvalidForm({DisclosureField.RECIPIENT_KIND: RESTRICTED}) from restricted
    _confirm_on_card(
        ack, client, metadata, disclosure_saved_text(saved, t), session=session, staff=staff, t=t
    )


def _confirm_on_card(
    ack: Ack,
    client: WebClient,
    metadata: CardModalMetadata,
    text: str,
    *,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    """Closes the form and says what it saved on the card beneath, updated; with no card
    beneath, the form itself gives way to the confirmation."""
    if not metadata.card_view_id:
        ack(response_action="update", view=saved_view(text, t))
        return
    ack()
    card = persons.person_card(
        session=session,
        viewer=staff,
        person_id=metadata.person_id,
        purpose=Purpose.CUSTOMER_SERVICE,
    )
    notice = saved_notice(text)
    client.views_update(
        view_id=metadata.card_view_id,
        view=person_card_view(card, t, disclose=staff.can(Permission.REQUEST_WORK), notice=notice),
    )


def register(app: App) -> None:
    app.view(PERSON_FORM, matchers=[is_new], middleware=[require(Permission.PERSON_CREATE)])(
        save_new_person
    )
    app.view(PERSON_FORM, matchers=[is_edit], middleware=[require(Permission.PERSON_EDIT)])(
        save_edited_person
    )
    app.view(CONSENT_FORM, middleware=[require(Permission.PERSON_EDIT)])(save_consent)
    app.view(DISCLOSURE_FORM, middleware=[require(Permission.REQUEST_WORK)])(save_disclosure)
