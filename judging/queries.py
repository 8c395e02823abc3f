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
