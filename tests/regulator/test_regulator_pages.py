"""Who reaches the regulator pages, and the list page's queries."""

import pytest
from django.urls import reverse

from tests.conftest import count_queries

from .helpers import add_rule, import_locations, make_entry, row

pytestmark = pytest.mark.django_db

ROLES = ["awards_admin", "provider", "judge", "outsider"]


@pytest.fixture
def world():
    job = import_locations(row())
    nomination = make_entry(name="Meadow Care")
    return {"job": job, "nomination": nomination}


def _urls(world):
    return [
        reverse("regulator:entries"),
        reverse("regulator:imports"),
        reverse("regulator:import_job", args=[world["job"].pk]),
        reverse("regulator:category_rule", args=[world["nomination"].category_id]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_awards_administrators_reach_the_staff_pages(client, role, request, world):
    client.force_login(request.getfixturevalue(role))
    expected = 200 if role == "awards_admin" else 403
    assert [client.get(url).status_code for url in _urls(world)] == [expected] * 4
    override = client.post(reverse("regulator:override", args=[world["nomination"].pk]), {"reason": "x"})
    assert override.status_code == (302 if role == "awards_admin" else 403)


def test_anonymous_people_are_sent_to_sign_in(client, world):
    for url in [*_urls(world), reverse("regulator:find_service", args=[world["nomination"].pk])]:
        assert client.get(url)["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["judge", "outsider", "awards_admin"])
def test_the_lookup_is_for_the_drafts_own_organisation_only(client, role, request, world):
    client.force_login(request.getfixturevalue(role))
    url = reverse("regulator:find_service", args=[world["nomination"].pk])
    assert client.get(url, {"number": "1-1"}).status_code == 404


def test_the_panel_is_not_shown_to_anyone_else(client, world, provider):
    client.force_login(provider)
    page = client.get(reverse("awards:nomination", args=[world["nomination"].pk]))
    assert page.status_code == 404


def test_the_list_shows_each_entrys_location_rating_and_outcome(client, awards_admin, world):
    add_rule(world["nomination"].category, "outstanding")
    client.force_login(awards_admin)
    response = client.get(reverse("regulator:entries"))
    rows = [(n.pk, v.location.name, v.outcome) for n, v in response.context["rows"]]
    assert rows == [(world["nomination"].pk, "Bramble House", "does_not_meet")]
    page = response.content.decode()
    assert "Does not meet the rating rule" in page
    assert "14 Mar 2025" in page


def _list_queries(client):
    return count_queries(lambda: client.get(reverse("regulator:entries")))


def test_the_list_page_makes_the_same_queries_for_one_entry_or_many(client, awards_admin, world):
    add_rule(world["nomination"].category, "good")
    client.force_login(awards_admin)
    _list_queries(client)
    one = _list_queries(client)
    for n in range(6):
        make_entry(number=f"1-10000000{n}", category=world["nomination"].category, name=f"Care {n}")
    import_locations(*[row(location_id=f"1-10000000{n}", name=f"Home {n}") for n in range(6)])
    several = _list_queries(client)
    assert len(client.get(reverse("regulator:entries")).context["rows"]) == 7
    assert one == several
