"""The equity report as published with the results: when (awards.disclosure),
and small-number suppression (awards.equity.suppress)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from awards import equity
from awards.enums import NominationState
from awards.models import Cycle

from .equity_world import build, entry

FEWER = equity.FEWER


def test_counts_under_five_are_hidden():
    assert equity.suppress([12, 8, 30]) == ["12", "8", "30"]
    assert equity.suppress([10, 3, 2, 7]) == ["10", FEWER, FEWER, "7"]
    assert equity.suppress([0, 0, 4]) == [FEWER, FEWER, FEWER]


def test_one_hidden_count_hides_the_smallest_shown_one_too():
    # 3 could be worked out as the total (26) minus 10, 7 and 6: so 6 goes too.
    assert equity.suppress([10, 3, 7, 6]) == ["10", FEWER, "7", FEWER]
    assert equity.suppress([5, 0]) == [FEWER, FEWER]
    # On a tie, the lower row is hidden.
    assert equity.suppress([6, 6, 1]) == [FEWER, "6", FEWER]
    assert equity.suppress([2]) == [FEWER]


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=14))
def test_no_hidden_count_can_be_worked_out_alone(counts):
    shown = equity.suppress(counts)
    hidden = [i for i, text in enumerate(shown) if text == FEWER]
    # Every small count is hidden; every shown count is exact.
    assert all(shown[i] == FEWER for i, count in enumerate(counts) if count < 5)
    assert all(text == str(counts[i]) for i, text in enumerate(shown) if text != FEWER)
    # Never exactly one hidden count where others are shown.
    assert len(hidden) != 1 or len(counts) == 1
    assert equity.public_total(sum(counts)) == (FEWER if sum(counts) < 5 else str(sum(counts)))


def _announced(cycle, *, approved=True):
    now = timezone.now()
    Cycle.objects.filter(pk=cycle.pk).update(
        winners_announced=now - timedelta(days=1), results_approved_at=now - timedelta(days=2) if approved else None
    )
    cycle.refresh_from_db()
    return cycle


@pytest.mark.django_db
def test_published_only_once_the_results_are_announced():
    cycle = build()["cycle"]
    assert equity.may_publish(cycle) is False  # still open
    _announced(cycle, approved=False)
    assert equity.may_publish(cycle) is False  # not approved (or withdrawn for correction)
    cycle = _announced(cycle)
    assert equity.may_publish(cycle) is True
    with time_machine.travel(cycle.winners_announced - timedelta(seconds=1)):
        assert equity.may_publish(cycle) is False  # under embargo
    with time_machine.travel(cycle.winners_announced):
        assert equity.may_publish(cycle) is True


@pytest.mark.django_db
def test_the_public_report_hides_small_counts_and_their_shares():
    world = build()
    for number in range(6):
        entry(world["category"], world["winner"].organisation, NominationState.NOT_SHORTLISTED, f"1-{number:03d}")
    report = equity.public_report(world["cycle"])
    sector = report.dimensions[0]
    private = next(row for row in sector.rows if row.key == "private")
    public = next(row for row in sector.rows if row.key == "public")
    assert (private.cells["entries"].shown, private.cells["entries"].share) == ("8", 80.0)
    assert (public.cells["entries"].shown, public.cells["entries"].count, public.cells["entries"].share) == (
        FEWER,
        0,
        0.0,
    )
    assert sector.public_totals == {
        "entries": "10",
        "eligible": "9",
        "shortlisted": FEWER,
        "finalists": FEWER,
        "winners": FEWER,
    }
    assert private.baseline_shown == FEWER  # 2 registered private providers


@pytest.mark.django_db
def test_public_page_404_until_announced_then_aggregates_only(client):
    world = build()
    for number in range(6):
        entry(world["category"], world["winner"].organisation, NominationState.NOT_SHORTLISTED, f"1-{number:03d}")
    url = reverse("awards:equity_public", args=[world["cycle"].pk])
    assert client.get(url).status_code == 404
    _announced(world["cycle"])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Who entered and who won" in page
    assert "fewer than 5" in page
    assert "8 (80.0%)" in page  # private entries
    assert "80% (8)" in page  # its bar
    for secret in ("Acorn Care", "Birch Care", "Cedar Trust", "Service 1", "SCA-0000", "1-001"):
        assert secret not in page
    assert "no-cache" in response["Cache-Control"]
    assert 'role="img"' in page and '<title id="chart-sector-title">' in page


@pytest.mark.django_db
def test_winners_page_links_to_the_published_report(client):
    world = build()
    cycle = _announced(world["cycle"])
    page = client.get(reverse("winners:cycle", args=[cycle.pk])).content.decode()
    assert reverse("awards:equity_public", args=[cycle.pk]) in page
