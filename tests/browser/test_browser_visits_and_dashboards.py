"""Keyboard only: a judge writes a site-visit report; an awards administrator
filters the nominations list and reads the sector balance."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from judging.models import SiteVisit

from ..factories import make_category, make_cycle, make_eligible, make_judge, make_user
from .browser import assert_accessible, choose, press, type_into
from .test_browser_judging import sign_in_with_mfa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_judge_writes_a_site_visit_report_by_keyboard(live_server, page):
    category = make_category(make_cycle())
    judge = make_judge("judge@panel.example", lived="uses_services")
    other = make_judge("other@panel.example")
    nomination = make_eligible(category, 1)[0]
    visit = SiteVisit.objects.create(
        nomination=nomination,
        starts_at=timezone.now() - timedelta(days=1, hours=2),
        ends_at=timezone.now() - timedelta(days=1),
        address="1 High Street",
        provider_contact_name="Registered manager",
        provider_contact_email="manager@provider.example",
    )
    visit.judges.set([judge, other])

    sign_in_with_mfa(page, live_server, "judge@panel.example", "visit-01")
    page.goto(live_server.url + f"/judging/visits/{visit.pk}/")
    assert_accessible(page, "visit-02-report-form")
    press(page, page.get_by_role("button", name=re.compile("Submit")))
    assert_accessible(page, "visit-03-report-errors")
    assert "Describe what you saw on the visit" in page.locator(".govuk-error-summary").inner_text()
    type_into(page, page.get_by_label("What you saw"), "Residents were cooking lunch together with staff.")
    choose(page, page.get_by_label("People who use the service"))
    choose(page, page.get_by_label("Staff"))
    type_into(page, page.get_by_label("Who you spoke to, and what they said"), "Two residents and the cook.")
    press(page, page.get_by_role("button", name=re.compile("Submit")))
    assert "The visit report has been submitted." in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "visit-04-report-submitted")
    visit.refresh_from_db()
    assert visit.what_was_seen == "Residents were cooking lunch together with staff."
    assert (visit.spoke_to_people_using_service, visit.spoke_to_carers, visit.spoke_to_staff) == (True, False, True)
    assert visit.report_by == judge


def test_awards_administrator_uses_the_dashboards_by_keyboard(live_server, page):
    cycle = make_cycle()
    category = make_category(cycle)
    make_eligible(category, 3)
    make_user(email="awards@admin.example", roles=["awards_admin"])

    sign_in_with_mfa(page, live_server, "awards@admin.example", "dashboards-01")
    press(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Manage awards"))
    assert_accessible(page, "dashboards-02-cycles")
    press(page, page.get_by_role("button", name="All nominations"))
    assert_accessible(page, "dashboards-03-nominations")
    type_into(page, page.get_by_label("Reference, service or organisation"), "Provider")
    press(page, page.get_by_role("button", name="Filter"))
    assert_accessible(page, "dashboards-04-filtered")
    assert page.locator("main tbody tr").count() == 3
    page.goto(live_server.url + f"/awards/manage/cycles/{cycle.pk}/balance/")
    assert_accessible(page, "dashboards-05-sector-balance")
    assert "Sector" in page.locator("main").inner_text()
