"""Showing a modal from a button: opened over a message, pushed on top of another modal."""

from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.views import View


def modal_of(body: dict[str, Any]) -> dict[str, Any] | None:
    """The modal the interaction came from, if it came from one."""
    view = body.get("view")
    return view if view and view.get("type") == "modal" else None


def show_modal(body: dict[str, Any], client: WebClient, view: View) -> None:
    if modal_of(body):
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)
