"""The consent modal submitted: the consent saved, the card underneath updated."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.person_card import person_card_view
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import CONSENT_FORM
from bot.inputs.consent_form import CardModalMetadata, read_consent
from bot.inputs.view_state import FieldErrors
from bot.middleware import require
from storage import consents, persons
from storage.models.enums import Purpose
from storage.permissions import Permission
from storage.staff import StaffMember


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
    if isinstance(choice, FieldErrors):
        ack(response_action="errors", errors={k: t(v) for k, v in choice.errors.items()})
        return
    consents.record_consent(
        session=session,
        actor=staff,
        person_id=metadata.person_id,
        purpose=choice.purpose,
        given=choice.given,
        on=choice.on,
    )
    ack()
    if metadata.card_view_id:
        card = persons.person_card(
            session=session,
            viewer=staff,
            person_id=metadata.person_id,
            purpose=Purpose.CUSTOMER_SERVICE,
        )
        client.views_update(
            view_id=metadata.card_view_id,
            view=person_card_view(card, t, disclose=staff.can(Permission.REQUEST_WORK)),
        )


def register(app: App) -> None:
    app.view(CONSENT_FORM, middleware=[require(Permission.PERSON_EDIT)])(save_consent)
