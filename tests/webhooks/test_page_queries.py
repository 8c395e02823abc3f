"""The endpoint list and the deliveries list ask the same number of queries
for one item as for several."""

import pytest
from django.urls import reverse
from django.utils import timezone

from webhooks.enums import DeliveryState, EventType, Team
from webhooks.models import Delivery, Event

from ..conftest import count_queries
from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def page_and_queries(client, url, assert_num_queries, expected=None):
    """The page's HTML and its number of queries; with `expected`, asserts that number."""
    if expected is None:
        responses = []
        count = count_queries(lambda: responses.append(client.get(url)))
    else:
        with assert_num_queries(expected):
            responses = [client.get(url)]
        count = expected
    assert responses[0].status_code == 200
    return count, responses[0].content.decode()


def test_endpoint_list_queries_do_not_grow(client, people, django_assert_num_queries):
    client.force_login(people["user"])
    make_endpoint("https://93.184.216.34/1", organisation=people["provider"])
    one, page = page_and_queries(client, reverse("webhooks:index"), django_assert_num_queries)
    assert page.count("https://93.184.216.34/") == 1
    for n in range(2, 7):
        make_endpoint(f"https://93.184.216.34/{n}", organisation=people["provider"])
    several, page = page_and_queries(client, reverse("webhooks:index"), django_assert_num_queries, one)
    assert page.count("https://93.184.216.34/") == 6
    assert several == one


def test_team_endpoint_list_queries_do_not_grow(client, people, django_assert_num_queries):
    client.force_login(people["assessor"])
    make_endpoint("https://93.184.216.34/1", team=Team.ACADEMY)
    one, _ = page_and_queries(client, reverse("webhooks:index"), django_assert_num_queries)
    for n in range(2, 7):
        make_endpoint(f"https://93.184.216.34/{n}", team=Team.ACADEMY)
    several, page = page_and_queries(client, reverse("webhooks:index"), django_assert_num_queries, one)
    assert page.count("https://93.184.216.34/") == 6
    assert several == one


def add_deliveries(endpoint, count):
    now = timezone.now()
    for _ in range(count):
        event = Event.objects.create(
            type=EventType.ACCREDITATION_STATUS_CHANGED, payload={}, object_type="x", object_id="1", created_at=now
        )
        Delivery.objects.create(
            event=event,
            endpoint=endpoint,
            created_at=now,
            next_attempt_at=now,
            state=DeliveryState.DELIVERED,
            attempts=1,
            last_status_code=200,
        )


def test_deliveries_list_queries_do_not_grow(client, people, django_assert_num_queries):
    client.force_login(people["user"])
    endpoint = make_endpoint("https://93.184.216.34/1", organisation=people["provider"])
    add_deliveries(endpoint, 1)
    url = reverse("webhooks:endpoint", args=[endpoint.pk])
    one, page = page_and_queries(client, url, django_assert_num_queries)
    assert page.count("HTTP 200") == 1
    add_deliveries(endpoint, 5)
    several, page = page_and_queries(client, url, django_assert_num_queries, one)
    assert page.count("HTTP 200") == 6
    assert several == one
