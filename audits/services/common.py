"""Checks shared by the audits services. Messages name the field and the rule, never the value given, so a
reporter's identity typed into the wrong field can never come back in an error."""

import datetime

from django.utils import timezone

from backend.errors import field_error


def text(value, field: str, max_length: int, required: bool = True) -> str:
    """Stripped text of at most `max_length` characters; REQUIRED when empty and required."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise field_error(field, f"{field} is required.", "required")
    if len(cleaned) > max_length:
        raise field_error(field, f"{field} may have at most {max_length} characters.", "too_long")
    return cleaned


def choice(value, field: str, choices) -> str:
    """One of a TextChoices' values."""
    if value not in choices.values:
        raise field_error(field, f"{field} must be one of: {', '.join(choices.values)}.", "invalid")
    return value


def in_future(value: datetime.date | datetime.datetime | None) -> bool:
    """Dates of past events may not lie in the future (a day of slack for time zones)."""
    if value is None:
        return False
    day = value.date() if isinstance(value, datetime.datetime) else value
    return day > timezone.localdate() + datetime.timedelta(days=1)


def not_in_future(value: datetime.date | datetime.datetime | None, field: str):
    """`value`, refused when in_future."""
    if in_future(value):
        raise field_error(field, f"{field} may not be in the future.", "out_of_range")
    return value


def non_negative(value, field: str):
    if value is not None and value < 0:
        raise field_error(field, f"{field} may not be negative.", "out_of_range")
    return value


def require(data: dict, *fields: str) -> None:
    for field in fields:
        if data.get(field) in (None, ""):
            raise field_error(field, f"{field} is required.", "required")


def days_between(start: datetime.datetime, end: datetime.datetime) -> float:
    """The time from `start` to `end` in days, fractions included (how every case duration is told)."""
    return (end - start).total_seconds() / 86400
