"""Judging: list pages' query counts do not grow; exports and their distribution."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from awards.models import Cycle
from judging import domain
from judging.enums import Award
from judging.models import Assignment, Publication

from ..conftest import count_queries
from ..factories import make_category, make_eligible
from .helpers import run_written_stage, score_all

pytestmark = pytest.mark.django_db


def test_judge_list_scoring_and_ranking_query_counts_do_not_grow(client, admin, category, judges, panel):
    judge = judges[1]
    chair = panel.chair

    def setup(count, start):
        make_eligible(category, count, prefix=f"Batch{start}")
        domain.auto_assign(admin, category)

    setup(1, 0)
    for assignment in Assignment.objects.all():
        score_all(assignment)
    # The chair sees a ranking row once their own scorecard for it is in.
    chair_scores_all = lambda: [score_all(a) for a in Assignment.objects.filter(judge=chair, submitted_at=None)]  # noqa: E731
    client.force_login(judge)
    first = Assignment.objects.filter(judge=judge).first() or Assignment.objects.first()
    list_one = count_queries(lambda: client.get(reverse("judging:home")))
    client.force_login(first.judge)
    score_one = count_queries(lambda: client.get(reverse("judging:score", args=[first.pk])))
    client.force_login(chair)
    rank_one = count_queries(lambda: client.get(reverse("judging:results", args=[panel.pk])))

    setup(29, 1)
    chair_scores_all()
    for assignment in Assignment.objects.filter(submitted_at__isnull=True)[:40]:
        score_all(assignment)
    client.force_login(judge)
    list_thirty = count_queries(lambda: client.get(reverse("judging:home")))
    assert len(client.get(reverse("judging:home")).context["written"]) > 10
    client.force_login(first.judge)
    score_thirty = count_queries(lambda: client.get(reverse("judging:score", args=[first.pk])))
    client.force_login(chair)
    rank_thirty = count_queries(lambda: client.get(reverse("judging:results", args=[panel.pk])))
    assert len(client.get(reverse("judging:results", args=[panel.pk])).context["rows"]) == 30
    assert (list_one, score_one, rank_one) == (list_thirty, score_thirty, rank_thirty)


def test_winners_page_query_count_does_not_grow(client, category, cycle):
    from django.core.cache import cache

    from judging.models import FinalResult

    Publication.objects.create(cycle=cycle, approved_at=timezone.now())
    Cycle.objects.filter(pk=cycle.pk).update(results_approved_at=timezone.now())

    def award(each):
        for nomination, kind in zip(make_eligible(each, 3, prefix=each.name), Award.values[:3], strict=True):
            FinalResult.objects.create(nomination=nomination, award=kind, final_score=80, citation=f"{kind} citation")

    def page():
        cache.clear()  # the public page is cached: count the work behind it
        return client.get(reverse("winners:cycle", args=[cycle.pk]))

    award(category)
    with time_machine.travel(cycle.winners_announced + timedelta(seconds=1)):
        one = count_queries(page)
        for n in range(4):
            award(make_category(cycle, f"Category {n}"))
        several = count_queries(page)
        response = page()
        assert response.status_code == 200
        assert len(response.context["by_category"]) == 5
    assert one == several


def test_exports_and_distribution(client, world, admin, category, cycle):
    nominations = make_eligible(category, 2)
    run_written_stage(world, nominations, {n.reference: 6 for n in nominations})
    client.force_login(admin)
    scores = client.get(reverse("judging:export", args=[cycle.pk, "scores", "csv"]))
    text = b"".join(scores.streaming_content).decode("utf-8-sig").splitlines()
    assert text[0].startswith("Reference,Category,Stage,Judge,Criterion,Score")
    assert len(text) == 1 + 2 * 3 * 2  # 2 nominations × 3 judges × 2 written criteria
    rankings = client.get(reverse("judging:export", args=[cycle.pk, "rankings", "xlsx"]))
    assert rankings["Content-Type"].startswith("application/vnd.openxmlformats")
    distribution = client.get(reverse("judging:distribution", args=[cycle.pk]))
    rows = distribution.context["rows"]
    assert sum(r["count"] for r in rows) == 6
    assert all(r["mean"] == pytest.approx(60.0) for r in rows)
    assert client.get(reverse("judging:export", args=[cycle.pk, "secrets", "csv"])).status_code == 404
