"""DASS appointments and the compliance refresh: recording, changing and ending an
appointment, recomputing each appointment's deadline and qualifying completion,
and following changes to courses' accreditation."""

from django.db import transaction
from django.db.models import Exists, OuterRef

from accounts import audit
from accounts.enums import OrganisationKind
from accounts.models import Organisation, User
from accreditation.models import Period, PeriodStatus
from core.caching import data_changed
from core.errors import DomainError
from core.permissions import require

from .. import compliance
from ..compliance import deadline_for
from ..credentials import revoke_for_accreditation
from ..enums import STANDING_COMPLETION_STATES, CompletionState
from ..models import Completion, DassAppointment


@transaction.atomic
def record_appointment(user, leader, *, local_authority, appointed_on, kind, ended_on=None) -> DassAppointment:
    require(user, "leaders.record_appointment", leader)
    if not local_authority.is_local_authority:
        raise DomainError("Choose a local authority")
    if ended_on is not None and ended_on < appointed_on:
        raise DomainError("The appointment must end after it starts")
    appointment = DassAppointment.objects.create(
        leader=leader,
        local_authority=local_authority,
        appointed_on=appointed_on,
        ended_on=ended_on,
        kind=kind,
        deadline=deadline_for(appointed_on),
        recorded_by=user,
    )
    audit.record(
        actor=user,
        action="dass.appointment_recorded",
        obj=appointment,
        after={"local_authority": local_authority.name, "appointed_on": str(appointed_on), "kind": kind},
    )
    refresh_leader(leader)
    return appointment


@transaction.atomic
def change_appointment(
    user, appointment, *, local_authority, appointed_on, kind, ended_on=None, reason: str
) -> DassAppointment:
    """Academy staff correct or end a recorded appointment. The deadline
    follows the appointment date; the change and its reason go in the audit
    log with the values before and after."""
    appointment = DassAppointment.objects.select_for_update().select_related("local_authority").get(pk=appointment.pk)
    require(user, "leaders.change_appointment", appointment)
    if not reason.strip():
        raise DomainError("Give the reason for the change")
    if not local_authority.is_local_authority:
        raise DomainError("Choose a local authority")
    if ended_on is not None and ended_on < appointed_on:
        raise DomainError("The appointment must end after it starts")

    def values(a):
        return {
            "local_authority": a.local_authority.name,
            "appointed_on": str(a.appointed_on),
            "kind": a.kind,
            "ended_on": str(a.ended_on) if a.ended_on else None,
        }

    before = values(appointment)
    appointment.local_authority = local_authority
    appointment.appointed_on = appointed_on
    appointment.kind = kind
    appointment.ended_on = ended_on
    appointment.deadline = deadline_for(appointed_on)
    after = values(appointment)
    if before == after:
        raise DomainError("Nothing has changed")
    appointment.save()
    only_ended = before["ended_on"] is None and before | {"ended_on": after["ended_on"]} == after
    audit.record(
        actor=user,
        action="dass.appointment_ended" if only_ended else "dass.appointment_changed",
        obj=appointment,
        before=before,
        after=after,
        reason=reason.strip(),
    )
    refresh_leader(appointment.leader)
    return appointment


def end_appointment(user, appointment, *, ended_on, reason="The appointment ended") -> DassAppointment:
    return change_appointment(
        user,
        appointment,
        local_authority=appointment.local_authority,
        appointed_on=appointment.appointed_on,
        kind=appointment.kind,
        ended_on=ended_on,
        reason=reason,
    )


def qualifying_completions(leader):
    """Completions that can satisfy the requirement: not rejected or replaced,
    of a course designed for social care that was accredited on the day it
    was completed."""
    accredited_that_day = Period.objects.filter(
        course=OuterRef("course"),
        status=PeriodStatus.ACTIVE,
        starts_on__lte=OuterRef("completed_on"),
        ends_on__gte=OuterRef("completed_on"),
    )
    return (
        Completion.objects.filter(
            leader=leader,
            state__in=STANDING_COMPLETION_STATES,
            course__designed_for_social_care=True,
        )
        .filter(Exists(accredited_that_day))
        .order_by("completed_on", "pk")
    )


def refresh_leader(leader) -> None:
    """Recomputes each appointment's deadline and qualifying completion.
    A verified completion is preferred to one still waiting for verification."""
    completions = list(qualifying_completions(leader).values_list("pk", "completed_on", "state"))
    for appointment in DassAppointment.objects.filter(leader=leader):
        deadline = deadline_for(appointment.appointed_on)
        in_time = [c for c in completions if c[1] <= deadline]
        verified = [c for c in in_time if c[2] == CompletionState.VERIFIED]
        chosen = (verified or in_time or [None])[0]
        DassAppointment.objects.filter(pk=appointment.pk).update(
            deadline=deadline,
            qualifying_completion_id=chosen[0] if chosen else None,
            completion_verified=bool(chosen and chosen[2] == CompletionState.VERIFIED),
        )
    data_changed(compliance.DATA)


def follow_accreditation_changes() -> None:
    """Registers what leaders do when accreditation changes (accreditation.domain
    calls these; LeadersConfig.ready calls this once at start-up)."""
    from accreditation import domain as accreditation

    for hooks, follow in [
        (accreditation.AFTER_COURSE_ACCREDITATION_CHANGED, refresh_leaders_of_course),
        (accreditation.AFTER_WITHDRAWN_FOR_CAUSE, revoke_credentials_for_cause),
    ]:
        if follow not in hooks:
            hooks.append(follow)


def revoke_credentials_for_cause(staff, accreditation, reason: str) -> None:
    """An accreditation withdrawn for cause: the course never met what it
    claimed, so the credentials issued under it are revoked."""
    revoke_for_accreditation(staff, accreditation, reason=reason)


def refresh_leaders_of_course(course) -> None:
    """A course's accreditation changed: its completers' status may change."""
    for leader in User.objects.filter(completions__course=course).distinct():
        refresh_leader(leader)


def local_authorities():
    return Organisation.objects.filter(Organisation.kind_filter(OrganisationKind.LOCAL_AUTHORITY)).order_by("name")
