"""Panels: composition rules, members, the chair, activation, and assigning
nominations to judges (automatically, or an administrator's override)."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from accounts import audit
from accounts.models import Membership, User
from accounts.rules import is_judge
from awards.enums import NominationState
from awards.models import Nomination
from core.errors import DomainError
from core.permissions import require
from core.states import move, move_all
from notifications.mail import queue_email

from ..assignment import NominationToAssign, plan_assignments
from ..enums import ASSIGNMENT_TRANSITIONS, PANEL_TRANSITIONS, AssignmentState, PanelState, Stage
from ..models import Assignment, ConflictDeclaration, JudgingSettings, Panel, PanelMember
from ..queries import conflict_pairs, work_held_by
from ..rules import panel_not_signed_off
from ._common import _scores_changed, judging_settings_for
from .visits import _send_cancellation, _send_visit_emails, visit_problems

# Panels ------------------------------------------------------------------------------

RULE_FIELDS = [
    "min_panel_size",
    "min_lived_experience",
    "min_sectors",
    "disagreement_threshold",
    "shortlist_size",
    "lived_experience_divergence_threshold",
    "min_scorecards_for_normalisation",
]


@transaction.atomic
def save_judging_settings(admin, rules: JudgingSettings) -> JudgingSettings:
    """Saves a cycle's judging settings (panel composition, disagreement
    threshold, shortlist size) with what changed in the audit log. Once any
    panel of the cycle is signed off, its decisions were taken under these
    rules, so they no longer change."""
    require(admin, "judging.manage")
    if Panel.objects.filter(category__cycle=rules.cycle_id, state=PanelState.SIGNED_OFF).exists():
        raise DomainError("A panel of this cycle has signed off: its judging settings no longer change")
    saved = JudgingSettings.objects.filter(pk=rules.pk).values(*RULE_FIELDS).first() or {}
    changed = {f: getattr(rules, f) for f in RULE_FIELDS if saved.get(f) != getattr(rules, f)}
    rules.save()
    audit.record(
        actor=admin,
        action="judging.rules_saved",
        obj=rules.cycle,
        before={f: saved[f] for f in changed if f in saved},
        after=changed,
    )
    return rules


@transaction.atomic
def open_panels(admin, cycle) -> int:
    """A panel, being set up, for each category of the cycle that has none yet."""
    require(admin, "judging.manage")
    missing = list(cycle.categories.filter(panel__isnull=True))
    Panel.objects.bulk_create([Panel(category=category) for category in missing])
    for category in missing:
        audit.record(actor=admin, action="panel.opened", obj=category, after={"category": category.name})
    return len(missing)


def composition_problems(panel: Panel, *, without=None, chair=None) -> list[str]:
    """Each rule the panel breaks, in words an administrator can act on.
    `without` (a member) and `chair` (a new chair) ask what the panel would
    break after removing that member, as the removal's confirmation shows."""
    rules = judging_settings_for(panel.category.cycle)
    members = User.objects.filter(panel_memberships__panel=panel).select_related("judge_profile")
    if without is not None:
        members = members.exclude(pk=without.pk)
    members = list(members)
    chair_id = chair.pk if chair is not None else panel.chair_id
    if without is not None and chair_id == without.pk:
        chair_id = None
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
    if chair_id is None:
        problems.append("The panel needs a chair")
    elif chair_id not in {m.pk for m in members}:
        problems.append("The chair must be a member of the panel")
    return problems


@transaction.atomic
def add_panel_member(admin, panel, judge) -> PanelMember:
    require(admin, "judging.manage")
    if not is_judge(judge) or not judge.is_active:
        raise DomainError(f"{judge.email} is not an active judge: invite them first")
    if not panel_not_signed_off(admin, panel):
        raise DomainError("A signed-off panel cannot change")
    member, created = PanelMember.objects.get_or_create(panel=panel, judge=judge)
    if not created:
        raise DomainError(f"{judge.email} is already on this panel")
    audit.record(actor=admin, action="panel.member_added", obj=panel, after={"judge": judge.email})
    return member


@transaction.atomic
def add_panel_members(admin, panel, judges) -> list[PanelMember]:
    """Adds the judges chosen from the list, all or none: one who cannot join
    (not an active judge, already a member) refuses the whole choice."""
    if not judges:
        raise DomainError("Select at least one judge to add to the panel")
    return [add_panel_member(admin, panel, judge) for judge in judges]


LEFT_PANEL_REASON = "The judge left the panel"


@dataclass
class MemberRemoval:
    """What removing a member did: their scorecards, now with `reassigned_to`."""

    judge: User
    reassigned_to: User | None
    unsubmitted: list = field(default_factory=list)
    submitted: list = field(default_factory=list)
    visits: list = field(default_factory=list)
    new_chair: User | None = None


def _removal_refusals(panel, judge, held, visits, *, reassign_to, new_chair, reason) -> list[str]:
    """Why this removal cannot go ahead as asked (nothing is written while any remains)."""
    member_ids = set(panel.memberships.values_list("judge_id", flat=True))
    refusals = []
    if reassign_to is not None and (reassign_to.pk == judge.pk or reassign_to.pk not in member_ids):
        refusals.append("The judge who takes over must be another member of the panel")
    if panel.chair_id == judge.pk and member_ids - {judge.pk}:
        if new_chair is None:
            refusals.append(f"{judge.email} chairs the panel: choose the new chair")
        elif new_chair.pk == judge.pk or new_chair.pk not in member_ids:
            refusals.append("The new chair must be another member of the panel")
    submitted = sorted(a.nomination.reference for a in held if a.submitted_at)
    if submitted and not reason.strip():
        refusals.append(
            f"{judge.email} has submitted scores for {', '.join(submitted)}: give the reason for handing "
            "them to another judge, who scores them again"
        )
    if (held or visits) and reassign_to is None:
        count = f"{len(held)} scorecard{'s' if len(held) != 1 else ''}"
        refusals.append(f"{judge.email} holds {count}: choose who takes them over")
    if reassign_to is None or refusals:
        return refusals
    organisations = {a.nomination.organisation_id for a in held} | {v.nomination.organisation_id for v in visits}
    conflicted = {org for _, org in conflict_pairs([reassign_to.pk], organisations)}
    clash = sorted(
        {a.nomination.reference for a in held if a.nomination.organisation_id in conflicted}
        | {v.nomination.reference for v in visits if v.nomination.organisation_id in conflicted}
    )
    if clash:
        refusals.append(
            f"{reassign_to.email} has a conflict of interest with the entrant of {', '.join(clash)}: "
            "choose another member"
        )
    already = set(
        Assignment.objects.filter(
            judge=reassign_to, state=AssignmentState.ACTIVE, nomination__in=[a.nomination_id for a in held]
        ).values_list("nomination_id", "stage")
    )
    doubled = sorted({a.nomination.reference for a in held if (a.nomination_id, a.stage) in already})
    if doubled:
        refusals.append(f"{reassign_to.email} already scores {', '.join(doubled)}: choose another member")
    for visit in visits:
        team = [j for j in visit.judges.all() if j.pk != judge.pk] + [reassign_to]
        for problem in visit_problems(visit.nomination, team):
            refusals.append(f"The visit to {visit.nomination.reference}: {problem}")
    return refusals


@transaction.atomic
def remove_panel_member(admin, panel, judge, *, reassign_to=None, new_chair=None, reason="") -> MemberRemoval:
    """Takes a judge off the panel. Their scorecards in the category (and
    places on visit teams not yet reported) go to `reassign_to`, another
    member with no conflict of interest: unsubmitted ones as they are;
    submitted ones only with `reason`, to be scored again. The chair leaves
    only with `new_chair` named. An active panel must still meet every
    composition rule afterwards; a signed-off panel's members are final.
    The judge who leaves, the one who takes over and a new chair are emailed."""
    require(admin, "judging.manage")
    panel = Panel.objects.select_for_update(of=("self",)).select_related("category__cycle", "chair").get(pk=panel.pk)
    if not panel_not_signed_off(admin, panel):
        raise DomainError("The panel has signed off: its members are final. Reopen the panel first to change them")
    if not PanelMember.objects.filter(panel=panel, judge=judge).exists():
        raise DomainError(f"{judge.email} is not on this panel")
    assignments, visits = work_held_by(panel.category_id, judge)
    held = list(assignments.select_for_update(of=("self",)))
    visits = list(visits.select_for_update(of=("self",)))
    refusals = _removal_refusals(
        panel, judge, held, visits, reassign_to=reassign_to, new_chair=new_chair, reason=reason
    )
    if panel.state == PanelState.ACTIVE and not refusals:
        chair = new_chair if panel.chair_id == judge.pk else None
        refusals += composition_problems(panel, without=judge, chair=chair)
    if refusals:
        raise DomainError("; ".join(refusals))
    removal = MemberRemoval(judge=judge, reassigned_to=reassign_to)
    why = reason.strip() or LEFT_PANEL_REASON
    for assignment in held:
        move(assignment, AssignmentState.REMOVED, ASSIGNMENT_TRANSITIONS)
        assignment.removed_reason = why
        assignment.save()
        Assignment.objects.create(
            nomination=assignment.nomination,
            judge=reassign_to,
            stage=assignment.stage,
            is_override=True,
            override_reason=f"Taken over from {judge.email}: {why}",
        )
        (removal.submitted if assignment.submitted_at else removal.unsubmitted).append(assignment)
    for visit in visits:
        visit.judges.remove(judge)
        visit.judges.add(reassign_to)
        visit.sequence += 1
        visit.save()
        _send_cancellation(visit, judge)
        _send_visit_emails(visit, "REQUEST")
        removal.visits.append(visit)
    PanelMember.objects.filter(panel=panel, judge=judge).delete()
    before = {"judge": judge.email}
    after = {}
    if panel.chair_id == judge.pk:
        before["chair"] = judge.email
        panel.chair = new_chair
        after["chair"] = new_chair.email if new_chair else None
        removal.new_chair = new_chair
        panel.save(update_fields=["chair"])
    if held:
        _scores_changed(panel.category_id)
    if reassign_to is not None:
        after.update(
            reassigned_to=reassign_to.email,
            unsubmitted=[a.nomination.reference for a in removal.unsubmitted],
            submitted=[a.nomination.reference for a in removal.submitted],
            visits=[v.nomination.reference for v in removal.visits],
        )
    audit.record(
        actor=admin, action="panel.member_removed", obj=panel, before=before, after=after, reason=reason.strip()
    )
    _email_removal(panel, removal, reason=reason.strip())
    return removal


def _email_removal(panel, removal, *, reason):
    queue_email(
        to=removal.judge.email,
        recipient=removal.judge,
        template="panel_member_removed",
        context={"person": removal.judge, "panel": panel, "removal": removal, "reason": reason},
    )
    told = set()
    for person in (removal.reassigned_to, removal.new_chair):
        if person is None or person.pk in told:
            continue
        told.add(person.pk)
        queue_email(
            to=person.email,
            recipient=person,
            template="panel_work_handed_over",
            context={
                "person": person,
                "panel": panel,
                "removal": removal,
                "takes_over": person == removal.reassigned_to,
                "chairs": person == removal.new_chair,
            },
        )


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
