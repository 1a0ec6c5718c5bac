"""Text that goes into Slack messages: escaping what people typed, cutting it to a length Slack
takes, dates as each reader reads them."""

from datetime import date, datetime

from babel.dates import format_date as babel_format_date

LOCALES = {"fi": "fi_FI", "en": "en_GB"}
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
ELLIPSIS = "…"


def mrkdwn_escape(text: str) -> str:
    """Slack's three control characters, so `<!channel>` is shown, never acted on."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def excerpt(text: str, limit: int) -> str:
    """Plain text of at most `limit` characters, cut with an ellipsis where it was longer."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def escaped(text: str, limit: int) -> str:
    """Escaped for mrkdwn and at most `limit` characters long once escaped: what a person typed
    echoed back. Escaping can make a text five times longer, so the cut comes after it, never
    inside an entity."""
    whole = mrkdwn_escape(text)
    if len(whole) <= limit:
        return whole
    kept: list[str] = []
    length = 0
    for character in text:
        piece = ENTITIES.get(character, character)
        if length + len(piece) > limit - 1:
            break
        kept.append(piece)
        length += len(piece)
    return "".join(kept).rstrip() + ELLIPSIS


def person_name(first_name: str, last_name: str, limit: int = 120) -> str:
    """A person's name, escaped, for mrkdwn text."""
    return escaped(f"{first_name} {last_name}".strip(), limit)


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
