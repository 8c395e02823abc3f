"""What each judge may see, and who each person is to a nomination, in one place."""

from django.db.models import Count, Exists, OuterRef, Q, Value
from django.utils import timezone

from accounts.models import Membership
from accounts.rules import is_media_partner
from awards.disclosure import Audience, phase_of

from .enums import AssignmentState, PanelState, VisitState
from .models import Assignment, ConflictDeclaration, Panel, PanelMember, SiteVisit


def assignments_for_judge(user):
    """A judge sees only the nominations assigned to them and not taken off
    them (a declared conflict removes the assignment)."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.filter(judge=user, state=AssignmentState.ACTIVE)


def visits_for_judge(user):
    """Visits the person is on the team for, except to an organisation they
    have a conflict with (declared, or membership): they see nothing of those."""
    if not user.is_authenticated:
        return SiteVisit.objects.none()
    return (
        SiteVisit.objects.filter(judges=user)
        .exclude(nomination__organisation__conflicts__judge=user)
        .exclude(nomination__organisation__memberships__user=user)
    )


def conflict_pairs(judges, organisations=None) -> set[tuple[int, int]]:
    """(judge id, organisation id) for each of these judges who declared a
    conflict with, or belongs to, an organisation (of `organisations`, if
    given): either way they judge nothing of that organisation's."""
    declared = ConflictDeclaration.objects.filter(judge__in=judges)
    member = Membership.objects.filter(user__in=judges)
    if organisations is not None:
        declared = declared.filter(organisation__in=organisations)
        member = member.filter(organisation__in=organisations)
    return set(
        declared.values_list("judge_id", "organisation_id").union(member.values_list("user_id", "organisation_id"))
    )


def understaffed(category) -> dict[int, str]:
    """Eligible nominations of an active panel's category that have fewer than
    the category's k written scorecards, each with the reason in words: not
    enough panel members without a conflict of interest, or simply not yet
    assigned. Computed from the records every time, so the flag on the panel
    page cannot go stale: a conflict declared today shows at once."""
    from awards.enums import NominationState
    from awards.models import Nomination

    from .enums import Stage

    if not Panel.objects.filter(category=category, state=PanelState.ACTIVE).exists():
        return {}
    k = category.judges_per_nomination
    judges = set(PanelMember.objects.filter(panel__category=category).values_list("judge_id", flat=True))
    have = {
        pk: (organisation, count)
        for pk, organisation, count in Nomination.objects.filter(category=category, state=NominationState.ELIGIBLE)
        .annotate(
            n=Count(
                "assignments",
                filter=Q(assignments__state=AssignmentState.ACTIVE, assignments__stage=Stage.WRITTEN),
            )
        )
        .filter(n__lt=k)
        .values_list("pk", "organisation_id", "n")
    }
    if not have:
        return {}
    conflicted = conflict_pairs(judges, {organisation for organisation, _ in have.values()})
    reasons = {}
    for pk, (organisation, count) in have.items():
        clean = sum(1 for judge in judges if (judge, organisation) not in conflicted)
        if clean < k:
            reasons[pk] = f"Only {clean} of the {k} judges needed are on the panel without a conflict of interest"
        else:
            reasons[pk] = f"{count} of the {k} judges needed are assigned: assign judges to fill the places"
    return reasons


def conflicted_organisations(user, organisation_ids) -> set[int]:
    """Organisations among these that the person declared a conflict with or
    belongs to: either way they judge nothing of theirs."""
    if not user.is_authenticated:
        return set()
    return {organisation for _, organisation in conflict_pairs([user.pk], set(organisation_ids))}


def audiences_for(user, nominations, *, stage=None) -> dict[int, str]:
    """Who the person is to each nomination (awards.disclosure.Audience), in
    a fixed number of queries however many nominations there are.

    In order: a member of the entrant organisation is the entrant, whatever
    else they are; a declared conflict of interest outweighs every role; a
    judge whose own scorecard (at
    `stage`, or any stage) is not yet submitted sees no one else's, even as
    chair or administrator; then administrator, chair, a judge whose scores
    are in, media partner, other panel member, and everyone else."""
    nominations = list(nominations)
    if not user.is_authenticated:
        return dict.fromkeys((n.pk for n in nominations), Audience.PUBLIC)
    ids = [n.pk for n in nominations]
    categories = {n.category_id for n in nominations}
    organisation_ids = {n.organisation_id for n in nominations}
    member = set(
        Membership.objects.filter(user=user, organisation__in=organisation_ids).values_list(
            "organisation_id", flat=True
        )
    )
    declared = set(
        ConflictDeclaration.objects.filter(judge=user, organisation__in=organisation_ids).values_list(
            "organisation_id", flat=True
        )
    )
    mine = Assignment.objects.filter(judge=user, state=AssignmentState.ACTIVE, nomination__in=ids)
    if stage is not None:
        mine = mine.filter(stage=stage)
    assigned, unsubmitted = set(), set()
    for nomination_id, submitted_at in mine.values_list("nomination_id", "submitted_at"):
        assigned.add(nomination_id)
        if submitted_at is None:
            unsubmitted.add(nomination_id)
    chaired = set(Panel.objects.filter(chair=user, category__in=categories).values_list("category_id", flat=True))
    member_of = set(
        PanelMember.objects.filter(judge=user, panel__category__in=categories).values_list(
            "panel__category_id", flat=True
        )
    )
    is_admin = user.has_perm("judging.manage")
    is_media = is_media_partner(user)
    # The first rule that holds names the audience: the order is the precedence.
    precedence = [
        (lambda n: n.organisation_id in member, Audience.ENTRANT),
        (lambda n: n.organisation_id in declared, Audience.CONFLICTED_JUDGE),
        (lambda n: n.pk in unsubmitted, Audience.ASSIGNED_JUDGE),
        (lambda n: is_admin, Audience.ADMIN),
        (lambda n: n.category_id in chaired, Audience.CHAIR),
        (lambda n: n.pk in assigned, Audience.SUBMITTED_JUDGE),
        (lambda n: is_media, Audience.MEDIA),
        (lambda n: n.category_id in member_of, Audience.PANEL_MEMBER),
        (lambda n: True, Audience.PUBLIC),
    ]
    audiences = {n.pk: next(audience for holds, audience in precedence if holds(n)) for n in nominations}
    return audiences


def audience_for(user, nomination, *, stage=None) -> str:
    return audiences_for(user, [nomination], stage=stage)[nomination.pk]


def with_phase_inputs(nominations):
    """Annotates, in the same query, what judging knows of each nomination's
    phase: judges are scoring it, a visit is arranged, its panel signed off."""
    return nominations.annotate(
        phase_scoring=Exists(Assignment.objects.filter(nomination=OuterRef("pk"), state=AssignmentState.ACTIVE)),
        phase_visit=Exists(SiteVisit.objects.filter(nomination=OuterRef("pk"), state=VisitState.SCHEDULED)),
        phase_decided=Exists(Panel.objects.filter(category=OuterRef("category_id"), state=PanelState.SIGNED_OFF)),
    )


def phases_for(nominations, now=None) -> dict[int, str]:
    """Each nomination's phase (awards.disclosure.phase_of). Nominations from
    with_phase_inputs (with their cycle) cost no query; others cost one."""
    nominations = list(nominations)
    if any(not hasattr(n, "phase_scoring") for n in nominations):
        from awards.models import Nomination

        loaded = with_phase_inputs(Nomination.objects.select_related("cycle")).in_bulk([n.pk for n in nominations])
        nominations = [loaded[n.pk] for n in nominations]
    now = now or timezone.now()
    return {
        n.pk: phase_of(n, now, scoring=n.phase_scoring, visit=n.phase_visit, decided=n.phase_decided)
        for n in nominations
    }


def phase_for(nomination, now=None) -> str:
    return phases_for([nomination], now)[nomination.pk]


def withheld_from(user, category, stage) -> tuple[set[int], set[int]]:
    """The category's nominations whose rows this person may not see on the
    ranking, in one query: (conflicted with the entrant, own scorecard at
    this stage not yet submitted). The category-wide form of the first two
    rules of audiences_for."""
    from awards.models import Nomination

    if not user.is_authenticated:
        return set(), set()
    conflicted = (
        Nomination.objects.filter(category=category)
        .filter(Q(organisation__conflicts__judge=user) | Q(organisation__memberships__user=user))
        .annotate(kind=Value("conflicted"))
        .values_list("kind", "pk")
    )
    waiting = (
        Assignment.objects.filter(
            judge=user, nomination__category=category, stage=stage, state=AssignmentState.ACTIVE, submitted_at=None
        )
        .annotate(kind=Value("waiting"))
        .values_list("kind", "nomination_id")
    )
    found = {"conflicted": set(), "waiting": set()}
    for kind, nomination_id in conflicted.union(waiting, all=True):
        found[kind].add(nomination_id)
    return found["conflicted"], found["waiting"] - found["conflicted"]


# The judge's, the chair's and the administrator's worklists (pages.homes) ---------------


def _reopen_reasons(user, assignments) -> dict[int, str]:
    """The chair's reason for each of these scorecards that was reopened and
    is not yet submitted again, in one query (from the audit record that
    judging.domain.reopen_scores writes)."""
    from accounts.models import AuditEvent

    waiting = {str(a.nomination_id): a for a in assignments if not a.is_submitted}
    # Always the one query, whatever is waiting: a judge's reopenings are few.
    events = AuditEvent.objects.filter(
        action="score.reopened", object_type="awards.nomination", before__judge=user.email
    ).order_by("at", "pk")
    reasons = {}
    for object_id, at, reason in events.values_list("object_id", "at", "reason"):
        assignment = waiting.get(object_id)
        if assignment is None:
            continue
        # A reopening before this scorecard was given (another stage's) is not about it.
        if at >= assignment.created_at:
            reasons[assignment.pk] = reason
    return reasons


def judge_worklist(user, now=None) -> list[dict]:
    """The judge's scorecards and visits, one entry per cycle, the latest
    cycle first; every count is of one cycle only. Each scorecard is in one
    group: to do (nothing saved), draft saved, reopened by the chair (with the
    reason) or submitted. A fixed number of queries however many there are."""
    from .models import CriterionScore

    now = now or timezone.now()
    drafted = CriterionScore.objects.filter(assignment=OuterRef("pk")).filter(Q(score__isnull=False) | ~Q(comment=""))
    assignments = list(
        assignments_for_judge(user)
        .select_related("nomination__category", "nomination__cycle__programme")
        .annotate(has_draft=Exists(drafted))
        .order_by("stage", "nomination__reference", "pk")
    )
    # A judge who belongs to the entrant organisation sees nothing of it
    # (the scoring page is closed to them): it is not on their list either.
    hidden = conflicted_organisations(user, {a.nomination.organisation_id for a in assignments})
    assignments = [a for a in assignments if a.nomination.organisation_id not in hidden]
    reasons = _reopen_reasons(user, assignments)
    visits = list(
        visits_for_judge(user)
        .filter(state=VisitState.SCHEDULED)
        .select_related("nomination__category", "nomination__cycle__programme")
        .order_by("starts_at", "pk")
    )
    cycles = {}

    def entry(cycle):
        return cycles.setdefault(
            cycle.pk,
            {
                "cycle": cycle,
                "to_do": [],
                "draft": [],
                "reopened": [],
                "submitted": [],
                "visits": [],
            },
        )

    for assignment in assignments:
        group = entry(assignment.nomination.cycle)
        if assignment.is_submitted:
            group["submitted"].append(assignment)
        elif assignment.pk in reasons:
            assignment.reopen_reason = reasons[assignment.pk]
            group["reopened"].append(assignment)
        elif assignment.has_draft:
            group["draft"].append(assignment)
        else:
            group["to_do"].append(assignment)
    for visit in visits:
        if visit.ends_at >= now:
            entry(visit.nomination.cycle)["visits"].append(visit)
    result = sorted(cycles.values(), key=lambda g: (-g["cycle"].year, g["cycle"].programme.name, g["cycle"].pk))
    for group in result:
        cycle = group["cycle"]
        total = sum(len(group[key]) for key in ("to_do", "draft", "reopened", "submitted"))
        group["total"] = total
        group["submitted_count"] = len(group["submitted"])
        group["waiting"] = total - group["submitted_count"]
        group["deadline"] = cycle.scoring_deadline
        group["overdue"] = group["waiting"] > 0 and cycle.scoring_deadline < now
    return result


def scorecard_progress(categories, now=None) -> dict[int, dict]:
    """For each category: written scorecards submitted, expected (active
    assignments) and overdue (not submitted after the cycle's scoring
    deadline), in one query for them all."""
    from .enums import Stage

    now = now or timezone.now()
    categories = list(categories)
    rows = (
        Assignment.objects.filter(
            nomination__category__in=[c.pk for c in categories], stage=Stage.WRITTEN, state=AssignmentState.ACTIVE
        )
        .values("nomination__category_id")
        .annotate(
            expected=Count("pk"),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
            overdue=Count("pk", filter=Q(submitted_at__isnull=True, nomination__cycle__scoring_deadline__lt=now)),
        )
    )
    found = {row["nomination__category_id"]: row for row in rows}
    return {
        c.pk: {key: found.get(c.pk, {}).get(key, 0) for key in ("expected", "submitted", "overdue")} for c in categories
    }


def chair_overview(user, now=None) -> list[dict]:
    """Each panel this person chairs that has not signed off, with its
    scorecards (submitted of expected), the nominations whose judges disagree
    and what stands in the way of signing off, in words.

    The counts cost one query for every panel; the disagreements and the
    panel's composition a few queries a panel (the ranking comes from the
    shared cache), never more with more nominations or scorecards."""
    from awards.enums import NominationState
    from awards.models import Nomination

    from .domain import composition_problems, judging_settings_for
    from .enums import Award, Stage
    from .models import FinalResult
    from .results import cached_category_results

    now = now or timezone.now()
    panels = list(
        Panel.objects.filter(chair=user)
        .exclude(state=PanelState.SIGNED_OFF)
        .select_related("category__cycle__programme")
        .order_by("-category__cycle__year", "category__name", "pk")
    )
    if not panels:
        return []
    progress = scorecard_progress([p.category for p in panels], now)
    undecided = dict(
        Nomination.objects.filter(
            category__in=[p.category_id for p in panels], state=NominationState.FINALIST, final_result__isnull=True
        )
        .values("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )
    with_winner = set(
        FinalResult.objects.filter(
            nomination__category__in=[p.category_id for p in panels], award=Award.WINNER
        ).values_list("nomination__category_id", flat=True)
    )
    overview = []
    for panel in panels:
        settings = judging_settings_for(panel.category.cycle)
        rows = (
            cached_category_results(
                panel,
                Stage.WRITTEN,
                settings.disagreement_threshold,
                min_scorecards=settings.min_scorecards_for_normalisation,
            )
            if panel.state == PanelState.ACTIVE
            else []
        )
        # The chair sees no row of a conflicted nomination, nor of one whose
        # own scorecard they have not submitted (as on the ranking page).
        conflicted, waiting_own = withheld_from(user, panel.category, Stage.WRITTEN) if rows else (set(), set())
        blockers = composition_problems(panel)
        counts = progress[panel.category_id]
        if counts["submitted"] < counts["expected"]:
            waiting = counts["expected"] - counts["submitted"]
            blockers.append(f"{waiting} scorecard{'s are' if waiting > 1 else ' is'} not submitted yet")
        if panel.shortlist_published_at is None:
            blockers.append("The shortlist has not been published yet")
        if undecided.get(panel.category_id):
            n = undecided[panel.category_id]
            blockers.append(f"{n} finalist{'s have' if n > 1 else ' has'} no award decision yet")
        if not panel.no_award_rationale and panel.category_id not in with_winner:
            blockers.append("The panel has not chosen a winner, nor decided to make no award")
        overview.append(
            {
                "panel": panel,
                "progress": counts,
                "disagreements": [
                    row.reference
                    for row in rows
                    if row.disagreement and row.nomination_id not in conflicted | waiting_own
                ],
                "blockers": blockers,
            }
        )
    return overview


# Setting up a panel: the lists an administrator picks from, and who holds what.


def judge_candidates(panel, search: str = ""):
    """People an administrator may add to the panel: active holders of the
    judge role (accounts.queries.holders_of) not on it yet, with their judge
    profile (sector, lived experience) to balance the panel. `search`
    narrows them by name or email address."""
    from accounts.enums import SiteRole
    from accounts.queries import holders_of

    people = (
        holders_of(SiteRole.JUDGE)
        .exclude(panel_memberships__panel=panel)
        .select_related("judge_profile")
        .order_by("full_name", "email")
    )
    search = search.strip()
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return people


def assignable_nominations(category, search: str = ""):
    """The category's nominations found eligible (and not yet shortlisted):
    the only ones given to judges to score. `search` narrows them by
    reference or service name. Each has `judge_count`, its written scorecards."""
    from awards.enums import NominationState
    from awards.models import Nomination

    from .enums import Stage

    nominations = (
        Nomination.objects.filter(category=category, state=NominationState.ELIGIBLE)
        .annotate(
            judge_count=Count(
                "assignments",
                filter=Q(assignments__state=AssignmentState.ACTIVE, assignments__stage=Stage.WRITTEN),
            )
        )
        .order_by("reference")
    )
    search = search.strip()
    if search:
        nominations = nominations.filter(Q(reference__icontains=search) | Q(service_name__icontains=search))
    return nominations


def assignment_grid(nominations, members, *, show_conflicts: bool) -> list[dict]:
    """Who holds which written scorecard: one row per nomination, one cell per
    member in the order given, each "submitted", "assigned" (not submitted),
    "conflict" (a conflict of interest with the entrant, shown to those who
    may see conflicts) or "" (not theirs). Three queries however large the panel."""
    from .enums import Stage

    nominations = list(nominations)
    member_ids = [member.pk for member in members]
    held = {
        (nomination_id, judge_id): submitted_at is not None
        for nomination_id, judge_id, submitted_at in Assignment.objects.filter(
            nomination__in=[n.pk for n in nominations],
            judge__in=member_ids,
            stage=Stage.WRITTEN,
            state=AssignmentState.ACTIVE,
        ).values_list("nomination_id", "judge_id", "submitted_at")
    }
    conflicted = set()
    if show_conflicts and nominations:
        conflicted = conflict_pairs(member_ids, {n.organisation_id for n in nominations})
    rows = []
    for nomination in nominations:
        cells = []
        for judge_id in member_ids:
            if (nomination.pk, judge_id) in held:
                state = "submitted" if held[(nomination.pk, judge_id)] else "assigned"
            elif (judge_id, nomination.organisation_id) in conflicted:
                state = "conflict"
            else:
                state = ""
            cells.append(state)
        rows.append({"nomination": nomination, "cells": cells})
    return rows


def shortlist_recipients(category) -> dict:
    """Who publishing the category's decided shortlist emails: each entrant
    still eligible (the person who started the nomination and their
    organisation's administrators), counted for the confirmation page."""
    from accounts.enums import MembershipRole
    from accounts.models import User
    from awards.enums import NominationState

    from .models import ShortlistEntry

    entries = ShortlistEntry.objects.filter(
        nomination__category=category, nomination__state=NominationState.ELIGIBLE
    ).values_list("nomination_id", "nomination__organisation_id", "shortlisted")
    entries = list(entries)
    organisations = {organisation for _, organisation, _ in entries}
    people = User.objects.filter(is_active=True).filter(
        Q(
            memberships__organisation__in=organisations,
            memberships__role=MembershipRole.ADMIN,
        )
        | Q(nominations_started__in=[nomination for nomination, _, _ in entries])
    )
    return {
        "nominations": len(entries),
        "shortlisted": sum(1 for *_, shortlisted in entries if shortlisted),
        "providers": len(organisations),
        "people": people.distinct().count(),
    }


def work_held_by(category_id, judge):
    """The judge's active scorecards (either stage) in the category, and the
    visit teams they are on there that have not reported yet: what removing
    them from the panel hands to another member. Two querysets, unevaluated."""
    assignments = (
        Assignment.objects.filter(judge=judge, nomination__category=category_id, state=AssignmentState.ACTIVE)
        .select_related("nomination")
        .order_by("nomination__reference", "stage")
    )
    visits = (
        SiteVisit.objects.filter(
            judges=judge,
            nomination__category=category_id,
            state=VisitState.SCHEDULED,
            report_submitted_at__isnull=True,
        )
        .select_related("nomination")
        .prefetch_related("judges__judge_profile")
        .order_by("starts_at")
    )
    return assignments, visits
