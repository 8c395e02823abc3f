"""Each role signs in by keyboard and lands on "Your home": no axe violation,
and at 320 px nothing is wider than the screen (the home, the leader's
portfolio and the DASS dashboard)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import OrganisationKind
from accreditation.models import Application
from judging import domain
from judging.models import Assignment, SiteVisit
from leaders import domain as leaders
from leaders.models import LeaderProfile

from ..factories import (
    PASSWORD,
    TOTP_SECRET,
    OrganisationFactory,
    make_course,
    make_course_provider,
    make_eligible,
    make_judging_world,
    make_nomination,
    make_provider,
    make_user,
    visit_details,
)
from ..leaders.helpers import accredit_course
from .browser import assert_accessible, enter_authenticator_code, press, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 800}


def sign_in_to_home(page, live_server, email, name):
    """Signs in by keyboard (with the authenticator code where the role needs
    one) and lands on "Your home"."""
    page.goto(live_server.url + "/accounts/login/")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign In"))
    if "/accounts/2fa/authenticate/" in page.url:
        enter_authenticator_code(page, page.get_by_label("Code"), TOTP_SECRET)
    page.wait_for_url(re.compile(r"^[^?#]*://[^/]+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your home"
    assert_accessible(page, f"role-homes-{name}")


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide at 320 px"


def _score(assignment, value):
    criteria = assignment.nomination.category.criteria.filter(stage=assignment.stage)
    domain.save_scores(assignment.judge, assignment, {c.pk: (value, "Seen") for c in criteria}, submit=True)


def world():
    judging = make_judging_world()
    category, judges = judging["category"], judging["judges"]
    provider_user, organisation = make_provider("Riverside Care and Support Services", email="provider@care.example")
    make_nomination(category, organisation, provider_user)
    to_do, draft, done, disagree = make_eligible(category, 4)
    for nomination in (to_do, draft, done):
        Assignment.objects.create(nomination=nomination, judge=judges[1])
    first = Assignment.objects.get(nomination=draft, judge=judges[1])
    criterion = category.criteria.filter(stage="written").first()
    domain.save_scores(judges[1], first, {criterion.pk: (4, "Half way")}, submit=False)
    _score(Assignment.objects.get(nomination=done, judge=judges[1]), 8)
    for judge, value in ((judges[2], 10), (judges[3], 1)):
        _score(Assignment.objects.create(nomination=disagree, judge=judge), value)
    disagree.state = "shortlisted"
    disagree.save()
    visit = SiteVisit.objects.create(
        nomination=disagree, **visit_details(timezone.now().replace(microsecond=0) + timedelta(days=5))
    )
    visit.judges.set([judges[1]])

    staff = make_user(email="academy@academy.example", roles=["academy_staff"])
    course_user, course_provider = make_course_provider(email="courses@provider.example")
    course = make_course(course_provider, "Directors' leadership programme for adult social care")
    other = make_course(course_provider, "Coaching for registered managers")
    today = timezone.localdate()
    accredit_course(course, today - timedelta(days=400), today + timedelta(days=700), staff)
    Application.objects.create(course=other, state="submitted", round=1, submitted_at=timezone.now())
    council = OrganisationFactory(name="Northshire County Council", sector="public", region="east_midlands")
    council.kinds = [OrganisationKind.LOCAL_AUTHORITY]
    council.save()
    leader = make_user(email="director@northshire.example", full_name="Chris Walker")
    LeaderProfile.objects.create(user=leader, job_title="Director of Adult Social Services", sector="public")
    leaders.record_appointment(
        staff, leader, local_authority=council, appointed_on=today - timedelta(days=900), kind="substantive"
    )
    leaders.record_completion(leader, course=course, completed_on=today - timedelta(days=20))
    late = make_user(email="late.director@northshire.example", full_name="Alexandra Montgomery-Featherstonehaugh")
    leaders.record_appointment(
        staff, late, local_authority=council, appointed_on=today - timedelta(days=1200), kind="interim"
    )
    return judging


def test_every_role_lands_on_its_home_and_it_fits_320_px(live_server, page):
    judging = world()
    page.set_viewport_size(NARROW)

    sign_in_to_home(page, live_server, "provider@care.example", "provider")
    main = page.locator("main").inner_text()
    assert "Your organisation’s nominations" in main and "Finish your answers and evidence" in main
    assert_fits(page)

    for email, name, heading in (
        ("j2@example.org", "judge", "Your judging"),
        ("chair@example.org", "chair", "Panels you chair"),
        ("admin@example.org", "awards-admin", f"Awards: {judging['cycle']}"),
        ("courses@provider.example", "course-provider", "Your courses"),
    ):
        page.context.clear_cookies()
        sign_in_to_home(page, live_server, email, name)
        assert heading in page.locator("main").inner_text()
        assert_fits(page)
    judge_text = page.locator("main").inner_text()
    assert "1 completion by leaders waiting for you to verify" in judge_text

    page.context.clear_cookies()
    sign_in_to_home(page, live_server, "academy@academy.example", "academy-staff")
    assert "Skills Academy" in page.locator("main").inner_text()
    assert_fits(page)
    press(page, page.get_by_role("link", name="1 DASS appointment overdue"))
    page.wait_for_url(re.compile(r"/leaders/dass/\?status=overdue$"))
    assert "Alexandra Montgomery-Featherstonehaugh" in page.locator("main").inner_text()
    assert_accessible(page, "role-homes-dass-dashboard-320")
    assert_fits(page)
    page.goto(live_server.url + "/leaders/dass/")
    assert_accessible(page, "role-homes-dass-dashboard-all-320")
    assert_fits(page)

    page.context.clear_cookies()
    sign_in_to_home(page, live_server, "director@northshire.example", "leader")
    assert "Director of Adult Social Services, Northshire County Council" in page.locator("main").inner_text()
    assert_fits(page)
    press(page, page.get_by_role("link", name="Your portfolio of completed courses"))
    assert "Waiting for verification" in page.locator("main").inner_text()
    assert_accessible(page, "role-homes-portfolio-320")
    assert_fits(page)
