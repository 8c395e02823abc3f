"""Judging reminders: unsubmitted scores (7 and 2 days before the scoring
deadline; overdue to the panel chair) and site visits (7 and 1 days before,
to the visiting judges and the provider's contact, with the invitation)."""

from datetime import timedelta

from celery.schedules import crontab
from django.utils import timezone

from notifications.reminders import (
    CATCH_UP_DAYS,
    Due,
    already_sent,
    day_milestones,
    due_milestone,
    reminder_kind,
    send_once,
    sweep,
)

from . import calendar
from .enums import AssignmentState, Stage, VisitState
from .models import Assignment, Panel, SiteVisit

SCORING_DAYS = [7, 2]
VISIT_DAYS = [7, 1]

SCORING_DEADLINE = reminder_kind("scoring_deadline", "Scoring deadline")
SCORING_OVERDUE = reminder_kind("scoring_overdue", "Scores overdue (to the chair)")
SITE_VISIT = reminder_kind("site_visit", "Site visit")


@sweep("reminders-scoring-deadline", crontab(minute=10))
def sweep_scoring_deadline(now=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    waiting = list(
        Assignment.objects.filter(
            state=AssignmentState.ACTIVE,
            stage=Stage.WRITTEN,
            submitted_at__isnull=True,
            nomination__cycle__scoring_deadline__gt=now - timedelta(days=CATCH_UP_DAYS + 1),
            nomination__cycle__scoring_deadline__lte=now + timedelta(days=max(SCORING_DAYS) + 1),
        ).select_related("judge", "nomination__cycle", "nomination__category")
    )
    sent_before = already_sent(SCORING_DEADLINE, [a.pk for a in waiting])
    overdue_sent = already_sent(SCORING_OVERDUE, [a.pk for a in waiting])
    chairs = {
        p.category_id: p.chair
        for p in Panel.objects.filter(
            category__in={a.nomination.category_id for a in waiting}, chair__isnull=False
        ).select_related("chair")
    }
    to_judges, to_chairs = [], []
    for assignment in waiting:
        deadline_instant = assignment.nomination.cycle.scoring_deadline
        deadline = timezone.localdate(deadline_instant)
        if deadline_instant <= now:
            chair = chairs.get(assignment.nomination.category_id)
            if chair is None or (timezone.localdate(now) - deadline).days > CATCH_UP_DAYS:
                continue
            if (assignment.pk, chair.email, "overdue") in overdue_sent:
                continue
            to_chairs.append(Due(assignment.pk, chair.email, "overdue", {"assignment": assignment}, chair))
            continue
        milestone = due_milestone(deadline, day_milestones(deadline, SCORING_DAYS), today, CATCH_UP_DAYS)
        if milestone is None or (assignment.pk, assignment.judge.email, milestone.label) in sent_before:
            continue
        context = {"assignment": assignment, "deadline": deadline_instant}
        to_judges.append(Due(assignment.pk, assignment.judge.email, milestone.label, context, assignment.judge))
    return send_once(SCORING_DEADLINE, to_judges) + send_once(SCORING_OVERDUE, to_chairs)


@sweep("reminders-site-visits", crontab(minute=15))
def sweep_site_visits(now=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    visits = list(
        SiteVisit.objects.filter(
            state=VisitState.SCHEDULED, starts_at__gt=now, starts_at__lte=now + timedelta(days=max(VISIT_DAYS) + 1)
        )
        .select_related("nomination__category")
        .prefetch_related("judges")
    )
    sent_before = already_sent(SITE_VISIT, [v.pk for v in visits])
    to_send = []
    for visit in visits:
        day = timezone.localdate(visit.starts_at)
        milestone = due_milestone(day, day_milestones(day, VISIT_DAYS), today, CATCH_UP_DAYS)
        if milestone is None:
            continue
        judges = list(visit.judges.all())
        # The provider's copy names no judge (as with the invitation itself).
        for_judges = [calendar.visit_attachment(visit, judges=judges)]
        for_provider = [calendar.visit_attachment(visit)]
        recipients = [(j.email, j, for_judges) for j in judges] + [(visit.provider_contact_email, None, for_provider)]
        for email, person, attachment in recipients:
            if (visit.pk, email, milestone.label) in sent_before:
                continue
            to_send.append(Due(visit.pk, email, milestone.label, {"visit": visit}, person, attachment))
    return send_once(SITE_VISIT, to_send)
