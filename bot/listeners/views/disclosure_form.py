"""The disclosure modal submitted: recorded when the person's consent allows it, else the
refusal and its reason shown on the form."""

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks.person_fields import enum_label
from bot.i18n import Translator
from bot.ids import DISCLOSURE_FORM
from bot.inputs.consent_form import CardModalMetadata
from bot.inputs.disclosure_form import read_disclosure
from bot.inputs.view_state import FieldErrors
from bot.middleware import require
from storage import disclosures
from storage.disclosures import ConsentMissing, PersonRestricted
from storage.permissions import Permission
from storage.staff import StaffMember


def save_disclosure(
    ack: Ack, view: dict[str, Any], session: Session, staff: StaffMember, t: Translator
) -> None:
    metadata = CardModalMetadata.parse(view.get("private_metadata", ""))
    choice = read_disclosure((view.get("state") or {}).get("values", {}))
    if isinstance(choice, FieldErrors):
        ack(response_action="errors", errors={k: t(v) for k, v in choice.errors.items()})
        return
    try:
        disclosures.record_disclosure(
            session=session,
            actor=staff,
            person_id=metadata.person_id,
            recipient=choice.recipient,
            recipient_kind=choice.recipient_kind,
            categories=choice.categories,
        )
    except ConsentMissing as missing:
        reason = t(
            "Refused: the person has not given consent to “%(purpose)s”, or has withdrawn it. "
            "Record the consent on the card first.",
            purpose=enum_label(missing.purpose, t),
        )
        ack(response_action="errors", errors={"recipient_kind": reason})
        return
    except PersonRestricted:
        reason = t("Refused: the person's data is restricted (Art 18) and is not disclosed.")
        ack(response_action="errors", errors={"recipient_kind": reason})
        return
    ack()


def register(app: App) -> None:
    app.view(DISCLOSURE_FORM, middleware=[require(Permission.REQUEST_WORK)])(save_disclosure)
