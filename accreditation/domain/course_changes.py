"""Changes to accredited courses: accepted (the accreditation stands) or referred
for re-accreditation."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts import audit
from core.errors import DomainError
from core.permissions import require
from core.states import move
from courses.domain import refresh_search_document
from courses.enums import COURSE_CHANGE_TRANSITIONS
from courses.models import Course, CourseChange, CourseChangeState, FrameworkDomain, FrameworkLevel

# Email to providers goes through the package (package._email_provider), as when
# this was one module: patching accreditation.domain._email_provider reaches it.
from .. import domain as package
from ..models import Accreditation, AccreditationEvent, AccreditationState
from ._common import _event

# Changes to accredited courses ----------------------------------------------------------------


def current_accreditation(course) -> Accreditation | None:
    """The course's latest accreditation not withdrawn: the one a change is judged against."""
    return (
        Accreditation.objects.filter(course=course)
        .exclude(state=AccreditationState.WITHDRAWN)
        .order_by("-valid_from", "-pk")
        .first()
    )


def _pending(change) -> CourseChange:
    change = CourseChange.objects.select_for_update().select_related("course__provider").get(pk=change.pk)
    if change.state != CourseChangeState.PENDING:
        raise DomainError("This change has already been decided")
    return change


def _email_change(course, change, accreditation):
    if accreditation is None:
        return
    package._email_provider(accreditation.application, "course_change_decided", {"change": change, "course": course})


@transaction.atomic
def accept_course_change(staff, change, now=None) -> CourseChange:
    """An assessor accepts a change to an accredited course: the course takes
    the proposed values, the accreditation stands, and its history says so."""
    require(staff, "accreditation.manage")
    now = now or timezone.now()
    change = _pending(change)
    course = Course.objects.select_for_update().get(pk=change.course_id)
    proposed = change.proposed
    course.title = proposed["title"]
    course.provider_id = proposed["provider"]
    course.delivery_mode = proposed["delivery_mode"]
    course.duration_hours = Decimal(proposed["duration_hours"])
    course.designed_for_social_care = proposed["designed_for_social_care"]
    course.save()
    course.levels.set(FrameworkLevel.objects.filter(slug__in=proposed["levels"]))
    course.domains.set(FrameworkDomain.objects.filter(slug__in=proposed["domains"]))
    refresh_search_document([course.pk])
    move(change, CourseChangeState.ACCEPTED, COURSE_CHANGE_TRANSITIONS)
    change.decided_by, change.decided_at = staff, now
    change.save()
    accreditation = current_accreditation(course)
    if accreditation is not None:
        _event(
            accreditation,
            AccreditationEvent.Kind.CHANGE_ACCEPTED,
            by=staff,
            effective_on=timezone.localdate(now),
            reason=change.summary,
            at=now,
        )
    audit.record(actor=staff, action="course.change_accepted", obj=course, after={"change": change.summary})
    _email_change(course, change, accreditation)
    return change


@transaction.atomic
def refer_course_change(staff, change, *, reason: str, now=None) -> CourseChange:
    """The change is too great for the accreditation to stand for it: the
    course keeps its accredited values, and the provider is asked to apply for
    re-accreditation of the course as it now is."""
    require(staff, "accreditation.manage")
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError("Say why the change needs re-assessment")
    change = _pending(change)
    move(change, CourseChangeState.REFERRED, COURSE_CHANGE_TRANSITIONS)
    change.decided_by, change.decided_at, change.reason = staff, now, reason.strip()
    change.save()
    accreditation = current_accreditation(change.course)
    if accreditation is not None:
        _event(
            accreditation,
            AccreditationEvent.Kind.CHANGE_REFERRED,
            by=staff,
            effective_on=timezone.localdate(now),
            reason=f"{change.summary}. {reason.strip()}",
            at=now,
        )
    audit.record(
        actor=staff,
        action="course.change_referred",
        obj=change.course,
        after={"change": change.summary},
        reason=reason.strip(),
    )
    _email_change(change.course, change, accreditation)
    return change
