"""Changes to the course register: one function per change, audited."""

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from accounts import audit
from accounts.domain import DomainError
from accounts.enums import OrganisationKind

from .models import Course, CourseState, FrameworkDomain, FrameworkLevel


def search_vector():
    """Titles weigh more than summaries in search ranking."""
    return SearchVector("title", weight="A", config="english") + SearchVector("summary", weight="B", config="english")


def refresh_search_document(course_ids) -> None:
    if connection.vendor == "postgresql":
        Course.objects.filter(pk__in=course_ids).update(search_document=search_vector())


def may_edit(user, course) -> bool:
    return user.has_perm("courses.edit_course", course)


def provider_organisations(user):
    """Course-provider organisations the user belongs to."""
    from accounts.models import Organisation

    return Organisation.objects.filter(memberships__user=user).filter(
        Organisation.kind_filter(OrganisationKind.COURSE_PROVIDER)
    )


@transaction.atomic
def save_course(user, course: Course, *, levels, domains, sectors) -> Course:
    """Creates or updates a course (draft or listed) for a provider the user belongs to."""
    if course.pk is None:
        if not (user.has_perm("courses.manage") or provider_organisations(user).filter(pk=course.provider_id).exists()):
            raise PermissionDenied
    elif not may_edit(user, Course.objects.get(pk=course.pk)):
        raise PermissionDenied
    if not levels:
        raise DomainError("Select at least one leadership level")
    if not domains:
        raise DomainError("Select at least one domain")
    if not sectors:
        raise DomainError("Select at least one sector the course is open to")
    created = course.pk is None
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


@transaction.atomic
def set_course_state(user, course: Course, state: str) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not may_edit(user, course):
        raise PermissionDenied
    if state not in CourseState.values or state == course.state:
        raise DomainError("That change is not possible")
    if state == CourseState.LISTED and not (course.summary and course.levels.exists() and course.domains.exists()):
        raise DomainError("Complete the summary, levels and domains before listing the course")
    before = course.state
    course.state = state
    if state == CourseState.LISTED and course.listed_at is None:
        course.listed_at = timezone.now()
    course.save()
    audit.record(actor=user, action=f"course.{state}", obj=course, before={"state": before}, after={"state": state})
    return course


@transaction.atomic
def save_framework_item(user, item) -> FrameworkLevel | FrameworkDomain:
    if not user.has_perm("courses.manage"):
        raise PermissionDenied
    created = item.pk is None
    item.save()
    audit.record(
        actor=user,
        action=f"{item._meta.model_name}.{'created' if created else 'changed'}",
        obj=item,
        after={"name": item.name},
    )
    return item
