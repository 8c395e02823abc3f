"""Academy staff read DASS compliance through the API: the dashboard's
appointments (held today), statuses (leaders.compliance) and filters."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import OrganisationKind, SiteRole
from leaders import domain as leaders

from ..factories import OrganisationFactory, make_user
from .conftest import bearer, create_token

pytestmark = pytest.mark.django_db
URL = reverse("api:dass_compliance")
TODAY = date(2026, 12, 3)


def _council(name, region):
    council = OrganisationFactory(name=name, sector="public", region=region)
    council.kinds = [OrganisationKind.LOCAL_AUTHORITY]
    council.save()
    return council


@pytest.fixture
def dass():
    staff = make_user(email="academy@example.org", full_name="Ava Academy", roles=[SiteRole.ACADEMY_STAFF])
    north = _council("Northshire County Council", "north_east")
    south = _council("Southshire County Council", "south_east")
    appointments = {}
    for name, council, appointed, ended in [
        ("overdue", north, date(2020, 1, 1), None),
        ("soon", south, date(2024, 3, 1), None),
        ("on_track", north, date(2026, 1, 1), None),
        ("ended", south, date(2019, 1, 1), date(2021, 1, 1)),
    ]:
        leader = make_user(email=f"{name}@example.org", full_name=f"Director {name}")
        appointments[name] = leaders.record_appointment(
            staff, leader, local_authority=council, appointed_on=appointed, ended_on=ended, kind="substantive"
        )
    _, secret = create_token(staff, scopes=["academy:read"])
    return {"staff": staff, "north": north, "south": south, "appointments": appointments, "secret": secret}


@time_machine.travel("2026-12-03 12:00 +0000")
def test_appointments_held_today_nearest_deadline_first_with_their_status(dass):
    data = bearer(dass["secret"]).get(URL).json()
    assert data["count"] == 3
    assert [(r["leader"]["email"], r["deadline"], r["status"]) for r in data["results"]] == [
        ("overdue@example.org", "2023-01-01", "overdue"),
        ("soon@example.org", "2027-03-01", "due_soon"),
        ("on_track@example.org", "2029-01-01", "on_track"),
    ]
    first = data["results"][0]
    assert first["status_label"] == "Overdue"
    assert first["local_authority"] == {
        "id": dass["north"].pk,
        "name": "Northshire County Council",
        "region": "north_east",
    }
    assert first["leader"]["name"] == "Director overdue"


@time_machine.travel("2026-12-03 12:00 +0000")
def test_the_dashboard_s_filters_choose_the_same_appointments(dass):
    client = bearer(dass["secret"])
    page = Client()
    page.force_login(dass["staff"])
    for filters in ({"status": "overdue"}, {"region": "north_east"}, {"authority": dass["south"].pk}, {}):
        api = [r["id"] for r in client.get(URL, filters).json()["results"]]
        html = page.get(reverse("leaders:dashboard"), filters)
        assert api == [a.pk for a in html.context["page"]], filters


def test_invalid_filters_are_refused_with_their_reasons(dass):
    response = bearer(dass["secret"]).get(URL, {"status": "late", "authority": "north"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "status": ["Choose one of: complete_verified, complete_awaiting, on_track, due_soon, overdue"],
        "authority": ["Give a local authority's id"],
    }


def test_only_academy_staff_with_an_academy_scope_read_it(dass):
    _, courses_only = create_token(dass["staff"], scopes=["courses:read"])
    assert bearer(courses_only).get(URL).json() == {"detail": "This token's scopes do not include academy:read"}
    admin = make_user(email="awards@example.org", roles=[SiteRole.AWARDS_ADMIN])
    _, secret = create_token(admin, scopes=["academy:read"])
    response = bearer(secret).get(URL)
    assert (response.status_code, response.json()["detail"]) == (403, "Your account does not hold the role this needs")


@time_machine.travel("2026-12-03 12:00 +0000")
def test_the_list_costs_the_same_queries_for_one_or_many(dass):
    client = bearer(dass["secret"])
    client.get(URL)  # the token's first use also records its last-used time
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(URL, {"page_size": 1}).json()["results"]) == 1
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()["results"]) == 3
    assert len(many) == len(one)
