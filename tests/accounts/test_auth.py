"""Sign-up, verification, login, password reset, MFA and rate limiting."""

import pyotp
import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import SiteRole
from accounts.models import RoleGrant, User
from notifications.models import EmailState, OutboundEmail

from ..conftest import link_in_last_email, sign_in
from ..factories import PASSWORD, TOTP_SECRET, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-new-passphrase"


def sign_up(client, run_on_commit, email="new.person@example.org"):
    with run_on_commit():
        response = client.post(
            reverse("account_signup"),
            {"full_name": "Jo Bloggs", "email": email, "password1": PASSWORD, "password2": PASSWORD},
        )
    return response


def test_sign_up_sends_verification_email_and_login_waits_for_it(client, run_on_commit):
    response = sign_up(client, run_on_commit)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert mail.outbox[0].subject == "Check your email address for the Social Care Awards and Leadership Academy"
    assert OutboundEmail.objects.get().state == EmailState.SENT
    user = User.objects.get(email="new.person@example.org")
    assert EmailAddress.objects.get(user=user).verified is False

    # Unverified: logging in only resends the verification email.
    client.logout()
    response = client.post(reverse("account_login"), {"login": "new.person@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_verification_link_confirms_email_and_logs_in(client, run_on_commit):
    sign_up(client, run_on_commit)
    link = link_in_last_email(r"http://testserver(/accounts/confirm-email/\S+/)")
    path = link.removeprefix("http://testserver")

    page = client.get(path)
    assert page.status_code == 200
    assert b"Confirm" in page.content
    response = client.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new.person@example.org").verified is True
    dashboard = client.get(reverse("accounts:dashboard"))
    assert dashboard.status_code == 200
    assert "new.person@example.org" in dashboard.content.decode()


def test_login_with_password_after_verification(client):
    user = make_user(email="verified@example.org")
    response = client.post(reverse("account_login"), {"login": "verified@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")  # "Your home"
    assert client.get(reverse("home")).context["user"] == user


def test_wrong_password_shows_error_summary(client):
    make_user(email="verified@example.org")
    response = client.post(reverse("account_login"), {"login": "verified@example.org", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "govuk-error-summary" in html
    assert "<title>Error:" in html


def test_password_reset_by_email(client, run_on_commit):
    make_user(email="forgetful@example.org")
    with run_on_commit():
        response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    path = link_in_last_email(r"http://testserver(/accounts/password/reset/key/\S+/)").removeprefix("http://testserver")

    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    client.logout()
    assert client.login(email="forgetful@example.org", password=NEW_PASSWORD)


@pytest.mark.parametrize("role", [SiteRole.JUDGE, SiteRole.AWARDS_ADMIN, SiteRole.ACADEMY_STAFF])
def test_roles_that_need_mfa_are_sent_to_set_it_up(client, role):
    user = make_user(email="no-mfa@example.org", roles=[role], mfa=False)
    sign_in(client, user)

    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The sign-in just made counts as a fresh one (accounts.decorators): the
    # set-up page opens without the password again; public pages stay reachable.
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_role_granted_mid_session_demands_mfa_on_next_request(client):
    user = make_user(email="soon-judge@example.org")
    client.force_login(user)
    assert client.get(reverse("accounts:dashboard")).status_code == 200

    RoleGrant.objects.create(user=user, role=SiteRole.JUDGE, granted_at=timezone.now())

    response = client.get(reverse("accounts:dashboard"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_provider_is_not_asked_for_mfa(client, provider):
    client.force_login(provider)
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_activating_totp_opens_the_judge_area(client):
    user = make_user(email="judge-to-be@example.org", roles=[SiteRole.JUDGE], mfa=False)
    sign_in(client, user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})

    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_login_with_mfa_asks_for_a_code(client):
    make_user(email="judge2@example.org", roles=[SiteRole.JUDGE])
    response = client.post(reverse("account_login"), {"login": "judge2@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not yet signed in.
    assert client.get(reverse("accounts:dashboard")).status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "govuk-error-summary" in wrong.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_failed_logins_are_rate_limited(client):
    make_user(email="target@example.org")
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "target@example.org", "password": "wrong"})
        assert "Too many failed login attempts" not in response.content.decode()

    # The sixth failure for the same email within 5 minutes is refused,
    # and so is the right password until the window passes.
    response = client.post(reverse("account_login"), {"login": "target@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("accounts:dashboard")).status_code == 302
