"""Dates and times written the GOV.UK way, in UK time: '5:30pm on 6 January 2027'."""

from django.utils import timezone


def uk_time(instant) -> str:
    local = timezone.localtime(instant)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def uk_datetime(instant) -> str:
    local = timezone.localtime(instant)
    return f"{uk_time(local)} on {local.day} {local:%B %Y}"
