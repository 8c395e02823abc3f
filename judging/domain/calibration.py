"""Calibration: before scoring real entries, the judges of a panel score
shared example entries, so the chair can see who marks harder or softer
than the panel.

- An awards administrator writes the examples of a category (made up or
  fully anonymised: never a real entrant's data).
- A judge on the category's panel scores each example on the written-stage
  criteria, every criterion at once, until they submit their first real
  written scorecard in the category: calibration comes before scoring.
- Calibration scores live in their own table (CalibrationScore) and never
  enter a ranking (judging.results reads only real scorecards).
- The chair and administrators see, for each judge, the mean difference
  between the judge's total on an example and the panel's mean total on it.
"""

import statistics
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from core.errors import DomainError
from core.permissions import require

from ..enums import AssignmentState, Stage
from ..models import Assignment, CalibrationExample, CalibrationScore, PanelMember
from ..results import weighted_total


def calibration_criteria(category) -> list:
    """The criteria an example is scored on: the category's written stage."""
    return list(category.criteria.filter(stage=Stage.WRITTEN).order_by("order", "pk"))


@transaction.atomic
def add_calibration_example(user, category, *, title: str, entry_text: str) -> CalibrationExample:
    require(user, "judging.add_calibration_example")
    title, entry_text = title.strip(), entry_text.strip()
    if not title:
        raise DomainError("Enter a title for the example")
    if not entry_text:
        raise DomainError("Enter the example entry")
    try:
        with transaction.atomic():
            example = CalibrationExample.objects.create(
                category=category, title=title, entry_text=entry_text, created_by=user
            )
    except IntegrityError:
        raise DomainError(f"This category already has an example called {title}") from None
    audit.record(actor=user, action="calibration.example_added", obj=example, after={"title": title})
    return example


def has_started_scoring(judge, category) -> bool:
    """Whether the judge has submitted a real written scorecard in the category."""
    return Assignment.objects.filter(
        judge=judge,
        nomination__category=category,
        stage=Stage.WRITTEN,
        state=AssignmentState.ACTIVE,
        submitted_at__isnull=False,
    ).exists()


@transaction.atomic
def record_calibration_scores(judge, example, scores: dict[int, int | None], *, now=None) -> list[CalibrationScore]:
    """The judge's scores for every written-stage criterion of the example's
    category (criterion id -> score), replacing any they gave before. Refused
    once the judge has submitted a real written scorecard in the category."""
    require(judge, "judging.calibrate", example)
    now = now or timezone.now()
    criteria = calibration_criteria(example.category)
    if not criteria:
        raise DomainError("This category has no written-stage criteria to score the example on")
    if has_started_scoring(judge, example.category):
        raise DomainError(
            "Calibration comes before scoring: you have already submitted scores in this category, "
            "so your calibration scores can no longer change"
        )
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None:
            raise DomainError(f"Enter a score for {criterion.name}")
        if not 0 <= score <= criterion.max_score:
            raise DomainError(f"The score for {criterion.name} must be between 0 and {criterion.max_score}")
    CalibrationScore.objects.filter(example=example, judge=judge).delete()
    saved = CalibrationScore.objects.bulk_create(
        CalibrationScore(example=example, judge=judge, criterion=c, score=scores[c.pk], recorded_at=now)
        for c in criteria
    )
    audit.record(
        actor=judge,
        action="calibration.scored",
        obj=example,
        after={"scores": {str(c.pk): scores[c.pk] for c in criteria}},
    )
    return saved


@dataclass(frozen=True)
class JudgeOffset:
    """How one judge's calibration totals sit against the panel's."""

    judge_id: int
    examples: int
    mean_total: float
    offset: float  # mean of (judge's total - panel's mean total), per example scored

    @property
    def direction(self) -> str:
        if abs(self.offset) < 0.05:
            return "in line with the panel"
        return "more generous than the panel" if self.offset > 0 else "harsher than the panel"


def calibration_offsets(totals: dict[tuple[int, int], float]) -> dict[int, JudgeOffset]:
    """(judge, example) -> total out of 100, to each judge's offset from the
    panel: for every example they scored, their total minus the mean total
    of all the judges who scored it, averaged over their examples."""
    by_example: dict[int, list[float]] = {}
    for (_, example), total in totals.items():
        by_example.setdefault(example, []).append(total)
    panel_mean = {example: statistics.fmean(values) for example, values in by_example.items()}
    mine: dict[int, list[tuple[float, float]]] = {}
    for (judge, example), total in totals.items():
        mine.setdefault(judge, []).append((total, total - panel_mean[example]))
    return {
        judge: JudgeOffset(
            judge_id=judge,
            examples=len(pairs),
            mean_total=statistics.fmean(total for total, _ in pairs),
            offset=statistics.fmean(difference for _, difference in pairs),
        )
        for judge, pairs in mine.items()
    }


def calibration_table(category) -> list[dict]:
    """One row per panel member, by name: examples scored, mean total and
    offset from the panel (None where they have scored no example). Three
    queries, however many judges and examples."""
    criteria = [(c.pk, c.weight, c.max_score) for c in calibration_criteria(category)]
    cards: dict[tuple[int, int], dict[int, int]] = {}
    for judge, example, criterion, score in CalibrationScore.objects.filter(example__category=category).values_list(
        "judge_id", "example_id", "criterion_id", "score"
    ):
        cards.setdefault((judge, example), {})[criterion] = score
    offsets = calibration_offsets({key: weighted_total(card, criteria) for key, card in cards.items()})
    members = PanelMember.objects.filter(panel__category=category).select_related("judge").order_by("judge__full_name")
    return [{"judge": member.judge, "offset": offsets.get(member.judge_id)} for member in members]
