"""One error handler: anything unexpected gets a reference id that is in the log."""

import logging
import re

import pytest
from sqlalchemy import text

from storage.db import Database
from tests.e2e.harness import ADMIN, SlackSender


def test_an_unexpected_error_gets_a_reference_in_the_reply_and_the_log(
    slack: SlackSender, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    slack.command("/rekisteri", "lisaa <@UCONTROL1> controller", user_id=ADMIN)
    with database.engine.begin() as connection:
        connection.execute(text("ALTER TABLE audit_events RENAME TO audit_events_elsewhere"))
    caplog.set_level(logging.INFO)

    reply = slack.command("/rekisteri", "tarkastus", user_id="UCONTROL1")

    assert reply.status == 200
    message = reply.json()["text"]
    assert message.startswith("Jokin meni vikaan, eikä mitään tallennettu.")
    reference = re.search(r"Viite: ([0-9a-f]{8})", message)
    assert reference is not None
    assert f"Unhandled error, reference {reference.group(1)}" in caplog.text
    assert "ProgrammingError" in caplog.text or "OperationalError" in caplog.text
    assert (
        "audit_events_elsewhere" not in caplog.text
    )  # the error message names it; the log must not
