"""Changes to the course register: one function per change, audited."""

import logging
from decimal import Decimal

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Case, OuterRef, Subquery, TextField, Value, When
from django.utils import timezone

from accounts import audit
from accounts.enums import OrganisationKind
from core.errors import DomainError
from core.permissions import require
from core.states import move, move_all

from .enums import COURSE_CHANGE_TRANSITIONS, COURSE_TRANSITIONS
from .models import (
    COURSE_REGIONS,
    MATERIAL_FIELDS,
    AccreditationStatus,
    Course,
    CourseChange,
    CourseChangeState,
    CourseState,
    FrameworkDomain,
    FrameworkLevel,
    ImportJob,
)

logger = logging.getLogger(__name__)

# An accreditation stands for the course as it was assessed while it is in
# force, suspended or yet to start.
UNDER_ACCREDITATION = [AccreditationStatus.ACCREDITED, AccreditationStatus.CONDITIONS, AccreditationStatus.SUSPENDED]
LABELS = {
    "title": "Title",
    "provider": "Provider",
    "delivery_mode": "Delivery",
    "duration_hours": "Hours",
    "designed_for_social_care": "Designed for social care",
    "levels": "Levels",
    "domains": "Domains",
}


def search_vector():
    """What the register's search finds a course by: its title (weighing most
    in the ranking), its provider's name and its summary, then its region's
    name. Built when the course is saved or imported (refresh_search_document)."""
    from accounts.models import Organisation

    provider_name = Subquery(Organisation.objects.filter(pk=OuterRef("provider_id")).values("name")[:1])
    region_name = Case(
        *[When(region=value, then=Value(str(label))) for value, label in COURSE_REGIONS],
        default=Value(""),
        output_field=TextField(),
    )
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector(provider_name, weight="B", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector(region_name, weight="C", config="english")
    )


def refresh_search_document(course_ids) -> None:
    if connection.vendor == "postgresql":
        Course.objects.filter(pk__in=course_ids).update(search_document=search_vector())


def provider_organisations(user):
    """Course-provider organisations the user belongs to."""
    from accounts.models import Organisation

    return Organisation.objects.filter(memberships__user=user).filter(
        Organisation.kind_filter(OrganisationKind.COURSE_PROVIDER)
    )


def material_values(course, levels, domains) -> dict:
    """What an accreditation vouches for, in a form that can be compared and stored."""
    values = {field: getattr(course, f"{field}_id" if field == "provider" else field) for field in MATERIAL_FIELDS}
    # As stored (one decimal place): "36", 36 and Decimal("36.0") are the same hours.
    places = Course._meta.get_field("duration_hours").decimal_places
    values["duration_hours"] = str(Decimal(str(values["duration_hours"])).quantize(Decimal(1).scaleb(-places)))
    values["levels"] = sorted(level.slug for level in levels)
    values["domains"] = sorted(domain.slug for domain in domains)
    return values


def describe_changes(before: dict, after: dict) -> str:
    def shown(field, value):
        if field == "provider":
            from accounts.models import Organisation

            return Organisation.objects.filter(pk=value).values_list("name", flat=True).first() or "?"
        if isinstance(value, list):
            return ", ".join(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if field == "duration_hours":
            return format(Decimal(value).normalize(), "f")
        return str(value)

    return "; ".join(
        f"{LABELS[field]}: {shown(field, before[field])} → {shown(field, after[field])}"
        for field in LABELS
        if before[field] != after[field]
    )


def under_accreditation(course) -> bool:
    return course.accreditation_status in UNDER_ACCREDITATION


@transaction.atomic
def save_course(user, course: Course, *, levels, domains, sectors) -> Course:
    """Creates or updates a course (draft or listed) for a provider the user belongs to.

    On a course under accreditation, a change to what the accreditation
    vouches for (title, provider, levels, domains, hours, delivery, designed
    for social care) is not made: it becomes a change request for the Academy
    (accreditation.domain.accept_course_change), and the course keeps its
    accepted values meanwhile; the rest of the edit is saved. The request is
    left on `course.pending_change`."""
    if course.pk is None:
        require(user, "courses.add_course", course.provider)
    else:
        require(user, "courses.edit_course", Course.objects.get(pk=course.pk))
    if not levels:
        raise DomainError("Select at least one leadership level")
    if not domains:
        raise DomainError("Select at least one domain")
    if not sectors:
        raise DomainError("Select at least one sector the course is open to")
    created = course.pk is None
    course.pending_change = None
    if not created:
        stored = Course.objects.select_for_update().get(pk=course.pk)
        proposed = material_values(course, levels, domains)
        accepted = material_values(stored, stored.levels.all(), stored.domains.all())
        if under_accreditation(stored) and proposed != accepted:
            course.pending_change = _request_change(user, stored, accepted, proposed)
            for field in MATERIAL_FIELDS:
                name = f"{field}_id" if field == "provider" else field
                setattr(course, name, getattr(stored, name))
            levels, domains = list(stored.levels.all()), list(stored.domains.all())
        else:
            _withdraw_pending_change(user, stored)
    course.sectors = sectors
    course.save()
    course.levels.set(levels)
    course.domains.set(domains)
    refresh_search_document([course.pk])
    audit.record(
        actor=user,
        action="course.created" if created else "course.changed",
        obj=course,
        after={"title": course.title, "state": course.state},
    )
    return course


def _request_change(user, course, accepted: dict, proposed: dict) -> CourseChange:
    """One pending request a course: a later edit replaces its proposal."""
    summary = describe_changes(accepted, proposed)
    change, _ = CourseChange.objects.update_or_create(
        course=course,
        state=CourseChangeState.PENDING,
        defaults={"proposed": proposed, "summary": summary, "requested_by": user, "requested_at": timezone.now()},
    )
    audit.record(actor=user, action="course.change_requested", obj=course, after={"change": summary})
    return change


def _withdraw_pending_change(user, course) -> None:
    """A later edit that needs no decision (back to the accepted values, or
    saved directly once the course is no longer under accreditation) makes a
    waiting request moot: accepting it later would undo the edit."""
    updated = move_all(
        CourseChange.objects.filter(course=course),
        CourseChangeState.WITHDRAWN,
        COURSE_CHANGE_TRANSITIONS,
        decided_by=user,
        decided_at=timezone.now(),
    )
    if updated:
        audit.record(actor=user, action="course.change_withdrawn", obj=course)


@transaction.atomic
def set_course_state(user, course: Course, state: str) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    require(user, "courses.edit_course", course)
    if state not in CourseState.values or state == course.state:
        raise DomainError("That change is not possible")
    if state == CourseState.LISTED and not (course.summary and course.levels.exists() and course.domains.exists()):
        raise DomainError("Complete the summary, levels and domains before listing the course")
    before = course.state
    move(course, state, COURSE_TRANSITIONS)
    if state == CourseState.LISTED and course.listed_at is None:
        course.listed_at = timezone.now()
    course.save()
    audit.record(actor=user, action=f"course.{state}", obj=course, before={"state": before}, after={"state": state})
    return course


@transaction.atomic
def save_framework_item(user, item) -> FrameworkLevel | FrameworkDomain:
    require(user, "courses.manage")
    created = item.pk is None
    item.save()
    audit.record(
        actor=user,
        action=f"{item._meta.model_name}.{'created' if created else 'changed'}",
        obj=item,
        after={"name": item.name},
    )
    return item


@transaction.atomic
def queue_import(user, job: ImportJob, organisation=None) -> ImportJob:
    """Records an uploaded CSV (already stored in `job.file`) and queues its
    import. Academy staff import for any provider (`organisation` None); a
    course provider imports for its own organisation only, and every row is
    then that organisation's course (courses.importer)."""
    if organisation is None:
        require(user, "courses.manage")
    else:
        require(user, "courses.import_for", organisation)
    job.uploaded_by = user
    job.organisation = organisation
    job.save()
    audit.record(
        actor=user,
        action="courses.import_queued",
        obj=job,
        after={"file": job.original_name, "organisation": organisation.name if organisation else ""},
    )
    transaction.on_commit(lambda: _hand_to_worker(job.pk))
    return job


def _hand_to_worker(job_id: int) -> None:
    """A broker that is down must not break the upload: the job stays
    queued, its page shows it stopped after courses.importer's stale limit,
    and says to upload again."""
    from .tasks import run_import

    try:
        run_import.delay(job_id)
    except Exception:  # kombu raises several connection error types
        logger.warning("Broker unavailable; import job %s stays queued", job_id, exc_info=True)
