"""Pure judging logic: assignment, normalisation and ranking, on hand-worked examples
and random input (hypothesis)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.assignment import NominationToAssign, plan_assignments
from judging.results import Row, compute, normalise, rank, weighted_total


@st.composite
def assignment_problems(draw):
    judges = draw(st.lists(st.integers(1, 60), min_size=1, max_size=12, unique=True))
    organisations = draw(st.lists(st.integers(1, 30), min_size=1, max_size=10, unique=True))
    nominations = draw(
        st.lists(
            st.tuples(st.integers(1, 10_000), st.sampled_from(organisations)),
            min_size=0,
            max_size=40,
            unique_by=lambda t: t[0],
        )
    )
    conflicts = draw(st.sets(st.tuples(st.sampled_from(judges), st.sampled_from(organisations)), max_size=25))
    k = draw(st.integers(1, 4))
    return [NominationToAssign(n, o) for n, o in nominations], judges, conflicts, k


@settings(max_examples=300, deadline=None)
@given(assignment_problems())
def test_assignment_never_gives_a_conflicted_judge(problem):
    nominations, judges, conflicts, k = problem
    plan = plan_assignments(nominations, judges, conflicts, k)
    organisation = {n.id: n.organisation_id for n in nominations}
    for nomination_id, chosen in plan.new.items():
        assert len(chosen) == len(set(chosen)) <= k
        for judge in chosen:
            assert (judge, organisation[nomination_id]) not in conflicts
    for nomination in nominations:
        clean = [j for j in judges if (j, nomination.organisation_id) not in conflicts]
        expected = min(k, len(clean))
        assert len(plan.new.get(nomination.id, [])) == expected
        assert (nomination.id in plan.short) == (expected < k)


@settings(max_examples=200, deadline=None)
@given(assignment_problems())
def test_assignment_is_deterministic(problem):
    nominations, judges, conflicts, k = problem
    first = plan_assignments(nominations, judges, conflicts, k)
    again = plan_assignments(list(reversed(nominations)), list(reversed(judges)), set(conflicts), k)
    assert first.new == again.new
    assert first.short == again.short


@settings(max_examples=200, deadline=None)
@given(assignment_problems())
def test_without_conflicts_loads_differ_by_at_most_one(problem):
    nominations, judges, _, k = problem
    plan = plan_assignments(nominations, judges, set(), k)
    loads = list(plan.loads.values())
    assert max(loads) - min(loads) <= 1


@settings(max_examples=200, deadline=None)
@given(assignment_problems())
def test_with_conflicts_every_choice_is_among_the_least_loaded_clean_judges(problem):
    """Replaying the plan: each judge chosen had no more load than any clean judge passed over."""
    nominations, judges, conflicts, k = problem
    plan = plan_assignments(nominations, judges, conflicts, k)
    loads = dict.fromkeys(judges, 0)
    for nomination in sorted(nominations, key=lambda n: n.id):
        chosen = plan.new.get(nomination.id, [])
        clean = [j for j in judges if (j, nomination.organisation_id) not in conflicts]
        passed_over = [j for j in clean if j not in chosen]
        if chosen and passed_over:
            assert max(loads[j] for j in chosen) <= min(loads[j] for j in passed_over)
        for judge in chosen:
            loads[judge] += 1


def test_existing_assignments_count_towards_load_and_are_topped_up():
    plan = plan_assignments(
        [NominationToAssign(1, 100, already=(7,)), NominationToAssign(2, 100)], [5, 6, 7], set(), 2, {7: 3}
    )
    assert plan.new == {1: [5], 2: [6, 5]}
    assert plan.loads == {5: 2, 6: 1, 7: 3}


def test_a_nomination_without_enough_clean_judges_is_listed_with_the_reason():
    plan = plan_assignments([NominationToAssign(1, 100)], [1, 2, 3], {(1, 100), (2, 100)}, 3)
    assert plan.new == {1: [3]}
    assert plan.short == {1: "Only 1 of the 3 judges needed are on the panel without a conflict of interest"}


# Scores to results ------------------------------------------------------------------

CRITERIA = [(1, 3, 10), (2, 1, 5)]  # (id, weight, max): criterion 1 counts three times as much


def test_weighted_total_on_a_hand_worked_example():
    # 100 * (3 * 8/10 + 1 * 5/5) / 4 = 100 * 3.4 / 4 = 85
    assert weighted_total({1: 8, 2: 5}, CRITERIA) == pytest.approx(85.0)
    assert weighted_total({}, CRITERIA) == 0.0


def test_normalisation_corrects_a_harsh_judge():
    """Judge 1 is lenient (80, 90), judge 2 harsh (40, 50) on the same two
    nominations A and B. Both rank B above A by the same margin, so after
    normalisation their scores agree: overall mean 65, overall sd 20.6155;
    each judge's z is -1 for A and +1 for B."""
    totals = {(1, "A"): 80.0, (1, "B"): 90.0, (2, "A"): 40.0, (2, "B"): 50.0}
    result = normalise(totals)
    sd = (((80 - 65) ** 2 + (90 - 65) ** 2 + (40 - 65) ** 2 + (50 - 65) ** 2) / 4) ** 0.5
    assert sd == pytest.approx(20.6155, abs=1e-4)
    assert result[(1, "A")] == pytest.approx(65 - sd) == result[(2, "A")]
    assert result[(1, "B")] == pytest.approx(65 + sd) == result[(2, "B")]


def test_a_judge_with_one_scorecard_is_not_normalised():
    result = normalise({(1, "A"): 70.0, (2, "A"): 30.0, (2, "B"): 50.0})
    assert result[(1, "A")] == 70.0


def test_a_judge_who_gives_everything_the_same_total_maps_to_the_overall_mean():
    result = normalise({(1, "A"): 60.0, (1, "B"): 60.0, (2, "A"): 20.0, (2, "B"): 100.0})
    assert result[(1, "A")] == result[(1, "B")] == pytest.approx(60.0)


def test_compute_mean_spread_and_disagreement():
    scores = [
        # nomination, judge, criterion, score
        (10, 1, 1, 10),
        (10, 1, 2, 5),  # judge 1 gives 10: 100
        (10, 2, 1, 4),
        (10, 2, 2, 1),  # judge 2 gives 10: 100*(12/10+1/5)/4 = 35
        (20, 1, 1, 6),
        (20, 1, 2, 5),  # judge 1 gives 20: 100*(1.8+1)/4 = 70
        (20, 2, 1, 6),
        (20, 2, 2, 5),  # judge 2 gives 20: 70
    ]
    rows = compute([(10, "SCA-0010"), (20, "SCA-0020")], CRITERIA, scores, threshold=25)
    by_id = {r.nomination_id: r for r in rows}
    assert by_id[10].judge_totals == {1: pytest.approx(100.0), 2: pytest.approx(35.0)}
    assert by_id[10].mean == pytest.approx(67.5)
    assert by_id[10].spread == pytest.approx(65.0)
    assert by_id[10].disagreement is True
    assert by_id[20].spread == 0 and by_id[20].disagreement is False
    # Top criterion (weight 3) means: nomination 10 (100% and 40%) = 70; 20 = 60.
    assert by_id[10].top_criterion == pytest.approx(70.0)
    assert by_id[20].top_criterion == pytest.approx(60.0)


def row(nid, ref, normalised, top):
    return Row(nomination_id=nid, reference=ref, normalised=normalised, top_criterion=top)


def test_tie_break_order_is_normalised_then_top_criterion_then_casting_then_reference():
    rows = [
        row(1, "SCA-004", 80.0, 50.0),
        row(2, "SCA-003", 80.0, 70.0),  # same normalised as 1, higher top criterion: above 1
        row(3, "SCA-002", 75.0, 90.0),
        row(4, "SCA-001", 75.0, 90.0),  # full tie with 3
        row(5, "SCA-000", 90.0, 0.0),
    ]
    ranked = rank(rows)
    assert [r.nomination_id for r in ranked] == [5, 2, 1, 4, 3]  # 4 before 3 by reference, pending a decision
    assert [r.needs_casting_vote for r in ranked] == [False, False, False, True, True]
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5]

    decided = rank(rows, casting=[(3, 4)])
    assert [r.nomination_id for r in decided] == [5, 2, 1, 3, 4]
    assert not any(r.needs_casting_vote for r in decided)


def test_ranking_rounds_before_comparing():
    """Floating-point noise below 0.005 is a tie, not an order."""
    ranked = rank([row(1, "B", 70.0000001, 10.0), row(2, "A", 70.0, 10.0)])
    assert [r.nomination_id for r in ranked] == [2, 1]
    assert ranked[0].needs_casting_vote
