"""The notice of what the bot has not managed to deliver names every kind of message."""

import pytest

from bot.slack.i18n import translator
from bot.staff.blocks import undelivered_blocks
from storage.enums import OutboxKind
from storage.outbox import Undelivered


@pytest.mark.parametrize("language", ["fi", "en"])
def test_every_kind_of_message_has_a_name_in_the_notice(language: str) -> None:
    counts = {kind: 1 for kind in OutboxKind}
    undelivered = Undelivered(retrying=counts, failed={})

    text = str(undelivered_blocks(undelivered, translator(language))[0].to_dict())

    assert text.count("• ") == len(OutboxKind)
