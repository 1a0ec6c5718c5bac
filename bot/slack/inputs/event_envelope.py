"""The Events API envelope around an event: its id, the same on each of Slack's retries."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.slack.inputs.text import SingleLine


class EventEnvelope(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: SingleLine
    event_id: SingleLine = Field(min_length=1, max_length=64)

    @classmethod
    def of(cls, body: dict[str, Any]) -> "EventEnvelope | None":
        """The envelope of an event callback; None for anything else (a command, an action)."""
        if body.get("type") != "event_callback":
            return None
        try:
            return cls.model_validate(body)
        except ValidationError:
            return None
