"""Leaders' completions and DASS appointments: one function per change.

After every change that can affect the DASS requirement, the leader's
appointments are refreshed in the same transaction (qualifying completion and
deadline), so the compliance dashboard never disagrees with the records.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts import audit
from accounts.domain import DomainError
from accounts.enums import OrganisationKind
from accounts.models import Organisation, User
from config.caching import data_changed
from config.uploads import MB, UploadRefused, check_upload, storage_name, store_upload
from courses.models import Completion, CompletionState, LeaderProfile

from . import compliance
from .compliance import deadline_for
from .models import DassAppointment, Period, PeriodStatus

CERTIFICATE_KINDS = ("pdf", "jpeg", "png")
MAX_CERTIFICATE = 10 * MB
EARLIEST_COMPLETION = date(1980, 1, 1)


def _is_staff(user) -> bool:
    return user.has_perm("accreditation.manage")


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


@transaction.atomic
def save_leader_profile(user, *, job_title, employer=None, sector) -> LeaderProfile:
    profile, _ = LeaderProfile.objects.update_or_create(
        user=user, defaults={"job_title": job_title.strip(), "employer": employer, "sector": sector}
    )
    audit.record(actor=user, action="leader.profile_saved", obj=profile, after={"job_title": profile.job_title})
    return profile


@transaction.atomic
def record_completion(
    leader,
    *,
    completed_on,
    course=None,
    course_title="",
    provider_name="",
    certificate=None,
    supersedes=None,
    today=None,
) -> Completion:
    today = today or timezone.localdate()
    if course is None and not (course_title.strip() and provider_name.strip()):
        raise DomainError("Choose a course from the register, or enter the course title and its provider")
    if completed_on > today:
        raise DomainError("The completion date must be today or in the past")
    if completed_on < EARLIEST_COMPLETION:
        raise DomainError(f"The completion date must be after {EARLIEST_COMPLETION:%-d %B %Y}")
    if supersedes is not None:
        supersedes = Completion.objects.select_for_update().get(pk=supersedes.pk)
        if supersedes.leader_id != leader.pk:
            raise PermissionDenied
        if supersedes.state != CompletionState.VERIFIED or hasattr(supersedes, "superseded_by"):
            raise DomainError("Only a verified completion without a correction can be corrected")
    completion = Completion(
        leader=leader,
        course=course,
        course_title="" if course else course_title.strip(),
        provider_name="" if course else provider_name.strip(),
        completed_on=completed_on,
        supersedes=supersedes,
    )
    if certificate is not None:
        try:
            file_type, original = check_upload(certificate, allowed=CERTIFICATE_KINDS, max_bytes=MAX_CERTIFICATE)
            certificate.seek(0)
            store_upload(completion.certificate, storage_name(f"certificates/{leader.pk}", file_type), certificate)
        except UploadRefused as refusal:
            raise DomainError(str(refusal)) from None
        completion.certificate_name = original
        completion.certificate_mimetype = file_type.mimetype
    try:
        completion.save()
    except Exception:
        if completion.certificate:
            completion.certificate.delete(save=False)
        raise
    audit.record(
        actor=leader,
        action="completion.recorded",
        obj=completion,
        after={
            "course": completion.title,
            "completed_on": str(completed_on),
            "supersedes": supersedes.pk if supersedes else None,
        },
    )
    refresh_leader(leader)
    return completion


def _decide(user, completion, state, reason=""):
    completion = (
        Completion.objects.select_for_update(of=("self",))
        .select_related("course__provider", "leader")
        .get(pk=completion.pk)
    )
    if not may_verify(user, completion):
        raise PermissionDenied
    if completion.state != CompletionState.SELF_DECLARED:
        raise DomainError("This completion has already been decided")
    completion.state = state
    completion.decided_by = user
    completion.decided_at = timezone.now()
    completion.rejection_reason = reason.strip()
    completion.save()
    if state == CompletionState.VERIFIED and completion.supersedes_id:
        Completion.objects.filter(pk=completion.supersedes_id).update(state=CompletionState.SUPERSEDED)
        from .credentials import revoke_for_completion

        revoke_for_completion(
            user,
            completion.supersedes,
            reason=f"Replaced by a corrected record, verified {timezone.localdate():%-d %B %Y}",
        )
    audit.record(
        actor=user,
        action=f"completion.{state}",
        obj=completion,
        before={"state": CompletionState.SELF_DECLARED},
        after={"state": state},
        reason=reason.strip(),
    )
    refresh_leader(completion.leader)
    return completion


@transaction.atomic
def verify_completion(user, completion) -> Completion:
    return _decide(user, completion, CompletionState.VERIFIED)


@transaction.atomic
def reject_completion(user, completion, *, reason: str) -> Completion:
    if not reason.strip():
        raise DomainError("Give the reason for rejecting the completion")
    return _decide(user, completion, CompletionState.REJECTED, reason)


def may_record_appointment(user, leader) -> bool:
    return user.pk == leader.pk or _is_staff(user)


@transaction.atomic
def record_appointment(user, leader, *, local_authority, appointed_on, kind, ended_on=None) -> DassAppointment:
    if not may_record_appointment(user, leader):
        raise PermissionDenied
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
def end_appointment(user, appointment, *, ended_on) -> DassAppointment:
    appointment = DassAppointment.objects.select_for_update().get(pk=appointment.pk)
    if not may_record_appointment(user, appointment.leader):
        raise PermissionDenied
    if ended_on < appointment.appointed_on:
        raise DomainError("The appointment must end after it starts")
    appointment.ended_on = ended_on
    appointment.save()
    audit.record(actor=user, action="dass.appointment_ended", obj=appointment, after={"ended_on": str(ended_on)})
    data_changed(compliance.DATA)
    return appointment


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
            state__in=[CompletionState.VERIFIED, CompletionState.SELF_DECLARED],
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


def refresh_leaders_of_course(course) -> None:
    """A course's accreditation changed: its completers' status may change."""
    for leader in User.objects.filter(completions__course=course).distinct():
        refresh_leader(leader)


def local_authorities():
    return Organisation.objects.filter(Organisation.kind_filter(OrganisationKind.LOCAL_AUTHORITY)).order_by("name")


def completions_to_verify(user):
    """Self-declared completions this person may verify."""
    waiting = Completion.objects.filter(state=CompletionState.SELF_DECLARED).exclude(leader=user)
    if _is_staff(user):
        return waiting
    return waiting.filter(Q(course__provider__memberships__user=user)).exclude(
        leader__memberships__organisation=F("course__provider")
    )
