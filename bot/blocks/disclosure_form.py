"""The modal where a controller records a disclosure to an authority, expert or financier."""

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.person_fields import field_label
from bot.i18n import N_, Translator
from bot.ids import DISCLOSURE_FORM
from bot.inputs.consent_form import CardModalMetadata
from bot.inputs.disclosure_form import DISCLOSED_CATEGORIES, RECIPIENT_MAX_LENGTH
from storage.models.enums import RecipientKind

KIND_NAMES = {
    RecipientKind.AUTHORITY: N_("Authority"),
    RecipientKind.EXPERT: N_("Expert"),
    RecipientKind.FINANCIER: N_("Financier"),
}


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=PlainTextObject(text=text, emoji=False))


def disclosure_form_view(t: Translator, *, metadata: CardModalMetadata) -> View:
    kinds = [_option(kind.value, t(name)) for kind, name in KIND_NAMES.items()]
    categories = [_option(name, field_label(name, t)) for name in DISCLOSED_CATEGORIES]
    return View(
        type="modal",
        callback_id=DISCLOSURE_FORM,
        title=t("Disclosure"),
        submit=t("Save"),
        close=t("Cancel"),
        private_metadata=metadata.dump(),
        blocks=[
            InputBlock(
                block_id="recipient",
                label=t("Recipient"),
                element=PlainTextInputElement(
                    action_id="recipient", max_length=RECIPIENT_MAX_LENGTH
                ),
            ),
            InputBlock(
                block_id="recipient_kind",
                label=t("Kind of recipient"),
                element=StaticSelectElement(action_id="recipient_kind", options=kinds),
            ),
            InputBlock(
                block_id="categories",
                label=t("Data disclosed"),
                element=CheckboxesElement(action_id="categories", options=categories),
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=t(
                            "Needs the person's consent to disclosure to this kind of "
                            "recipient, given and not withdrawn."
                        )
                    )
                ]
            ),
        ],
    )
