"""allauth's pages in plain words, with a way back from each two-factor page,
and a fresh sign-in counting as one when setting up two-factor."""

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.enums import SiteRole

from ..conftest import sign_in
from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

# allauth's own wording, which no page we serve may show.
LIBRARY_WORDS = [
    "Sign Up",
    "Sign In",
    "Sign Out",
    "Signup",
    "E-mail",
    "finalize",
    "Confirm Access",
    "reauthenticate",
    "Remember Me",
    "Password (again)",
    "Authenticator secret",
    "Activate Authenticator App",
    "Two-Factor Authentication",
    "Bad Token",
    "Make Primary",
]


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def back_link(response) -> str:
    """The GOV.UK back link's words, above the main content."""
    found = re.search(r'<a href="([^"]+)" class="govuk-back-link">([^<]+)</a>', response.content.decode())
    return f"{found.group(2)} -> {found.group(1)}" if found else ""


def assert_plain(response):
    text = main_text(response)
    assert [word for word in LIBRARY_WORDS if word in text] == []


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_login", "Sign in"),
        ("account_signup", "Create an account"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
        ("account_email_verification_sent", "Check your email"),
    ],
)
def test_signed_out_pages_use_plain_words(client, url_name, heading):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert h1(response) == heading
    assert_plain(response)


def test_login_page_labels_and_links(client):
    response = client.get(reverse("account_login"))
    form = response.context["form"]
    assert [form.fields[name].label for name in ["login", "password", "remember"]] == [
        "Email address",
        "Password",
        "Keep me signed in on this device",
    ]
    text = main_text(response)
    assert "I have forgotten my password" in text and "Create an account" in text


def test_wrong_password_shows_an_error_summary_and_error_title(client):
    make_user(email="someone@example.org")
    response = client.post(reverse("account_login"), {"login": "someone@example.org", "password": "wrong-one"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert re.search(r"<title>\s*Error: Sign in –", html)


def test_empty_login_names_each_field(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    assert response.context["form"].errors == {
        "login": ["Enter your email address"],
        "password": ["Enter your password"],
    }


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_logout", "Sign out"),
        ("account_change_password", "Change your password"),
        ("account_email", "Your email addresses"),
        ("mfa_index", "Two-step sign-in"),
    ],
)
def test_signed_in_pages_use_plain_words(client, provider, url_name, heading):
    client.force_login(provider)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert h1(response) == heading
    assert_plain(response)


def test_judge_setting_up_two_factor_right_after_sign_in_is_not_asked_for_the_password_again(client):
    judge = make_user(email="new.judge@example.org", roles=[SiteRole.JUDGE], mfa=False)
    sign_in(client, judge)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert h1(response) == "Set up two-step sign-in"
    text = main_text(response)
    for step in [
        "Step 1: get an authenticator app",
        "Step 2: add this account to the app",
        "Step 3: type the code the app shows",
    ]:
        assert step in text
    assert back_link(response) == "Back to your account -> /account/"
    assert "Cancel" in text
    assert response.context["form"].fields["code"].label == "Code from your authenticator app"
    assert_plain(response)

    secret = response.context["form"].secret
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert grouped in text

    done = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    codes = client.get(done["Location"])
    assert h1(codes) == "Your recovery codes"
    assert back_link(codes) == "Back to your account -> /account/"
    assert_plain(codes)


def test_a_sign_in_more_than_five_minutes_ago_asks_for_the_password_in_plain_words(client):
    judge = make_user(email="slow.judge@example.org", roles=[SiteRole.JUDGE], mfa=False)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, judge)
        clock.shift(timedelta(minutes=6))
        response = client.get(reverse("mfa_activate_totp"))
        assert response["Location"].split("?")[0] == reverse("account_reauthenticate")

        page = client.get(response["Location"])
        assert h1(page) == "Enter your password to carry on"
        text = main_text(page)
        assert "we need to check it is really you" in text
        assert back_link(page) == "Cancel and go back to your account -> /account/"
        assert "Cancel" in text
        assert page.context["form"].fields["password"].label == "Your password"
        assert_plain(page)

        client.post(response["Location"], {"password": PASSWORD})
        assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_two_factor_sign_in_page_is_plain_and_can_be_cancelled(client):
    judge = make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    client.post(reverse("account_login"), {"login": judge.email, "password": PASSWORD})
    response = client.get(reverse("mfa_authenticate"))
    assert h1(response) == "Enter the code from your authenticator app"
    text = main_text(response)
    assert "Cancel and sign out" in text and "I do not have my phone" in text
    assert_plain(response)


def test_turning_off_and_new_codes_pages_offer_a_way_back(client):
    judge = make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    client.force_login(judge)
    for url_name, heading in [
        ("mfa_deactivate_totp", "Turn off two-step sign-in"),
        ("mfa_generate_recovery_codes", "Make new recovery codes"),
    ]:
        response = client.get(reverse(url_name))
        assert (response.status_code, h1(response)) == (200, heading)
        assert back_link(response) == "Back to your account -> /account/"
        assert_plain(response)


def test_confirm_email_page_with_a_bad_link_says_so_plainly(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))
    assert h1(response) == "This link no longer works"
    assert_plain(response)
