"""The modal that records a consent given or withdrawn, or an objection to marketing."""

from datetime import date

from slack_sdk.models.blocks import (
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.person_fields import enum_label
from bot.i18n import Translator
from bot.ids import CONSENT_FORM
from bot.inputs.consent_form import GIVEN, WITHDRAWN, CardModalMetadata
from storage.models.enums import ConsentPurpose


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=PlainTextObject(text=text, emoji=False))


def consent_form_view(t: Translator, *, metadata: CardModalMetadata, today: date) -> View:
    purposes = [_option(p.value, enum_label(p, t)) for p in ConsentPurpose]
    statuses = [_option(GIVEN, t("Given")), _option(WITHDRAWN, t("Withdrawn or objected"))]
    return View(
        type="modal",
        callback_id=CONSENT_FORM,
        title=t("Consent"),
        submit=t("Save"),
        close=t("Cancel"),
        private_metadata=metadata.dump(),
        blocks=[
            InputBlock(
                block_id="purpose",
                label=t("Purpose"),
                element=StaticSelectElement(action_id="purpose", options=purposes),
            ),
            InputBlock(
                block_id="status",
                label=t("The person has"),
                element=StaticSelectElement(action_id="status", options=statuses),
            ),
            InputBlock(
                block_id="date",
                label=t("Date"),
                element=DatePickerElement(action_id="date", initial_date=today.isoformat()),
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=t(
                            "An objection to direct marketing (Art 21(3)) is Marketing, "
                            "withdrawn. Withdrawn consents leave the person out of the "
                            "satisfaction survey and of disclosures."
                        )
                    )
                ]
            ),
        ],
    )
