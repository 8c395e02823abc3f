"""Every API request is rate limited in the shared cache: per address
without a token, per token with one; over the limit, 429 with Retry-After."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.enums import SiteRole

from ..factories import make_user
from .conftest import bearer, create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(anonymous="3/min", token="2/min"):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anonymous": anonymous, "token": token},
        }

    return set_rates


def test_anonymous_requests_are_limited_per_address_with_retry_after(rates):
    rates(anonymous="3/min")
    client = APIClient()
    url = reverse("api:winners_index")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Request was throttled.")
    # Another address has its own count.
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_a_token_has_its_own_limit_and_refusals_are_audited(rates):
    from accounts.models import AuditEvent

    rates(anonymous="1/min", token="2/min")
    user = make_user(email="admin@example.org", roles=[SiteRole.AWARDS_ADMIN])
    token, secret = create_token(user)
    client = bearer(secret)
    me = reverse("api:me")
    assert [client.get(me).status_code for _ in range(3)] == [200, 200, 429]
    assert int(client.get(me)["Retry-After"]) >= 1
    statuses = AuditEvent.objects.filter(action="api_token.used", object_id=str(token.pk)).order_by("pk")
    assert [event.after["status"] for event in statuses] == [200, 200, 429, 429]
    # The token's count is not the address's: an anonymous request still has its own.
    assert APIClient().get(reverse("api:winners_index")).status_code == 200


def test_the_client_cannot_choose_its_address_with_x_forwarded_for(rates):
    rates(anonymous="1/min")
    client = APIClient()
    url = reverse("api:winners_index")
    assert client.get(url, HTTP_X_FORWARDED_FOR="10.9.9.1").status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="10.9.9.2").status_code == 429
