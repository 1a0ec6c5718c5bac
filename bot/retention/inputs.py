"""What the retention review carries: the records the modal listed (its private_metadata) and
the decisions a controller submitted. Which records are due is never read from either: the
server counts with its own settings."""

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import Field, TypeAdapter, ValidationError

from bot.slack.i18n import N_
from bot.slack.ids import retention_decision, retention_hold_reason, retention_hold_until
from bot.slack.inputs.dates import HOLD_UNTIL, HoldUntil
from bot.slack.inputs.private_metadata import PrivateMetadata
from bot.slack.inputs.rules import rule_message
from bot.slack.inputs.view_state import InvalidForm, element, selected, typed_text
from storage.retention import HOLD_REASON_MAX_LENGTH, Decision

HOLD_DATE_REQUIRED = N_("Give the date the hold ends.")
HOLD_DATE_IN_THE_PAST = HOLD_UNTIL.too_early
HOLD_REASON_REQUIRED = N_("Give the reason for the hold.")
HOLD_REASON_TOO_LONG = N_("The reason can be at most 1000 characters.")


class DecisionChoice(StrEnum):
    ERASE = "erase"
    HOLD = "hold"


class ReviewMetadata(PrivateMetadata):
    """The review modal's private_metadata: the records it listed."""

    person_ids: list[int] = Field(max_length=100)


HOLD_UNTIL_DATE: TypeAdapter[date] = TypeAdapter(HoldUntil)


def _hold_until(element_state: dict[str, Any], today: date) -> date | str:
    """The date the hold ends, or the N_-marked message of what is wrong with it."""
    value = element_state.get("selected_date")
    if value is None:
        return HOLD_DATE_REQUIRED
    try:
        return HOLD_UNTIL_DATE.validate_python(value, context={"today": today})
    except ValidationError as error:
        return rule_message(error.errors()[0]) or HOLD_DATE_REQUIRED


def _decision(values: dict[str, Any], person_id: int, today: date) -> Decision | None:
    choice = selected(element(values, retention_decision(person_id)))
    if choice == DecisionChoice.ERASE:
        return Decision(person_id=person_id, erase=True)
    if choice != DecisionChoice.HOLD:
        return None
    errors: dict[str, str] = {}
    until = _hold_until(element(values, retention_hold_until(person_id)), today)
    if isinstance(until, str):
        errors[retention_hold_until(person_id)] = until
    try:
        reason = typed_text(values, retention_hold_reason(person_id))
    except InvalidForm as invalid:
        errors.update(invalid.messages)
    else:
        if reason is None:
            errors[retention_hold_reason(person_id)] = HOLD_REASON_REQUIRED
        elif len(reason) > HOLD_REASON_MAX_LENGTH:
            errors[retention_hold_reason(person_id)] = HOLD_REASON_TOO_LONG
    if errors or isinstance(until, str) or reason is None:
        raise InvalidForm(errors)
    return Decision(person_id=person_id, erase=False, hold_until=until, hold_reason=reason)


def read_decisions(values: dict[str, Any], person_ids: list[int], today: date) -> list[Decision]:
    """The decisions made, in the listed order; records left undecided wait for the next review."""
    decisions: list[Decision] = []
    errors: dict[str, str] = {}
    for person_id in person_ids:
        try:
            decision = _decision(values, person_id, today)
        except InvalidForm as invalid:
            errors.update(invalid.messages)
            continue
        if decision is not None:
            decisions.append(decision)
    if errors:
        raise InvalidForm(errors)
    return decisions
