"""The equity report, by keyboard: an awards administrator opens it from the
cycle's page while the cycle runs, chooses the stage its charts compare with
registered providers, and meets a clear message for a stage that does not
exist; once the results are announced, anyone reaches the published report
from the winners page, small counts hidden. Screenshots of each page are
saved in tests/browser/screenshots/equity-*.png."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import SiteRole
from awards.enums import NominationState
from awards.models import Cycle

from ..awards.equity_world import build, entry
from ..factories import PASSWORD, TOTP_SECRET, make_user
from .browser import (
    check_and_screenshot,
    press,
    select,
    sign_in_with_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    check_and_screenshot(page, f"equity-{name}")


def sign_in(page, live_server, email):
    sign_in_with_code(page, live_server, email, PASSWORD, TOTP_SECRET)


def test_equity_report_while_the_cycle_runs_and_published_with_the_results(live_server, page):
    world = build()
    cycle = world["cycle"]
    for number in range(6):
        entry(world["category"], world["winner"].organisation, NominationState.NOT_SHORTLISTED, f"1-{number:03d}")
    make_user(email="admin@awards.example", roles=[SiteRole.AWARDS_ADMIN])

    sign_in(page, live_server, "admin@awards.example")
    page.goto(live_server.url + f"/awards/manage/cycles/{cycle.pk}/")
    press(page, page.get_by_role("button", name="Equity report"))  # a link styled as a button
    assert page.get_by_role("heading", name="Equity report").is_visible()
    assert page.get_by_role("img", name=re.compile("Sector: share of entries")).is_visible()
    sector = page.get_by_role("table", name="Sector: the figures")
    assert sector.get_by_role("row", name=re.compile("^Private")).inner_text().split("\t")[1:3] == [
        "2 (50.0%)",
        "8 (80.0%)",
    ]
    check(page, "manage")

    select(page, page.get_by_label("Compare registered providers with"), "Winners")
    press(page, page.get_by_role("button", name="Show charts"))
    assert page.get_by_role("img", name=re.compile("Sector: share of winners")).is_visible()
    assert "compare=winners" in page.url

    page.goto(live_server.url + f"/awards/manage/cycles/{cycle.pk}/equity/?compare=everyone")
    summary = page.locator(".govuk-error-summary")
    assert "Select a stage to compare with registered providers" in summary.inner_text()
    check(page, "manage-error")

    # The results are announced: the public reaches the report from the winners page.
    now = timezone.now()
    Cycle.objects.filter(pk=cycle.pk).update(
        winners_announced=now - timedelta(hours=1), results_approved_at=now - timedelta(days=1)
    )
    page.context.clear_cookies()
    page.goto(live_server.url + f"/winners/{cycle.pk}/")
    press(page, page.get_by_role("link", name=re.compile("Who entered and who won")))
    assert page.get_by_role("heading", name="Who entered and who won", level=1).is_visible()
    sector = page.get_by_role("table", name="Sector: the figures")
    assert sector.get_by_role("row", name=re.compile("^Public")).inner_text().split("\t")[2] == "fewer than 5"
    assert "Acorn Care" not in page.content()
    check(page, "public")
