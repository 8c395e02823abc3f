"""The endpoint pages: who may reach them (owner, another organisation, an
outsider, staff teams), registering with the secret shown once, disabling,
and replaying a delivery (a recorded, audited action)."""

import pytest
from django.urls import reverse

from accounts.enums import MembershipRole
from accounts.models import AuditEvent, Membership
from webhooks.enums import DeliveryState, EventType, Team
from webhooks.models import Delivery, Endpoint

from ..accreditation.test_accreditation import accredit
from ..factories import make_user
from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(people, receiver):
    return make_endpoint(receiver.url, organisation=people["provider"], user=people["user"])


def status(client, user, url, method="get"):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url)
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "302"
    return response.status_code


def test_who_reaches_the_pages(client, people, endpoint):
    member = make_user(email="member@example.org", organisation=people["provider"], org_role=MembershipRole.MEMBER)
    outsider = make_user(email="outsider@example.org")
    cast = {
        "anonymous": None,
        "owner": people["user"],
        "member": member,
        "other_org": people["other_user"],
        "academy": people["assessor"],
        "awards": people["awards_admin"],
        "outsider": outsider,
    }
    pages = {
        "index": (reverse("webhooks:index"), "get"),
        "create_org": (reverse("webhooks:create_for_organisation", args=[people["provider"].pk]), "get"),
        "create_awards": (reverse("webhooks:create_for_team", args=[Team.AWARDS]), "get"),
        "create_academy": (reverse("webhooks:create_for_team", args=[Team.ACADEMY]), "get"),
        "endpoint": (reverse("webhooks:endpoint", args=[endpoint.pk]), "get"),
    }
    observed = {
        name: [status(client, user, url, method) for user in cast.values()] for name, (url, method) in pages.items()
    }
    #                          anon    owner member other_org academy awards outsider
    assert observed == {
        "index": ["login", 200, 403, 200, 200, 200, 403],
        "create_org": ["login", 200, 404, 404, 404, 404, 404],
        "create_awards": ["login", 403, 403, 403, 403, 200, 403],
        "create_academy": ["login", 403, 403, 403, 200, 403, 403],
        "endpoint": ["login", 200, 404, 404, 404, 404, 404],
    }
    assert status(client, people["awards_admin"], "/webhooks/teams/nobody/new/") == 404


def test_the_index_lists_only_the_persons_own_endpoints(client, people, endpoint, receiver):
    other = make_endpoint(receiver.url + "&other=1", organisation=people["other_provider"])
    client.force_login(people["user"])
    page = client.get(reverse("webhooks:index")).content.decode()
    assert reverse("webhooks:endpoint", args=[endpoint.pk]) in page
    assert reverse("webhooks:endpoint", args=[other.pk]) not in page
    assert people["provider"].name in page and people["other_provider"].name not in page
    # The account and organisation pages link here.
    assert reverse("webhooks:index") in client.get(reverse("accounts:dashboard")).content.decode()
    organisation_page = client.get(reverse("accounts:organisation_detail", args=[people["provider"].pk]))
    assert reverse("webhooks:index") in organisation_page.content.decode()


def test_registering_shows_the_secret_once(client, people):
    client.force_login(people["user"])
    url = reverse("webhooks:create_for_organisation", args=[people["provider"].pk])
    response = client.post(
        url,
        {
            "url": "https://93.184.216.34/hooks",
            "description": "Our learning system",
            "events": [EventType.ACCREDITATION_STATUS_CHANGED, EventType.COMPLETION_VERIFIED],
        },
    )
    endpoint = Endpoint.objects.get()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in response.content.decode()
    assert endpoint.event_types == [EventType.ACCREDITATION_STATUS_CHANGED, EventType.COMPLETION_VERIFIED]
    assert (endpoint.organisation, endpoint.team, endpoint.created_by) == (people["provider"], "", people["user"])
    detail = client.get(reverse("webhooks:endpoint", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in detail and "https://93.184.216.34/hooks" in detail
    audit = AuditEvent.objects.get(action="webhook_endpoint.created")
    assert audit.after == {"url": endpoint.url, "events": endpoint.event_types, "owner": people["provider"].name}
    assert endpoint.secret not in str(audit.after)


def test_bad_addresses_and_events_are_refused_with_reasons(client, people, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    client.force_login(people["awards_admin"])
    url = reverse("webhooks:create_for_team", args=[Team.AWARDS])
    cases = {
        "http://93.184.216.34/": "The address must start with https://",
        "https://169.254.169.254/": "webhooks are sent only to addresses on the public internet",
        "": "Enter the address (URL) to send events to",
    }
    for address, message in cases.items():
        page = client.post(url, {"url": address, "events": [EventType.RESULTS_ANNOUNCED]}).content.decode()
        assert message in page and "govuk-error-summary" in page
    # The awards team may not subscribe to completions, which are not theirs to see.
    page = client.post(url, {"url": "https://93.184.216.34/", "events": [EventType.COMPLETION_VERIFIED]})
    assert "Select a valid choice" in page.content.decode()
    page = client.post(url, {"url": "https://93.184.216.34/"}).content.decode()
    assert "Select at least one event" in page
    assert Endpoint.objects.count() == 0


def test_disabling_stops_waiting_deliveries(client, people, endpoint, receiver):
    receiver.answers = [500]
    accredit(people)
    Delivery.objects.update(attempts=1)
    client.force_login(people["user"])
    response = client.post(reverse("webhooks:disable", args=[endpoint.pk]))
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active is False and endpoint.disabled_by == people["user"]
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_error) == (DeliveryState.FAILED, "The endpoint was disabled")
    assert AuditEvent.objects.get(action="webhook_endpoint.disabled").after == {"deliveries_stopped": 1}
    assert "Disable this endpoint" not in client.get(reverse("webhooks:endpoint", args=[endpoint.pk])).content.decode()
    assert Membership.objects.filter(user=people["other_user"]).exists()
    client.force_login(people["other_user"])
    assert client.post(reverse("webhooks:disable", args=[endpoint.pk])).status_code == 404


def test_a_replay_sends_the_same_event_again_and_is_audited(client, people, endpoint, receiver, run_on_commit):
    with run_on_commit():
        accredit(people)
    original = Delivery.objects.get()
    assert original.state == DeliveryState.DELIVERED
    client.force_login(people["other_user"])
    assert client.post(reverse("webhooks:replay", args=[original.pk])).status_code == 404
    client.force_login(people["user"])
    with run_on_commit():
        response = client.post(reverse("webhooks:replay", args=[original.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("webhooks:endpoint", args=[endpoint.pk])
    replay = Delivery.objects.exclude(pk=original.pk).get()
    assert (replay.replay_of, replay.requested_by, replay.state) == (original, people["user"], DeliveryState.DELIVERED)
    assert [r.headers["Webhook-Id"] for r in receiver.accepted] == [str(original.event.uuid)] * 2
    assert receiver.accepted[0].body == receiver.accepted[1].body
    audit = AuditEvent.objects.get(action="webhook_delivery.replayed")
    assert (audit.actor, audit.after) == (people["user"], {"event": str(original.event.uuid), "replays": original.pk})
    page = client.get(reverse("webhooks:endpoint", args=[endpoint.pk])).content.decode()
    assert page.count("HTTP 200") == 2
    assert page.count('<span class="govuk-body-s">Replay</span>') == 1
