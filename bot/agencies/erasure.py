"""The agency's whole register erased, and the summary sent to the admin who asked for it
(who is no longer staff once it is done). A failure leaves the register as it was and is told to
the admin; the log has its reference and no personal data."""

from slack_sdk import WebClient

from bot.agencies.blocks import erasure_failed_text, erasure_summary_text
from bot.agencies.register import erase_register
from bot.runtime.settings import Settings
from bot.slack.error_messages import message_for
from bot.slack.i18n import Translator
from storage.db import Database


def erase_and_report(
    client: WebClient,
    *,
    database: Database,
    settings: Settings,
    agency: int,
    to: str,
    t: Translator,
) -> None:
    try:
        erasure = erase_register(database, settings, agency=agency, actor=to)
    except Exception as error:  # the edge of the work after the answer: nothing above reports it
        text = f"{erasure_failed_text(t)} {message_for(error, t)}"
    else:
        text = erasure_summary_text(erasure, multi_workspace=settings.multi_workspace, t=t)
    client.chat_postMessage(channel=to, text=text)
