"""Accreditation and leadership reminders.

- Accreditation expiry: the provider's admins, 6, 3 and 1 months before the
  end date and once it has expired; none when a renewal follows without a gap.
- Conditions: 14 days before the due date, and once overdue.
- DASS deadline: the leader, 12, 6, 3 and 1 months before; once overdue, an
  escalation digest to academy staff.
- Completions waiting for verification more than 14 days: a daily digest to
  those who can verify them.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.enums import MembershipRole, SiteRole
from accounts.models import Membership, User
from courses.models import Completion, CompletionState
from notifications.models import ReminderKind
from notifications.reminders import (
    CATCH_UP_DAYS,
    CATCH_UP_DAYS_MONTHLY,
    Due,
    already_sent,
    day_milestones,
    due_milestone,
    month_milestones,
    months_before,
    send_digest_once,
    send_once,
)

from .models import (
    Accreditation,
    AccreditationState,
    Condition,
    ConditionState,
    DassAppointment,
)

EXPIRY_MONTHS = [6, 3, 1]
CONDITION_DAYS = [14]
DASS_MONTHS = [12, 6, 3, 1]
VERIFICATION_WAIT = timedelta(days=14)


def _provider_admins(organisation_ids):
    admins = {}
    for membership in Membership.objects.filter(
        organisation__in=organisation_ids, role=MembershipRole.ADMIN, user__is_active=True
    ).select_related("user"):
        admins.setdefault(membership.organisation_id, []).append(membership.user)
    return admins


def sweep_accreditation_expiry(now=None) -> int:
    today = timezone.localdate(now or timezone.now())
    renewed = Accreditation.objects.filter(
        course=OuterRef("course"), valid_from=OuterRef("valid_to") + timedelta(days=1)
    )
    candidates = list(
        Accreditation.objects.filter(
            state=AccreditationState.ACTIVE,
            valid_to__gte=today - timedelta(days=CATCH_UP_DAYS_MONTHLY + 1),
            valid_to__lte=months_before(today, -max(EXPIRY_MONTHS)) + timedelta(days=1),
        )
        .annotate(renewed=Exists(renewed))
        .filter(renewed=False)
        .select_related("course__provider")
    )
    admins = _provider_admins({a.course.provider_id for a in candidates})
    sent_before = already_sent(ReminderKind.ACCREDITATION_EXPIRY, [a.pk for a in candidates])
    to_send = []
    for accreditation in candidates:
        if accreditation.valid_to < today:
            expired_on = accreditation.valid_to + timedelta(days=1)
            milestone = "expired" if (today - expired_on).days <= CATCH_UP_DAYS_MONTHLY else None
        else:
            due = due_milestone(
                accreditation.valid_to,
                month_milestones(accreditation.valid_to, EXPIRY_MONTHS),
                today,
                CATCH_UP_DAYS_MONTHLY,
            )
            milestone = due.label if due else None
        if milestone is None:
            continue
        for person in admins.get(accreditation.course.provider_id, []):
            if (accreditation.pk, person.email, milestone) in sent_before:
                continue
            to_send.append(Due(accreditation.pk, person.email, milestone, {"accreditation": accreditation}, person))
    return send_once(ReminderKind.ACCREDITATION_EXPIRY, "reminder_accreditation_expiry", to_send)


def sweep_conditions(now=None) -> int:
    today = timezone.localdate(now or timezone.now())
    conditions = list(
        Condition.objects.filter(
            state__in=[ConditionState.OPEN, ConditionState.EVIDENCE_SUBMITTED],
            accreditation__state=AccreditationState.ACTIVE,
            due_on__gte=today - timedelta(days=CATCH_UP_DAYS + 1),
            due_on__lte=today + timedelta(days=max(CONDITION_DAYS)),
        ).select_related("accreditation__course__provider")
    )
    admins = _provider_admins({c.accreditation.course.provider_id for c in conditions})
    sent_before = already_sent(ReminderKind.CONDITION_DUE, [c.pk for c in conditions])
    to_send = []
    for condition in conditions:
        if condition.due_on < today:
            milestone = "overdue" if (today - condition.due_on).days <= CATCH_UP_DAYS + 1 else None
        else:
            due = due_milestone(
                condition.due_on, day_milestones(condition.due_on, CONDITION_DAYS), today, CATCH_UP_DAYS
            )
            milestone = due.label if due else None
        if milestone is None or (milestone != "overdue" and condition.state == ConditionState.EVIDENCE_SUBMITTED):
            continue
        for person in admins.get(condition.accreditation.course.provider_id, []):
            if (condition.pk, person.email, milestone) in sent_before:
                continue
            to_send.append(Due(condition.pk, person.email, milestone, {"condition": condition}, person))
    return send_once(ReminderKind.CONDITION_DUE, "reminder_condition_due", to_send)


def sweep_dass_deadlines(now=None) -> int:
    today = timezone.localdate(now or timezone.now())
    horizon = months_before(today, -max(DASS_MONTHS)) + timedelta(days=1)
    open_appointments = DassAppointment.objects.filter(ended_on__isnull=True, qualifying_completion__isnull=True)
    upcoming = list(
        open_appointments.filter(deadline__gte=today, deadline__lte=horizon).select_related("leader", "local_authority")
    )
    sent_before = already_sent(ReminderKind.DASS_DEADLINE, [a.pk for a in upcoming])
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
    sent = send_once(ReminderKind.DASS_DEADLINE, "reminder_dass_deadline", to_send)
    overdue = list(
        open_appointments.filter(
            deadline__lt=today, deadline__gte=today - timedelta(days=CATCH_UP_DAYS_MONTHLY + 1)
        ).select_related("leader", "local_authority")
    )
    if overdue:
        staff = User.objects.filter(
            role_grants__role=SiteRole.ACADEMY_STAFF, role_grants__revoked_at__isnull=True, is_active=True
        ).distinct()
        for person in staff:
            sent += bool(
                send_digest_once(
                    kind=ReminderKind.DASS_OVERDUE,
                    recipient=person,
                    items=[(a.pk, "overdue") for a in overdue],
                    template="reminder_dass_overdue",
                    context={"appointments": overdue},
                )
            )
    return sent


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
    staff = User.objects.filter(
        role_grants__role=SiteRole.ACADEMY_STAFF, role_grants__revoked_at__isnull=True, is_active=True
    ).distinct()
    for person in staff:
        recipients[person.pk] = (person, waiting)
    by_provider = {}
    for completion in waiting:
        if completion.course_id:
            by_provider.setdefault(completion.course.provider_id, []).append(completion)
    for organisation_id, people in _provider_admins(set(by_provider)).items():
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
    return send_once(ReminderKind.VERIFICATION_DIGEST, "reminder_verification_digest", to_send)
