"""A job's schedule as a person reads it, from its cron trigger: "every minute", "daily at
02:30 Europe/Helsinki", "Mondays at 08:00 Europe/Helsinki". A schedule these words do not
cover is shown as its cron fields, never guessed at."""

import re

from apscheduler.triggers.cron import CronTrigger

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# APScheduler's day_of_week: names, or numbers from 0 for Monday.
_WEEKDAY_CODES = {code: index for index, code in enumerate(day[:3].lower() for day in WEEKDAYS)}
_NUMBER = re.compile(r"^\d+$")
_EVERY_N = re.compile(r"^\*/(\d+)$")
_DAY_RANGE = re.compile(r"^(\w+)(?:-(\w+))?$")
# The fields a schedule in these words leaves at their defaults.
_WHOLE_CALENDAR = {"year": "*", "month": "*", "day": "*", "week": "*", "second": "0"}


def describe(trigger: CronTrigger) -> str:
    fields = {field.name: str(field) for field in trigger.fields}
    zone = str(trigger.timezone)
    days = _days(fields["day_of_week"])
    if days is None or any(fields[name] != value for name, value in _WHOLE_CALENDAR.items()):
        return _as_cron(fields, zone)
    hour, minute = fields["hour"], fields["minute"]
    if hour == "*":
        if minute == "*":
            often = "every minute"
        elif every := _EVERY_N.match(minute):
            often = f"every {every[1]} minutes"
        elif (minutes := _numbers(minute)) is not None:
            often = "hourly at " + _listed([f":{m:02d}" for m in minutes])
        else:
            return _as_cron(fields, zone)
        return f"{often} on {days} ({zone})" if days != "every day" else often
    hours, minutes = _numbers(hour), _numbers(minute)
    if hours is None or minutes is None:
        return _as_cron(fields, zone)
    times = _listed([f"{h:02d}:{m:02d}" for h in hours for m in minutes])
    when = "daily" if days == "every day" else days
    return f"{when} at {times} {zone}"


def _days(day_of_week: str) -> str | None:
    """ "every day", "Mondays", "Monday to Friday and Sundays"; None for what these words do
    not cover (steps, positions)."""
    if day_of_week == "*":
        return "every day"
    phrases = []
    for part in day_of_week.split(","):
        matched = _DAY_RANGE.match(part)
        if matched is None:
            return None
        first, last = _weekday(matched[1]), _weekday(matched[2]) if matched[2] else None
        if first is None or (matched[2] and last is None):
            return None
        if last is None:
            phrases.append(WEEKDAYS[first] + "s")
        else:
            phrases.append(f"{WEEKDAYS[first]} to {WEEKDAYS[last]}")
    return _listed(phrases)


def _weekday(code: str) -> int | None:
    if _NUMBER.match(code):
        return int(code) if int(code) < len(WEEKDAYS) else None
    return _WEEKDAY_CODES.get(code.lower())


def _numbers(expression: str) -> list[int] | None:
    parts = expression.split(",")
    if not all(_NUMBER.match(part) for part in parts):
        return None
    return sorted(int(part) for part in parts)


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _as_cron(fields: dict[str, str], zone: str) -> str:
    named = [
        f"{name}={value}"
        for name, value in fields.items()
        if value != "*" and (name, value) != ("second", "0")
    ]
    return f"cron {' '.join(named)} ({zone})"
