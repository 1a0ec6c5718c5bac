"""Text that goes into Slack messages: escaping what people typed, cutting it to a length Slack
takes, dates as each reader reads them."""

from datetime import date, datetime, tzinfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_interval, format_skeleton, format_time

LOCALES = {"fi": "fi_FI", "en": "en_GB"}
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
ELLIPSIS = "…"

# How each language joins a date and a time ("atTime" in CLDR, which Babel does not expose).
AT_TIME = {"fi": "{date} klo {time}", "en": "{date} at {time}"}
# The skeleton of a period of days: 1.–31.10.2026 in Finnish, 1–31 Oct 2026 in English.
PERIOD_SKELETONS = {"fi": "yMd", "en": "yMMMd"}


# Parsed once: Babel parses a locale given by name on every call, a hit list's dates included.
_PARSED = {language: Locale.parse(name) for language, name in LOCALES.items()}


def _locale(language: str) -> Locale:
    return _PARSED.get(language, _PARSED["fi"])


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
    return babel_format_date(value, format="medium", locale=_locale(language))


def format_month(first_day: date, language: str) -> str:
    """A calendar month: maaliskuu 2026 in Finnish, March 2026 in English."""
    return format_skeleton("yMMMM", first_day, locale=_locale(language))


def format_datetime(moment: datetime, language: str, zone: tzinfo) -> str:
    """A moment in `zone` to the minute: 30.11.2026 klo 9.30 in Finnish, 30 Nov 2026 at 09:30
    in English."""
    local = moment.astimezone(zone)
    known = language if language in AT_TIME else "fi"
    return AT_TIME[known].format(
        date=format_date(local.date(), known),
        time=format_time(local.time(), format="short", locale=_locale(known)),
    )


def format_period(first: date, last: date, language: str) -> str:
    """The days from `first` to `last`, both included: 1.–31.10.2026 in Finnish, 1–31 Oct 2026
    in English; one day as a date."""
    known = language if language in PERIOD_SKELETONS else "fi"
    if first == last:
        return format_date(first, known)
    return format_interval(first, last, PERIOD_SKELETONS[known], locale=_locale(known))


def local_datetime(moment: datetime, fallback: str) -> str:
    """A moment that Slack shows in each reader's own time zone; `fallback` where it cannot."""
    timestamp = int(moment.timestamp())
    return f"<!date^{timestamp}^{{date_short_pretty}} {{time}}|{mrkdwn_escape(fallback)}>"


def local_date(moment: datetime, fallback: str) -> str:
    """The day of a moment, in each reader's own time zone."""
    timestamp = int(moment.timestamp())
    return f"<!date^{timestamp}^{{date_short}}|{mrkdwn_escape(fallback)}>"
