"""Leaders: the DASS dashboard's counts follow every change, and list pages' query counts do not grow."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from leaders import domain as leaders
from leaders.models import DassAppointment

from ..conftest import count_queries
from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_dass_dashboard_counts_follow_every_change(client, council, social, staff):
    """The dashboard's counts are cached; each change of appointments or
    completions must show at once."""
    awaiting = make_user(email="awaiting@example.org")
    late = make_user(email="late@example.org")
    with time_machine.travel(date(2021, 6, 1)):
        completion = leaders.record_completion(awaiting, course=social, completed_on=date(2021, 5, 1))
    for person, appointed in [(awaiting, date(2021, 1, 4)), (late, date(2021, 1, 4))]:
        leaders.record_appointment(staff, person, local_authority=council, appointed_on=appointed, kind="substantive")
    client.force_login(staff)
    url = reverse("leaders:dashboard")

    def counts(**filters):
        response = client.get(url, filters)
        return response.context["total"], {value: n for value, _, n, _ in response.context["counts"] if n}

    with time_machine.travel(date(2025, 1, 10)):
        assert counts() == (2, {"complete_awaiting": 1, "overdue": 1})
        assert counts(status="overdue") == (1, {"overdue": 1})
        # Unknown values are ignored, not errors (a superscript two is a digit to Python, not to int()).
        assert counts(status="nonsense", region="atlantis", authority="²") == (
            2,
            {"complete_awaiting": 1, "overdue": 1},
        )
        leaders.verify_completion(staff, completion)
        assert counts() == (2, {"complete_verified": 1, "overdue": 1})
        appointment = DassAppointment.objects.get(leader=late)
        leaders.end_appointment(staff, appointment, ended_on=date(2024, 12, 31))
        assert counts() == (1, {"complete_verified": 1})
        regions = client.get(url).context["regions"]
        assert regions == [("East Midlands", [1, 0, 0, 0, 0])]


def test_dashboard_and_portfolio_query_counts_do_not_grow(client, council, social, staff):
    leader = make_user(email="many@example.org")

    def add(n, start):
        for i in range(start, start + n):
            person = make_user(email=f"dass{i}@example.org")
            leaders.record_appointment(
                staff,
                person,
                local_authority=council,
                appointed_on=date(2021, 1, 1) + timedelta(days=i),
                kind="substantive",
            )
            completion = leaders.record_completion(
                leader, course=social, completed_on=date(2021, 1, 1) + timedelta(days=i), certificate=None
            )
            # Verified, so that the page also works out whether each can have a credential.
            leaders.verify_completion(staff, completion)

    add(1, 0)
    client.force_login(staff)
    dash_one = count_queries(lambda: client.get(reverse("leaders:dashboard")))
    client.force_login(leader)
    port_one = count_queries(lambda: client.get(reverse("leaders:portfolio")))
    add(49, 1)
    client.force_login(staff)
    dash_fifty = count_queries(lambda: client.get(reverse("leaders:dashboard")))
    assert client.get(reverse("leaders:dashboard")).context["total"] == 50
    client.force_login(leader)
    port_fifty = count_queries(lambda: client.get(reverse("leaders:portfolio")))
    assert len(client.get(reverse("leaders:portfolio")).context["completions"]) == 50
    assert (dash_one, port_one) == (dash_fifty, port_fifty)
    assert dash_fifty <= 15 and port_fifty <= 15
