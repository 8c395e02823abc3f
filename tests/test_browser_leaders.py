"""A leader records a completion with a certificate, academy staff verify it,
and the leader's DASS status turns complete."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import OrganisationKind
from accreditation import leaders

from .browser import assert_accessible
from .factories import MINIMAL_PDF, PASSWORD, OrganisationFactory, make_course, make_course_provider, make_user
from .test_browser_judging import sign_in_with_mfa
from .test_leaders import accredit_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_completion_is_verified_and_status_turns_complete(live_server, page, tmp_path):
    staff = make_user(email="academy@academy.example", roles=["academy_staff"])
    _, provider = make_course_provider()
    course = make_course(provider, "Directors' leadership programme")
    today = timezone.localdate()
    accredit_course(course, today - timedelta(days=400), today + timedelta(days=700), staff)
    council = OrganisationFactory(name="Northshire County Council", sector="public", region="east_midlands")
    council.kinds = [OrganisationKind.LOCAL_AUTHORITY]
    council.save()
    leader = make_user(email="director@northshire.example", full_name="Chris Walker")
    leaders.record_appointment(
        staff, leader, local_authority=council, appointed_on=today - timedelta(days=900), kind="substantive"
    )

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("director@northshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/account/$"))
    page.get_by_role("link", name="Your portfolio").click()
    assert_accessible(page, "leaders-01-portfolio")
    assert "Due within 12 months" in page.locator("main").inner_text()
    page.get_by_role("button", name="Record a completed course").click()
    assert_accessible(page, "leaders-02-completion-form")
    page.get_by_label("Course from the register").select_option(label="Directors' leadership programme")
    page.get_by_label("Date you completed the course").fill((today - timedelta(days=20)).isoformat())
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(MINIMAL_PDF)
    page.get_by_label("Certificate (optional)").set_input_files(str(certificate))
    page.get_by_role("button", name="Record completion").click()
    page.wait_for_url(re.compile(r"/leaders/$"))
    assert "Complete (awaiting verification)" in page.locator("main").inner_text()
    assert_accessible(page, "leaders-03-awaiting")

    page.context.clear_cookies()
    sign_in_with_mfa(page, live_server, "academy@academy.example", "leaders-04")
    page.goto(live_server.url + "/leaders/verification/")
    assert_accessible(page, "leaders-05-verification")
    page.get_by_role("button", name=re.compile("Verify Directors' leadership programme")).click()
    assert "is verified" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(live_server.url + "/leaders/dass/")
    assert_accessible(page, "leaders-06-dashboard")

    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("director@northshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(live_server.url + "/leaders/")
    assert "Complete (verified)" in page.locator("main").inner_text()
    assert_accessible(page, "leaders-07-complete")
