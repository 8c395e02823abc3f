"""A leader records a completion with a certificate, academy staff verify it,
and the leader's DASS status turns complete."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind
from leaders import domain as leaders

from ..factories import MINIMAL_PDF, PASSWORD, OrganisationFactory, make_course, make_course_provider, make_user
from ..leaders.helpers import accredit_course
from .browser import assert_accessible, press, select, type_date, type_into, upload
from .test_browser_judging import sign_in_with_mfa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def academy_world():
    """Academy staff, an accredited course designed for social care and a council."""
    staff = make_user(email="academy@academy.example", roles=["academy_staff"])
    _, provider = make_course_provider()
    course = make_course(provider, "Directors' leadership programme")
    today = timezone.localdate()
    accredit_course(course, today - timedelta(days=400), today + timedelta(days=700), staff)
    council = OrganisationFactory(name="Northshire County Council", sector="public", region="east_midlands")
    council.kinds = [OrganisationKind.LOCAL_AUTHORITY]
    council.save()
    return staff, course, council


def test_leader_completion_is_verified_and_status_turns_complete(live_server, page, tmp_path):
    staff, course, council = academy_world()
    today = timezone.localdate()
    leader = make_user(email="director@northshire.example", full_name="Chris Walker")
    leaders.record_appointment(
        staff, leader, local_authority=council, appointed_on=today - timedelta(days=900), kind="substantive"
    )

    page.goto(live_server.url + "/accounts/login/")
    type_into(page, page.get_by_label("Email"), "director@northshire.example")
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign In"))
    page.wait_for_url(re.compile(r"/$"))  # "Your home"
    press(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your portfolio"))
    assert_accessible(page, "leaders-01-portfolio")
    assert "Due within 12 months" in page.locator("main").inner_text()
    press(page, page.get_by_role("button", name="Record a completed course"))
    assert_accessible(page, "leaders-02-completion-form")
    select(page, page.get_by_label("Course from the register"), "Directors' leadership programme")
    type_date(page, page.get_by_label("Date you completed the course"), today - timedelta(days=20))
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(MINIMAL_PDF)
    upload(page, page.get_by_label("Certificate (optional)"), str(certificate))
    press(page, page.get_by_role("button", name="Record completion"))
    page.wait_for_url(re.compile(r"/leaders/$"))
    assert "Complete (awaiting verification)" in page.locator("main").inner_text()
    assert_accessible(page, "leaders-03-awaiting")

    page.context.clear_cookies()
    sign_in_with_mfa(page, live_server, "academy@academy.example", "leaders-04")
    page.goto(live_server.url + "/leaders/verification/")
    assert_accessible(page, "leaders-05-verification")
    press(page, page.get_by_role("button", name=re.compile("Verify Directors' leadership programme")))
    assert "is verified" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(live_server.url + "/leaders/dass/")
    assert_accessible(page, "leaders-06-dashboard")

    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    type_into(page, page.get_by_label("Email"), "director@northshire.example")
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign In"))
    page.goto(live_server.url + "/leaders/")
    assert "Complete (verified)" in page.locator("main").inner_text()
    assert_accessible(page, "leaders-07-complete")


def test_a_leader_withdraws_a_completion_and_staff_end_a_second_directors_appointment(live_server, page):
    staff, course, council = academy_world()
    today = timezone.localdate()
    leader = make_user(email="director@northshire.example", full_name="Chris Walker")
    predecessor = make_user(email="former@northshire.example", full_name="Pat Jones")
    for person, start in ((predecessor, today - timedelta(days=2000)), (leader, today - timedelta(days=30))):
        leaders.record_appointment(staff, person, local_authority=council, appointed_on=start, kind="substantive")
    verified = leaders.record_completion(leader, course=course, completed_on=today - timedelta(days=20))
    leaders.verify_completion(staff, verified)
    leaders.record_completion(leader, course=course, completed_on=today - timedelta(days=10))

    page.goto(live_server.url + "/accounts/login/")
    type_into(page, page.get_by_label("Email"), "director@northshire.example")
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign In"))
    page.goto(live_server.url + "/leaders/")
    press(page, page.get_by_role("link", name="Withdraw Directors' leadership programme"))
    assert_accessible(page, "leaders-08-withdraw")
    press(page, page.get_by_role("button", name="Withdraw the completion"))
    assert "is withdrawn" in page.locator(".govuk-notification-banner").inner_text()
    assert "Withdrawn by you" in page.locator("main").inner_text()
    page.goto(live_server.url + reverse("leaders:check", args=[leaders.check_token(verified)]))
    assert "Verified" in page.locator("main").inner_text()
    assert_accessible(page, "leaders-09-check")

    page.context.clear_cookies()
    sign_in_with_mfa(page, live_server, "academy@academy.example", "leaders-10")
    page.goto(live_server.url + "/leaders/dass/")
    assert "more than one current substantive director" in page.locator("main").inner_text()
    assert_accessible(page, "leaders-11-two-directors")
    press(page, page.get_by_role("link", name=re.compile(r"^Pat Jones\W+change the appointment")))
    assert_accessible(page, "leaders-12-change-appointment")
    press(page, page.get_by_role("button", name="Save the change"))
    assert page.locator(".govuk-error-summary").inner_text().count("Give the reason for the change") == 1
    assert_accessible(page, "leaders-13-change-error")
    type_date(page, page.get_by_label("Last day in post (optional)"), today - timedelta(days=31))
    type_into(page, page.get_by_label("Reason for the change"), "Retired; letter from the council")
    press(page, page.get_by_role("button", name="Save the change"))
    assert "has been changed" in page.locator(".govuk-notification-banner").inner_text()
    assert "more than one current substantive director" not in page.locator("main").inner_text()
