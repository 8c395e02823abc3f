"""A new user signs up, verifies, creates an organisation and sees their navigation."""

import re

import pytest
from django.core import mail

from .browser import assert_accessible, choose, press, select, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-good-long-passphrase"


def test_sign_up_verify_and_create_organisation(live_server, page):
    page.goto(live_server.url + "/")
    assert_accessible(page, "foundation-01-home")
    press(page, page.get_by_role("button", name="Create an account"))

    assert_accessible(page, "foundation-02-signup")
    type_into(page, page.get_by_label("Full name"), "Nia Provider")
    type_into(page, page.get_by_label("Email address"), "new.provider@example.org")
    type_into(page, page.get_by_label("Create a password"), PASSWORD)
    type_into(page, page.get_by_label("Type the password again"), PASSWORD)
    press(page, page.get_by_role("button", name="Create account"))

    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert_accessible(page, "foundation-03-verification-sent")
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + link.split("/accounts/", 1)[1].join(["/accounts/", ""]))

    assert_accessible(page, "foundation-04-confirm")
    press(page, page.get_by_role("button", name="Confirm"))

    page.wait_for_url(re.compile(r"/$"))  # "Your home"
    assert_accessible(page, "foundation-05-dashboard")
    nav = page.get_by_role("navigation", name="Menu")
    assert nav.get_by_role("link").all_inner_texts() == [
        "Home",
        "Winners",
        "Courses",
        "Your account",
        "Organisations",
        "Your portfolio",
        "Sign out",
    ]

    press(page, nav.get_by_role("link", name="Your account"))
    press(page, page.get_by_role("link", name="Create an organisation"))
    press(page, page.get_by_role("button", name="Create organisation"))
    assert_accessible(page, "foundation-06-organisation-errors")
    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary")
    assert "Enter organisation name" in summary.inner_text()

    type_into(page, page.get_by_label("Organisation name"), "Sunrise Home Care")
    choose(page, page.get_by_label("Voluntary"))
    choose(page, page.get_by_label("Care provider"))
    select(page, page.get_by_label("Region"), "North West")
    press(page, page.get_by_role("button", name="Create organisation"))

    page.wait_for_url(re.compile(r"/account/organisations/\d+/$"))
    assert_accessible(page, "foundation-07-organisation")
    assert page.get_by_role("heading", level=1).inner_text() == "Sunrise Home Care"
    assert "Sunrise Home Care has been created" in page.locator(".govuk-notification-banner").inner_text()
