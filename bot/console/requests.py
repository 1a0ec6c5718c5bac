"""Requests as Slack sends them, signed with the console's own secret, dispatched to the app
in-process."""

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App
from slack_bolt.request import BoltRequest

from bot.console.web_api import APP_ID, TEAM_ID

CONSOLE_CHANNEL = "CCONSOLE"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


class RequestSender:
    def __init__(self, app: App, signing_secret: str, response_url: str) -> None:
        self.app = app
        self.signing_secret = signing_secret
        self.response_url = response_url
        self._triggers = itertools.count(1)

    def command(self, command: str, text: str, *, user_id: str) -> Answer:
        fields = {
            "token": "console",
            "team_id": TEAM_ID,
            "team_domain": "console",
            "channel_id": CONSOLE_CHANNEL,
            "channel_name": "console",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.response_url,
            "trigger_id": self.trigger_id(),
        }
        return self.send(urlencode(fields), FORM)

    def interaction(self, payload: dict[str, Any], *, user_id: str) -> Answer:
        payload = {
            "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
            "api_app_id": APP_ID,
            "token": "console",
            "trigger_id": self.trigger_id(),
            "team": {"id": TEAM_ID, "domain": "console"},
            "is_enterprise_install": False,
            **payload,
        }
        return self.send(urlencode({"payload": json.dumps(payload)}), FORM)

    def event(self, event: dict[str, Any]) -> Answer:
        envelope = {
            "token": "console",
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{self.trigger_id().replace('.', '')}",
            "event_time": int(time.time()),
        }
        return self.send(json.dumps(envelope), "application/json")

    def trigger_id(self) -> str:
        return f"{int(time.time())}.{next(self._triggers)}.console"

    def send(self, body: str, content_type: str) -> Answer:
        timestamp = str(int(time.time()))
        base = f"v0:{timestamp}:{body}".encode()
        signature = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        headers: dict[str, str | Sequence[str]] = {
            "content-type": content_type,
            "x-slack-request-timestamp": timestamp,
            "x-slack-signature": f"v0={signature}",
        }
        response = self.app.dispatch(BoltRequest(body=body, headers=headers))
        text = response.body or ""
        try:
            answer = json.loads(text) if text else {}
        except ValueError:
            answer = {"text": text}
        return Answer(response.status, answer if isinstance(answer, dict) else {})
