"""The public filters the register; a provider applies for accreditation and
an assessor decides."""

import re

import pytest

from accreditation.models import Criterion

from ..factories import PASSWORD, make_course, make_course_provider, make_user
from .browser import assert_accessible, choose, press, select, type_into
from .test_browser_judging import sign_in_with_mfa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_filters_the_register(live_server, page):
    _, provider = make_course_provider()
    make_course(provider, "Leading dementia care services", delivery_mode="online")
    make_course(
        provider,
        "Commissioning for wellbeing",
        levels=["system-leaders"],
        domains=["commissioning"],
        delivery_mode="in_person",
    )
    page.goto(live_server.url + "/courses/")
    assert_accessible(page, "courses-01-register")
    choose(page, page.get_by_label("Online (1)"))
    press(page, page.get_by_role("button", name="Apply filters"))
    assert_accessible(page, "courses-02-filtered")
    assert "mode=online" in page.url
    results = page.locator("main h3").all_inner_texts()
    assert results == ["Leading dementia care services"]
    press(page, page.get_by_role("link", name="Leading dementia care services"))
    assert_accessible(page, "courses-03-course")


def test_provider_applies_and_assessor_decides(live_server, page):
    provider_user, provider = make_course_provider(email="helen@llp.example")
    course = make_course(provider, "Leading person-centred care")
    make_user(email="assessor@academy.example", roles=["academy_staff"], full_name="Gareth Evans")

    page.goto(live_server.url + "/accounts/login/")
    type_into(page, page.get_by_label("Email"), "helen@llp.example")
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign In"))
    page.wait_for_url(re.compile(r"/$"))  # "Your home"
    press(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Accreditation"))
    assert_accessible(page, "accreditation-01-provider")
    press(page, page.get_by_role("button", name=re.compile("Apply for Leading person-centred care")))
    page.wait_for_url(re.compile(r"/accreditation/applications/\d+/$"))
    assert_accessible(page, "accreditation-02-application")
    for number, criterion in enumerate(Criterion.objects.filter(active=True), start=1):
        type_into(page, page.get_by_label(f"{number}. {criterion.title}"), f"We meet {criterion.title.lower()}.")
    press(page, page.get_by_role("button", name="Save answers"))
    press(page, page.get_by_role("button", name="Submit application"))
    press(page, page.get_by_role("button", name="Confirm and submit"))
    assert "submitted to the Skills Academy" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "accreditation-03-submitted")

    page.context.clear_cookies()
    sign_in_with_mfa(page, live_server, "assessor@academy.example", "accreditation-04")
    press(page, page.get_by_role("link", name="Accreditation", exact=True))
    assert_accessible(page, "accreditation-05-staff-list")
    press(page, page.get_by_role("link", name="Leading person-centred care"))
    select(page, page.get_by_label("Assessor"), "Gareth Evans")
    press(page, page.get_by_role("button", name="Assign assessor"))
    assert_accessible(page, "accreditation-06-assess")
    for criterion in Criterion.objects.filter(active=True):
        choose(page, page.locator(f"input[name=outcome_{criterion.pk}][value=met]"))
    press(page, page.get_by_role("button", name="Save assessment"))
    choose(page, page.get_by_label("Accredited", exact=True))
    press(page, page.get_by_role("button", name="Record decision and send letter"))
    press(page, page.get_by_role("button", name="Confirm and send the decision letter"))
    assert "decision has been recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "accreditation-07-decided")
    course.refresh_from_db()
    assert course.is_accredited()
    page.goto(live_server.url + f"/accreditation/verify/{course.accreditation_number}/")
    assert "Status today\tAccredited" in page.locator("main").inner_text()
    assert_accessible(page, "accreditation-08-verify")


def test_academy_staff_decide_a_course_change_suspend_and_revoke_a_credential(live_server, page):
    from datetime import date, timedelta

    from django.utils import timezone

    from courses import domain as courses
    from courses.models import Course, CourseChange
    from leaders import credentials
    from leaders import domain as leaders

    from ..accreditation.test_accreditation import accredit
    from ..factories import ensure_reference_data, make_accreditation_people

    ensure_reference_data()
    people = make_accreditation_people()
    accreditation = accredit(people, on=timezone.localdate() - timedelta(days=100))
    course = Course.objects.get(pk=people["course"].pk)
    course.duration_hours = 2
    courses.save_course(
        people["user"],
        course,
        levels=list(course.levels.all()),
        domains=list(course.domains.all()),
        sectors=course.sectors,
    )
    leader = make_user(email="leader@example.org", full_name="Sam Patel")
    completion = leaders.record_completion(leader, course=course, completed_on=timezone.localdate() - date.resolution)
    leaders.verify_completion(people["assessor"], completion)
    issued = credentials.issue(leader, completion)

    # The public register keeps the accredited course while the change waits.
    page.goto(live_server.url + f"/courses/{course.pk}/")
    assert "A change is waiting" not in page.locator("main").inner_text()
    assert_accessible(page, "academy-01-course-as-accredited")

    sign_in_with_mfa(page, live_server, "assessor@academy.example", "academy-02")
    page.goto(live_server.url + "/accreditation/staff/")
    assert_accessible(page, "academy-03-staff-list")
    page.goto(live_server.url + f"/accreditation/staff/course-changes/{CourseChange.objects.get().pk}/")
    assert_accessible(page, "academy-04-course-change")
    press(page, page.get_by_role("button", name="Send to re-assessment"))
    assert "Say why the change needs re-assessment" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "academy-05-course-change-error")
    type_into(
        page, page.get_by_label("Why does the change need re-assessment?"), "Two hours cannot cover the outcomes."
    )
    press(page, page.get_by_role("button", name="Send to re-assessment"))
    assert CourseChange.objects.get().state == "referred"

    page.goto(live_server.url + f"/accreditation/staff/accreditations/{accreditation.pk}/")
    assert_accessible(page, "academy-06-status")
    choose(page, page.get_by_label("Suspend"))
    type_into(page, page.locator("textarea").first, "Complaint under investigation.")
    press(page, page.get_by_role("button", name="Change status"))
    press(page, page.get_by_role("button", name="Confirm: suspend the accreditation"))
    assert_accessible(page, "academy-07-suspended")
    page.goto(live_server.url + f"/accreditation/verify/{accreditation.number}/")
    assert "Status today\tSuspended" in page.locator("main").inner_text()
    assert_accessible(page, "academy-08-check-suspended")

    page.goto(live_server.url + f"/credentials/{issued.uuid}/")
    assert_accessible(page, "academy-09-credential")
    press(page, page.get_by_role("link", name="Revoke this credential"))
    assert_accessible(page, "academy-10-revoke")
    type_into(page, page.get_by_label("Why is the credential revoked?"), "Issued for the wrong course.")
    press(page, page.get_by_role("button", name="Revoke the credential"))
    assert "Issued for the wrong course." in page.locator("main").inner_text()
    assert_accessible(page, "academy-11-revoked")
