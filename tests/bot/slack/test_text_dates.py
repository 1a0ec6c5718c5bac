"""Dates, moments, periods and months as each language writes them (Babel's formats)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.slack.text import format_date, format_datetime, format_month, format_period

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize(
    ("language", "said"), [("fi", "30.11.2026"), ("en", "30 Nov 2026"), ("sv", "30.11.2026")]
)
def test_a_date(language: str, said: str) -> None:
    assert format_date(date(2026, 11, 30), language) == said


@pytest.mark.parametrize(
    ("language", "said"), [("fi", "30.11.2026 klo 9.30"), ("en", "30 Nov 2026 at 09:30")]
)
def test_a_moment_in_the_agency_s_time_zone_to_the_minute(language: str, said: str) -> None:
    moment = datetime(2026, 11, 30, 7, 30, 59, 123456, tzinfo=UTC)
    assert format_datetime(moment, language, HELSINKI) == said


@pytest.mark.parametrize(
    ("first", "last", "language", "said"),
    [
        (date(2026, 10, 1), date(2026, 10, 31), "fi", "1.–31.10.2026"),
        (date(2026, 1, 1), date(2026, 3, 31), "fi", "1.1.–31.3.2026"),
        (date(2025, 12, 1), date(2026, 1, 31), "fi", "1.12.2025–31.1.2026"),
        (date(2026, 10, 1), date(2026, 10, 1), "fi", "1.10.2026"),
        (date(2026, 10, 1), date(2026, 10, 31), "en", "1\u2009–\u200931 Oct 2026"),
    ],
)
def test_a_period_of_days(first: date, last: date, language: str, said: str) -> None:
    assert format_period(first, last, language) == said


@pytest.mark.parametrize(("language", "said"), [("fi", "maaliskuu 2026"), ("en", "March 2026")])
def test_a_month(language: str, said: str) -> None:
    assert format_month(date(2026, 3, 1), language) == said
