"""The DASS requirement: a verified completion of a course that was
accredited on the completion date and is designed for social care, at any
time before the appointment or within three years after it.

The deadline is the third anniversary of the appointment, and a completion on
that day counts. An appointment on 29 February has its deadline on
28 February three years later (the anniversary does not exist, and the
requirement says "within three years", so the earlier day is used).

A completion counts for every later appointment too: it is "before
appointment" for them.
"""

from datetime import date, timedelta

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

from .models import ComplianceStatus

DUE_SOON_DAYS = 365


def deadline_for(appointed_on: date) -> date:
    try:
        return appointed_on.replace(year=appointed_on.year + 3)
    except ValueError:  # 29 February
        return appointed_on.replace(year=appointed_on.year + 3, day=28)


def status_of(*, deadline: date, has_completion: bool, verified: bool, today: date) -> str:
    """Pure: the status from the stored facts and today's date."""
    if has_completion:
        return ComplianceStatus.COMPLETE_VERIFIED if verified else ComplianceStatus.COMPLETE_AWAITING
    if deadline < today:
        return ComplianceStatus.OVERDUE
    if deadline <= today + timedelta(days=DUE_SOON_DAYS):
        return ComplianceStatus.DUE_SOON
    return ComplianceStatus.ON_TRACK


def status_expression(today: date | None = None):
    """The same rule as status_of, as SQL, so counts and filters run in the database."""
    today = today or timezone.localdate()
    return Case(
        When(
            Q(qualifying_completion__isnull=False, completion_verified=True),
            then=Value(ComplianceStatus.COMPLETE_VERIFIED),
        ),
        When(qualifying_completion__isnull=False, then=Value(ComplianceStatus.COMPLETE_AWAITING)),
        When(deadline__lt=today, then=Value(ComplianceStatus.OVERDUE)),
        When(deadline__lte=today + timedelta(days=DUE_SOON_DAYS), then=Value(ComplianceStatus.DUE_SOON)),
        default=Value(ComplianceStatus.ON_TRACK),
        output_field=CharField(),
    )


def status_filter(status: str, today: date | None = None) -> Q:
    today = today or timezone.localdate()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return {
        ComplianceStatus.COMPLETE_VERIFIED: Q(qualifying_completion__isnull=False, completion_verified=True),
        ComplianceStatus.COMPLETE_AWAITING: Q(qualifying_completion__isnull=False, completion_verified=False),
        ComplianceStatus.OVERDUE: Q(qualifying_completion__isnull=True, deadline__lt=today),
        ComplianceStatus.DUE_SOON: Q(qualifying_completion__isnull=True, deadline__gte=today, deadline__lte=soon),
        ComplianceStatus.ON_TRACK: Q(qualifying_completion__isnull=True, deadline__gt=soon),
    }[status]
