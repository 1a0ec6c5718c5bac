"""The Home tab each staff member sees."""

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.register import help_blocks, role_name
from bot.i18n import Translator
from storage.staff import StaffMember


def home_view(member: StaffMember, t: Translator) -> View:
    blocks = [
        HeaderBlock(text=t("The register")),
        SectionBlock(
            text=MarkdownTextObject(
                text=t(
                    "Hello <@%(user)s>, your role is %(role)s.",
                    user=member.slack_user_id,
                    role=role_name(member.role, t),
                )
            )
        ),
        *help_blocks(t)[1:],
        ContextBlock(
            elements=[
                MarkdownTextObject(text=t("Every look-up of a person is logged with its purpose."))
            ]
        ),
    ]
    return View(type="home", blocks=blocks)
