"""Security counters with Redis down: sign-in, code and sign-up limits still hold."""

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from accounts.enums import SiteRole
from accounts.models import User

from ..factories import PASSWORD, TOTP_SECRET, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """Redis unreachable; the database cache carries on (core.caching)."""
    settings.CACHES = {
        "default": {"BACKEND": "core.caching.ForgivingRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
        "fallback": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_fallback"},
    }


def test_with_redis_down_wrong_passwords_are_still_limited(client, redis_down):
    make_user(email="target@example.org")
    checked = 0
    for _ in range(30):
        response = client.post(reverse("account_login"), {"login": "target@example.org", "password": "wrong"})
        checked += response.status_code != 429 and "Too many failed login attempts" not in response.content.decode()
    assert checked == 5
    right = client.post(reverse("account_login"), {"login": "target@example.org", "password": PASSWORD})
    assert right.status_code == 429 and not right.wsgi_request.user.is_authenticated


def test_with_redis_down_codes_are_limited_and_never_used_twice(client, redis_down):
    make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    code = pyotp.TOTP(TOTP_SECRET).now()
    client.post(reverse("account_login"), {"login": "judge@example.org", "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.logout()
    client.post(reverse("account_login"), {"login": "judge@example.org", "password": PASSWORD})
    replayed = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replayed.status_code == 200 and "govuk-error-summary" in replayed.content.decode()

    other = Client()
    make_user(email="judge2@example.org", roles=[SiteRole.JUDGE])
    other.post(reverse("account_login"), {"login": "judge2@example.org", "password": PASSWORD})
    answers = [other.post(reverse("mfa_authenticate"), {"code": "000000"}).content.decode() for _ in range(12)]
    assert sum("Too many failed login attempts" in answer for answer in answers) >= 6


def test_with_redis_down_sign_ups_are_still_limited(client, redis_down):
    statuses = []
    for n in range(25):
        response = client.post(
            reverse("account_signup"),
            {
                "full_name": "Sam New",
                "email": f"new{n}@example.org",
                "password1": "a-long-passphrase-9",
                "password2": "a-long-passphrase-9",
            },
        )
        statuses.append(response.status_code)
    assert statuses.count(302) == 20 and User.objects.filter(email__startswith="new").count() == 20
