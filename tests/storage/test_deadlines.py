from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from storage.deadlines import due_date, extended_due_date, is_working_day, next_working_day


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        (date(2025, 1, 31), date(2025, 2, 28)),
        (date(2024, 1, 31), date(2024, 2, 29)),
        (date(2025, 3, 5), date(2025, 4, 7)),
        (date(2025, 11, 25), date(2025, 12, 29)),
    ],
)
def test_the_vectors_of_the_design(received_on: date, due_on: date) -> None:
    assert due_date(received_on) == due_on


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        (date(2024, 1, 29), date(2024, 2, 29)),  # a leap day that exists is the day itself
        (date(2024, 1, 30), date(2024, 2, 29)),
        (date(2023, 1, 29), date(2023, 2, 28)),  # a common year has no 29 February
        (date(2023, 1, 31), date(2023, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2025, 3, 31), date(2025, 4, 30)),  # April has 30 days
        (date(2024, 2, 28), date(2024, 3, 28)),
    ],
)
def test_a_day_the_month_lacks_becomes_its_last_day(received_on: date, due_on: date) -> None:
    assert due_date(received_on) == due_on


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        # Good Friday 29 March 2024, Easter Monday 1 April: from a leap day
        (date(2024, 2, 29), date(2024, 4, 2)),
        # Good Friday 18 April 2025, Easter Monday 21 April
        (date(2025, 3, 18), date(2025, 4, 22)),
        (date(2025, 3, 21), date(2025, 4, 22)),
        # Good Friday 3 April 2026, Easter Monday 6 April
        (date(2026, 3, 3), date(2026, 4, 7)),
        (date(2026, 3, 6), date(2026, 4, 7)),
    ],
)
def test_easter_moves_the_deadline_past_easter_monday(received_on: date, due_on: date) -> None:
    assert due_date(received_on) == due_on


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        (date(2025, 5, 20), date(2025, 6, 23)),  # Midsummer Eve, Friday 20 June 2025
        (date(2026, 5, 19), date(2026, 6, 22)),  # Midsummer Eve, Friday 19 June 2026
        (date(2025, 11, 24), date(2025, 12, 29)),  # Christmas Eve, Wednesday 2025
        (date(2025, 11, 26), date(2025, 12, 29)),  # St Stephen's Day, Friday 2025
        (date(2026, 11, 24), date(2026, 12, 28)),  # Christmas Eve, Thursday 2026
        (date(2024, 11, 6), date(2024, 12, 9)),  # Independence Day, Friday 2024
        (date(2027, 11, 6), date(2027, 12, 7)),  # Independence Day, Monday 2027
        (date(2024, 12, 1), date(2025, 1, 2)),  # New Year's Day, Wednesday 2025
        (date(2025, 12, 6), date(2026, 1, 7)),  # Epiphany, Tuesday 2026
        (date(2025, 4, 1), date(2025, 5, 2)),  # May Day, Thursday 2025
        (date(2025, 4, 29), date(2025, 5, 30)),  # Ascension Day, Thursday 2025
        (date(2026, 4, 14), date(2026, 5, 15)),  # Ascension Day, Thursday 2026
    ],
)
def test_a_public_holiday_moves_the_deadline_to_the_next_working_day(
    received_on: date, due_on: date
) -> None:
    assert due_date(received_on) == due_on


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 1, 1),
        date(2025, 1, 6),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 1),
        date(2025, 5, 29),
        date(2025, 6, 20),
        date(2025, 12, 24),
        date(2025, 12, 25),
        date(2025, 12, 26),
        date(2026, 12, 24),
        date(2027, 12, 6),
    ],
)
def test_public_holidays_on_weekdays_are_not_working_days(day: date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 2, 5),  # Runeberg Day, a flag day
        date(2025, 5, 9),  # Europe Day
        date(2025, 12, 8),  # Jean Sibelius Day
        date(2025, 12, 23),
        date(2025, 12, 31),  # New Year's Eve
        date(2025, 4, 17),  # Maundy Thursday
    ],
)
def test_flag_days_and_the_days_around_holidays_are_working_days(day: date) -> None:
    assert is_working_day(day)


def test_weekends_are_not_working_days() -> None:
    assert is_working_day(date(2025, 3, 7))
    assert not is_working_day(date(2025, 3, 8))
    assert not is_working_day(date(2025, 3, 9))
    assert is_working_day(date(2025, 3, 10))


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        (date(2025, 11, 25), date(2026, 2, 25)),
        (date(2025, 11, 30), date(2026, 3, 2)),  # 28 February 2026 is a Saturday
        (date(2023, 11, 30), date(2024, 2, 29)),  # a leap year's last day of February
        (date(2024, 11, 30), date(2025, 2, 28)),
        (date(2025, 3, 20), date(2025, 6, 23)),  # Midsummer Eve
        (date(2025, 9, 24), date(2025, 12, 29)),  # Christmas Eve
        (date(2025, 1, 18), date(2025, 4, 22)),  # Good Friday
    ],
)
def test_the_extended_deadline_is_three_months_by_the_same_rules(
    received_on: date, due_on: date
) -> None:
    assert extended_due_date(received_on) == due_on


@pytest.mark.parametrize(
    ("received_on", "first_due_on", "extended_due_on"),
    [
        # First due on February's last day: two months on is 28 April, before 30 April.
        (date(2025, 1, 31), date(2025, 2, 28), date(2025, 4, 28)),
        (date(2024, 1, 31), date(2024, 2, 29), date(2024, 4, 29)),  # a leap year
        # The first due date moved by Christmas and a weekend: receipt + 3 months is earlier.
        (date(2025, 11, 25), date(2025, 12, 29), date(2026, 2, 25)),
        # Moved by a weekend: two months on is Maundy Thursday, receipt + 3 months is earlier.
        (date(2025, 12, 31), date(2026, 2, 2), date(2026, 3, 31)),
        # Moved to 1 September: two months on is All Saints' Day, a Saturday.
        (date(2025, 7, 31), date(2025, 9, 1), date(2025, 10, 31)),
        # Moved past New Year: two months on is later than 29 February.
        (date(2023, 11, 30), date(2024, 1, 2), date(2024, 2, 29)),
        # Both readings end on Easter Sunday 2024: the Tuesday after Easter Monday.
        (date(2023, 12, 31), date(2024, 1, 31), date(2024, 4, 2)),
    ],
)
def test_the_extension_ends_at_the_earlier_of_both_readings_of_art_12_3(
    received_on: date, first_due_on: date, extended_due_on: date
) -> None:
    assert due_date(received_on) == first_due_on
    assert extended_due_date(received_on) == extended_due_on


def test_the_extension_never_ends_after_either_reading() -> None:
    received_on = date(2024, 1, 1)
    while received_on < date(2028, 1, 1):
        extended = extended_due_date(received_on)
        by_receipt = next_working_day(received_on + relativedelta(months=3))
        by_first_due = next_working_day(due_date(received_on) + relativedelta(months=2))
        assert extended == min(by_receipt, by_first_due)
        assert is_working_day(extended) and extended > due_date(received_on)
        received_on += timedelta(days=1)


def test_every_first_deadline_is_the_first_working_day_from_the_calendar_date() -> None:
    received_on = date(2024, 1, 1)
    while received_on < date(2028, 1, 1):
        calendar_date = received_on + relativedelta(months=1)
        deadline = due_date(received_on)
        assert calendar_date <= deadline and is_working_day(deadline)
        assert not any(
            is_working_day(calendar_date + timedelta(days=n))
            for n in range((deadline - calendar_date).days)
        )
        received_on += timedelta(days=1)
