from datetime import date

import pytest

from bot.reports.inputs import (
    NOT_ENDED,
    REPORT_USAGE,
    SURVEY_USAGE,
    TOO_EARLY,
    WHOLE_MONTHS,
    SurveyPeriod,
    given_period,
    report_period,
)
from bot.slack.error_messages import UserInputError
from storage.reports import Period

TODAY = date(2026, 5, 4)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("raportti", Period(date(2026, 1, 1), date(2026, 4, 30))),
        ("report  ", Period(date(2026, 1, 1), date(2026, 4, 30))),
        ("raportti 2025", Period(date(2025, 1, 1), date(2025, 12, 31))),
        ("raportti 2026", Period(date(2026, 1, 1), date(2026, 4, 30))),
        ("raportti 2025-Q4", Period(date(2025, 10, 1), date(2025, 12, 31))),
        ("raportti 2026q1", Period(date(2026, 1, 1), date(2026, 3, 31))),
        ("raportti 2026-K2", Period(date(2026, 4, 1), date(2026, 4, 30))),
        ("raportti 2024-02", Period(date(2024, 2, 1), date(2024, 2, 29))),
        ("raportti 2025-11 2026-02", Period(date(2025, 11, 1), date(2026, 2, 28))),
        ("raportti 2025 2026-Q1", Period(date(2025, 1, 1), date(2026, 3, 31))),
        ("raportti 1.10.2025–31.12.2025", Period(date(2025, 10, 1), date(2025, 12, 31))),
        ("raportti 1.10.2025 - 31.12.2025", Period(date(2025, 10, 1), date(2025, 12, 31))),
        ("raportti 1.10.2025-31.10.2025", Period(date(2025, 10, 1), date(2025, 10, 31))),
        ("raportti 1.–31.10.2025", Period(date(2025, 10, 1), date(2025, 10, 31))),
        ("raportti 1.10.–31.12.2025", Period(date(2025, 10, 1), date(2025, 12, 31))),
        ("raportti 1.11.2025\u2009–\u200928.2.2026", Period(date(2025, 11, 1), date(2026, 2, 28))),
        ("raportti 2025-10-01–2025-12-31", Period(date(2025, 10, 1), date(2025, 12, 31))),
        ("raportti 2025-10-01-2025-12-31", Period(date(2025, 10, 1), date(2025, 12, 31))),
        ("raportti 2025-10-01 2025-10-31", Period(date(2025, 10, 1), date(2025, 10, 31))),
        ("raportti 2025-10-2025-12", Period(date(2025, 10, 1), date(2025, 12, 31))),
        ("raportti 2026-01-01 2026-06-30", Period(date(2026, 1, 1), date(2026, 4, 30))),
        ("raportti 1.2.2024–29.2.2024", Period(date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_the_period_of_a_report_is_whole_months_that_have_ended(text: str, period: Period) -> None:
    assert report_period(text, today=TODAY) == period


def test_in_january_the_default_is_last_year() -> None:
    assert report_period("raportti", today=date(2027, 1, 15)) == Period.year(2026)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("raportti 2026-01-02 2026-01-31", WHOLE_MONTHS),
        ("raportti 2026-01-01 2026-01-30", WHOLE_MONTHS),
        ("raportti 1.1.2026–15.3.2026", WHOLE_MONTHS),
        ("raportti 2026-03-15", WHOLE_MONTHS),
        ("raportti 1.3.2026", WHOLE_MONTHS),
        ("raportti 1.2.2025–29.2.2025", REPORT_USAGE),
        ("raportti 31.3.2026–1.1.2026", REPORT_USAGE),
        ("raportti 1.–31.10.", REPORT_USAGE),
        ("raportti 2026-05", NOT_ENDED),
        ("raportti 2027", NOT_ENDED),
        ("raportti 1999", TOO_EARLY),
        ("raportti viime vuosi", REPORT_USAGE),
        ("raportti 2026-06 2026-01", REPORT_USAGE),
        ("raportti 2026-13", REPORT_USAGE),
        ("raportti 2026-Q5", REPORT_USAGE),
        ("raportti 2025 2025 2025", REPORT_USAGE),
    ],
)
def test_a_period_that_cannot_be_used_says_why(text: str, message: str) -> None:
    with pytest.raises(UserInputError) as refused:
        report_period(text, today=TODAY)
    assert refused.value.message == message


def test_the_survey_takes_the_same_periods() -> None:
    assert SurveyPeriod.parse("kysely", TODAY) == SurveyPeriod(
        first_day=date(2026, 4, 1), last_day=date(2026, 4, 30)
    )
    for text in ("kysely 2026-Q1", "kysely 1.1.2026–31.3.2026", "kysely 2026-01-01 2026-03-31"):
        assert SurveyPeriod.parse(text, TODAY) == SurveyPeriod(
            first_day=date(2026, 1, 1), last_day=date(2026, 3, 31)
        )
    assert SurveyPeriod.parse("kysely 2026-04", TODAY).last_day == date(2026, 4, 30)
    with pytest.raises(UserInputError) as refused:
        SurveyPeriod.parse("kysely 2026-03-01 2026-03-15", TODAY)
    assert refused.value.message == WHOLE_MONTHS
    with pytest.raises(UserInputError) as refused:
        SurveyPeriod.parse("kysely maaliskuu", TODAY)
    assert refused.value.message == SURVEY_USAGE


def test_a_period_the_command_refuses_is_none_to_the_work_after_the_answer() -> None:
    assert given_period(lambda: report_period("raportti 2026-13", today=TODAY)) is None
    assert given_period(lambda: report_period("raportti 2026-03", today=TODAY)) == Period(
        date(2026, 3, 1), date(2026, 3, 31)
    )
