"""`/rekisteri asetukset [KEY VALUE]`: which setting, and its new value, checked by the rules
of storage.agency_settings; `-` gives the setting back to the deployment."""

import re
from dataclasses import dataclass

from pydantic import BaseModel

from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_
from bot.slack.inputs.text import SingleLine
from storage.agency_settings import BadSetting, checked


@dataclass(frozen=True)
class SettingWords:
    name: str  # the column of storage.agency_settings.OwnSettings
    fi: str
    en: str
    label: str  # N_-marked
    refusal: str  # N_-marked: what a value must be


SETTINGS = (
    SettingWords(
        "reminder_channel_id",
        "kanava",
        "channel",
        N_("Reminder channel"),
        N_("Give the channel as #channel, or as its id such as C0123ABCD."),
    ),
    SettingWords(
        "timezone",
        "aikavyohyke",
        "timezone",
        N_("Time zone"),
        N_("Give a time zone by its name, such as `Europe/Helsinki`."),
    ),
    SettingWords(
        "default_language",
        "kieli",
        "language",
        N_("Default language"),
        N_("The language is `fi` or `en`."),
    ),
    SettingWords(
        "retention_customer_months",
        "asiakkaat",
        "customers",
        N_("Customers kept after their last activity (months)"),
        N_("Give the months as a whole number from 1 to 1200."),
    ),
    SettingWords(
        "retention_member_months",
        "jasenet",
        "members",
        N_("Members kept after the membership ended (months)"),
        N_("Give the months as a whole number from 1 to 1200."),
    ),
    SettingWords(
        "retention_stakeholder_months",
        "sidosryhmat",
        "stakeholders",
        N_("Stakeholders kept after their last activity (months)"),
        N_("Give the months as a whole number from 1 to 1200."),
    ),
    SettingWords(
        "request_retention_years",
        "pyynnot",
        "requests",
        N_("Closed data-subject requests kept (years)"),
        N_("Give the years as a whole number from 1 to 100."),
    ),
    SettingWords(
        "audit_retention_years",
        "lokitapahtumat",
        "audit",
        N_("Audit events kept (years)"),
        N_("Give the years as a whole number from 1 to 100."),
    ),
    SettingWords(
        "register_description",
        "seloste",
        "description",
        N_("Register description"),
        N_(
            "Give the register description as one JSON document shaped as the shipped one: "
            '`{"fi": {...}, "en": {...}}`.'
        ),
    ),
)
_BY_WORD = {word: setting for setting in SETTINGS for word in (setting.fi, setting.en)}
_BY_WORD.update({"aikavyöhyke": _BY_WORD["aikavyohyke"], "jäsenet": _BY_WORD["jasenet"]})
_BY_WORD.update({"sidosryhmät": _BY_WORD["sidosryhmat"], "pyynnöt": _BY_WORD["pyynnot"]})
CLEAR = "-"
# Slack escapes a channel as <#C123|name> (or <#C123>); a bare id is accepted too.
CHANNEL = re.compile(r"^<#(?P<id>[CG][A-Z0-9]+)(?:\|[^>]*)?>$")

SETTINGS_USAGE = N_(
    "Usage: `/rekisteri asetukset` shows the settings; `/rekisteri asetukset KEY VALUE` sets "
    "one, where KEY is one of %(keys)s; `-` as the VALUE gives it back to the deployment's."
)


def setting_words() -> str:
    return ", ".join(f"`{setting.fi}`/`{setting.en}`" for setting in SETTINGS)


class ChangeSetting(BaseModel):
    name: SingleLine
    value: SingleLine | int | None  # None: the deployment's

    @classmethod
    def parse(cls, text: str) -> "ChangeSetting | None":
        """The change typed; None when the settings are only to be shown."""
        words = text.strip().split(maxsplit=2)
        if len(words) == 1:
            return None
        setting = _BY_WORD.get(words[1].lower()) if len(words) == 3 else None
        if setting is None:
            raise UserInputError(SETTINGS_USAGE, keys=setting_words())
        typed = words[2].strip()
        value: str | None = None if typed == CLEAR else typed
        if value is not None and setting.name == "reminder_channel_id":
            channel = CHANNEL.match(value)
            value = channel.group("id") if channel else value
        try:
            kept = checked(setting.name, value)
        except BadSetting:
            raise UserInputError(setting.refusal) from None
        return cls(name=setting.name, value=kept)
