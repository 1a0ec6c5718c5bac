"""No personal data and no request bodies in any log line, Slack's libraries' included."""

import io
import logging
from collections.abc import Iterator

import pytest

from bot.runtime.logs import SlackLibraryPrivacyFilter, configure_logging

MADE_UP = "Testi Keksitty-Henkilö"


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    # Bolt fixes its App logger's level to the root's when an App is built without a logger of
    # its own, as earlier tests in the same process may have done.
    bolt = logging.getLogger("slack_bolt.App")
    saved_bolt_level = bolt.level
    bolt.setLevel(logging.NOTSET)
    configure_logging("DEBUG")
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    yield stream
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    bolt.setLevel(saved_bolt_level)


def test_bolts_quotes_of_a_payload_are_withheld(log_output: io.StringIO) -> None:
    logging.getLogger("slack_bolt.App").warning(
        "A global middleware skipped calling next() (%s)", {"text": MADE_UP}
    )
    logging.getLogger("slack_bolt.App").info(
        "Invalid request signature detected (signature: v0=1, timestamp: 1, body: text=%s)", MADE_UP
    )
    output = log_output.getvalue()
    assert "Keksitty" not in output
    assert "A global middleware skipped calling next (details withheld)" in output
    assert "Invalid request signature detected (details withheld)" in output


def test_slack_libraries_debug_lines_are_dropped(log_output: io.StringIO) -> None:
    logging.getLogger("slack_sdk.web.base_client").debug("Sending a request - body: %s", MADE_UP)
    assert log_output.getvalue() == ""


def test_exceptions_logged_by_slack_libraries_lose_their_text(log_output: io.StringIO) -> None:
    try:
        raise ValueError(MADE_UP)
    except ValueError:
        logging.getLogger("slack_bolt.App").exception("Failed to run listener function")
    output = log_output.getvalue()
    assert "Failed to run listener function" in output and "Keksitty" not in output


def test_our_own_lines_pass_untouched(log_output: io.StringIO) -> None:
    logging.getLogger("bot.runtime.serve").info("Serving Slack over HTTP on port %d", 3000)
    assert "Serving Slack over HTTP on port 3000" in log_output.getvalue()


def test_the_filter_keeps_a_plain_warning() -> None:
    record = logging.LogRecord("slack_sdk.x", logging.WARNING, "f", 1, "Rate limited", None, None)
    assert SlackLibraryPrivacyFilter().filter(record) and record.getMessage() == "Rate limited"
