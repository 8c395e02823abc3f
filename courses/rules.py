"""Who may change courses (django-rules predicates)."""

import rules

from accounts.enums import MembershipRole
from accounts.rules import is_academy_staff


@rules.predicate
def is_course_provider_member(user, course):
    if not user.is_authenticated or course is None:
        return False
    return course.provider.memberships.filter(user=user, role__in=MembershipRole.values).exists()


rules.add_perm("courses.manage", is_academy_staff)
rules.add_perm("courses.edit_course", is_course_provider_member | is_academy_staff)
