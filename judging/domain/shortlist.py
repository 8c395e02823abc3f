"""The shortlist: the panel deciding it, and publishing it to every entrant."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts import audit
from awards.domain import email_provider, transition
from awards.enums import NominationState
from awards.models import Nomination
from core.errors import DomainError
from core.formats import uk_datetime
from core.permissions import require, require_that

from ..enums import AssignmentState, Stage
from ..models import Assignment, Panel, ShortlistEntry
from ..results import category_results
from ..rules import may_decide_shortlist
from ._common import judging_settings_for

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
    rules = judging_settings_for(category.cycle)
    ranking = category_results(
        category, Stage.WRITTEN, rules.disagreement_threshold, min_scorecards=rules.min_scorecards_for_normalisation
    )
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
