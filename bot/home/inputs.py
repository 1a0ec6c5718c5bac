"""Which page of each list the Home tab shows, kept in its private_metadata so that turning
one list leaves the other where it was."""

from pydantic import Field

from bot.slack.inputs.private_metadata import PrivateMetadata


class HomePages(PrivateMetadata):
    follow_ups: int = Field(default=0, ge=0, le=100_000)
    requests: int = Field(default=0, ge=0, le=100_000)
