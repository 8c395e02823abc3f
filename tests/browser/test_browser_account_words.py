"""On a 320 px wide screen, by keyboard: create an account with a name, get
the verification email (naming the site and greeting by name), sign in, and
set up two-step sign-in in plain words with a way back on every page."""

import re

import pyotp
import pytest
from django.core import mail
from django.utils import timezone

from accounts.enums import SiteRole
from accounts.models import RoleGrant, User

from .browser import assert_accessible, press, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 720}
PASSWORD = "a-good-long-passphrase"
SITE = "Social Care Awards and Leadership Academy"


def assert_fits(page, name):
    """axe finds nothing, and nothing scrolls sideways at 320 px."""
    assert_accessible(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide"


def back_link(page):
    return page.locator("a.govuk-back-link")


def test_sign_up_verify_sign_in_and_set_up_two_step_sign_in_at_320px(live_server, page):
    page.set_viewport_size(NARROW)
    page.goto(live_server.url + "/accounts/signup/")
    assert page.get_by_role("heading", level=1).inner_text() == "Create an account"
    assert_fits(page, "account-words-01-signup")

    press(page, page.get_by_role("button", name="Create account"), navigates=True)
    assert page.title().startswith("Error: Create an account")
    assert "Enter your full name" in page.locator(".govuk-error-summary").inner_text()
    assert_fits(page, "account-words-02-signup-errors")

    type_into(page, page.get_by_label("Full name"), "Jo Bloggs")
    type_into(page, page.get_by_label("Email address"), "jo.manager@example.org")
    type_into(page, page.get_by_label("Create a password"), PASSWORD)
    type_into(page, page.get_by_label("Type the password again"), PASSWORD)
    press(page, page.get_by_role("button", name="Create account"))

    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_fits(page, "account-words-03-check-email")
    [message] = mail.outbox
    assert message.body.startswith("Dear Jo Bloggs,\n")
    assert f"create an account on the {SITE}." in message.body and "on ." not in message.body
    assert SITE in message.subject
    link = re.search(r"http://\S+(/accounts/confirm-email/\S+/)", message.body).group(1)

    page.goto(live_server.url + link)
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your email address"
    assert_fits(page, "account-words-04-confirm")
    press(page, page.get_by_role("button", name="Confirm"))
    assert User.objects.get(email="jo.manager@example.org").full_name == "Jo Bloggs"

    # The awards team makes Jo a judge: judges must use two-step sign-in.
    RoleGrant.objects.create(
        user=User.objects.get(email="jo.manager@example.org"), role=SiteRole.JUDGE, granted_at=timezone.now()
    )
    page.goto(live_server.url + "/accounts/logout/")
    assert_fits(page, "account-words-05-sign-out")
    press(page, page.get_by_role("button", name="Sign out"))

    page.goto(live_server.url + "/accounts/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert_fits(page, "account-words-06-sign-in")
    type_into(page, page.get_by_label("Email address"), "jo.manager@example.org")
    type_into(page, page.get_by_label("Password", exact=True), PASSWORD)
    press(page, page.get_by_role("button", name="Sign in", exact=True))

    # Signed in a moment ago: the set-up opens without the password again.
    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-step sign-in"
    main = page.locator("main").inner_text()
    for words in [
        "An authenticator app is a free app",
        "Step 1: get an authenticator app",
        "Step 2: add this account to the app",
        "Step 3: type the code the app shows",
    ]:
        assert words in main
    assert back_link(page).inner_text() == "Back to your account"
    assert page.get_by_role("link", name="Cancel").count() == 1
    press(page, page.locator("summary", has_text="I cannot scan the code"), navigates=False)
    assert_fits(page, "account-words-07-set-up")

    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    type_into(page, page.get_by_label("Code from your authenticator app"), pyotp.TOTP(secret).now())
    press(page, page.get_by_role("button", name="Finish setting up"))

    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    assert back_link(page).inner_text() == "Back to your account"
    assert_fits(page, "account-words-08-recovery-codes")

    page.goto(live_server.url + "/accounts/2fa/")
    assert page.get_by_role("heading", level=1).inner_text() == "Two-step sign-in"
    assert back_link(page).inner_text() == "Back to your account"
    assert_fits(page, "account-words-09-two-step-index")
