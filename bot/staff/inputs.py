"""`/rekisteri` (`/register`): which sub-command was typed, and its arguments."""

import re
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ValidationError

from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_
from bot.slack.inputs.text import SingleLine
from storage.enums import Role


class RegisterAction(StrEnum):
    HELP = "help"
    STAFF = "staff"
    GRANT = "grant"
    REVOKE = "revoke"
    VERIFY = "verify"
    LANGUAGE = "language"
    REPORT = "report"
    SURVEY = "survey"
    SETTINGS = "settings"
    EXPORT = "export"
    ERASE = "erase"


ACTION_WORDS = {
    "": RegisterAction.HELP,
    "ohje": RegisterAction.HELP,
    "help": RegisterAction.HELP,
    "henkilokunta": RegisterAction.STAFF,
    "henkilökunta": RegisterAction.STAFF,
    "staff": RegisterAction.STAFF,
    "lisaa": RegisterAction.GRANT,
    "lisää": RegisterAction.GRANT,
    "grant": RegisterAction.GRANT,
    "poista": RegisterAction.REVOKE,
    "revoke": RegisterAction.REVOKE,
    "tarkastus": RegisterAction.VERIFY,
    "verify": RegisterAction.VERIFY,
    "kieli": RegisterAction.LANGUAGE,
    "language": RegisterAction.LANGUAGE,
    "raportti": RegisterAction.REPORT,
    "report": RegisterAction.REPORT,
    "kysely": RegisterAction.SURVEY,
    "survey": RegisterAction.SURVEY,
    "asetukset": RegisterAction.SETTINGS,
    "settings": RegisterAction.SETTINGS,
    "vie": RegisterAction.EXPORT,
    "vienti": RegisterAction.EXPORT,
    "export": RegisterAction.EXPORT,
    "tyhjennä": RegisterAction.ERASE,
    "tyhjenna": RegisterAction.ERASE,
    "erase": RegisterAction.ERASE,
}

ROLE_WORDS = {
    "advisor": Role.ADVISOR,
    "neuvoja": Role.ADVISOR,
    "controller": Role.CONTROLLER,
    "contact": Role.CONTROLLER,
    "yhteyshenkilo": Role.CONTROLLER,
    "yhteyshenkilö": Role.CONTROLLER,
    "admin": Role.ADMIN,
    "paakayttaja": Role.ADMIN,
    "pääkäyttäjä": Role.ADMIN,
}

# Slack escapes a mention as <@U123|name> (or <@U123>); a bare id is accepted too.
USER_PATTERN = re.compile(
    r"^(?:<@(?P<escaped>[UW][A-Z0-9]+)(?:\|[^>]*)?>|(?P<bare>[UW][A-Z0-9]{2,}))$"
)

GRANT_USAGE = N_(
    "Usage: `/rekisteri lisaa @user ROLE`, where ROLE is `advisor`, `contact` (contact person "
    "for register matters) or `admin`."
)
REVOKE_USAGE = N_("Usage: `/rekisteri poista @user`.")
LANGUAGE_USAGE = N_("Usage: `/rekisteri kieli fi` or `/rekisteri kieli en`.")


def words_of(text: str) -> list[str]:
    return text.strip().split()


def register_action(text: str) -> RegisterAction | None:
    """The sub-command typed; None for a word that is not one."""
    words = words_of(text)
    return ACTION_WORDS.get(words[0].lower() if words else "")


def _user_id(word: str) -> str | None:
    match = USER_PATTERN.match(word)
    return (match.group("escaped") or match.group("bare")) if match else None


class GrantRole(BaseModel):
    slack_user_id: SingleLine
    role: Role

    @classmethod
    def parse(cls, text: str) -> "GrantRole":
        words = words_of(text)[1:]
        if len(words) != 2:
            raise UserInputError(GRANT_USAGE)
        user_id, role = _user_id(words[0]), ROLE_WORDS.get(words[1].lower())
        if user_id is None or role is None:
            raise UserInputError(GRANT_USAGE)
        return cls(slack_user_id=user_id, role=role)


class RevokeAccess(BaseModel):
    slack_user_id: SingleLine

    @classmethod
    def parse(cls, text: str) -> "RevokeAccess":
        words = words_of(text)[1:]
        user_id = _user_id(words[0]) if len(words) == 1 else None
        if user_id is None:
            raise UserInputError(REVOKE_USAGE)
        return cls(slack_user_id=user_id)


class ChooseLanguage(BaseModel):
    language: Literal["fi", "en"]

    @classmethod
    def parse(cls, text: str) -> "ChooseLanguage":
        words = words_of(text)[1:]
        try:
            return cls(language=words[0].lower() if len(words) == 1 else "")
        except ValidationError:
            raise UserInputError(LANGUAGE_USAGE) from None
