"""Who may change courses (django-rules predicates). Views, domain functions
and templates ask these."""

import rules

from accounts.enums import MembershipRole
from accounts.rules import is_academy_staff


@rules.predicate
def is_course_provider_member(user, course):
    if not user.is_authenticated or course is None:
        return False
    return course.provider.memberships.filter(user=user, role__in=MembershipRole.values).exists()


@rules.predicate
def provides_for(user, provider):
    """A member of this course-provider organisation: may add its courses."""
    return (
        user.is_authenticated
        and provider is not None
        and provider.is_course_provider
        and provider.memberships.filter(user=user).exists()
    )


@rules.predicate
def provides_courses(user):
    """A member of any course-provider organisation: may import its courses."""
    from .domain import provider_organisations

    return user.is_authenticated and provider_organisations(user).exists()


@rules.predicate
def imported_for_own_organisation(user, job):
    """A course provider's import: seen by the members of the organisation it was for."""
    if not user.is_authenticated or job is None or job.organisation_id is None:
        return False
    return job.organisation.memberships.filter(user=user).exists()


rules.add_perm("courses.manage", is_academy_staff)
rules.add_perm("courses.import_own", provides_courses)
rules.add_perm("courses.import_for", provides_for | is_academy_staff)
rules.add_perm("courses.view_import", imported_for_own_organisation | is_academy_staff)
rules.add_perm("courses.add_course", provides_for | is_academy_staff)
rules.add_perm("courses.edit_course", is_course_provider_member | is_academy_staff)
