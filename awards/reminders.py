"""Nomination-close reminders: providers with drafts, 14, 3 and 1 days
before their nomination's close instant (an extension moves it)."""

from datetime import timedelta

from celery.schedules import crontab
from django.db.models import Q
from django.utils import timezone

from accounts.enums import MembershipRole
from accounts.models import Membership
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

from .enums import NominationState
from .models import Nomination

MILESTONE_DAYS = [14, 3, 1]

NOMINATION_CLOSE = reminder_kind("nomination_close", "Nomination closing")


@sweep("reminders-nomination-close", crontab(minute=5))
def sweep_nomination_close(now=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = now + timedelta(days=max(MILESTONE_DAYS) + 1)
    drafts = list(
        Nomination.objects.filter(state=NominationState.DRAFT, cycle__nominations_open__lte=now)
        .filter(
            Q(extended_close__isnull=True, cycle__nominations_close__gt=now, cycle__nominations_close__lte=horizon)
            | Q(extended_close__gt=now, extended_close__lte=horizon)
        )
        .select_related("cycle__programme", "category", "organisation", "created_by")
    )
    admins = {}
    for membership in Membership.objects.filter(
        organisation__in={n.organisation_id for n in drafts}, role=MembershipRole.ADMIN, user__is_active=True
    ).select_related("user"):
        admins.setdefault(membership.organisation_id, []).append(membership.user)
    sent_before = already_sent(NOMINATION_CLOSE, [n.pk for n in drafts])
    to_send = []
    for nomination in drafts:
        close = nomination.close_instant()
        milestone = due_milestone(
            timezone.localdate(close), day_milestones(timezone.localdate(close), MILESTONE_DAYS), today, CATCH_UP_DAYS
        )
        if milestone is None:
            continue
        people = {u.pk: u for u in admins.get(nomination.organisation_id, [])}
        if nomination.created_by and nomination.created_by.is_active:
            people.setdefault(nomination.created_by_id, nomination.created_by)
        for person in people.values():
            if (nomination.pk, person.email, milestone.label) in sent_before:
                continue
            to_send.append(
                Due(nomination.pk, person.email, milestone.label, {"nomination": nomination, "close": close}, person)
            )
    return send_once(NOMINATION_CLOSE, to_send)
