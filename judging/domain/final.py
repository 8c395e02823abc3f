"""The panel's final decisions: combined scores, each finalist's award, making no
award in a category, and the chair signing the panel off."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts import audit
from awards.enums import NominationState
from awards.models import Nomination
from core.errors import DomainError
from core.permissions import require_that
from core.states import move

from ..enums import PANEL_TRANSITIONS, Award, PanelState, Stage
from ..models import FinalResult, Panel
from ..results import category_results
from ..rules import may_act_as_chair
from ._common import _acting, judging_settings_for
from .panels import composition_problems

# Final decisions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FinalScore:
    """A finalist's combined score and, beside it, the lived-experience
    judges' combined mean (None: no judge with lived experience scored it)."""

    score: Decimal
    lived_experience: Decimal | None

    def divergence(self) -> Decimal | None:
        return None if self.lived_experience is None else abs(self.score - self.lived_experience)

    def needs_lived_experience_consideration(self, threshold) -> bool:
        """Whether the two differ by more than the cycle's threshold (None: the check is off)."""
        divergence = self.divergence()
        return threshold is not None and divergence is not None and divergence > threshold


def _combine(category, written, visit) -> float | None:
    """The category's weighting of the two stages; a stage nobody scored is left out."""
    if written is None or visit is None:
        return visit if written is None else written
    return (written * category.written_weight + visit * category.visit_weight) / 100


def final_scores_with_lived_experience(category) -> dict[int, FinalScore]:
    """Written and visit normalised scores combined with the category's
    weights, and the lived-experience judges' means combined the same way
    (from the stages where one of them scored)."""
    rules = judging_settings_for(category.cycle)
    minimum = rules.min_scorecards_for_normalisation
    written = {
        r.nomination_id: r
        for r in category_results(category, Stage.WRITTEN, rules.disagreement_threshold, min_scorecards=minimum)
    }
    visit = {
        r.nomination_id: r
        for r in category_results(category, Stage.SITE_VISIT, rules.disagreement_threshold, min_scorecards=minimum)
        if r.judge_count
    }
    scores = {}
    for nomination_id, row in written.items():
        visit_row = visit.get(nomination_id)
        combined = _combine(category, row.normalised, visit_row.normalised if visit_row else None)
        lived = _combine(category, row.lived_experience, visit_row.lived_experience if visit_row else None)
        scores[nomination_id] = FinalScore(
            Decimal(f"{combined:.2f}"), None if lived is None else Decimal(f"{lived:.2f}")
        )
    return scores


def final_scores(category) -> dict[int, Decimal]:
    """Written and visit normalised scores combined with the category's weights."""
    return {pk: final.score for pk, final in final_scores_with_lived_experience(category).items()}


@transaction.atomic
def record_final_result(
    chair, nomination, *, award, citation="", rationale="", lived_experience_consideration=""
) -> FinalResult:
    """The award decision for one finalist, with the panel's rationale. When
    the cycle sets a lived-experience divergence threshold and the
    lived-experience judges' mean differs from the final score by more than
    it, the chair must also say how their view was considered."""
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
    final = final_scores_with_lived_experience(category).get(nomination.pk, FinalScore(Decimal("0"), None))
    threshold = judging_settings_for(category.cycle).lived_experience_divergence_threshold
    consideration = lived_experience_consideration.strip()
    if final.needs_lived_experience_consideration(threshold) and not consideration:
        raise DomainError(
            f"Say how the lived-experience judges' view was considered: their mean ({final.lived_experience}) "
            f"differs from the final score ({final.score}) by more than {threshold} points"
        )
    score = final.score
    result, _ = FinalResult.objects.update_or_create(
        nomination=nomination,
        defaults={
            "award": award,
            "final_score": score,
            "citation": citation.strip(),
            "rationale": rationale.strip(),
            "lived_experience_consideration": consideration,
            "decided_by": chair,
        },
    )
    audit.record(
        actor=chair,
        action="final.decided",
        obj=nomination,
        after={
            "award": award,
            "final_score": str(score),
            "lived_experience_mean": None if final.lived_experience is None else str(final.lived_experience),
            "lived_experience_consideration": consideration,
            **_acting(chair, category),
        },
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


def sign_off_problems(panel) -> list[str]:
    """What stops the panel signing off, in words the chair can act on (none: it may)."""
    finalists = Nomination.objects.filter(category=panel.category, state=NominationState.FINALIST)
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
    return problems


@transaction.atomic
def sign_off(chair, panel) -> Panel:
    panel = Panel.objects.select_for_update().select_related("category__cycle").get(pk=panel.pk)
    finalists = Nomination.objects.filter(category=panel.category, state=NominationState.FINALIST)
    require_that(may_act_as_chair, chair, panel.category, finalists)
    if panel.state != PanelState.ACTIVE:
        raise DomainError("Only an active panel can sign off")
    problems = sign_off_problems(panel)
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
