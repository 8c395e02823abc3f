"""Dates and times written the GOV.UK way, in UK time: '5:30pm on 6 January 2027'.

Every time a person reads (pages, emails, PDFs, messages) goes through these
functions or the template filters `uk_datetime` and `uk_time` built on them;
tests/core/test_time_format.py fails on a template that formats a time itself.
Machine-readable values (CSV exports, ISO timestamps in credentials) are not
for reading and keep their own formats."""

from django.utils import timezone


def uk_clock(hour: int, minute: int) -> str:
    """'5:30pm', '6am', 'midday', 'midnight' for a time of day."""
    if hour == 12 and minute == 0:
        return "midday"
    if hour == 0 and minute == 0:
        return "midnight"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def uk_time(instant) -> str:
    local = timezone.localtime(instant)
    return uk_clock(local.hour, local.minute)


def uk_datetime(instant) -> str:
    """'5:30pm on 3 December 2026'."""
    local = timezone.localtime(instant)
    return f"{uk_time(local)} on {local.day} {local:%B %Y}"
