"""Consent that respects capacity, by keyboard: a provider records that a
best-interests decision was made for a resident's statement (the names it
needs revealed under the radio), meets the error summary for a name left
out, then, once the winners are announced, sends a withdrawal request, and
the winners page drops the statement at once. Screenshots of each page are
saved in tests/browser/screenshots/consent-*.png."""

import re

import pytest

from awards.models import Consent

from ..awards.consent_world import STATEMENT, draft_with_image, make_winner
from ..factories import PASSWORD, make_provider
from .browser import check_and_screenshot, choose, press, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    check_and_screenshot(page, f"consent-{name}")


def test_best_interests_consent_then_a_withdrawal_request_after_the_announcement(live_server, page):
    user, _ = make_provider("Riverside Care", email="jo@riverside.example")
    nomination, _ = draft_with_image(user)

    page.goto(live_server.url + "/accounts/login/")
    type_into(page, page.get_by_label("Email"), "jo@riverside.example")
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign In"))
    page.wait_for_url(re.compile(r"/$"))
    page.goto(live_server.url + f"/awards/nominations/{nomination.pk}/")
    press(page, page.get_by_role("link", name=re.compile("Record consent: the statement")))
    check(page, "form")

    choose(page, page.get_by_label("Through a best-interests decision (Mental Capacity Act)"))
    assert page.get_by_label("Who was consulted?").is_visible()
    assert not page.get_by_label("Who supported them?").is_visible()
    type_into(page, page.get_by_label("Who was consulted?"), "His brother and an advocate")
    choose(page, page.get_by_label("Judges may read or see it"))
    choose(page, page.get_by_label("It may be published with the results"))
    press(page, page.get_by_role("button", name="Save consent"))
    summary = page.locator(".govuk-error-summary")
    assert "Enter who made the best-interests decision" in summary.inner_text()
    check(page, "form-error")

    type_into(page, page.get_by_label("Who made the decision?"), "Grace Mensah, registered manager")
    press(page, page.get_by_role("button", name="Save consent"))
    page.wait_for_url(re.compile(rf"/awards/nominations/{nomination.pk}/$"))
    consent = Consent.objects.get()
    assert (consent.basis, consent.decided_by, sorted(consent.uses)) == (
        "best_interests",
        "Grace Mensah, registered manager",
        ["judges", "publication"],
    )

    # The nomination wins; the winners page quotes the statement.
    make_winner(nomination)
    page.goto(live_server.url + f"/winners/{nomination.cycle_id}/")
    assert STATEMENT in page.content()

    page.goto(live_server.url + f"/awards/nominations/{nomination.pk}/people-consent/statement/")
    check(page, "summary")
    press(page, page.get_by_role("link", name="Withdraw this consent"))
    assert "cannot be called back" in page.locator(".govuk-warning-text").inner_text()
    check(page, "withdraw")
    type_into(page, page.get_by_label("Why is consent being withdrawn? (optional)"), "He asked us to")
    press(page, page.get_by_role("button", name="Send withdrawal request"))
    assert "Your withdrawal request has been recorded." in page.content()
    check(page, "withdrawn")

    page.goto(live_server.url + f"/winners/{nomination.cycle_id}/")
    assert STATEMENT not in page.content()
    assert "A lovely home." in page.content()
