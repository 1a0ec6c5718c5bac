"""Logging that never carries personal data or request bodies.

Our own log lines carry ids only. Slack's libraries are not ours: at DEBUG they print request
and response bodies, and some of their warnings quote parts of a payload, so their records are
cut down to what precedes the quoted material before any handler sees them.
"""

import logging
import os
import re
import traceback

SLACK_LOGGERS = ("slack_bolt", "slack_sdk")
QUOTES_SOMETHING = re.compile(r"body|payload|params|[{']", re.IGNORECASE)
QUOTED_FROM_HERE = re.compile(r"\s*(\(|\{|\[|\bbody\b|\bpayload\b|\bparams\b).*", re.I | re.S)


class SlackLibraryPrivacyFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(SLACK_LOGGERS):
            return True
        if record.levelno <= logging.DEBUG:
            return False
        message = record.getMessage()
        if QUOTES_SOMETHING.search(message):
            message = QUOTED_FROM_HERE.sub(" (details withheld)", message, count=1)
        record.msg, record.args = message, None
        record.exc_info, record.exc_text = None, None
        return True


def configure_logging(level: str | None = None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(SlackLibraryPrivacyFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or os.environ.get("LOG_LEVEL", "INFO"))


def stack_without_messages(error: BaseException) -> str:
    """The exception's type and frames; its message may quote personal data, so it is left out."""
    frames = traceback.format_list(traceback.extract_tb(error.__traceback__))
    return "".join(frames) + type(error).__qualname__


def as_notes() -> None:
    """Log lines as a person at the console reads them: the message after "Note:", without
    the time, level and logger an operator's log carries."""
    for handler in logging.getLogger().handlers:
        handler.setFormatter(logging.Formatter("Note: %(message)s"))
