"""Property tests (hypothesis) of the ranking's documented rules (judging.results):
the lived-experience column and calibration never change the ranking order,
and a judge's raw totals are used exactly when they have fewer scorecards
than the cycle's minimum (issue 22)."""

import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging import domain
from judging.domain import calibration
from judging.models import Assignment, CalibrationExample, CalibrationScore
from judging.results import compute, raw_fallback_judges, weighted_total

from ..factories import make_eligible
from .helpers import score_all

CRITERIA = [(1, 3, 10), (2, 2, 5), (3, 1, 10)]
NOMINATIONS = [(100 + n, f"REF-{n:02d}") for n in range(8)]
JUDGES = list(range(1, 7))


@st.composite
def scorecards(draw):
    """Submitted scores: each judge scores some nominations on every criterion."""
    cards = draw(st.sets(st.tuples(st.sampled_from(JUDGES), st.sampled_from([n for n, _ in NOMINATIONS])), min_size=1))
    scores = []
    for judge, nomination in sorted(cards):
        for criterion, _, maximum in CRITERIA:
            scores.append((nomination, judge, criterion, draw(st.integers(0, maximum))))
    return scores


def _order(rows):
    return [row.nomination_id for row in rows]


def _card_counts(scores):
    return {judge: len({n for n, j, _, _ in scores if j == judge}) for judge in {j for _, j, _, _ in scores}}


@settings(max_examples=200, deadline=None)
@given(scorecards(), st.sets(st.sampled_from(JUDGES)), st.integers(2, 6))
def test_the_lived_experience_column_never_changes_the_ranking(scores, lived, minimum):
    plain = compute(NOMINATIONS, CRITERIA, scores, threshold=25, min_scorecards=minimum)
    shown = compute(NOMINATIONS, CRITERIA, scores, threshold=25, min_scorecards=minimum, lived_experience_judges=lived)
    assert _order(shown) == _order(plain)
    assert [(r.rank, r.normalised, r.tied, r.needs_casting_vote) for r in shown] == [
        (r.rank, r.normalised, r.tied, r.needs_casting_vote) for r in plain
    ]
    for row in shown:
        mine = [total for judge, total in row.normalised_totals.items() if judge in lived]
        assert row.lived_experience_judges == len(mine)
        assert row.lived_experience == (pytest.approx(statistics.fmean(mine)) if mine else None)


@settings(max_examples=200, deadline=None)
@given(scorecards(), st.integers(2, 6))
def test_the_order_is_the_documented_one(scores, minimum):
    rows = compute(NOMINATIONS, CRITERIA, scores, threshold=25, min_scorecards=minimum)
    keys = [(-round(r.normalised, 2), -round(r.top_criterion, 2)) for r in rows]
    assert keys == sorted(keys)
    assert [r.rank for r in rows] == list(range(1, len(NOMINATIONS) + 1))
    for before, after in zip(rows, rows[1:], strict=False):
        if (-round(before.normalised, 2), -round(before.top_criterion, 2)) == (
            -round(after.normalised, 2),
            -round(after.top_criterion, 2),
        ):
            # Still tied with no casting decision: by reference.
            assert before.tied and after.tied and before.reference < after.reference


@settings(max_examples=200, deadline=None)
@given(scorecards(), st.integers(2, 6))
def test_raw_totals_are_used_exactly_when_a_judge_has_fewer_scorecards_than_the_minimum(scores, minimum):
    counts = _card_counts(scores)
    expected_raw = {judge for judge, count in counts.items() if count < minimum}
    rows = compute(NOMINATIONS, CRITERIA, scores, threshold=25, min_scorecards=minimum)
    per_card = {}
    for nomination, judge, criterion, score in scores:
        per_card.setdefault((judge, nomination), {})[criterion] = score
    totals = {key: weighted_total(card, CRITERIA) for key, card in per_card.items()}
    assert raw_fallback_judges(totals, minimum) == expected_raw
    overall_mean, overall_sd = statistics.fmean(totals.values()), statistics.pstdev(totals.values())
    for row in rows:
        assert set(row.raw_judges) == expected_raw & set(row.judge_totals)
        for judge, total in row.judge_totals.items():
            if judge in expected_raw:
                assert row.normalised_totals[judge] == total
            else:
                mine = [t for (j, _), t in totals.items() if j == judge]
                mean, sd = statistics.fmean(mine), statistics.pstdev(mine)
                z = 0.0 if sd == 0 else (total - mean) / sd
                assert row.normalised_totals[judge] == pytest.approx(
                    min(100.0, max(0.0, overall_mean + z * overall_sd))
                )


@settings(max_examples=100, deadline=None)
@given(scorecards(), st.integers(2, 6))
def test_only_the_cycle_minimum_changes_normalisation(scores, minimum):
    """The minimum is the cycle setting that may change the ranking: at the
    default of two it is the ranking as it always was."""
    default = compute(NOMINATIONS, CRITERIA, scores, threshold=25)
    assert _order(default) == _order(compute(NOMINATIONS, CRITERIA, scores, threshold=25, min_scorecards=2))
    if all(count >= minimum for count in _card_counts(scores).values()):
        assert _order(compute(NOMINATIONS, CRITERIA, scores, threshold=25, min_scorecards=minimum)) == _order(default)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.lists(st.lists(st.integers(0, 10), min_size=4, max_size=4), min_size=1, max_size=3))
def test_calibration_scores_never_change_the_ranking(world, calibration_values):
    category, admin, judges = world["category"], world["admin"], world["judges"]
    if not Assignment.objects.filter(nomination__category=category).exists():
        make_eligible(category, 3)
        domain.auto_assign(admin, category)
        for index, assignment in enumerate(Assignment.objects.order_by("pk")):
            score_all(assignment, (index * 3) % 11)
    before = domain.category_results(category, "written", 25)
    criteria = calibration.calibration_criteria(category)
    for number, values in enumerate(calibration_values):
        example = CalibrationExample.objects.create(category=category, title=f"Example {number}", entry_text="Text")
        for judge, value in zip(judges, values, strict=True):
            CalibrationScore.objects.bulk_create(
                CalibrationScore(
                    example=example,
                    judge=judge,
                    criterion=c,
                    score=min(value, c.max_score),
                    recorded_at=example.created_at,
                )
                for c in criteria
            )
    try:
        assert domain.category_results(category, "written", 25) == before
    finally:
        CalibrationExample.objects.all().delete()
