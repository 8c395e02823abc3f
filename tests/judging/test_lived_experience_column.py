"""Lived-experience voice in the ranking: the lived-experience judges' mean
beside the normalised score, and the fallback to raw scores for a judge with
fewer scorecards than the cycle's minimum (issue 22)."""

import pytest
from django.urls import reverse

from judging import domain
from judging.models import JudgeProfile, JudgingSettings
from judging.results import compute

from ..conftest import count_queries
from .lived_experience_helpers import every_judge_scores_every_entry, score_split

pytestmark = pytest.mark.django_db

CRITERIA = [(1, 1, 10)]


def test_the_column_is_the_mean_of_the_lived_experience_judges_normalised_totals():
    # Judges 1 and 2 score both entries; judge 3 (lived experience) scores A only.
    scores = [(10, 1, 1, 8), (11, 1, 1, 4), (10, 2, 1, 6), (11, 2, 1, 2), (10, 3, 1, 3)]
    rows = compute([(10, "A"), (11, "B")], CRITERIA, scores, threshold=25, lived_experience_judges={2, 3})
    by_ref = {row.reference: row for row in rows}
    a, b = by_ref["A"], by_ref["B"]
    assert a.lived_experience_judges == 2
    assert a.lived_experience == pytest.approx((a.normalised_totals[2] + a.normalised_totals[3]) / 2)
    assert b.lived_experience == pytest.approx(b.normalised_totals[2]) and b.lived_experience_judges == 1
    # Judge 3 has one scorecard: fewer than the default minimum of two, so raw.
    assert a.raw_judges == [3] and a.normalised_totals[3] == 30.0
    assert b.raw_judges == []


def test_no_lived_experience_judge_leaves_the_column_empty_and_the_ranking_alone():
    scores = [(10, 1, 1, 8), (11, 1, 1, 4), (10, 2, 1, 6), (11, 2, 1, 9)]
    without = compute([(10, "A"), (11, "B")], CRITERIA, scores, threshold=25)
    assert [(row.lived_experience, row.lived_experience_judges) for row in without] == [(None, 0), (None, 0)]
    assert [row.lived_experience_divergence() for row in without] == [None, None]
    with_lived = compute([(10, "A"), (11, "B")], CRITERIA, scores, threshold=25, lived_experience_judges={2})
    assert [r.reference for r in with_lived] == [r.reference for r in without]
    assert [r.normalised for r in with_lived] == [r.normalised for r in without]


def test_minimum_scorecards_decides_who_is_normalised():
    scores = [(10, 1, 1, 8), (11, 1, 1, 4), (12, 1, 1, 6), (10, 2, 1, 6), (11, 2, 1, 2)]
    nominations = [(10, "A"), (11, "B"), (12, "C")]
    two = compute(nominations, CRITERIA, scores, threshold=25, min_scorecards=2)
    three = compute(nominations, CRITERIA, scores, threshold=25, min_scorecards=3)
    assert {r.reference: r.raw_judges for r in two} == {"A": [], "B": [], "C": []}
    assert {r.reference: r.raw_judges for r in three} == {"A": [2], "B": [2], "C": []}
    a3 = next(r for r in three if r.reference == "A")
    assert a3.normalised_totals[2] == a3.judge_totals[2] == 60.0


def test_ranking_page_shows_the_column_and_states_when_no_lived_experience_judge_scored(
    client, world, category, judges, panel
):
    nominations = every_judge_scores_every_entry(world, 2)
    score_split(nominations, lived=[3, 9], others=[9, 3])
    client.force_login(panel.chair)
    url = reverse("judging:results", args=[panel.pk])
    rows = {row["reference"]: row["lived_experience"] for row in client.get(url).context["rows"]}
    assert rows == {
        nominations[0].reference: {"mean": "30.0", "judges": 2, "divergence": "30.0", "diverges": False},
        nominations[1].reference: {"mean": "90.0", "judges": 2, "divergence": "30.0", "diverges": False},
    }
    # The cycle's threshold flags the divergence; the ranking stays as it was.
    JudgingSettings.objects.create(cycle=category.cycle, lived_experience_divergence_threshold=20)
    response = client.get(url)
    assert [row["lived_experience"]["diverges"] for row in response.context["rows"]] == [True, True]
    html = response.content.decode()
    assert "Differs by 30.0" in html and "must say how their view was considered" in html

    # Nobody with lived experience of care any more: the column says so.
    for judge in judges:
        domain.save_profile(judge, sector_background=judge.judge_profile.sector_background, lived_experience="none")
    response = client.get(url)
    assert [row["lived_experience"]["mean"] for row in response.context["rows"]] == [None, None]
    assert response.content.decode().count("No lived-experience judge scored it") == 2


def test_a_change_of_lived_experience_is_never_shown_stale(client, world, judges, panel):
    nominations = every_judge_scores_every_entry(world, 2)
    score_split(nominations, lived=[3, 9], others=[9, 3])
    client.force_login(panel.chair)
    url = reverse("judging:results", args=[panel.pk])
    assert [row["lived_experience"]["judges"] for row in client.get(url).context["rows"]] == [2, 2]
    profile = JudgeProfile.objects.get(user=judges[2])
    domain.save_profile(judges[2], sector_background=profile.sector_background, lived_experience="unpaid_carer")
    assert [row["lived_experience"]["judges"] for row in client.get(url).context["rows"]] == [3, 3]


def test_ranking_page_flags_judges_whose_raw_scores_are_used(client, world, category, panel):
    nominations = every_judge_scores_every_entry(world, 2)
    score_split(nominations, lived=[3, 9], others=[9, 4])
    client.force_login(panel.chair)
    url = reverse("judging:results", args=[panel.pk])
    first = client.get(url)
    assert first.context["raw_judges"] == 0
    assert "(raw)" not in first.content.decode()
    JudgingSettings.objects.create(cycle=category.cycle, min_scorecards_for_normalisation=3)
    response = client.get(url)
    assert response.context["raw_judges"] == 4
    html = response.content.decode()
    assert "4 judges have fewer than 3 submitted scorecards at this stage" in html
    assert all(card["raw"] for row in response.context["rows"] for card in row["scorecards"])
    assert html.count("(raw)") == 8
    # Raw totals: the normalised score is the plain mean.
    assert {row["reference"]: row["normalised"] for row in response.context["rows"]} == {
        nominations[0].reference: "60.0",
        nominations[1].reference: "65.0",
    }


def test_ranking_query_count_does_not_grow_with_lived_experience_judges(client, world, panel):
    nominations = every_judge_scores_every_entry(world, 1)
    score_split(nominations, lived=[5], others=[7])
    client.force_login(panel.chair)
    url = reverse("judging:results", args=[panel.pk])
    one = count_queries(lambda: client.get(url))
    more = every_judge_scores_every_entry(world, 5, prefix="More")
    score_split(more, lived=[3, 4, 5, 6, 7], others=[7, 6, 5, 4, 3])
    several = count_queries(lambda: client.get(url))
    assert len(client.get(url).context["rows"]) == 6
    assert one == several
