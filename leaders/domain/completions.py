"""Leaders' profiles and completions: recording one (or a correction of a verified
one), verification and rejection, withdrawal, and who may verify what."""

from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts import audit
from accounts.models import User
from core.errors import DomainError
from core.permissions import require, require_that
from core.states import move, move_all
from core.uploads import MB, UploadRefused, check_upload, storage_name, store_upload
from notifications.mail import queue_email
from webhooks import events as webhook_events

from ..credentials import revoke_for_completion
from ..enums import COMPLETION_TRANSITIONS, STANDING_COMPLETION_STATES, CompletionState
from ..models import Completion, LeaderProfile
from ..rules import may_withdraw_completion, owns_completion
from .appointments import refresh_leader

CERTIFICATE_KINDS = ("pdf", "jpeg", "png")
MAX_CERTIFICATE = 10 * MB
EARLIEST_COMPLETION = date(1980, 1, 1)


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
    # One change to a leader's record at a time: two tabs submitting the same
    # course cannot both pass the duplicate check.
    User.objects.select_for_update().filter(pk=leader.pk).first()
    if supersedes is not None:
        supersedes = Completion.objects.select_for_update().get(pk=supersedes.pk)
        require_that(owns_completion, leader, supersedes)
        if supersedes.state != CompletionState.VERIFIED:
            raise DomainError("Only a verified completion can be corrected")
        if supersedes.corrections.filter(state=CompletionState.SELF_DECLARED).exists():
            raise DomainError(
                "A correction of this completion is already waiting for verification: withdraw it to send another"
            )
    duplicate = duplicates_of(
        leader,
        course=course,
        course_title=course_title,
        provider_name=provider_name,
        completed_on=completed_on,
        exclude=supersedes,
    ).first()
    if duplicate is not None:
        raise DomainError(
            f"You have already recorded {duplicate.title} completed on {completed_on:%-d %B %Y} "
            f"({duplicate.get_state_display().lower()}). To change a verified record, use “Correct”."
        )
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


def duplicates_of(leader, *, course, course_title, provider_name, completed_on, exclude=None):
    """The leader's completions on the record (waiting or verified) of the same
    course on the same day: a registered course by its entry, one described by
    hand by its title and provider, ignoring case and surrounding spaces.
    `exclude` is the completion a correction replaces: the correction may
    repeat it (a new certificate for the same course and day)."""
    same = Completion.objects.filter(leader=leader, completed_on=completed_on, state__in=STANDING_COMPLETION_STATES)
    if course is not None:
        same = same.filter(course=course)
    else:
        same = same.filter(
            course__isnull=True,
            course_title__iexact=course_title.strip(),
            provider_name__iexact=provider_name.strip(),
        )
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    return same


def _decide(user, completion, state, reason=""):
    completion = (
        Completion.objects.select_for_update(of=("self",))
        .select_related("course__provider", "leader")
        .get(pk=completion.pk)
    )
    require(user, "leaders.verify_completion", completion)
    if completion.state == CompletionState.WITHDRAWN:
        raise DomainError("The leader has withdrawn this completion")
    if completion.state != CompletionState.SELF_DECLARED:
        raise DomainError("This completion has already been decided")
    if state == CompletionState.VERIFIED:
        verified_twin = duplicates_of(
            completion.leader,
            course=completion.course,
            course_title=completion.course_title,
            provider_name=completion.provider_name,
            completed_on=completion.completed_on,
            exclude=completion.supersedes,
        ).filter(state=CompletionState.VERIFIED)
        if verified_twin.exists():
            raise DomainError(
                "This course and date are already verified for this leader: reject this record as a duplicate"
            )
    move(completion, state, COMPLETION_TRANSITIONS)
    completion.decided_by = user
    completion.decided_at = timezone.now()
    completion.rejection_reason = reason.strip()
    completion.save()
    if state == CompletionState.VERIFIED and completion.supersedes_id:
        move_all(
            Completion.objects.filter(pk=completion.supersedes_id), CompletionState.SUPERSEDED, COMPLETION_TRANSITIONS
        )
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
    # The leader hears of the decision; the outbox sends it once this commits.
    if completion.leader.is_active:
        queue_email(
            to=completion.leader.email,
            recipient=completion.leader,
            template="completion_decided",
            context={"leader": completion.leader, "completion": completion, "reason": reason.strip()},
        )
    return completion


@transaction.atomic
def verify_completion(user, completion) -> Completion:
    completion = _decide(user, completion, CompletionState.VERIFIED)
    webhook_events.emit(webhook_events.COMPLETION_VERIFIED, completion)
    return completion


def not_withdrawable(completion) -> str:
    return f"This completion is {completion.get_state_display().lower()}: it can no longer be withdrawn"


@transaction.atomic
def withdraw_completion(user, completion) -> Completion:
    """The leader takes back a completion still waiting for verification (sent
    by mistake, or the wrong course). It stays in the history as withdrawn and
    leaves the verification queues."""
    completion = Completion.objects.select_for_update().get(pk=completion.pk)
    require_that(owns_completion, user, completion)
    if not may_withdraw_completion(user, completion):
        raise DomainError(not_withdrawable(completion))
    move(completion, CompletionState.WITHDRAWN, COMPLETION_TRANSITIONS)
    completion.decided_by = user
    completion.decided_at = timezone.now()
    completion.save()
    audit.record(
        actor=user,
        action="completion.withdrawn",
        obj=completion,
        before={"state": CompletionState.SELF_DECLARED},
        after={"state": CompletionState.WITHDRAWN},
    )
    refresh_leader(user)
    return completion


@transaction.atomic
def reject_completion(user, completion, *, reason: str) -> Completion:
    if not reason.strip():
        raise DomainError("Give the reason for rejecting the completion")
    return _decide(user, completion, CompletionState.REJECTED, reason)


def completions_to_verify(user):
    """Self-declared completions this person may verify."""
    waiting = Completion.objects.filter(state=CompletionState.SELF_DECLARED).exclude(leader=user)
    if user.has_perm("leaders.manage"):
        return waiting
    return waiting.filter(Q(course__provider__memberships__user=user)).exclude(
        leader__memberships__organisation=F("course__provider")
    )
