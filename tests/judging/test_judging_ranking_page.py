"""Judging: the ranking page follows its inputs, pages fifty at a time and offers the casting form for ties only."""

import pytest
from django.urls import reverse

from awards import domain as awards_domain
from judging import domain
from judging.models import Assignment

from ..factories import make_eligible
from .helpers import run_written_stage, score_all

pytestmark = pytest.mark.django_db


def test_ranking_page_follows_every_change_of_its_inputs(client, admin, category, panel):
    """The ranking is cached; each change of scores, nominations or casting
    decisions must show at once."""
    nominations = make_eligible(category, 3)
    domain.auto_assign(admin, category)
    url = reverse("judging:results", args=[panel.pk])
    client.force_login(admin)  # sees every row; what a chair sees is tested below

    def ranked():
        return [(row["reference"], row["normalised"]) for row in client.get(url).context["rows"]]

    assert ranked() == sorted((n.reference, "0.0") for n in nominations)
    first = Assignment.objects.filter(nomination=nominations[0]).order_by("pk").first()
    score_all(first, 9)
    assert ranked()[0] == (nominations[0].reference, "90.0")
    domain.reopen_scores(panel.chair, first, reason="Check")
    assert ranked()[0] == (nominations[0].reference, "0.0")
    score_all(Assignment.objects.get(pk=first.pk), 4)
    assert ranked()[0] == (nominations[0].reference, "40.0")
    tied = sorted(nominations[1:], key=lambda n: n.reference)
    assert [reference for reference, _ in ranked()[1:]] == [n.reference for n in tied]
    domain.record_tie_break(panel.chair, category, stage="written", preferred=tied[1], over=tied[0], reason="Stronger")
    assert [reference for reference, _ in ranked()[1:]] == [tied[1].reference, tied[0].reference]
    awards_domain.decide_eligibility(admin, tied[1], eligible=False, reason_code="other", note="Late")
    assert [reference for reference, _ in ranked()] == [nominations[0].reference, tied[0].reference]


def test_ranking_page_lists_fifty_a_page_and_ties_only_in_the_casting_form(client, admin, category, panel):
    make_eligible(category, 53)
    domain.auto_assign(admin, category)
    Assignment.objects.filter(judge=panel.chair).delete()  # a chair who scores nothing here
    url = reverse("judging:results", args=[panel.pk])
    client.force_login(panel.chair)
    first = client.get(url)
    assert [row["rank"] for row in first.context["rows"]] == list(range(1, 51))
    assert first.context["summary"] == {"ranked": 53, "disagreement": 0, "needs_casting_vote": 53}
    second = client.get(url, {"page": 2})
    assert [row["rank"] for row in second.context["rows"]] == [51, 52, 53]
    # Nothing scored: all 53 are tied, so all are offered for a casting decision.
    assert len(first.context["tie_form"].fields["preferred"].choices) == 1 + 53


def test_casting_form_is_hidden_when_nothing_is_tied(client, world, category, panel):
    nominations = make_eligible(category, 2)
    run_written_stage(world, nominations, {nominations[0].reference: 9, nominations[1].reference: 3})
    client.force_login(panel.chair)
    response = client.get(reverse("judging:results", args=[panel.pk]))
    assert response.context["tie_form"] is None
    assert "No nominations are tied on score." in response.content.decode()
