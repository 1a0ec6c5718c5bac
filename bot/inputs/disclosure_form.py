"""The disclosure modal: who received which categories of the person's data."""

from typing import Any

from pydantic import BaseModel

from bot.i18n import N_
from bot.inputs.text import SingleLine
from bot.inputs.view_state import FieldErrors, element, selected, typed_text
from storage.disclosures import CONSENT_FOR
from storage.models.enums import RecipientKind

RECIPIENT_MAX_LENGTH = 200
DISCLOSED_CATEGORIES = (
    "first_name",
    "last_name",
    "email",
    "phone_numbers",
    "street_address",
    "birth_date",
    "education",
    "employment_status",
    "labour_market_position",
)

RECIPIENT_REQUIRED = N_("Name the recipient (at most 200 characters).")
KIND_REQUIRED = N_("Choose an authority, an expert or a financier.")
CATEGORIES_REQUIRED = N_("Choose at least one category of data.")


class DisclosureChoice(BaseModel):
    recipient: SingleLine
    recipient_kind: RecipientKind
    categories: list[SingleLine]


def read_disclosure(values: dict[str, Any]) -> DisclosureChoice | FieldErrors:
    recipient = typed_text(values, "recipient")
    kind = selected(element(values, "recipient_kind"))
    chosen = element(values, "categories").get("selected_options") or []
    categories = [o.get("value") for o in chosen if o.get("value") in DISCLOSED_CATEGORIES]
    errors = {}
    if isinstance(recipient, FieldErrors):
        errors.update(recipient.errors)
    elif recipient is None or len(recipient) > RECIPIENT_MAX_LENGTH:
        errors["recipient"] = RECIPIENT_REQUIRED
    if kind not in {k.value for k in CONSENT_FOR}:
        errors["recipient_kind"] = KIND_REQUIRED
    if not categories:
        errors["categories"] = CATEGORIES_REQUIRED
    if errors or isinstance(recipient, FieldErrors):
        return FieldErrors(errors)
    return DisclosureChoice(
        recipient=recipient or "", recipient_kind=RecipientKind(str(kind)), categories=categories
    )
