"""An accreditation's standing after the decision: suspension, reinstatement,
withdrawal (for cause: leaders' credentials revoked too) and its conditions.
The provider's own signed credential for the accreditation follows each
change (accreditation.credentials)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts import audit
from core.errors import DomainError
from core.permissions import require
from core.states import move
from webhooks import events as webhook_events

from .. import credentials
from ..enums import ACCREDITATION_TRANSITIONS, CONDITION_TRANSITIONS
from ..models import (
    Accreditation,
    AccreditationEvent,
    AccreditationState,
    Condition,
    ConditionState,
    Period,
    PeriodStatus,
    Standing,
)
from ._common import AFTER_WITHDRAWN_FOR_CAUSE, _email_status_change, _event
from .course_sync import sync_course


def _split_period(accreditation, on: date, *, from_status, to_status) -> Period:
    """Ends the period containing `on` the day before, and starts `to_status`
    (or nothing, for withdrawal) from `on` to the period's original end.
    Dates before `on` keep their answer."""
    period = (
        Period.objects.select_for_update()
        .filter(accreditation=accreditation, status=from_status, starts_on__lte=on, ends_on__gte=on)
        .first()
    )
    if period is None:
        raise DomainError("The accreditation is not in force on that date")
    original_end = period.ends_on
    if period.starts_on == on:
        period.delete()
    else:
        period.ends_on = on - timedelta(days=1)
        period.save()
    if to_status is not None:
        return Period.objects.create(
            course=accreditation.course,
            accreditation=accreditation,
            status=to_status,
            starts_on=on,
            ends_on=original_end,
        )
    return period


def _locked_accreditation(accreditation) -> Accreditation:
    return (
        Accreditation.objects.select_for_update(of=("self",))
        .select_related("course", "application__course__provider", "application__created_by")
        .get(pk=accreditation.pk)
    )


@transaction.atomic
def suspend(staff, accreditation, *, reason: str, on: date | None = None) -> Accreditation:
    """Only an accreditation in force on the day can be suspended: not one
    that has expired, been renewed or not yet started."""
    require(staff, "accreditation.manage")
    on = on or timezone.localdate()
    accreditation = _locked_accreditation(accreditation)
    standing = accreditation.standing_on(on)
    if standing not in Standing.in_force():
        raise DomainError(
            f"Only an accreditation in force can be suspended: this one is {Standing(standing).label.lower()}"
        )
    if not reason.strip():
        raise DomainError("Give the reason for suspending the accreditation")
    _split_period(accreditation, on, from_status=PeriodStatus.ACTIVE, to_status=PeriodStatus.SUSPENDED)
    move(accreditation, AccreditationState.SUSPENDED, ACCREDITATION_TRANSITIONS)
    accreditation.status_reason = reason.strip()
    accreditation.save()
    event = _event(accreditation, AccreditationEvent.Kind.SUSPENDED, by=staff, effective_on=on, reason=reason.strip())
    audit.record(
        actor=staff,
        action="accreditation.suspended",
        obj=accreditation,
        before={"state": "active"},
        after={"state": "suspended", "from": str(on)},
        reason=reason.strip(),
    )
    credentials.suspend(staff, accreditation, reason=reason.strip())
    sync_course(accreditation.course)
    _email_status_change(accreditation, event)
    webhook_events.emit(webhook_events.ACCREDITATION_STATUS_CHANGED, accreditation)
    return accreditation


@transaction.atomic
def reinstate(staff, accreditation, *, reason: str, on: date | None = None) -> Accreditation:
    require(staff, "accreditation.manage")
    on = on or timezone.localdate()
    accreditation = _locked_accreditation(accreditation)
    standing = accreditation.standing_on(on)
    if standing != Standing.SUSPENDED:
        raise DomainError(
            f"Only a suspended accreditation still within its dates can be reinstated: this one is "
            f"{Standing(standing).label.lower()}"
        )
    if not reason.strip():
        raise DomainError("Give the reason for reinstating the accreditation")
    _split_period(accreditation, on, from_status=PeriodStatus.SUSPENDED, to_status=PeriodStatus.ACTIVE)
    move(accreditation, AccreditationState.ACTIVE, ACCREDITATION_TRANSITIONS)
    accreditation.status_reason = reason.strip()
    accreditation.save()
    event = _event(accreditation, AccreditationEvent.Kind.REINSTATED, by=staff, effective_on=on, reason=reason.strip())
    audit.record(
        actor=staff,
        action="accreditation.reinstated",
        obj=accreditation,
        before={"state": "suspended"},
        after={"state": "active", "from": str(on)},
        reason=reason.strip(),
    )
    credentials.reinstate(staff, accreditation, reason=reason.strip(), on=on)
    sync_course(accreditation.course)
    _email_status_change(accreditation, event)
    webhook_events.emit(webhook_events.ACCREDITATION_STATUS_CHANGED, accreditation)
    return accreditation


@transaction.atomic
def withdraw(staff, accreditation, *, reason: str, on: date | None = None, for_cause: bool = False) -> Accreditation:
    """Withdraws the accreditation from `on`. `for_cause`: the course never
    met what it claimed (misrepresentation, for example), so the credentials
    issued for completing it are revoked too (leaders.credentials)."""
    require(staff, "accreditation.manage")
    on = on or timezone.localdate()
    accreditation = _locked_accreditation(accreditation)
    if accreditation.state == AccreditationState.WITHDRAWN:
        raise DomainError("This accreditation has already been withdrawn")
    if not reason.strip():
        raise DomainError("Give the reason for withdrawing the accreditation")
    status = PeriodStatus.ACTIVE if accreditation.state == AccreditationState.ACTIVE else PeriodStatus.SUSPENDED
    before = accreditation.state
    if Period.objects.filter(accreditation=accreditation, starts_on__lte=on, ends_on__gte=on).exists():
        _split_period(accreditation, on, from_status=status, to_status=None)
    Period.objects.filter(accreditation=accreditation, starts_on__gt=on).delete()
    move(accreditation, AccreditationState.WITHDRAWN, ACCREDITATION_TRANSITIONS)
    accreditation.status_reason = reason.strip()
    accreditation.save()
    event = _event(
        accreditation,
        AccreditationEvent.Kind.WITHDRAWN,
        by=staff,
        effective_on=on,
        reason=reason.strip() + (" (for cause: credentials revoked)" if for_cause else ""),
    )
    audit.record(
        actor=staff,
        action="accreditation.withdrawn",
        obj=accreditation,
        before={"state": before},
        after={"state": "withdrawn", "from": str(on), "for_cause": for_cause},
        reason=reason.strip(),
    )
    credentials.revoke(staff, accreditation, reason=reason.strip())
    sync_course(accreditation.course)
    if for_cause:
        for follow in AFTER_WITHDRAWN_FOR_CAUSE:
            follow(staff, accreditation, f"The course's accreditation was withdrawn: {reason.strip()}")
    _email_status_change(accreditation, event)
    webhook_events.emit(webhook_events.ACCREDITATION_STATUS_CHANGED, accreditation)
    return accreditation


@transaction.atomic
def submit_condition_response(user, condition, *, response: str) -> Condition:
    condition = (
        Condition.objects.select_for_update().select_related("accreditation__course__provider").get(pk=condition.pk)
    )
    require(user, "accreditation.respond_to_condition", condition)
    if condition.state == ConditionState.MET:
        raise DomainError("This condition has already been met")
    if not response.strip() and not condition.evidence.exists():
        raise DomainError("Explain how the condition is met, or upload evidence")
    condition.response = response.strip()
    move(condition, ConditionState.EVIDENCE_SUBMITTED, CONDITION_TRANSITIONS)
    condition.save()
    audit.record(
        actor=user,
        action="condition.evidence_submitted",
        obj=condition.accreditation,
        after={"condition": condition.pk},
    )
    return condition


@transaction.atomic
def mark_condition_met(staff, condition, now=None) -> Condition:
    require(staff, "accreditation.manage")
    condition = Condition.objects.select_for_update().select_related("accreditation__course").get(pk=condition.pk)
    if condition.state == ConditionState.MET:
        raise DomainError("This condition has already been met")
    move(condition, ConditionState.MET, CONDITION_TRANSITIONS)
    condition.met_at = now or timezone.now()
    condition.met_by = staff
    condition.save()
    audit.record(actor=staff, action="condition.met", obj=condition.accreditation, after={"condition": condition.pk})
    sync_course(condition.accreditation.course)
    return condition
