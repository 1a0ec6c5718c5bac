"""`/asiakas` (`/customer`): help, or a search whose hits open cards, edits and meetings.

`/asiakas uusi` (`/customer new`): the new-person form."""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.customers.blocks import (
    HITS_A_PAGE,
    customer_help_blocks,
    hit_list_blocks,
    query_too_short_text,
)
from bot.customers.form import person_form_view
from bot.customers.form_inputs import FormMetadata
from bot.customers.inputs import CustomerAction, CustomerSearch, customer_action
from bot.slack.i18n import Translator
from bot.slack.ids import COMMAND_CUSTOMER
from bot.slack.middleware import require
from storage.enums import Purpose
from storage.permissions import Permission
from storage.search import MIN_QUERY_LENGTH, search_persons
from storage.staff import StaffMember


def show_help(ack: Ack, t: Translator) -> None:
    ack(blocks=customer_help_blocks(t), response_type="ephemeral")


def search(
    ack: Ack, command: dict[str, Any], session: Session, staff: StaffMember, t: Translator
) -> None:
    query = CustomerSearch.parse(command["text"]).query
    if len(query) < MIN_QUERY_LENGTH:
        ack(text=query_too_short_text(MIN_QUERY_LENGTH, t), response_type="ephemeral")
        return
    result = search_persons(
        session=session,
        viewer=staff,
        query=query,
        purpose=Purpose.CUSTOMER_SERVICE,
        limit=HITS_A_PAGE,
    )
    ack(blocks=hit_list_blocks(query, result, t), response_type="ephemeral")


def is_action(action: CustomerAction) -> Callable[[dict[str, Any]], bool]:
    def matches(command: dict[str, Any]) -> bool:
        return customer_action(command.get("text", "")) is action

    return matches


def open_new_person_form(ack: Ack, body: dict[str, Any], client: WebClient, t: Translator) -> None:
    ack()
    client.views_open(
        trigger_id=body["trigger_id"], view=person_form_view(t, metadata=FormMetadata())
    )


def is_new(command: dict[str, Any]) -> bool:
    return customer_action(command.get("text", "")) is CustomerAction.NEW


def register(app: App) -> None:
    # The search first: Bolt tries the listeners in order, and it is the commonest request.
    for name in COMMAND_CUSTOMER:
        app.command(
            name,
            matchers=[is_action(CustomerAction.SEARCH)],
            middleware=[require(Permission.PERSON_SEARCH)],
        )(search)
        app.command(
            name,
            matchers=[is_action(CustomerAction.HELP)],
            middleware=[require(Permission.PERSON_SEARCH)],
        )(show_help)
    for name in COMMAND_CUSTOMER:
        app.command(name, matchers=[is_new], middleware=[require(Permission.PERSON_CREATE)])(
            open_new_person_form
        )
