"""Accreditation reminders.

- Accreditation expiry: the provider's admins, 6, 3 and 1 months before the
  end date and once it has expired; none when a renewal follows without a gap.
- Conditions: 14 days before the due date, and once overdue.
- New applications: a daily digest to academy staff of the applications
  submitted (or submitted again after being returned) since the last one;
  none on a day with nothing new.

The leaders' reminders (DASS deadlines, completions waiting for verification)
are in leaders.reminders.
"""

from datetime import timedelta

from celery.schedules import crontab
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.enums import SiteRole
from accounts.queries import admins_by_organisation, holders_of
from notifications.reminders import (
    CATCH_UP_DAYS,
    CATCH_UP_DAYS_MONTHLY,
    Due,
    already_sent,
    day_milestones,
    due_milestone,
    month_milestones,
    months_before,
    reminder_kind,
    send_digest_once,
    send_once,
    sweep,
)

from .models import (
    Accreditation,
    AccreditationState,
    Application,
    ApplicationState,
    Condition,
    ConditionState,
)

EXPIRY_MONTHS = [6, 3, 1]
CONDITION_DAYS = [14]

ACCREDITATION_EXPIRY = reminder_kind("accreditation_expiry", "Accreditation expiry")
CONDITION_DUE = reminder_kind("condition_due", "Accreditation condition due")
NEW_APPLICATIONS = reminder_kind("new_applications", "New accreditation applications (to academy staff)")

# A digest that missed days catches up on a week; a member of staff who joins
# hears of the week's applications, not of every one still waiting.
NEW_APPLICATIONS_LOOKBACK = timedelta(days=7)


@sweep("reminders-accreditation-expiry", crontab(minute=20))
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
    admins = admins_by_organisation({a.course.provider_id for a in candidates})
    sent_before = already_sent(ACCREDITATION_EXPIRY, [a.pk for a in candidates])
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
    return send_once(ACCREDITATION_EXPIRY, to_send)


@sweep("reminders-conditions", crontab(minute=25))
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
    admins = admins_by_organisation({c.accreditation.course.provider_id for c in conditions})
    sent_before = already_sent(CONDITION_DUE, [c.pk for c in conditions])
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
    return send_once(CONDITION_DUE, to_send)


@sweep("reminders-new-applications", crontab(hour=7, minute=40))
def sweep_new_applications(now=None) -> int:
    """Each member of academy staff gets one email listing the applications
    submitted since their last one. The ledger holds a row per (application
    and round, person), claimed in the transaction that queues the email
    (send_digest_once), so an application is in one digest per submission
    whoever runs the sweep and however often. Returns the emails queued."""
    now = now or timezone.now()
    submitted = list(
        Application.objects.filter(
            state=ApplicationState.SUBMITTED,
            submitted_at__lte=now,
            submitted_at__gt=now - NEW_APPLICATIONS_LOOKBACK,
        )
        .select_related("course__provider")
        .order_by("submitted_at", "pk")
    )
    if not submitted:
        return 0
    items = [(application.pk, f"round-{application.round}") for application in submitted]
    sent = 0
    for person in holders_of(SiteRole.ACADEMY_STAFF).order_by("pk"):
        sent += bool(
            send_digest_once(kind=NEW_APPLICATIONS, recipient=person, items=items, context={"applications": submitted})
        )
    return sent
