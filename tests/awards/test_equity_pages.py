"""The equity report's page for awards administrators and its CSV download."""

import csv
import io

import pytest
from django.urls import reverse

from awards import equity
from awards.enums import NominationState

from .equity_world import build, entry

pytestmark = pytest.mark.django_db


def _url(cycle, query=""):
    return reverse("awards:manage_equity", args=[cycle.pk]) + query


def test_only_awards_administrators_see_it(client, provider, judge, awards_admin):
    cycle = build()["cycle"]
    response = client.get(_url(cycle))
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("account_login"))
    for person, status in ((provider, 403), (judge, 403), (awards_admin, 200)):
        client.force_login(person)
        assert client.get(_url(cycle)).status_code == status
        assert client.get(_url(cycle, "?export=csv")).status_code == status


def test_the_page_shows_exact_counts_a_chart_per_dimension_and_its_table(client, awards_admin):
    cycle = build()["cycle"]
    client.force_login(awards_admin)
    response = client.get(_url(cycle))
    page = response.content.decode()
    assert response.context["stage"] == "entries"
    assert [d.key for d, _ in response.context["sections"]] == ["sector", "region", "size", "rating"]
    assert page.count('role="img"') == 4
    for title in ("Sector: share of entries", "Region: share of entries", "Organisation size: share of entries"):
        assert title in page
    assert "2 (50.0%)" in page  # private entries, and private providers
    assert "1 (25.0%)" in page  # voluntary entries
    assert "50% (2)" in page  # the private sector's entries bar
    assert "Not matched in the regulator&#x27;s directory" in page
    assert page.count("fewer than 5") == 1  # only where the publication rule is told
    assert "There are 4 entries" in page
    assert "Nominations are still open" in page
    assert reverse("awards:equity_public", args=[cycle.pk]) not in page


def test_choosing_a_stage_redraws_the_charts(client, awards_admin):
    cycle = build()["cycle"]
    client.force_login(awards_admin)
    response = client.get(_url(cycle, "?compare=winners"))
    assert response.context["stage"] == "winners"
    page = response.content.decode()
    assert "Sector: share of winners and of registered providers" in page
    assert "100% (1)" in page


def test_an_unknown_stage_is_explained_and_entries_shown(client, awards_admin):
    cycle = build()["cycle"]
    client.force_login(awards_admin)
    response = client.get(_url(cycle, "?compare=everyone"))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["stage"] == "entries"
    assert "There is a problem" in page
    assert "Select a stage to compare with registered providers" in page
    assert page.startswith("<!DOCTYPE") or "<title>Error:" in page


def test_csv_download(client, awards_admin):
    cycle = build()["cycle"]
    client.force_login(awards_admin)
    response = client.get(_url(cycle, "?export=csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="equity-report-sca-{cycle.year}.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == equity.csv_header()
    assert rows[1] == ["Sector", "Public", equity.PLATFORM, "1", "25.0", "1", "25.0"] + ["0", "0.0"] * 4
    inadequate = ["Regulator rating band", "Inadequate", equity.DIRECTORY, "0", "0.0", "1", "25.0", "1", "33.3"]
    assert rows[-4][:9] == inadequate
    assert rows[-1][:7] == ["Regulator rating band", "All", equity.DIRECTORY, "6", "100.0", "4", "100.0"]


def test_any_other_download_format_is_refused_with_a_reason(client, awards_admin):
    cycle = build()["cycle"]
    client.force_login(awards_admin)
    response = client.get(_url(cycle, "?export=xlsx"))
    assert response.status_code == 400
    assert response.content.decode() == "The equity report downloads as CSV only (export=csv)."


def test_cycle_page_links_to_the_report(client, awards_admin):
    cycle = build()["cycle"]
    client.force_login(awards_admin)
    page = client.get(reverse("awards:manage_cycle", args=[cycle.pk])).content.decode()
    assert _url(cycle) in page


def _page_queries(client, cycle, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert client.get(_url(cycle)).status_code == 200


def test_the_page_takes_the_same_queries_for_one_entry_or_many(client, awards_admin, django_assert_num_queries):
    from awards.models import Nomination
    from tests.conftest import count_queries

    world = build()
    Nomination.objects.exclude(pk=world["winner"].pk).delete()
    client.force_login(awards_admin)
    client.get(_url(world["cycle"]))
    one = count_queries(lambda: client.get(_url(world["cycle"])))
    for number in range(10):
        entry(world["category"], world["winner"].organisation, NominationState.SUBMITTED, f"1-{number:03d}")
    _page_queries(client, world["cycle"], django_assert_num_queries, one)
