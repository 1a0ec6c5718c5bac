"""The person form's nationality select: the countries matching what the staff member typed,
in their language. Nothing about any person is read."""

from typing import Any

from slack_bolt import Ack, App

from bot.customers.form import country_options
from bot.slack.i18n import Translator
from bot.slack.ids import PersonField
from bot.slack.middleware import require
from storage.permissions import Permission

QUERY_LENGTH = 100


def suggest_countries(ack: Ack, payload: dict[str, Any], t: Translator) -> None:
    typed = str(payload.get("value") or "")[:QUERY_LENGTH]
    ack(options=country_options(typed, t.language))


def register(app: App) -> None:
    app.options(PersonField.NATIONALITY, middleware=[require(Permission.PERSON_SEARCH)])(
        suggest_countries
    )
