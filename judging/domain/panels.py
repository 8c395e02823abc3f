"""Panels: composition rules, members, the chair, activation, and assigning
nominations to judges (automatically, or an administrator's override)."""

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

from ..assignment import NominationToAssign, plan_assignments
from ..enums import ASSIGNMENT_TRANSITIONS, PANEL_TRANSITIONS, AssignmentState, PanelState, Stage
from ..models import Assignment, ConflictDeclaration, JudgingSettings, Panel, PanelMember
from ..queries import conflict_pairs
from ._common import _scores_changed, judging_settings_for

# Panels ------------------------------------------------------------------------------

RULE_FIELDS = ["min_panel_size", "min_lived_experience", "min_sectors", "disagreement_threshold", "shortlist_size"]


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


def composition_problems(panel: Panel) -> list[str]:
    """Each rule the panel breaks, in words an administrator can act on."""
    rules = judging_settings_for(panel.category.cycle)
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
