"""Who may see and change accreditation records (django-rules predicates).

Views, domain functions and templates ask these; nothing else in accreditation
checks a role or a membership."""

import rules

from accounts.rules import is_academy_staff
from courses.rules import is_course_provider_member


@rules.predicate
def is_applicant(user, application):
    """A member of the provider whose course the application is for."""
    return application is not None and is_course_provider_member(user, application.course)


@rules.predicate
def is_assessor(user, application):
    return user.is_authenticated and application is not None and application.assessor_id == user.pk


@rules.predicate
def answers_condition(user, condition):
    """A member of the provider whose course's accreditation has the condition."""
    return is_course_provider_member(user, condition.accreditation.course)


rules.add_perm("accreditation.manage", is_academy_staff)
rules.add_perm("accreditation.view_application", is_applicant | is_academy_staff)
rules.add_perm("accreditation.apply", is_course_provider_member)
rules.add_perm("accreditation.edit_application", is_applicant)
rules.add_perm("accreditation.assess", is_assessor & is_academy_staff)
rules.add_perm("accreditation.respond_to_condition", answers_condition)
