"""Accessible participation, by keyboard: a judge with lived experience
records their access needs and who may see them, then records on a scorecard
that a supporter helped; the awards administrator sees the flag on the panel
and the needs to meet when arranging a visit. Screenshots of each page are
saved in tests/browser/screenshots/access-*.png."""

import re

import pytest

from accounts.enums import SiteRole
from awards.models import Nomination
from judging.models import Assignment, JudgeProfile, ScoringSupport

from ..factories import (
    PASSWORD,
    TOTP_SECRET,
    make_category,
    make_cycle,
    make_eligible,
    make_judge,
    make_panel,
    make_user,
)
from .browser import (
    check_and_screenshot,
    choose,
    press,
    sign_in_with_code,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    check_and_screenshot(page, f"access-{name}")


def sign_in(page, live_server, email):
    sign_in_with_code(page, live_server, email, PASSWORD, TOTP_SECRET)


def banner(page):
    return page.locator(".govuk-notification-banner").inner_text()


def test_access_needs_and_assisted_scoring_by_keyboard(live_server, page):
    category = make_category(make_cycle())
    make_user(email="admin@awards.example", roles=[SiteRole.AWARDS_ADMIN])
    chair = make_judge("chair@panel.example", sector="public")
    judge = make_judge("judge@panel.example", sector="private", lived="uses_services")
    panel = make_panel(category, [chair, judge], chair=chair)
    scored, visited = make_eligible(category, 2)
    Nomination.objects.filter(pk=visited.pk).update(state="shortlisted")
    assignment = Assignment.objects.create(nomination=scored, judge=judge)

    # Identify and record: the judge answers the access needs questions.
    sign_in(page, live_server, "judge@panel.example")
    page.goto(live_server.url + "/judging/profile/")
    press(page, page.get_by_role("link", name="Tell us about your access needs"))
    choose(page, page.get_by_label("Easy read"))
    choose(page, page.get_by_label("Step-free access"))
    type_into(page, page.get_by_label(re.compile("Anything else we should know")), "A break every hour, please.")
    choose(page, page.get_by_label(re.compile("Share my access needs with the awards administrator")))
    choose(page, page.get_by_label(re.compile("Share my access needs with the services I visit")))
    check(page, "needs")
    press(page, page.get_by_role("button", name="Save access needs"))
    assert "Your access needs have been saved." in banner(page)
    profile = JudgeProfile.objects.get(user=judge)
    assert profile.access_need_kinds == ["easy_read", "step_free"]
    assert (profile.share_access_needs_with_admin, profile.share_access_needs_with_hosts) == (True, True)
    assert "Easy read\nStep-free access" in page.locator("#access-needs + dl").inner_text()
    check(page, "profile")

    # Assisted scoring: who helped with the scorecard, and how.
    page.goto(live_server.url + f"/judging/assignments/{assignment.pk}/")
    press(page, page.get_by_role("link", name="Record that someone helped you"))
    press(page, page.get_by_role("button", name="Save"))
    check(page, "support-error")
    assert "Select yes if someone helped you" in page.locator(".govuk-error-summary").inner_text()
    choose(page, page.get_by_label("Yes", exact=True))
    type_into(page, page.get_by_label("Their name"), "Sam Okafor")
    choose(page, page.get_by_label("Read the entry aloud to me"))
    check(page, "support")
    press(page, page.get_by_role("button", name="Save"))
    assert "Who helped you has been recorded with your scores." in banner(page)
    support = ScoringSupport.objects.get(assignment=assignment)
    assert (support.supporter_name, support.kinds) == ("Sam Okafor", ["read_aloud"])
    assert "Helped by Sam Okafor." in page.locator("main").inner_text()
    check(page, "score")

    # Flag and meet: the administrator, with the judge's consent.
    sign_in(page, live_server, "admin@awards.example")
    page.goto(live_server.url + f"/judging/panels/{panel.pk}/")
    assert page.locator(".govuk-tag", has_text="Access needs").count() == 1
    check(page, "panel")
    page.goto(live_server.url + f"/judging/panels/{panel.pk}/visits/")
    press(page, page.get_by_role("link", name=f"Arrange a visit to {visited.reference}"))
    needs = page.locator("main").inner_text().split("Access needs to meet", 1)[1]
    assert "Easy read" in needs and "A break every hour, please." in needs
    assert "The service is told these needs (without the judge's name) in its invitation." in needs
    check(page, "visit-form")
