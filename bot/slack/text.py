"""Text that goes into Slack messages: escaping what people typed, dates as each reader reads
them."""

from datetime import date, datetime

from babel.dates import format_date as babel_format_date

LOCALES = {"fi": "fi_FI", "en": "en_GB"}


def mrkdwn_escape(text: str) -> str:
    """Slack's three control characters, so `<!channel>` is shown, never acted on."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def person_name(first_name: str, last_name: str) -> str:
    """A person's name, escaped, for mrkdwn text."""
    return mrkdwn_escape(f"{first_name} {last_name}".strip())


def format_date(value: date, language: str) -> str:
    """27.11.2026 in Finnish, 27 Nov 2026 in English."""
    return babel_format_date(value, format="medium", locale=LOCALES.get(language, "fi_FI"))


def local_datetime(moment: datetime, fallback: str) -> str:
    """A moment that Slack shows in each reader's own time zone; `fallback` where it cannot."""
    timestamp = int(moment.timestamp())
    return f"<!date^{timestamp}^{{date_short_pretty}} {{time}}|{mrkdwn_escape(fallback)}>"


def local_date(moment: datetime, fallback: str) -> str:
    """The day of a moment, in each reader's own time zone."""
    timestamp = int(moment.timestamp())
    return f"<!date^{timestamp}^{{date_short}}|{mrkdwn_escape(fallback)}>"
