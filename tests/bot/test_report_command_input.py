from datetime import date

import pytest

from bot.errors import UserInputError
from bot.inputs.report_command import report_period
from storage.reports import Period

TODAY = date(2026, 5, 4)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("raportti", Period(date(2026, 1, 1), TODAY)),
        ("report  ", Period(date(2026, 1, 1), TODAY)),
        ("raportti 2025", Period(date(2025, 1, 1), date(2025, 12, 31))),
        ("raportti 2026-01-01 2026-06-30", Period(date(2026, 1, 1), date(2026, 6, 30))),
    ],
)
def test_the_period_of_a_report(text: str, period: Period) -> None:
    assert report_period(text, today=TODAY) == period


@pytest.mark.parametrize(
    "text",
    [
        "raportti 2027",
        "raportti 1999",
        "raportti viime vuosi",
        "raportti 2026-06-30 2026-01-01",
        "raportti 2026-02-30 2026-03-01",
        "raportti 2026-01-01",
    ],
)
def test_a_period_that_cannot_be_used_gets_the_usage(text: str) -> None:
    with pytest.raises(UserInputError):
        report_period(text, today=TODAY)
