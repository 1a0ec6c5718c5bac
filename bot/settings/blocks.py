"""The agency's settings as the admin reads them: each in force, and whether it is the
agency's own or the deployment's."""

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.settings.inputs import SETTINGS, SettingWords, setting_words
from bot.slack.i18n import Translator
from bot.slack.lists import packed_sections
from bot.slack.text import mrkdwn_escape
from storage.agency_settings import AgencySettings, OwnSettings


def value_text(setting: SettingWords, in_force: AgencySettings, t: Translator) -> str:
    if setting.name == "register_description":
        return t("the shipped one, or REGISTER_DESCRIPTION_PATH's")
    value = getattr(in_force, setting.name)
    if value is None:
        return t("none")
    if setting.name == "reminder_channel_id":
        return f"<#{value}>"
    return mrkdwn_escape(str(value))


def settings_blocks(
    in_force: AgencySettings, own: OwnSettings, t: Translator, *, saved: bool = False
) -> list[Block]:
    lines = []
    for setting in SETTINGS:
        word = setting.fi if t.language == "fi" else setting.en
        mine = getattr(own, setting.name) is not None
        whose = t("the agency's own") if mine else t("the deployment's")
        value = (
            t("the agency's own text")
            if mine and setting.name == "register_description"
            else (value_text(setting, in_force, t))
        )
        lines.append(f"*{t(setting.label)}* (`{word}`): {value} _({whose})_")
    return [
        *([SectionBlock(text=t("Saved."))] if saved else []),
        HeaderBlock(text=t("The agency's settings")),
        *packed_sections(lines),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t(
                        "Change one with `/rekisteri asetukset KEY VALUE` (KEY one of %(keys)s); "
                        "`-` as the VALUE gives it back to the deployment's.",
                        keys=setting_words(),
                    )
                )
            ]
        ),
    ]
