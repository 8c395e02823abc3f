"""Leaders' reminders.

- DASS deadline: the leader, 12, 6, 3 and 1 months before; once overdue, an
  escalation digest to academy staff.
- Completions waiting for verification more than 14 days: a daily digest to
  those who can verify them.
"""

from datetime import timedelta

from celery.schedules import crontab
from django.utils import timezone

from accounts.enums import SiteRole
from accounts.queries import admins_by_organisation, holders_of
from notifications.reminders import (
    CATCH_UP_DAYS_MONTHLY,
    Due,
    already_sent,
    due_milestone,
    month_milestones,
    months_before,
    reminder_kind,
    send_digest_once,
    send_once,
    sweep,
)

from .enums import CompletionState
from .models import Completion, DassAppointment

DASS_MONTHS = [12, 6, 3, 1]
VERIFICATION_WAIT = timedelta(days=14)

DASS_DEADLINE = reminder_kind("dass_deadline", "DASS deadline")
DASS_OVERDUE = reminder_kind("dass_overdue", "DASS overdue (to academy staff)")
VERIFICATION_DIGEST = reminder_kind("verification_digest", "Completions waiting for verification")


@sweep("reminders-dass-deadlines", crontab(minute=30))
def sweep_dass_deadlines(now=None) -> int:
    today = timezone.localdate(now or timezone.now())
    horizon = months_before(today, -max(DASS_MONTHS)) + timedelta(days=1)
    open_appointments = DassAppointment.objects.filter(ended_on__isnull=True, qualifying_completion__isnull=True)
    upcoming = list(
        open_appointments.filter(deadline__gte=today, deadline__lte=horizon).select_related("leader", "local_authority")
    )
    sent_before = already_sent(DASS_DEADLINE, [a.pk for a in upcoming])
    to_send = []
    for appointment in upcoming:
        milestone = due_milestone(
            appointment.deadline, month_milestones(appointment.deadline, DASS_MONTHS), today, CATCH_UP_DAYS_MONTHLY
        )
        if milestone is None or (appointment.pk, appointment.leader.email, milestone.label) in sent_before:
            continue
        if not appointment.leader.is_active:
            continue
        leader = appointment.leader
        to_send.append(Due(appointment.pk, leader.email, milestone.label, {"appointment": appointment}, leader))
    sent = send_once(DASS_DEADLINE, to_send)
    overdue = list(
        open_appointments.filter(
            deadline__lt=today, deadline__gte=today - timedelta(days=CATCH_UP_DAYS_MONTHLY + 1)
        ).select_related("leader", "local_authority")
    )
    if overdue:
        staff = holders_of(SiteRole.ACADEMY_STAFF)
        for person in staff:
            sent += bool(
                send_digest_once(
                    kind=DASS_OVERDUE,
                    recipient=person,
                    items=[(a.pk, "overdue") for a in overdue],
                    context={"appointments": overdue},
                )
            )
    return sent


@sweep("reminders-verification-digest", crontab(hour=7, minute=35))
def sweep_verification_digest(now=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    waiting = list(
        Completion.objects.filter(state=CompletionState.SELF_DECLARED, created_at__lte=now - VERIFICATION_WAIT)
        .select_related("leader", "course__provider")
        .order_by("created_at")
    )
    if not waiting:
        return 0
    recipients = {}
    staff = holders_of(SiteRole.ACADEMY_STAFF)
    for person in staff:
        recipients[person.pk] = (person, waiting)
    by_provider = {}
    for completion in waiting:
        if completion.course_id:
            by_provider.setdefault(completion.course.provider_id, []).append(completion)
    for organisation_id, people in admins_by_organisation(set(by_provider)).items():
        for person in people:
            if person.pk not in recipients:
                recipients[person.pk] = (person, by_provider[organisation_id])
    # One digest a day: the ledger key is the recipient and the date.
    to_send = [
        Due(
            person.pk,
            person.email,
            today.isoformat(),
            {"completions": completions[:200], "count": len(completions)},
            person,
        )
        for person, completions in recipients.values()
    ]
    return send_once(VERIFICATION_DIGEST, to_send)
