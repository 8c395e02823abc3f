"""Scores to results: weighted totals, per-judge normalisation, spread and ranking.

Totals are out of 100: each criterion's score is divided by its maximum and
weighted. Harsh or lenient judges are corrected with z-scores: each judge's
totals are standardised against that judge's own mean and spread, then put
back on the 0-100 scale with the mean and spread of all totals in the
category and stage. A judge with fewer submitted scorecards than the
cycle's minimum (JudgingSettings.min_scorecards_for_normalisation, default 2,
the fewest a spread can be measured on) has too little to standardise
against, so their raw totals are used and the row lists them (raw_judges).

Lived-experience voice: each row also carries the mean of the normalised
totals of its judges with lived experience of care (None when none of them
scored it). It is shown beside the normalised score and never changes the
ranking; the cycle's divergence threshold only asks the chair's final
decision to say how their view was considered (judging.domain.final).
Calibration scores (judging.domain.calibration) are kept in their own table
and never read here.

Ranking, highest first: the normalised score; then the mean on the
highest-weighted criterion (as a percentage of its maximum); then the chair's
recorded casting decisions; nominations still tied are listed by reference
and flagged as needing a casting decision.
"""

import hashlib
import statistics
from dataclasses import astuple, dataclass, field
from itertools import groupby

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum

from .enums import AssignmentState


@dataclass
class Row:
    nomination_id: int
    reference: str
    judge_totals: dict[int, float] = field(default_factory=dict)
    normalised_totals: dict[int, float] = field(default_factory=dict)
    top_criterion: float = 0.0
    mean: float = 0.0
    normalised: float = 0.0
    spread: float = 0.0
    disagreement: bool = False
    tied: bool = False
    needs_casting_vote: bool = False
    rank: int = 0
    # Added last: cached rows are stored as tuples in this order.
    lived_experience: float | None = None
    lived_experience_judges: int = 0
    raw_judges: list[int] = field(default_factory=list)

    def lived_experience_divergence(self) -> float | None:
        """How far the lived-experience judges' mean is from the normalised score."""
        if self.lived_experience is None:
            return None
        return abs(self.normalised - self.lived_experience)

    @property
    def judge_count(self) -> int:
        return len(self.judge_totals)


def weighted_total(scores: dict[int, int], criteria: list[tuple[int, int, int]]) -> float:
    """criteria: (id, weight, max_score). Returns 0-100."""
    weight_sum = sum(weight for _, weight, _ in criteria)
    if not weight_sum:
        return 0.0
    return 100 * sum(weight * scores.get(cid, 0) / maximum for cid, weight, maximum in criteria) / weight_sum


DEFAULT_MIN_SCORECARDS = 2


def raw_fallback_judges(totals: dict[tuple[int, int], float], minimum: int = DEFAULT_MIN_SCORECARDS) -> set[int]:
    """The judges with fewer scorecards than the minimum: their totals are used raw."""
    counts: dict[int, int] = {}
    for judge, _ in totals:
        counts[judge] = counts.get(judge, 0) + 1
    return {judge for judge, count in counts.items() if count < minimum}


def normalise(
    totals: dict[tuple[int, int], float], minimum: int = DEFAULT_MIN_SCORECARDS
) -> dict[tuple[int, int], float]:
    """(judge, nomination) -> raw total, to (judge, nomination) -> normalised
    total; judges with fewer than `minimum` scorecards (never fewer than two)
    keep their raw totals."""
    if not totals:
        return {}
    values = list(totals.values())
    overall_mean = statistics.fmean(values)
    overall_sd = statistics.pstdev(values)
    by_judge: dict[int, list[float]] = {}
    for (judge, _), total in totals.items():
        by_judge.setdefault(judge, []).append(total)
    # Each judge's mean and spread, computed once.
    minimum = max(2, minimum)
    judge_stats = {
        judge: (statistics.fmean(mine), statistics.pstdev(mine))
        for judge, mine in by_judge.items()
        if len(mine) >= minimum
    }
    result = {}
    for (judge, nomination), total in totals.items():
        if judge not in judge_stats:
            result[(judge, nomination)] = total
            continue
        mean, sd = judge_stats[judge]
        z = 0.0 if sd == 0 else (total - mean) / sd
        result[(judge, nomination)] = min(100.0, max(0.0, overall_mean + z * overall_sd))
    return result


def compute(
    nominations: list[tuple[int, str]],
    criteria: list[tuple[int, int, int]],
    scores: list[tuple[int, int, int, int]],
    *,
    threshold: float,
    casting: list[tuple[int, int]] = (),
    lived_experience_judges: frozenset[int] | set[int] = frozenset(),
    min_scorecards: int = DEFAULT_MIN_SCORECARDS,
) -> list[Row]:
    """nominations: (id, reference); scores: (nomination, judge, criterion, score)
    from submitted scorecards; casting: (preferred, over) pairs;
    lived_experience_judges: the judges with lived experience of care;
    min_scorecards: the fewest scorecards a judge is normalised on. Returns
    rows ranked (the lived-experience column plays no part in the order)."""
    per_card: dict[tuple[int, int], dict[int, int]] = {}
    for nomination, judge, criterion, score in scores:
        per_card.setdefault((judge, nomination), {})[criterion] = score
    totals = {key: weighted_total(card, criteria) for key, card in per_card.items()}
    normalised = normalise(totals, min_scorecards)
    raw = raw_fallback_judges(totals, max(2, min_scorecards))
    top = max(criteria, key=lambda c: (c[1], -c[0])) if criteria else None

    rows = {nid: Row(nomination_id=nid, reference=ref) for nid, ref in nominations}
    top_scores: dict[int, list[float]] = {}
    for (judge, nomination), total in totals.items():
        if nomination not in rows:
            continue
        rows[nomination].judge_totals[judge] = total
        rows[nomination].normalised_totals[judge] = normalised[(judge, nomination)]
        if judge in raw:
            rows[nomination].raw_judges.append(judge)
        if top:
            top_scores.setdefault(nomination, []).append(100 * per_card[(judge, nomination)].get(top[0], 0) / top[2])
    for row in rows.values():
        if row.judge_totals:
            row.mean = statistics.fmean(row.judge_totals.values())
            row.normalised = statistics.fmean(row.normalised_totals.values())
            row.spread = max(row.judge_totals.values()) - min(row.judge_totals.values())
            row.disagreement = row.spread > threshold
            row.top_criterion = statistics.fmean(top_scores.get(row.nomination_id, [0.0]))
            lived = [total for judge, total in row.normalised_totals.items() if judge in lived_experience_judges]
            row.lived_experience_judges = len(lived)
            row.lived_experience = statistics.fmean(lived) if lived else None
            row.raw_judges.sort()
    return rank(list(rows.values()), casting)


def rank(rows: list[Row], casting=()) -> list[Row]:
    def key(row):
        return (-round(row.normalised, 2), -round(row.top_criterion, 2))

    ordered = sorted(rows, key=lambda r: (key(r), r.reference, r.nomination_id))
    preferred = set(casting)
    result = []
    for _, tied in groupby(ordered, key=key):
        group = list(tied)
        if len(group) > 1:
            ids = {row.nomination_id for row in group}
            wins = dict.fromkeys(ids, 0)
            decided = set()
            for winner, loser in preferred:
                if winner in ids and loser in ids:
                    wins[winner] += 1
                    decided.add(frozenset((winner, loser)))
            needed = len(group) * (len(group) - 1) // 2
            group.sort(key=lambda r: (-wins[r.nomination_id], r.reference, r.nomination_id))
            for row in group:
                row.tied = True
                row.needs_casting_vote = len(decided) < needed
        result.extend(group)
    for index, row in enumerate(result, start=1):
        row.rank = index
    return result


def category_results(category, stage, threshold, *, min_scorecards=DEFAULT_MIN_SCORECARDS):
    """One category's ranking from the database: what decisions are made on."""
    scores, lived = _scores_and_lived_experience(category, stage)
    return compute(
        _nominations(category),
        _criteria(category, stage),
        scores,
        threshold=threshold,
        casting=_casting(category, stage),
        lived_experience_judges=lived,
        min_scorecards=min_scorecards,
    )


# Long enough to serve a panel meeting; the key changes whenever an input does.
CACHED_RESULTS_SECONDS = 3600


def cached_category_results(panel, stage, threshold, *, min_scorecards=DEFAULT_MIN_SCORECARDS):
    """The ranking of the panel's category for display, kept in the shared cache.

    Loading every score of a category and computing the ranking took most of
    the ranking page's time, and its inputs rarely change. The cache key is
    built from all of them, read on every view, so a change is never shown
    stale: the panel's scores_changed_at moves whenever a scorecard is
    submitted, reopened or taken off a judge (submitted scores are locked);
    every save of a nomination moves its updated_at, so the count and latest
    update of the nominations listed change when one joins or leaves; the
    criteria and casting decisions are small and read as they are. A judge's
    lived experience of care is read with the scores; a change of it moves
    scores_changed_at of their panels (judging.domain.save_profile).
    """
    category = panel.category
    criteria, casting = _criteria(category, stage), _casting(category, stage)
    entered = _entered(category).aggregate(count=Count("pk"), ids=Sum("pk"), latest=Max("updated_at"))
    inputs = (
        category.pk,
        stage,
        threshold,
        min_scorecards,
        panel.scores_changed_at,
        criteria,
        casting,
        sorted(entered.items()),
    )
    key = f"ranking-rows-v2:{category.pk}:{stage}:" + hashlib.sha256(repr(inputs).encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return [Row(*values) for values in cached]
    scores, lived = _scores_and_lived_experience(category, stage)
    rows = compute(
        _nominations(category),
        criteria,
        scores,
        threshold=threshold,
        casting=casting,
        lived_experience_judges=lived,
        min_scorecards=min_scorecards,
    )
    # Stored as tuples: unpickling them is six times faster than dataclasses.
    cache.set(key, [astuple(row) for row in rows], CACHED_RESULTS_SECONDS)
    return rows


def _entered(category):
    """The nominations a ranking lists: entered, past the eligibility check, not ruled out."""
    from awards.enums import NominationState

    return category.nominations.filter(state__in=NominationState.entered()).exclude(
        state__in=[NominationState.INELIGIBLE, NominationState.SUBMITTED]
    )


def _nominations(category):
    return list(_entered(category).values_list("id", "reference"))


def _criteria(category, stage):
    return list(category.criteria.filter(stage=stage).values_list("id", "weight", "max_score"))


def _casting(category, stage):
    from .models import TieBreak

    return list(TieBreak.objects.filter(category=category, stage=stage).values_list("preferred_id", "over_id"))


def _scores_and_lived_experience(category, stage) -> tuple[list[tuple[int, int, int, int]], frozenset[int]]:
    """The submitted scores, and the judges among them with lived experience
    of care, in one query."""
    from .enums import LivedExperience
    from .models import CriterionScore

    scores, lived = [], set()
    for nomination, judge, criterion, score, experience in CriterionScore.objects.filter(
        Q(assignment__nomination__category=category),
        assignment__stage=stage,
        assignment__state=AssignmentState.ACTIVE,
        assignment__submitted_at__isnull=False,
        score__isnull=False,
    ).values_list(
        "assignment__nomination_id",
        "assignment__judge_id",
        "criterion_id",
        "score",
        "assignment__judge__judge_profile__lived_experience",
    ):
        scores.append((nomination, judge, criterion, score))
        if experience and experience != LivedExperience.NONE:
            lived.add(judge)
    return scores, frozenset(lived)
