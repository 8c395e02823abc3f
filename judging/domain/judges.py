"""Judges: invitations, profiles, and declared conflicts of interest (the judge
standing down from the organisation's nominations in active work)."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts import audit
from accounts.domain import record_role_grant
from accounts.enums import SiteRole
from accounts.models import User
from accounts.rules import is_judge
from core.errors import DomainError
from core.permissions import require
from core.states import move
from notifications.mail import queue_email

from ..enums import ASSIGNMENT_TRANSITIONS, AssignmentState, PanelState, Stage, VisitState
from ..models import Assignment, ConflictDeclaration, JudgeInvitation, JudgeProfile, Panel, SiteVisit
from ._common import CONFLICT_REASON, _judge_rankings_changed, _scores_changed
from .panels import _assign
from .visits import _send_cancellation, _send_visit_emails, visit_problems

# Judges ----------------------------------------------------------------------------


@transaction.atomic
def invite_judge(admin, email: str) -> JudgeInvitation:
    require(admin, "judging.manage")
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and is_judge(existing):
        raise DomainError(f"{email} is already a judge")
    invitation = JudgeInvitation.objects.create(email=email, invited_by=admin)
    audit.record(actor=admin, action="judge.invited", obj=invitation, after={"email": email})
    queue_email(
        to=email,
        recipient=existing,
        template="judge_invitation",
        context={"invitation": invitation},
        holds_secret=True,
    )
    return invitation


@transaction.atomic
def accept_invitation(user, token: str) -> JudgeInvitation:
    invitation = JudgeInvitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or invitation.email.lower() != user.email.lower():
        raise DomainError("This invitation is not for the account you are signed in with")
    if invitation.accepted_at is not None:
        raise DomainError("This invitation has already been accepted")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save()
    if not is_judge(user):
        record_role_grant(invitation.invited_by, user, SiteRole.JUDGE)
    audit.record(actor=user, action="judge.invitation_accepted", obj=invitation)
    return invitation


@transaction.atomic
def save_profile(user, *, sector_background, lived_experience, expertise="", prefers_easy_read=False) -> JudgeProfile:
    """Saves the profile; access needs and their consents have a workflow of
    their own (judging.domain.access.save_access_needs). `prefers_easy_read`
    shows the judge the easy-read version of each criterion when they score."""
    require(user, "judging.judge")
    lived_before = JudgeProfile.objects.filter(user=user).values_list("lived_experience", flat=True).first()
    profile, created = JudgeProfile.objects.update_or_create(
        user=user,
        defaults={
            "sector_background": sector_background,
            "lived_experience": lived_experience,
            "expertise": expertise.strip(),
            "prefers_easy_read": prefers_easy_read,
        },
    )
    if lived_before != lived_experience:
        # The ranking's lived-experience column reads this (judging.results).
        _judge_rankings_changed(user)
    audit.record(
        actor=user,
        action="judge.profile_saved",
        obj=profile,
        after={
            "sector_background": sector_background,
            "lived_experience": lived_experience,
            "prefers_easy_read": prefers_easy_read,
        },
    )
    return profile


@transaction.atomic
def declare_conflict(judge, organisation, *, kind, note="", nomination=None) -> ConflictDeclaration:
    """Records the conflict, whenever it is declared, and takes the judge off
    everything about the organisation's nominations in active work (panels
    not yet signed off): scorecards at either stage and places on visit
    teams. Each nomination is topped up again to its category's k judges,
    and each visit team restaffed to the visit rules, from clean panel
    members; the judges affected and the provider are told. Work in panels
    already signed off is final and stays as it was."""
    require(judge, "judging.judge")
    try:
        with transaction.atomic():
            conflict = ConflictDeclaration.objects.create(
                judge=judge, organisation=organisation, kind=kind, note=note.strip(), nomination=nomination
            )
    except IntegrityError:
        raise DomainError(f"You have already declared a connection with {organisation.name}") from None
    audit.record(
        actor=judge,
        action="conflict.declared",
        obj=conflict,
        after={"organisation": organisation.name, "kind": kind, "nomination": nomination.pk if nomination else None},
        reason=note.strip(),
    )
    _stand_down(judge, organisation, actor=judge, panels=Panel.objects.filter(state=PanelState.ACTIVE))
    return conflict


def _stand_down(judge, organisation, *, actor, panels):
    """Takes the judge off every active scorecard and unvisited visit team for
    the organisation's nominations in these panels, topping written scoring
    up to k judges and restaffing the visit teams."""
    in_active_work = Q(nomination__organisation=organisation, nomination__category__panel__in=panels)
    affected = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(in_active_work, judge=judge, state=AssignmentState.ACTIVE)
        .select_related("nomination__category", "judge")
    )
    for assignment in affected:
        _take_off(assignment, actor, reason=CONFLICT_REASON)
    for category in {a.nomination.category for a in affected if a.stage == Stage.WRITTEN}:
        _assign(category, actor, stage=Stage.WRITTEN, reason="Reassigned after a conflict was declared")
    visits = SiteVisit.objects.select_for_update(of=("self",)).filter(
        in_active_work, judges=judge, state=VisitState.SCHEDULED, report_submitted_at__isnull=True
    )
    for visit in visits.select_related("nomination__category"):
        _restaff_visit(visit, without=judge, actor=actor)


def _take_off(assignment, actor, *, reason):
    move(assignment, AssignmentState.REMOVED, ASSIGNMENT_TRANSITIONS)
    assignment.removed_reason = reason
    assignment.save()
    _scores_changed(assignment.nomination.category_id)
    audit.record(
        actor=actor,
        action="assignment.removed",
        obj=assignment.nomination,
        before={"judge": assignment.judge.email, "stage": assignment.stage},
        reason=reason,
    )


def _restaff_visit(visit, *, without, actor=None):
    """Takes a judge off a visit team and, while the team breaks the visit
    rules, adds the clean panel member with the fewest visits (one with lived
    experience first when the team needs one). The judge taken off is sent a
    cancellation; the new team and the provider an updated invitation."""
    nomination = visit.nomination
    team = [j for j in visit.judges.select_related("judge_profile") if j.pk != without.pk]
    members = list(
        User.objects.filter(panel_memberships__panel__category=nomination.category_id)
        .exclude(pk__in=[j.pk for j in team] + [without.pk])
        .exclude(conflicts__organisation=nomination.organisation_id)
        .exclude(memberships__organisation=nomination.organisation_id)
        .select_related("judge_profile")
        .annotate(visit_count=Count("site_visits", filter=Q(site_visits__state=VisitState.SCHEDULED)))
        .order_by("visit_count", "pk")
    )
    while visit_problems(nomination, team) and members:
        lived_needed = not any(getattr(j, "judge_profile", None) and j.judge_profile.has_lived_experience for j in team)
        candidates = [m for m in members if not lived_needed or m.judge_profile.has_lived_experience] or members
        chosen = candidates[0]
        members.remove(chosen)
        team.append(chosen)
        Assignment.objects.get_or_create(
            nomination=nomination, judge=chosen, stage=Stage.SITE_VISIT, state=AssignmentState.ACTIVE
        )
    visit.judges.set(team)
    visit.sequence += 1
    visit.save()
    problems = visit_problems(nomination, team)
    audit.record(
        actor=actor or without,
        action="visit.restaffed",
        obj=nomination,
        before={"judge": without.email},
        after={"judges": [j.email for j in team], "problems": problems},
        reason=CONFLICT_REASON,
    )
    _send_cancellation(visit, without)
    _send_visit_emails(visit, "REQUEST")
