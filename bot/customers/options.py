"""The person form's selects that search as the staff member types: nationality (the countries
matching what was typed, in their language; nothing about any person is read) and municipality
(the register's municipalities and Finland's that match, and what was typed as a new one)."""

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.customers.countries import MOST_SUGGESTED
from bot.customers.form import country_options, municipality_options
from bot.slack.i18n import Translator
from bot.slack.ids import PersonField
from bot.slack.middleware import require
from storage.municipalities import known_municipalities
from storage.permissions import Permission

QUERY_LENGTH = 100


def suggest_countries(ack: Ack, payload: dict[str, Any], t: Translator) -> None:
    typed = str(payload.get("value") or "")[:QUERY_LENGTH]
    ack(options=country_options(typed, t.language))


def suggest_municipalities(
    ack: Ack, payload: dict[str, Any], t: Translator, session: Session
) -> None:
    typed = str(payload.get("value") or "")[:QUERY_LENGTH]
    known = known_municipalities(session=session, typed=typed, most=MOST_SUGGESTED)
    ack(options=municipality_options(typed, known, t))


def register(app: App) -> None:
    app.options(PersonField.NATIONALITY, middleware=[require(Permission.PERSON_SEARCH)])(
        suggest_countries
    )
    app.options(PersonField.MUNICIPALITY, middleware=[require(Permission.PERSON_SEARCH)])(
        suggest_municipalities
    )
