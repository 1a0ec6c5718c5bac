"""Modals as terminal forms: answers become view state as Slack submits it."""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.console.forms import FormCancelled, fill, parse_date
from bot.slack.i18n import translator

ZONE = ZoneInfo("Europe/Helsinki")


def option(value: str, text: str) -> dict[str, Any]:
    return {"value": value, "text": {"type": "plain_text", "text": text}}


VIEW = {
    "blocks": [
        {
            "type": "input",
            "block_id": "first_name",
            "label": {"type": "plain_text", "text": "First name"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        },
        {
            "type": "input",
            "block_id": "gender",
            "optional": True,
            "label": {"type": "plain_text", "text": "Gender"},
            "element": {
                "type": "static_select",
                "action_id": "value",
                "options": [option("female", "Female"), option("other", "Other")],
            },
        },
        {
            "type": "input",
            "block_id": "birth_date",
            "label": {"type": "plain_text", "text": "Birth date"},
            "hint": {"type": "plain_text", "text": "As on the ID card"},
            "element": {"type": "datepicker", "action_id": "value"},
        },
        {
            "type": "input",
            "block_id": "occurred_at",
            "label": {"type": "plain_text", "text": "When"},
            "element": {
                "type": "datetimepicker",
                "action_id": "value",
                "initial_date_time": 1700000000,
            },
        },
        {
            "type": "input",
            "block_id": "person",
            "label": {"type": "plain_text", "text": "Who"},
            "element": {"type": "external_select", "action_id": "pick"},
        },
    ]
}


def answering(*lines: str) -> tuple[Any, list[str]]:
    typed = list(lines)
    shown: list[str] = []

    def ask(prompt: str) -> str:
        shown.append(prompt)
        return typed.pop(0)

    return ask, shown


def search(block_id: str, action_id: str, query: str) -> list[dict[str, Any]]:
    assert (block_id, action_id) == ("person", "pick")
    return [option("17", f"Testi {query.title()}")]


def test_each_field_by_its_label_into_slack_state() -> None:
    ask, shown = answering("", "Testi", "2", "x", "17.5.1990", "", "virtanen", "1")
    state = fill(VIEW, ask=ask, say=shown.append, search=search, zone=ZONE, t=translator("en"))
    assert state == {
        "first_name": {"value": {"type": "plain_text_input", "value": "Testi"}},
        "gender": {"value": {"type": "static_select", "selected_option": option("other", "Other")}},
        "birth_date": {"value": {"type": "datepicker", "selected_date": "1990-05-17"}},
        "occurred_at": {"value": {"type": "datetimepicker", "selected_date_time": 1700000000}},
        "person": {
            "pick": {"type": "external_select", "selected_option": option("17", "Testi Virtanen")}
        },
    }
    assert "  This is required." in shown
    assert "  As on the ID card" in shown
    assert any("Type a date" in line for line in shown)
    assert "When (d.m.yyyy hh.mm) [15.11.2023 0.13; Enter keeps it]: " in shown


def test_the_form_speaks_the_staff_member_s_language() -> None:
    ask, shown = answering("", "Testi", "/cancel")
    with pytest.raises(FormCancelled):
        fill(VIEW, ask=ask, say=shown.append, search=search, zone=ZONE, t=translator("fi"))
    assert "  Tämä on pakollinen." in shown
    assert "Gender (vapaaehtoinen, Enter ohittaa): " in shown
    assert not any("optional" in line or "required" in line for line in shown)


def test_errors_ask_again_for_the_failed_fields_only() -> None:
    answers = {"first_name": {"value": {"type": "plain_text_input", "value": "Testi"}}}
    ask, shown = answering("1")
    state = fill(
        VIEW,
        ask=ask,
        say=shown.append,
        search=search,
        zone=ZONE,
        t=translator("en"),
        answers=answers,
        errors={"gender": "Choose one"},
    )
    assert state["first_name"] == answers["first_name"]
    assert state["gender"]["value"]["selected_option"]["value"] == "female"
    assert "! Gender: Choose one" in shown


def test_cancel_leaves_the_form() -> None:
    ask, shown = answering("/cancel")
    with pytest.raises(FormCancelled):
        fill(VIEW, ask=ask, say=shown.append, search=search, zone=ZONE, t=translator("en"))


def test_dates_in_either_form() -> None:
    assert parse_date("2026-11-27") == parse_date("27.11.2026") == date(2026, 11, 27)
