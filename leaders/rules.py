"""Who may do what with leaders' records (django-rules predicates).

Views, domain functions and templates all ask these; nothing else checks roles
for leaders' records."""

import rules

from accounts.rules import is_academy_staff


@rules.predicate
def owns_completion(user, completion):
    """The leader whose completion it is."""
    return user.is_authenticated and completion.leader_id == user.pk


@rules.predicate
def may_verify(user, completion) -> bool:
    """Academy staff, or a member of the provider of the course completed.

    Nobody verifies their own completion: a verified completion issues a
    credential signed by the Academy. And a course provider vouches for the
    people it trained, not for itself: a completion by one of its own members
    goes to academy staff."""
    if completion.leader_id == user.pk:
        return False
    if is_academy_staff(user):
        return True
    if completion.course_id is None:
        return False
    members = completion.course.provider.memberships
    return members.filter(user=user).exists() and not members.filter(user_id=completion.leader_id).exists()


@rules.predicate
def may_withdraw_completion(user, completion) -> bool:
    """Only the leader withdraws their own completion, and only while it waits
    for verification: a decided one stays on the record (a verified one is
    corrected instead)."""
    return completion.leader_id == user.pk and completion.is_pending


@rules.predicate
def may_record_appointment(user, leader) -> bool:
    """Leaders record their own DASS appointments; academy staff anyone's."""
    return user.pk == leader.pk or is_academy_staff(user)


@rules.predicate
def may_change_appointment(user, appointment) -> bool:
    """Changing or ending a recorded appointment moves a deadline the
    dashboard reports on: academy staff only, with a reason in the audit log."""
    return is_academy_staff(user)


rules.add_perm("leaders.manage", is_academy_staff)
rules.add_perm("leaders.verify_completion", may_verify)
rules.add_perm("leaders.withdraw_completion", may_withdraw_completion)
rules.add_perm("leaders.record_appointment", may_record_appointment)
rules.add_perm("leaders.change_appointment", may_change_appointment)
rules.add_perm("leaders.view_dashboard", is_academy_staff)
