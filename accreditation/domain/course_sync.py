"""A course's accreditation history (its Period rows) and the copy of the
accreditation in force that the register keeps on the course."""

from datetime import date, timedelta

from django.utils import timezone

from courses.models import AccreditationStatus, Course

from ..models import Accreditation, AccreditationState, ConditionState, Period, PeriodStatus
from ._common import AFTER_COURSE_ACCREDITATION_CHANGED


def accredited_on(course, on: date) -> bool:
    """Was the course accredited on this date? One query, true for any past
    date whatever happened later."""
    return Period.objects.filter(course=course, status=PeriodStatus.ACTIVE, starts_on__lte=on, ends_on__gte=on).exists()


def sync_course(course: Course, today: date | None = None) -> None:
    """Copies the accreditation in force today onto the course, for the
    register's search and pages. The history itself stays in Period rows."""
    today = today or timezone.localdate()
    periods = list(Period.objects.filter(course=course).select_related("accreditation").order_by("starts_on"))
    covering = next((p for p in periods if p.starts_on <= today <= p.ends_on), None)
    latest = Accreditation.objects.filter(course=course).order_by("-valid_from", "-pk").first()
    fields = {
        "accreditation_status": AccreditationStatus.NONE,
        "accreditation_number": "",
        "accredited_from": None,
        "accredited_to": None,
    }
    if covering is not None:
        accreditation = covering.accreditation
        end = covering.ends_on
        for period in periods:  # a renewal that follows without a gap extends the range
            if period.status == PeriodStatus.ACTIVE and period.starts_on == end + timedelta(days=1):
                end = period.ends_on
        if covering.status == PeriodStatus.SUSPENDED:
            status = AccreditationStatus.SUSPENDED
        elif accreditation.conditions.exclude(state=ConditionState.MET).exists():
            status = AccreditationStatus.CONDITIONS
        else:
            status = AccreditationStatus.ACCREDITED
        fields.update(
            accreditation_status=status,
            accreditation_number=accreditation.number,
            accredited_from=covering.starts_on,
            accredited_to=end,
        )
    elif latest is not None:
        fields.update(
            accreditation_status=AccreditationStatus.WITHDRAWN
            if latest.state == AccreditationState.WITHDRAWN
            else AccreditationStatus.NONE,
            accreditation_number=latest.number,
            accredited_from=latest.valid_from,
            accredited_to=latest.valid_to,
        )
    Course.objects.filter(pk=course.pk).update(**fields)
    # Whether a completion counts depends on the course's accreditation history.
    for follow in AFTER_COURSE_ACCREDITATION_CHANGED:
        follow(course)


def sync_changed_courses(today: date | None = None) -> int:
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    course_ids = set(Period.objects.filter(starts_on=today).values_list("course_id", flat=True)) | set(
        Period.objects.filter(ends_on=yesterday).values_list("course_id", flat=True)
    )
    for course in Course.objects.filter(pk__in=course_ids):
        sync_course(course, today)
    return len(course_ids)
