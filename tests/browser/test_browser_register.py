"""The register and the course providers' and academy's course pages on a
320 px wide screen, by keyboard: nothing scrolls sideways, axe finds nothing."""

import re

import pytest

from courses.models import Course, ImportJob

from ..factories import PASSWORD, TOTP_SECRET, make_course, make_course_provider, make_user
from .browser import assert_accessible, choose, enter_authenticator_code, press, select, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 720}


def sign_in(page, live_server, email, mfa=False):
    page.goto(live_server.url + "/accounts/login/")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign In"))
    if mfa:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        enter_authenticator_code(page, page.get_by_label("Code"), TOTP_SECRET)
    page.wait_for_url(lambda url: "/accounts/" not in url)


def assert_fits(page):
    """No horizontal scrolling at 320 px."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide"


def test_public_searches_the_register_by_keyboard_at_320_px(live_server, page):
    _, llp = make_course_provider("Leadership Learning Partnership")
    _, uni = make_course_provider("University of the Pennines")
    make_course(llp, "Activities that matter", summary="Meaningful days for people living with dementia.")
    make_course(uni, "Leading dementia care services", region="north_west")
    make_course(uni, "Commissioning for wellbeing", domains=["commissioning"])
    page.set_viewport_size(NARROW)
    page.goto(live_server.url + "/courses/")
    assert_fits(page)
    assert_accessible(page, "register-320-01")
    # The search box comes before every filter, in the page and for the keyboard.
    assert page.evaluate(
        "document.getElementById('q').compareDocumentPosition(document.querySelector('input[name=level]'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    type_into(page, page.get_by_label("Search courses"), "dementia")
    press(page, page.get_by_role("button", name="Search", exact=True))
    assert "q=dementia" in page.url
    assert page.locator("main h3").all_inner_texts() == ["Leading dementia care services", "Activities that matter"]
    assert_fits(page)
    assert_accessible(page, "register-320-02-best-match")
    # A typo still finds the course.
    type_into(page, page.get_by_label("Search courses"), "comissioning")
    press(page, page.get_by_role("button", name="Search", exact=True))
    assert page.locator("main h3").all_inner_texts() == ["Commissioning for wellbeing"]
    press(page, page.get_by_role("link", name="Commissioning for wellbeing"))
    assert_fits(page)
    assert_accessible(page, "register-320-03-course")
    press(page, page.get_by_role("link", name="accreditation number check"))
    assert page.url.endswith("/accreditation/verify/")


def test_provider_pages_at_320_px(live_server, page):
    _, organisation = make_course_provider("Leadership Learning Partnership", email="helen@llp.example")
    for n in (10, 2, 1):
        make_course(organisation, f"Module {n}: leading a team through a change of registered manager", state="draft")
    sign_in(page, live_server, "helen@llp.example")
    page.set_viewport_size(NARROW)
    page.goto(live_server.url + "/courses/mine/")
    assert [t.split(":")[0] for t in page.locator("main table a").all_inner_texts()] == [
        "Module 1",
        "Module 2",
        "Module 10",
    ]
    assert_fits(page)
    assert_accessible(page, "provider-320-01-your-courses")
    press(page, page.get_by_role("button", name="Import courses from CSV"))
    assert_fits(page)
    assert_accessible(page, "provider-320-02-import")
    page.goto(live_server.url + "/courses/new/")
    type_into(page, page.get_by_label("Title"), "Leading with compassion")
    type_into(page, page.get_by_label("Summary"), "For team leaders.")
    choose(page, page.get_by_label("Practice leaders"))
    choose(page, page.get_by_label("Leadership", exact=True))
    choose(page, page.get_by_label("Online"))
    type_into(page, page.get_by_label("Length in hours"), "12")
    type_into(page, page.get_by_label("Cost in pounds"), "about a grand")
    select(page, page.get_by_label("Provider"), "Leadership Learning Partnership")
    press(page, page.get_by_role("button", name="Save course"))
    assert "Enter the cost as an amount in pounds" in page.locator(".govuk-error-summary").inner_text()
    assert_fits(page)
    assert_accessible(page, "provider-320-03-form-error")
    type_into(page, page.get_by_label("Cost in pounds"), "£1,250")
    press(page, page.get_by_role("button", name="Save course"))
    page.wait_for_url(re.compile(r"/courses/\d+/$"))
    assert str(Course.objects.get(title="Leading with compassion").cost) == "1250.00"
    assert_fits(page)
    assert_accessible(page, "provider-320-04-course")


def test_academy_lists_drafts_and_reads_an_import_at_320_px(live_server, page):
    staff = make_user(email="assessor@academy.example", roles=["academy_staff"])
    _, organisation = make_course_provider("Leadership Learning Partnership")
    job = ImportJob.objects.create(
        original_name="spring-courses-for-the-northern-region.csv",
        uploaded_by=staff,
        state="failed",
        total_rows=3,
        processed_rows=3,
        error_count=1200,
        errors=[{"row": n, "column": "region", "message": "Must be national or one of the UK regions"} for n in (2, 3)],
    )
    imported = make_course(organisation, "Imported course")
    Course.objects.filter(pk=imported.pk).update(import_job=job)
    make_course(organisation, "A draft course", state="draft")
    sign_in(page, live_server, "assessor@academy.example", mfa=True)
    page.set_viewport_size(NARROW)
    page.goto(live_server.url + "/courses/manage/")
    assert_fits(page)
    press(page, page.get_by_role("link", name="Draft and imported courses"))
    assert_fits(page)
    assert_accessible(page, "academy-320-01-drafts")
    select(page, page.get_by_label("Show"), "Imported courses only")
    press(page, page.get_by_role("button", name="Filter"))
    assert page.locator("main table tbody a").first.inner_text() == "Imported course"
    assert_fits(page)
    press(page, page.get_by_role("link", name=re.compile("Import of spring-courses")))
    assert "1198 more are in the full list" in page.locator("main").inner_text()
    assert_fits(page)
    assert_accessible(page, "academy-320-02-import-problems")
