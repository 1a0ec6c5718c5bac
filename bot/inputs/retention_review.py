"""What the retention review carries: the records the modal listed (its private_metadata) and
the decisions a controller submitted. Which records are due is never read from either: the
server counts with its own settings."""

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import Field

from bot.i18n import N_
from bot.ids import retention_decision, retention_hold_reason, retention_hold_until
from bot.inputs.private_metadata import PrivateMetadata
from bot.inputs.view_state import FieldErrors, element, selected, text
from storage.retention import HOLD_REASON_MAX_LENGTH, Decision

HOLD_DATE_REQUIRED = N_("Give the date the hold ends.")
HOLD_DATE_IN_THE_PAST = N_("The hold must end after today.")
HOLD_REASON_REQUIRED = N_("Give the reason for the hold.")
HOLD_REASON_TOO_LONG = N_("The reason can be at most 1000 characters.")


class DecisionChoice(StrEnum):
    ERASE = "erase"
    HOLD = "hold"


class ReviewMetadata(PrivateMetadata):
    """The review modal's private_metadata: the records it listed."""

    person_ids: list[int] = Field(max_length=100)


def _date(element_state: dict[str, Any]) -> date | None:
    value = element_state.get("selected_date")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _decision(values: dict[str, Any], person_id: int, today: date) -> Decision | FieldErrors | None:
    choice = selected(element(values, retention_decision(person_id)))
    if choice == DecisionChoice.ERASE:
        return Decision(person_id=person_id, erase=True)
    if choice != DecisionChoice.HOLD:
        return None
    errors: dict[str, str] = {}
    until = _date(element(values, retention_hold_until(person_id)))
    reason = text(element(values, retention_hold_reason(person_id)))
    if until is None:
        errors[retention_hold_until(person_id)] = HOLD_DATE_REQUIRED
    elif until <= today:
        errors[retention_hold_until(person_id)] = HOLD_DATE_IN_THE_PAST
    if reason is None:
        errors[retention_hold_reason(person_id)] = HOLD_REASON_REQUIRED
    elif len(reason) > HOLD_REASON_MAX_LENGTH:
        errors[retention_hold_reason(person_id)] = HOLD_REASON_TOO_LONG
    if errors:
        return FieldErrors(errors)
    return Decision(person_id=person_id, erase=False, hold_until=until, hold_reason=reason)


def read_decisions(
    values: dict[str, Any], person_ids: list[int], today: date
) -> list[Decision] | FieldErrors:
    """The decisions made, in the listed order; records left undecided wait for the next review."""
    decisions: list[Decision] = []
    errors: dict[str, str] = {}
    for person_id in person_ids:
        decision = _decision(values, person_id, today)
        if isinstance(decision, FieldErrors):
            errors.update(decision.errors)
        elif decision is not None:
            decisions.append(decision)
    return FieldErrors(errors) if errors else decisions
