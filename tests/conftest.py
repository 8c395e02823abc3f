import os
import re
from pathlib import Path

import pytest
from django.core import mail

from accounts.enums import SiteRole

from .factories import make_provider, make_user

# pytest-django's live_server runs Django in a thread beside Playwright's
# event loop; Django's async-safety check would refuse the ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Rate limits and TOTP replay marks live in the cache: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_both_factors(monkeypatch):
    """In tests, force_login stands for a completed sign-in, password and
    code, just now. force_login_password_only is the sign-in that stopped
    after the password (or went through a form without a second factor)."""
    from django.test import Client

    from accounts.testing import record_sign_in

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        record_sign_in(self, user, "password", "mfa")

    def force_login_password_only(self, user, backend=None):
        original(self, user, backend)
        record_sign_in(self, user, "password")

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "force_login_password_only", force_login_password_only, raising=False)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test stores uploads in its own folder."""
    storages = {**settings.STORAGES}
    if storages["default"]["BACKEND"].endswith("FileSystemStorage"):
        storages["default"] = {**storages["default"], "OPTIONS": {"location": str(tmp_path / "private-media")}}
        settings.STORAGES = storages


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded browser.
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


@pytest.fixture
def context(context):
    """Playwright's waits are for events (a page loaded, an element shown); a
    busy machine only delays them, so their deadline is generous."""
    context.set_default_timeout(120_000)
    context.set_default_navigation_timeout(120_000)
    return context


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs transaction.on_commit callbacks (the email hand-over) inside a test."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def provider(db):
    user, _ = make_provider("Riverside Care")
    return user


@pytest.fixture
def other_provider(db):
    user, _ = make_provider("Hilltop Care")
    return user


@pytest.fixture
def outsider(db):
    return make_user(email="outsider@example.org")


@pytest.fixture
def judge(db):
    return make_user(email="judge@example.org", roles=[SiteRole.JUDGE])


@pytest.fixture
def awards_admin(db):
    return make_user(email="awards-admin@example.org", roles=[SiteRole.AWARDS_ADMIN])


@pytest.fixture
def academy_staff(db):
    return make_user(email="academy@example.org", roles=[SiteRole.ACADEMY_STAFF])


@pytest.fixture
def site_staff(db):
    return make_user(email="staff@example.org", is_staff=True)


def link_in_last_email(pattern=r"https?://\S+"):
    return re.search(pattern, mail.outbox[-1].body).group(0)


def sign_in(client, user, password=None):
    """Signs in through the real login form (allauth then counts the session
    as recently authenticated), answering the TOTP step when there is one."""
    import pyotp
    from django.urls import reverse

    from .factories import PASSWORD, TOTP_SECRET

    response = client.post(reverse("account_login"), {"login": user.email, "password": password or PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    if response["Location"] == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(TOTP_SECRET).now()})
        assert response.status_code == 302
    return response


def count_queries(func) -> int:
    """Number of database queries `func` makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        func()
    return len(context)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The framework levels, domains and accreditation criteria that data
    migrations create. Transactional (browser) tests empty every table when
    they finish, so tests after them would otherwise run without these rows."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    transactional = "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from .factories import ensure_reference_data

    ensure_reference_data()
