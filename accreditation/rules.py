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


def _is_staff(user) -> bool:
    return user.is_authenticated and user.has_perm("accreditation.manage")


def may_verify(user, completion) -> bool:
    """Academy staff, or a member of the provider of the course completed.

    Nobody verifies their own completion: a verified completion issues a
    credential signed by the Academy. And a course provider vouches for the
    people it trained, not for itself: a completion by one of its own members
    goes to academy staff."""
    if completion.leader_id == user.pk:
        return False
    if _is_staff(user):
        return True
    if completion.course_id is None:
        return False
    members = completion.course.provider.memberships
    return members.filter(user=user).exists() and not members.filter(user_id=completion.leader_id).exists()


def may_withdraw_completion(user, completion) -> bool:
    """Only the leader withdraws their own completion, and only while it waits
    for verification: a decided one stays on the record (a verified one is
    corrected instead)."""
    return completion.leader_id == user.pk and completion.is_pending


def may_record_appointment(user, leader) -> bool:
    """Leaders record their own DASS appointments; academy staff anyone's."""
    return user.pk == leader.pk or _is_staff(user)


def may_change_appointment(user, appointment) -> bool:
    """Changing or ending a recorded appointment moves a deadline the
    dashboard reports on: academy staff only, with a reason in the audit log."""
    return _is_staff(user)
