"""Scoring: judges' scorecards, the chair reopening one, and casting decisions
between tied nominations."""

from django.db import transaction
from django.utils import timezone

from accounts import audit
from core.errors import DomainError
from core.permissions import require, require_that
from notifications.mail import queue_email

from ..enums import PanelState
from ..models import Assignment, CriterionScore, Panel, TieBreak
from ..rules import may_act_as_chair
from ._common import _acting, _scores_changed

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
