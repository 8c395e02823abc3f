"""Who may see and change accreditation records (django-rules predicates)."""

import rules

from accounts.rules import is_academy_staff


@rules.predicate
def is_applicant(user, application):
    return (
        user.is_authenticated
        and application is not None
        and application.course.provider.memberships.filter(user=user).exists()
    )


rules.add_perm("accreditation.manage", is_academy_staff)
rules.add_perm("accreditation.view_application", is_applicant | is_academy_staff)
