"""Every judging change goes through these functions: permission, state,
audit record and email in one transaction."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from accounts import audit
from accounts.domain import record_role_grant
from accounts.enums import SiteRole
from accounts.models import Membership, Organisation, User
from accounts.rules import is_judge
from awards.domain import email_provider, transition
from awards.enums import NominationState
from awards.models import Cycle, Nomination
from core.caching import RESULTS_DATA, data_changed
from core.errors import DomainError
from core.formats import uk_datetime
from core.permissions import require, require_that
from core.states import move, move_all
from notifications.mail import queue_email, queue_rendered_email, render_email

from . import calendar
from .assignment import NominationToAssign, plan_assignments
from .enums import (
    ASSIGNMENT_TRANSITIONS,
    PANEL_TRANSITIONS,
    VISIT_TRANSITIONS,
    AssignmentState,
    Award,
    LivedExperience,
    PanelState,
    Stage,
    VisitState,
)
from .models import (
    Assignment,
    ConflictDeclaration,
    CriterionScore,
    CycleRules,
    FinalResult,
    JudgeInvitation,
    JudgeProfile,
    Panel,
    PanelMember,
    Publication,
    ResultsCorrection,
    ShortlistEntry,
    SiteVisit,
    TieBreak,
)
from .queries import conflict_pairs
from .results import category_results
from .rules import is_chair_for, may_act_as_chair, may_decide_shortlist


def rules_for(cycle) -> CycleRules:
    """The cycle's rules, or the defaults (unsaved) until an administrator sets them."""
    return CycleRules.objects.filter(cycle=cycle).first() or CycleRules(cycle=cycle)


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
def save_profile(user, *, sector_background, lived_experience, expertise="", access_needs="") -> JudgeProfile:
    require(user, "judging.judge")
    profile, created = JudgeProfile.objects.update_or_create(
        user=user,
        defaults={
            "sector_background": sector_background,
            "lived_experience": lived_experience,
            "expertise": expertise.strip(),
            "access_needs": access_needs.strip(),
        },
    )
    audit.record(
        actor=user,
        action="judge.profile_saved",
        obj=profile,
        after={"sector_background": sector_background, "lived_experience": lived_experience},
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


CONFLICT_REASON = "Conflict of interest declared"


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


# Panels ------------------------------------------------------------------------------

# Panels ------------------------------------------------------------------------------


def composition_problems(panel: Panel) -> list[str]:
    """Each rule the panel breaks, in words an administrator can act on."""
    rules = rules_for(panel.category.cycle)
    members = list(User.objects.filter(panel_memberships__panel=panel).select_related("judge_profile"))
    profiles = [getattr(m, "judge_profile", None) for m in members]
    problems = []
    if len(members) < rules.min_panel_size:
        problems.append(f"The panel needs at least {rules.min_panel_size} members; it has {len(members)}")
    missing = [m.email for m, p in zip(members, profiles, strict=True) if p is None]
    if missing:
        problems.append(f"These members have not completed their judge profile: {', '.join(missing)}")
    lived = sum(1 for p in profiles if p is not None and p.has_lived_experience)
    if lived < rules.min_lived_experience:
        problems.append(
            f"The panel needs at least {rules.min_lived_experience} member with lived experience of care; "
            f"it has {lived}"
        )
    sectors = {p.sector_background for p in profiles if p is not None}
    if len(sectors) < rules.min_sectors:
        problems.append(f"Members must come from at least {rules.min_sectors} sectors; they come from {len(sectors)}")
    if panel.chair_id is None:
        problems.append("The panel needs a chair")
    elif panel.chair_id not in {m.pk for m in members}:
        problems.append("The chair must be a member of the panel")
    return problems


@transaction.atomic
def add_panel_member(admin, panel, judge) -> PanelMember:
    require(admin, "judging.manage")
    if not is_judge(judge):
        raise DomainError(f"{judge.email} is not a judge: invite them first")
    if panel.state == PanelState.SIGNED_OFF:
        raise DomainError("A signed-off panel cannot change")
    member, created = PanelMember.objects.get_or_create(panel=panel, judge=judge)
    if not created:
        raise DomainError(f"{judge.email} is already on this panel")
    audit.record(actor=admin, action="panel.member_added", obj=panel, after={"judge": judge.email})
    return member


@transaction.atomic
def remove_panel_member(admin, panel, judge) -> None:
    require(admin, "judging.manage")
    if panel.state != PanelState.DRAFT:
        raise DomainError("Members can only be removed while the panel is being set up")
    PanelMember.objects.filter(panel=panel, judge=judge).delete()
    if panel.chair_id == judge.pk:
        panel.chair = None
        panel.save()
    audit.record(actor=admin, action="panel.member_removed", obj=panel, before={"judge": judge.email})


@transaction.atomic
def set_chair(admin, panel, judge) -> Panel:
    require(admin, "judging.manage")
    if not panel.memberships.filter(judge=judge).exists():
        raise DomainError("The chair must be a member of the panel")
    before = panel.chair.email if panel.chair else None
    panel.chair = judge
    panel.save()
    audit.record(
        actor=admin, action="panel.chair_set", obj=panel, before={"chair": before}, after={"chair": judge.email}
    )
    return panel


@transaction.atomic
def activate_panel(admin, panel) -> Panel:
    require(admin, "judging.manage")
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.state != PanelState.DRAFT:
        raise DomainError("This panel is already active")
    problems = composition_problems(panel)
    if problems:
        raise DomainError("; ".join(problems))
    move(panel, PanelState.ACTIVE, PANEL_TRANSITIONS)
    panel.activated_at = timezone.now()
    panel.save()
    audit.record(actor=admin, action="panel.activated", obj=panel, before={"state": "draft"}, after={"state": "active"})
    return panel


# Assignment ------------------------------------------------------------------------


def _assign(category, actor, *, stage=Stage.WRITTEN, reason=""):
    """Tops every eligible nomination up to k clean judges from the panel."""
    panel = Panel.objects.filter(category=category, state=PanelState.ACTIVE).first()
    if panel is None:
        raise DomainError("The panel must be active before nominations are assigned")
    judges = list(panel.memberships.values_list("judge_id", flat=True))
    # A judge never scores an organisation they declared a conflict with, nor their own.
    conflicts = conflict_pairs(judges)
    nominations = list(
        Nomination.objects.filter(category=category, state=NominationState.ELIGIBLE).values_list(
            "id", "organisation_id"
        )
    )
    active = Assignment.objects.filter(nomination__category=category, stage=stage, state=AssignmentState.ACTIVE)
    already = {}
    for nomination_id, judge_id in active.values_list("nomination_id", "judge_id"):
        already.setdefault(nomination_id, []).append(judge_id)
    loads = dict(active.values_list("judge_id").annotate(n=Count("pk")).order_by())
    plan = plan_assignments(
        [NominationToAssign(nid, org, tuple(already.get(nid, ()))) for nid, org in nominations],
        judges,
        conflicts,
        category.judges_per_nomination,
        loads,
    )
    Assignment.objects.bulk_create(
        Assignment(nomination_id=nid, judge_id=judge, stage=stage)
        for nid, chosen in plan.new.items()
        for judge in chosen
    )
    audit.record(
        actor=actor,
        action="assignment.auto",
        obj=category,
        after={"new": sum(len(v) for v in plan.new.values()), "short": len(plan.short)},
        reason=reason,
    )
    return plan


@transaction.atomic
def auto_assign(admin, category):
    require(admin, "judging.manage")
    return _assign(category, admin)


@transaction.atomic
def override_assignment(admin, nomination, judge, *, add: bool, reason: str) -> None:
    """An administrator's manual change, always with a reason on record.
    A conflicted judge is never assigned, even by hand."""
    require(admin, "judging.manage")
    if not reason.strip():
        raise DomainError("Enter the reason for the change")
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not Panel.objects.filter(category=nomination.category_id, state=PanelState.ACTIVE).exists():
        raise DomainError("Assignments change only while the category's panel is active")
    if add and nomination.state != NominationState.ELIGIBLE:
        raise DomainError(
            f"{nomination.reference} is {nomination.get_state_display().lower()}: only a nomination found "
            "eligible, and not yet shortlisted, is given to judges to score"
        )
    if add:
        if ConflictDeclaration.objects.filter(judge=judge, organisation=nomination.organisation_id).exists():
            raise DomainError(f"{judge.email} has declared a conflict with this organisation")
        if Membership.objects.filter(user=judge, organisation=nomination.organisation_id).exists():
            raise DomainError(f"{judge.email} belongs to the organisation that entered it")
        if not PanelMember.objects.filter(panel__category=nomination.category_id, judge=judge).exists():
            raise DomainError(f"{judge.email} is not on this category's panel")
        try:
            with transaction.atomic():
                Assignment.objects.create(
                    nomination=nomination, judge=judge, is_override=True, override_reason=reason.strip()
                )
        except IntegrityError:
            raise DomainError(f"{judge.email} is already assigned to this nomination") from None
    else:
        updated = move_all(
            Assignment.objects.filter(nomination=nomination, judge=judge, stage=Stage.WRITTEN),
            AssignmentState.REMOVED,
            ASSIGNMENT_TRANSITIONS,
            removed_reason=reason.strip(),
            is_override=True,
        )
        if not updated:
            raise DomainError(f"{judge.email} is not assigned to this nomination")
        _scores_changed(nomination.category_id)
    audit.record(
        actor=admin,
        action="assignment.override",
        obj=nomination,
        after={"judge": judge.email, "change": "added" if add else "removed"},
        reason=reason.strip(),
    )


# Scoring ----------------------------------------------------------------------------


@transaction.atomic
def save_scores(judge, assignment, scores: dict[int, tuple[int | None, str]], *, submit: bool, now=None) -> Assignment:
    """Saves a draft scorecard, or submits it (every criterion scored) and locks it."""
    assignment = Assignment.objects.select_for_update().select_related("nomination__category").get(pk=assignment.pk)
    require(judge, "judging.score", assignment)
    if assignment.is_submitted:
        raise DomainError("You have submitted these scores; ask the panel chair to reopen them to make changes")
    if Panel.objects.filter(category=assignment.nomination.category_id, state=PanelState.SIGNED_OFF).exists():
        # A scorecard left unsubmitted at sign-off (the chair recorded why the
        # panel did not wait) stays as it was: the decisions are final.
        raise DomainError("The panel has signed off its decisions, so scores can no longer be entered")
    criteria = {c.pk: c for c in assignment.nomination.category.criteria.filter(stage=assignment.stage)}
    for criterion_id, (score, comment) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise DomainError("That criterion is not part of this stage")
        if score is not None and not 0 <= score <= criterion.max_score:
            raise DomainError(f"The score for {criterion.name} must be between 0 and {criterion.max_score}")
        CriterionScore.objects.update_or_create(
            assignment=assignment, criterion=criterion, defaults={"score": score, "comment": comment.strip()}
        )
    if submit:
        saved = dict(assignment.scores.values_list("criterion_id", "score"))
        missing = [c.name for cid, c in criteria.items() if saved.get(cid) is None]
        if missing:
            raise DomainError(f"Score every criterion before submitting: {', '.join(missing)}")
        assignment.submitted_at = now or timezone.now()
        assignment.save()
        _scores_changed(assignment.nomination.category_id)
        audit.record(
            actor=judge,
            action="score.submitted",
            obj=assignment.nomination,
            after={"judge": judge.email, "stage": assignment.stage, "scores": {str(k): v for k, v in saved.items()}},
        )
    return assignment


def _scores_changed(category_id) -> None:
    """A scorecard of the category was submitted, reopened or taken off a
    judge: the cached ranking (results.cached_category_results) must not be used."""
    Panel.objects.filter(category_id=category_id).update(scores_changed_at=timezone.now())


def _acting(user, category) -> dict:
    """What the audit record says of who took a chair's decision."""
    return {} if is_chair_for(user, category) else {"acting_for_conflicted_chair": True}


@transaction.atomic
def reopen_scores(chair, assignment, *, reason: str) -> Assignment:
    """The chair reopens a judge's submitted scorecard, with a reason; an
    administrator does so where the chair has a conflict with the entrant."""
    assignment = Assignment.objects.select_for_update().select_related("nomination__category").get(pk=assignment.pk)
    require_that(may_act_as_chair, chair, assignment.nomination.category, [assignment.nomination])
    if Panel.objects.filter(category=assignment.nomination.category_id, state=PanelState.SIGNED_OFF).exists():
        raise DomainError(
            "The panel has signed off its decisions, so scores cannot be reopened. An awards administrator "
            "can withdraw the results and reopen the panel to correct them; that is recorded and shown."
        )
    if not assignment.is_submitted:
        raise DomainError("These scores have not been submitted")
    if not reason.strip():
        raise DomainError("Enter the reason for reopening the scores")
    before = assignment.submitted_at
    assignment.submitted_at = None
    assignment.save()
    _scores_changed(assignment.nomination.category_id)
    audit.record(
        actor=chair,
        action="score.reopened",
        obj=assignment.nomination,
        before={"judge": assignment.judge.email, "submitted_at": before.isoformat()},
        after=_acting(chair, assignment.nomination.category),
        reason=reason.strip(),
    )
    queue_email(
        to=assignment.judge.email,
        recipient=assignment.judge,
        template="scores_reopened",
        context={"assignment": assignment, "reason": reason.strip()},
    )
    return assignment


@transaction.atomic
def record_tie_break(chair, category, *, stage, preferred, over, reason) -> TieBreak:
    require_that(may_act_as_chair, chair, category, [preferred, over])
    if not reason.strip():
        raise DomainError("Enter the reason for the casting decision")
    if preferred.pk == over.pk or {preferred.category_id, over.category_id} != {category.pk}:
        raise DomainError("Choose two different nominations from this category")
    TieBreak.objects.filter(category=category, stage=stage, preferred=over, over=preferred).delete()
    tie_break = TieBreak.objects.create(
        category=category, stage=stage, preferred=preferred, over=over, reason=reason.strip(), decided_by=chair
    )
    audit.record(
        actor=chair,
        action="ranking.casting_decision",
        obj=category,
        after={"preferred": preferred.reference, "over": over.reference, "stage": stage, **_acting(chair, category)},
        reason=reason.strip(),
    )
    return tie_break


# Shortlist --------------------------------------------------------------------------


def outstanding_scorecards(category) -> list[str]:
    """References of the category's eligible nominations with a written
    scorecard not yet submitted, or with none at all."""
    written = Assignment.objects.filter(nomination=OuterRef("pk"), stage=Stage.WRITTEN, state=AssignmentState.ACTIVE)
    outstanding = Nomination.objects.filter(category=category, state=NominationState.ELIGIBLE).filter(
        Exists(written.filter(submitted_at__isnull=True)) | ~Exists(written.filter(submitted_at__isnull=False))
    )
    return sorted(outstanding.values_list("reference", flat=True))


@transaction.atomic
def decide_shortlist(user, category, *, nomination_ids: list[int] | None, rationale: str, exception: str = ""):
    """The top N by ranking (nomination_ids None), or the chair's own selection
    with a rationale. Providers are told only when the shortlist is published.

    Only once every written scorecard of the category is in: a shortlist
    decided with scorecards still out needs the chair's recorded `exception`
    (why the panel will not wait)."""
    panel = Panel.objects.select_for_update().get(category=category)
    rules = rules_for(category.cycle)
    ranking = category_results(category, Stage.WRITTEN, rules.disagreement_threshold)
    candidates = {row.nomination_id for row in ranking}
    require_that(may_decide_shortlist, user, category, Nomination.objects.filter(pk__in=candidates))
    if panel.shortlist_published_at:
        raise DomainError("The shortlist has already been published")
    if nomination_ids is not None and not rationale.strip():
        raise DomainError("Explain why the panel chose this shortlist")
    outstanding = outstanding_scorecards(category)
    if outstanding and not exception.strip():
        raise DomainError(
            f"Scorecards are still out for {len(outstanding)} nomination{'s' if len(outstanding) != 1 else ''} "
            f"({', '.join(outstanding[:10])}{'…' if len(outstanding) > 10 else ''}): wait for them, or record why "
            "the panel decides now"
        )
    if nomination_ids is None:
        chosen = [row.nomination_id for row in ranking[: rules.shortlist_size] if row.judge_count]
    else:
        chosen = list(nomination_ids)
    if not chosen or not set(chosen) <= candidates:
        raise DomainError("Choose at least one eligible nomination from this category")
    ShortlistEntry.objects.filter(nomination__category=category).delete()
    ShortlistEntry.objects.bulk_create(
        ShortlistEntry(nomination_id=nid, shortlisted=nid in chosen) for nid in candidates
    )
    panel.shortlist_rationale = rationale.strip() or f"The top {len(chosen)} by normalised score"
    panel.shortlist_exception = exception.strip() if outstanding else ""
    panel.shortlist_decided_at = timezone.now()
    panel.save()
    audit.record(
        actor=user,
        action="shortlist.decided",
        obj=category,
        after={
            "shortlisted": sorted(chosen),
            "scorecards_outstanding": outstanding,
            "exception": panel.shortlist_exception,
        },
        reason=panel.shortlist_rationale,
    )
    return chosen


@transaction.atomic
def publish_shortlist(admin, category, *, early_reason: str = "", now=None):
    """Tells every entrant of the category whether they are shortlisted: on
    or after the cycle's shortlist date, or earlier with a recorded reason."""
    require(admin, "judging.manage")
    now = now or timezone.now()
    panel = Panel.objects.select_for_update().select_related("category__cycle").get(category=category)
    if not panel.shortlist_decided_at:
        raise DomainError("The panel has not decided its shortlist yet")
    if panel.shortlist_published_at:
        raise DomainError("The shortlist has already been published")
    early = now < panel.category.cycle.shortlist_published
    if early and not early_reason.strip():
        raise DomainError(
            f"The shortlist is due to be published at {uk_datetime(panel.category.cycle.shortlist_published)}: "
            "give the reason for publishing it earlier"
        )
    entries = ShortlistEntry.objects.filter(nomination__category=category).select_related("nomination__cycle")
    for entry in entries:
        nomination = (
            Nomination.objects.select_for_update().select_related("cycle", "organisation").get(pk=entry.nomination_id)
        )
        if nomination.state != NominationState.ELIGIBLE:
            continue
        target = NominationState.SHORTLISTED if entry.shortlisted else NominationState.NOT_SHORTLISTED
        transition(nomination, target, actor=admin)
        email_provider(nomination, "shortlist_published")
    panel.shortlist_published_at = now
    panel.save()
    audit.record(
        actor=admin,
        action="shortlist.published",
        obj=category,
        after={"early": early},
        reason=early_reason.strip() if early else "",
    )


# Site visits -----------------------------------------------------------------------


def visit_problems(nomination, judges) -> list[str]:
    problems = []
    if len(judges) < 2:
        problems.append("A visit needs at least two judges")
    profiles = {p.user_id: p for p in JudgeProfile.objects.filter(user__in=judges)}
    if not any(p.lived_experience != LivedExperience.NONE for p in profiles.values()):
        problems.append("At least one visiting judge must have lived experience of care")
    conflicted = ConflictDeclaration.objects.filter(judge__in=judges, organisation=nomination.organisation_id)
    for conflict in conflicted.select_related("judge"):
        problems.append(f"{conflict.judge.email} has declared a conflict with this organisation")
    members = Membership.objects.filter(user__in=judges, organisation=nomination.organisation_id)
    for membership in members.select_related("user"):
        problems.append(f"{membership.user.email} belongs to this organisation")
    panel_ids = set(
        PanelMember.objects.filter(panel__category=nomination.category_id).values_list("judge_id", flat=True)
    )
    for judge in judges:
        if judge.pk not in panel_ids:
            problems.append(f"{judge.email} is not on this category's panel")
    return problems


def _send_visit_emails(visit, method):
    """The visiting judges' invitations list the visit team; the provider's
    names no judge and carries no judge's address."""
    judges = list(visit.judges.all())
    template = "site_visit_cancelled" if method == "CANCEL" else "site_visit_invitation"
    for_judges = calendar.visit_attachment(visit, judges=judges, method=method)
    recipients = [(judge.email, judge, for_judges) for judge in judges]
    recipients.append((visit.provider_contact_email, None, calendar.visit_attachment(visit, method=method)))
    for email, user, attachment in recipients:
        subject, text, html = render_email(template, {"visit": visit, "person": user})
        queue_rendered_email(
            to=email,
            recipient=user,
            template=template,
            subject=subject,
            text_body=text,
            html_body=html,
            attachments=[attachment],
        )


def _send_cancellation(visit, judge):
    """Tells one judge taken off a visit team that the visit is off for them."""
    attachment = calendar.visit_attachment(visit, judges=[judge], method="CANCEL")
    subject, text, html = render_email("site_visit_cancelled", {"visit": visit, "person": judge})
    queue_rendered_email(
        to=judge.email,
        recipient=judge,
        template="site_visit_cancelled",
        subject=subject,
        text_body=text,
        html_body=html,
        attachments=[attachment],
    )


def _check_visit_times(nomination, details) -> list[str]:
    """Visits happen inside the cycle's site-visit window, and end after they start."""
    cycle = nomination.cycle
    problems = []
    if details["ends_at"] <= details["starts_at"]:
        problems.append("The visit must end after it starts")
    if details["starts_at"] < cycle.site_visits_start or details["ends_at"] > cycle.site_visits_end:
        problems.append(
            f"Visits take place between {uk_datetime(cycle.site_visits_start)} and "
            f"{uk_datetime(cycle.site_visits_end)}, the cycle's site-visit window"
        )
    return problems


@transaction.atomic
def schedule_visit(admin, nomination, judges, **details) -> SiteVisit:
    require(admin, "judging.manage")
    nomination = Nomination.objects.select_for_update().select_related("cycle").get(pk=nomination.pk)
    if nomination.state != NominationState.SHORTLISTED:
        raise DomainError("Only shortlisted nominations are visited")
    problems = visit_problems(nomination, judges) + _check_visit_times(nomination, details)
    if problems:
        raise DomainError("; ".join(problems))
    try:
        with transaction.atomic():
            visit = SiteVisit.objects.create(nomination=nomination, **details)
    except IntegrityError:
        raise DomainError("This nomination already has a visit scheduled: reschedule it instead") from None
    visit.judges.set(judges)
    for judge in judges:
        Assignment.objects.get_or_create(
            nomination=nomination, judge=judge, stage=Stage.SITE_VISIT, state=AssignmentState.ACTIVE
        )
    audit.record(
        actor=admin,
        action="visit.scheduled",
        obj=nomination,
        after={"starts_at": visit.starts_at.isoformat(), "judges": [j.email for j in judges]},
    )
    _send_visit_emails(visit, "REQUEST")
    return visit


@transaction.atomic
def reschedule_visit(admin, visit, judges, **details) -> SiteVisit:
    require(admin, "judging.manage")
    visit = SiteVisit.objects.select_for_update().select_related("nomination__cycle").get(pk=visit.pk)
    if visit.state != VisitState.SCHEDULED:
        raise DomainError("A cancelled visit cannot be rescheduled: schedule a new one")
    if visit.report_submitted_at:
        raise DomainError("This visit has happened and its report is in: it cannot be moved")
    problems = visit_problems(visit.nomination, judges) + _check_visit_times(visit.nomination, details)
    if problems:
        raise DomainError("; ".join(problems))
    before = visit.starts_at.isoformat()
    for field_name, value in details.items():
        setattr(visit, field_name, value)
    visit.sequence += 1
    visit.save()
    visit.judges.set(judges)
    for judge in judges:
        Assignment.objects.get_or_create(
            nomination=visit.nomination, judge=judge, stage=Stage.SITE_VISIT, state=AssignmentState.ACTIVE
        )
    audit.record(
        actor=admin,
        action="visit.rescheduled",
        obj=visit.nomination,
        before={"starts_at": before},
        after={"starts_at": visit.starts_at.isoformat(), "sequence": visit.sequence},
    )
    _send_visit_emails(visit, "REQUEST")
    return visit


@transaction.atomic
def cancel_visit(admin, visit, *, reason: str) -> SiteVisit:
    require(admin, "judging.manage")
    visit = SiteVisit.objects.select_for_update().select_related("nomination").get(pk=visit.pk)
    if visit.state == VisitState.CANCELLED:
        raise DomainError("This visit is already cancelled")
    if not reason.strip():
        raise DomainError("Enter why the visit is cancelled")
    move(visit, VisitState.CANCELLED, VISIT_TRANSITIONS)
    visit.sequence += 1
    visit.save()
    audit.record(actor=admin, action="visit.cancelled", obj=visit.nomination, reason=reason.strip())
    _send_visit_emails(visit, "CANCEL")
    return visit


@transaction.atomic
def submit_visit_report(judge, visit, **report) -> SiteVisit:
    visit = SiteVisit.objects.select_for_update().select_related("nomination").get(pk=visit.pk)
    require(judge, "judging.report_visit", visit)
    if visit.state != VisitState.SCHEDULED:
        raise DomainError("This visit was cancelled")
    if visit.report_submitted_at:
        raise DomainError("The visit report has already been submitted")
    if timezone.now() < visit.starts_at:
        raise DomainError(f"The report can be written once the visit starts, at {uk_datetime(visit.starts_at)}")
    if not report.get("what_was_seen", "").strip():
        raise DomainError("Describe what you saw on the visit")
    for field_name, value in report.items():
        setattr(visit, field_name, value.strip() if isinstance(value, str) else value)
    visit.report_submitted_at = timezone.now()
    visit.report_by = judge
    visit.save()
    nomination = Nomination.objects.select_for_update().get(pk=visit.nomination_id)
    audit.record(actor=judge, action="visit.report_submitted", obj=nomination)
    if nomination.state == NominationState.SHORTLISTED:
        transition(nomination, NominationState.FINALIST, actor=judge, reason="Site visit report submitted")
    return visit


# Final decision and publication ----------------------------------------------------------


def final_scores(category) -> dict[int, Decimal]:
    """Written and visit normalised scores combined with the category's weights."""
    rules = rules_for(category.cycle)
    written = {
        r.nomination_id: r.normalised for r in category_results(category, Stage.WRITTEN, rules.disagreement_threshold)
    }
    visit = {
        r.nomination_id: r.normalised
        for r in category_results(category, Stage.SITE_VISIT, rules.disagreement_threshold)
        if r.judge_count
    }
    scores = {}
    for nomination_id, written_score in written.items():
        visit_score = visit.get(nomination_id)
        if visit_score is None:
            combined = written_score
        else:
            combined = (written_score * category.written_weight + visit_score * category.visit_weight) / 100
        scores[nomination_id] = Decimal(f"{combined:.2f}")
    return scores


@transaction.atomic
def record_final_result(chair, nomination, *, award, citation="", rationale="") -> FinalResult:
    category = nomination.category
    require_that(may_act_as_chair, chair, category, [nomination])
    panel = Panel.objects.get(category=category)
    if panel.state == PanelState.SIGNED_OFF:
        raise DomainError("The panel has signed off its decisions")
    if nomination.state != NominationState.FINALIST:
        raise DomainError("Only finalists receive an award decision")
    if award not in Award.values:
        raise DomainError("Select the award")
    if award != Award.NONE and not citation.strip():
        raise DomainError("Write a citation for the award")
    if not rationale.strip():
        raise DomainError("Record the panel's rationale")
    if (
        award == Award.WINNER
        and FinalResult.objects.filter(nomination__category=category, award=Award.WINNER)
        .exclude(nomination=nomination)
        .exists()
    ):
        raise DomainError("This category already has a winner")
    if award != Award.NONE and panel.no_award_rationale:
        raise DomainError("The panel decided to make no award in this category: take that decision back first")
    score = final_scores(category).get(nomination.pk, Decimal("0"))
    result, _ = FinalResult.objects.update_or_create(
        nomination=nomination,
        defaults={
            "award": award,
            "final_score": score,
            "citation": citation.strip(),
            "rationale": rationale.strip(),
            "decided_by": chair,
        },
    )
    audit.record(
        actor=chair,
        action="final.decided",
        obj=nomination,
        after={"award": award, "final_score": str(score), **_acting(chair, category)},
        reason=rationale.strip(),
    )
    return result


@transaction.atomic
def record_no_award(chair, category, *, rationale: str, now=None) -> Panel:
    """The panel makes no award in its category this year, with its
    rationale: every finalist's decision becomes "no award", and the panel
    can sign off without a winner, so one weak category holds up no other.
    An empty rationale takes the decision back (while the panel is active)."""
    now = now or timezone.now()
    panel = Panel.objects.select_for_update().get(category=category)
    finalists = list(Nomination.objects.filter(category=category, state=NominationState.FINALIST))
    require_that(may_act_as_chair, chair, category, finalists)
    if panel.state != PanelState.ACTIVE:
        raise DomainError("Only an active panel decides its awards")
    if panel.shortlist_published_at is None:
        raise DomainError("The panel decides its awards after the shortlist is published")
    before = panel.no_award_rationale
    if rationale.strip():
        awarded = FinalResult.objects.filter(nomination__in=finalists).exclude(award=Award.NONE)
        if awarded.exists():
            names = ", ".join(r.nomination.reference for r in awarded.select_related("nomination"))
            raise DomainError(f"Take back the awards already decided first: {names}")
        for nomination in finalists:
            FinalResult.objects.update_or_create(
                nomination=nomination,
                defaults={
                    "award": Award.NONE,
                    "final_score": final_scores(category).get(nomination.pk, Decimal("0")),
                    "citation": "",
                    "rationale": rationale.strip(),
                    "decided_by": chair,
                },
            )
    panel.no_award_rationale = rationale.strip()
    panel.no_award_at = now if rationale.strip() else None
    panel.save()
    audit.record(
        actor=chair,
        action="final.no_award" if rationale.strip() else "final.no_award_taken_back",
        obj=panel,
        before={"no_award": bool(before)},
        after={"no_award": bool(rationale.strip()), **_acting(chair, category)},
        reason=rationale.strip(),
    )
    return panel


@transaction.atomic
def sign_off(chair, panel) -> Panel:
    panel = Panel.objects.select_for_update().select_related("category__cycle").get(pk=panel.pk)
    finalists = Nomination.objects.filter(category=panel.category, state=NominationState.FINALIST)
    require_that(may_act_as_chair, chair, panel.category, finalists)
    if panel.state != PanelState.ACTIVE:
        raise DomainError("Only an active panel can sign off")
    problems = composition_problems(panel)
    if panel.shortlist_published_at is None:
        # Every entrant has been told whether they are shortlisted before the
        # panel's decisions become final.
        problems.append("The shortlist has not been published yet")
    undecided = finalists.filter(final_result__isnull=True).count()
    if undecided:
        problems.append(f"{undecided} finalist{'s have' if undecided > 1 else ' has'} no award decision yet")
    if (
        not panel.no_award_rationale
        and not FinalResult.objects.filter(nomination__category=panel.category, award=Award.WINNER).exists()
    ):
        problems.append("The panel has not chosen a winner, nor decided to make no award")
    if problems:
        raise DomainError("; ".join(problems))
    move(panel, PanelState.SIGNED_OFF, PANEL_TRANSITIONS)
    panel.signed_off_at = timezone.now()
    panel.signed_off_by = chair
    panel.save()
    audit.record(
        actor=chair,
        action="panel.signed_off",
        obj=panel,
        before={"state": "active"},
        after={"state": "signed_off", **_acting(chair, panel.category)},
    )
    return panel


AWARD_STATES = {
    Award.WINNER: NominationState.WINNER,
    Award.HIGHLY_COMMENDED: NominationState.HIGHLY_COMMENDED,
    Award.COMMENDED: NominationState.COMMENDED,
}


@transaction.atomic
def approve_results(admin, cycle, now=None, *, early_reason: str = "") -> Publication:
    """Approves the signed-off results; they become public at the cycle's
    announcement instant and not before. Not before the final panel's date,
    unless the administrator records why."""
    require(admin, "judging.manage")
    now = now or timezone.now()
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if Publication.objects.filter(cycle=cycle).exists():
        raise DomainError("The results of this cycle have already been approved")
    early = now < cycle.final_panel
    if early and not early_reason.strip():
        raise DomainError(
            f"The final panel meets at {uk_datetime(cycle.final_panel)}: give the reason for approving the results "
            "before then"
        )
    unsigned = Panel.objects.filter(category__cycle=cycle).exclude(state=PanelState.SIGNED_OFF)
    if unsigned.exists():
        names = ", ".join(p.category.name for p in unsigned.select_related("category"))
        raise DomainError(f"Every panel must sign off first: {names}")
    for result in FinalResult.objects.filter(nomination__cycle=cycle).exclude(award=Award.NONE):
        nomination = Nomination.objects.select_for_update().get(pk=result.nomination_id)
        transition(nomination, AWARD_STATES[result.award], actor=admin)
    publication = Publication.objects.create(cycle=cycle, approved_by=admin, approved_at=now)
    Cycle.objects.filter(pk=cycle.pk).update(results_approved_at=now)
    cycle.results_approved_at = now
    data_changed(RESULTS_DATA)
    audit.record(
        actor=admin,
        action="results.approved",
        obj=cycle,
        after={"public_from": cycle.winners_announced.isoformat(), "early": early},
        reason=early_reason.strip() if early else "",
    )
    return publication


@transaction.atomic
def withdraw_results(admin, cycle, *, reason: str, now=None) -> ResultsCorrection:
    """The one route by which approved results change: an administrator
    withdraws them, with a reason that is published with the corrected
    results. Winners go back to finalists, the winners pages disappear at
    once, the press pack is withdrawn (the media partner is told), and
    entrants who were told the results hear that they are being corrected.
    Panels can then be reopened; approving again announces the corrected
    results, with every correction listed."""
    require(admin, "judging.manage")
    now = now or timezone.now()
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    publication = Publication.objects.filter(cycle=cycle).first()
    if publication is None:
        raise DomainError("The results of this cycle are not approved")
    if not reason.strip():
        raise DomainError("Give the reason for correcting the results: it is published with them")
    correction = ResultsCorrection.objects.create(
        cycle=cycle,
        reason=reason.strip(),
        withdrawn_by=admin,
        withdrawn_at=now,
        was_announced=cycle.results_public(now),
    )
    told = publication.entrants_notified_at is not None
    awarded = Nomination.objects.select_for_update().filter(cycle=cycle, state__in=NominationState.results())
    for nomination in awarded.select_related("cycle", "category", "organisation"):
        transition(nomination, NominationState.FINALIST, actor=admin, reason=reason.strip())
    if told:
        entrants = Nomination.objects.filter(cycle=cycle, state__in=NominationState.entered()).exclude(
            state__in=[NominationState.SUBMITTED, NominationState.INELIGIBLE]
        )
        for nomination in entrants.select_related("cycle", "category", "organisation", "created_by"):
            email_provider(nomination, "results_withdrawn", {"correction": correction})
    for person in User.objects.filter(pk__in=publication.cycle.press_pack_downloads.values("user")):
        queue_email(
            to=person.email,
            recipient=person,
            template="press_pack_withdrawn",
            context={"cycle": cycle, "person": person},
        )
    publication.delete()
    Cycle.objects.filter(pk=cycle.pk).update(results_approved_at=None)
    data_changed(RESULTS_DATA)
    audit.record(
        actor=admin,
        action="results.withdrawn",
        obj=cycle,
        after={"was_announced": correction.was_announced, "entrants_told": told},
        reason=reason.strip(),
    )
    return correction


@transaction.atomic
def reopen_panel(admin, panel, *, reason: str) -> Panel:
    """An administrator reopens a signed-off panel to correct its decisions,
    with a reason: only once the cycle's results are withdrawn, so nothing
    approved changes underneath its approval."""
    require(admin, "judging.manage")
    panel = Panel.objects.select_for_update(of=("self",)).select_related("category__cycle", "chair").get(pk=panel.pk)
    if panel.state != PanelState.SIGNED_OFF:
        raise DomainError("Only a signed-off panel can be reopened")
    if panel.category.cycle.results_approved_at is not None:
        raise DomainError("The cycle's results are approved: withdraw them first, giving the reason")
    if not reason.strip():
        raise DomainError("Give the reason for reopening the panel")
    move(panel, PanelState.ACTIVE, PANEL_TRANSITIONS)
    panel.signed_off_at = None
    panel.signed_off_by = None
    panel.save()
    # Conflicts declared while the panel's work was final apply now that it
    # is active again: the judge stands down from those entrants' work.
    standing = conflict_pairs(
        PanelMember.objects.filter(panel=panel).values("judge"),
        Nomination.objects.filter(category=panel.category_id).values("organisation"),
    )
    for judge_id, organisation_id in sorted(standing):
        _stand_down(
            User.objects.get(pk=judge_id),
            Organisation.objects.get(pk=organisation_id),
            actor=admin,
            panels=Panel.objects.filter(pk=panel.pk),
        )
    audit.record(
        actor=admin,
        action="panel.reopened",
        obj=panel,
        before={"state": "signed_off"},
        after={"state": "active"},
        reason=reason.strip(),
    )
    if panel.chair is not None:
        queue_email(
            to=panel.chair.email,
            recipient=panel.chair,
            template="panel_reopened",
            context={"panel": panel, "person": panel.chair, "reason": reason.strip()},
        )
    return panel


def results_are_public(cycle, now=None) -> bool:
    """The embargo: approved results, and the announcement instant reached."""
    return cycle.results_public(now)


def notify_entrants_of_results(now=None) -> int:
    """Run by Celery beat: once a cycle's embargo lifts, tells every entrant
    that results and feedback are available. The conditional update claims
    each cycle once, so a second worker or a re-run sends nothing."""
    now = now or timezone.now()
    sent = 0
    due = Publication.objects.filter(entrants_notified_at__isnull=True, cycle__winners_announced__lte=now)
    for publication in due.select_related("cycle"):
        with transaction.atomic():
            claimed = Publication.objects.filter(pk=publication.pk, entrants_notified_at__isnull=True).update(
                entrants_notified_at=now
            )
            if not claimed:
                continue
            entrants = Nomination.objects.filter(cycle=publication.cycle, state__in=NominationState.entered()).exclude(
                state__in=[NominationState.SUBMITTED, NominationState.INELIGIBLE]
            )
            for nomination in entrants.select_related("cycle", "category", "organisation", "created_by"):
                email_provider(nomination, "results_published")
                sent += 1
    return sent
