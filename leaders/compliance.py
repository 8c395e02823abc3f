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

import hashlib
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from accounts.enums import Region
from accounts.models import Organisation
from core.caching import data_version

from .enums import AppointmentKind, ComplianceStatus
from .models import DassAppointment

DUE_SOON_DAYS = 365
# The data version (core.caching) of DASS appointments and their status.
DATA = "dass-compliance"
# A lost version change (the cache was unreachable at that moment) is undone this soon.
SUMMARY_SECONDS = 600


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


def current_filter(today: date) -> Q:
    """Appointments still held today: not ended, or ending today or later
    (the end date is the last day in post)."""
    return Q(ended_on__isnull=True) | Q(ended_on__gte=today)


def authorities_with_two_directors(today: date, authority=None) -> list[dict]:
    """Local authorities where two or more people hold a substantive DASS
    appointment today. An authority has one Director of Adult Social Services;
    two at once means an appointment was not ended (or was recorded twice),
    and the dashboard would count the authority twice. Interim appointments
    overlap a substantive one by design (cover) and are not flagged.
    With `authority`, only that authority is checked. A partial index on
    substantive appointments (leaders 0003_bench_indexes) keeps it from
    reading every interim one."""
    held = DassAppointment.objects.filter(
        current_filter(today), kind=AppointmentKind.SUBSTANTIVE, appointed_on__lte=today
    )
    if authority is not None:
        held = held.filter(local_authority=authority)
    crowded = (
        held.order_by().values("local_authority").annotate(people=Count("leader", distinct=True)).filter(people__gt=1)
    )
    flagged = {}
    for appointment in (
        held.filter(local_authority__in=crowded.values("local_authority"))
        .select_related("local_authority", "leader")
        .order_by("local_authority__name", "appointed_on", "pk")
    ):
        flagged.setdefault(
            appointment.local_authority_id, {"authority": appointment.local_authority, "appointments": []}
        )["appointments"].append(appointment)
    return list(flagged.values())


def summary(appointments, today: date, filters: dict) -> dict:
    """The dashboard's counts of `appointments` (already filtered by
    `filters`) by status, by region and by local authority.

    One pass over the appointments, grouped by local authority and status,
    then cached until the appointments change (leaders.domain calls
    data_changed(DATA)) or the day ends: 100,000 appointments took 30 ms to
    count, on every view of the dashboard.
    """
    inputs = (data_version(DATA), today, sorted(filters.items()))
    key = "dass-summary:" + hashlib.sha256(repr(inputs).encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    cells = list(
        appointments.annotate(status=status_expression(today))
        .order_by()
        .values_list("local_authority_id", "status")
        .annotate(n=Count("pk"))
    )
    authorities = {
        pk: {"name": name, "region": region}
        for pk, name, region in Organisation.objects.filter(pk__in={la for la, _, _ in cells}).values_list(
            "pk", "name", "region"
        )
    }
    by_status = dict.fromkeys(ComplianceStatus.values, 0)
    by_region = {}
    by_authority = {}
    for authority, status, n in cells:
        by_status[status] += n
        region = authorities[authority]["region"]
        by_region.setdefault(region, dict.fromkeys(ComplianceStatus.values, 0))[status] += n
        by_authority.setdefault(
            authority, {"name": authorities[authority]["name"], **dict.fromkeys(ComplianceStatus.values, 0)}
        )[status] += n
    total = sum(by_status.values())
    result = {
        "total": total,
        "counts": [
            (value, label, by_status[value], 100 * by_status[value] / total if total else 0)
            for value, label in ComplianceStatus.choices
        ],
        "regions": [
            (Region(region).label, [counts[status] for status in ComplianceStatus.values])
            for region, counts in sorted(by_region.items())
        ],
        "authorities": sorted(by_authority.values(), key=lambda a: (-a[ComplianceStatus.OVERDUE], a["name"]))[:25],
    }
    cache.set(key, result, SUMMARY_SECONDS)
    return result
