"""'Your home' for academy staff, course providers and leaders, and the
account page's offer to create an organisation."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.enums import OrganisationKind, SiteRole
from accreditation.models import Application
from leaders import domain as leaders
from leaders.models import LeaderProfile
from pages.rules import home_sections

from ..conftest import count_queries
from ..factories import OrganisationFactory, make_course, make_course_provider, make_user
from ..leaders.helpers import accredit_course

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def provider():
    user, organisation = make_course_provider()
    return user, organisation


def _application(course, state, submitted_days_ago):
    return Application.objects.create(
        course=course, state=state, round=1, submitted_at=NOW - timedelta(days=submitted_days_ago)
    )


@pytest.fixture
def council():
    council = OrganisationFactory(name="Northshire County Council", sector="public", region="east_midlands")
    council.kinds = [OrganisationKind.LOCAL_AUTHORITY]
    council.save()
    return council


def test_academy_staff_see_applications_by_state_and_their_queues(client, academy_staff, provider, council):
    provider_user, organisation = provider
    courses = [make_course(organisation, f"Course {n}") for n in range(4)]
    _application(courses[0], "submitted", 12)
    _application(courses[1], "submitted", 3)
    _application(courses[2], "returned", 40)
    _application(courses[3], "draft", 1)
    leader = make_user(email="leader@example.org")
    leaders.record_completion(leader, course=courses[0], completed_on=date(2026, 1, 5))
    late = make_user(email="late@example.org")
    leaders.record_appointment(
        academy_staff, late, local_authority=council, appointed_on=date(2022, 1, 1), kind="substantive"
    )
    assert home_sections(academy_staff) == ["academy_staff"]
    client.force_login(academy_staff)
    page = client.get(reverse("home")).content.decode()
    staff = reverse("accreditation:staff")
    assert f'href="{staff}?state=submitted">2<span class="govuk-visually-hidden"> submitted</span></a>' in page
    assert "the oldest has waited 12 days" in page
    assert "the oldest has waited 40 days" in page
    assert "Draft</dt>" not in page
    assert f'href="{staff}">All applications</a>' in page
    assert f'href="{reverse("leaders:verification")}">1 completion waiting for verification</a>' in page
    assert f'href="{reverse("leaders:dashboard")}?status=overdue">1 DASS appointment overdue</a>' in page


def test_academy_staffs_section_costs_the_same_for_one_application_or_many(
    client, academy_staff, provider, django_assert_num_queries
):
    _, organisation = provider
    _application(make_course(organisation, "First"), "submitted", 2)
    client.force_login(academy_staff)
    client.get(reverse("home"))
    one = count_queries(lambda: client.get(reverse("home")))
    for n, state in enumerate(["submitted", "returned", "accredited", "refused"]):
        _application(make_course(organisation, f"More {n}"), state, n + 1)
    with django_assert_num_queries(one):
        page = client.get(reverse("home")).content.decode()
    assert '2<span class="govuk-visually-hidden"> submitted</span>' in page


def test_a_course_provider_sees_courses_applications_and_the_verification_queue(client, provider):
    user, organisation = provider
    first = make_course(organisation, "First")
    make_course(organisation, "Second")
    _application(first, "returned", 5)
    leader = make_user(email="leader@example.org")
    leaders.record_completion(leader, course=first, completed_on=date(2026, 1, 5))
    assert home_sections(user) == ["course_provider"]
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("courses:mine")}">2 courses</a>' in page
    assert "Returned for more information</dt>" in page and "1 application – the oldest has waited 5 days" in page
    assert f'href="{reverse("leaders:verification")}">1 completion by leaders waiting for you to verify</a>' in page
    assert f'href="{reverse("accreditation:home")}">Your accreditation applications</a>' in page


def test_a_course_providers_section_costs_the_same_for_one_course_or_many(client, provider, django_assert_num_queries):
    user, organisation = provider
    make_course(organisation, "First")
    client.force_login(user)
    client.get(reverse("home"))
    one = count_queries(lambda: client.get(reverse("home")))
    for n in range(3):
        course = make_course(organisation, f"More {n}")
        _application(course, "submitted", n + 1)
        leaders.record_completion(make_user(email=f"l{n}@example.org"), course=course, completed_on=date(2026, 1, 5))
    with django_assert_num_queries(one):
        page = client.get(reverse("home")).content.decode()
    assert "4 courses</a>" in page and "3 completions by leaders" in page


def test_a_leader_sees_the_portfolio_and_dass_deadline(client, academy_staff, provider, council):
    _, organisation = provider
    course = make_course(organisation, "Directors' programme")
    accredit_course(course, date(2020, 1, 1), date(2030, 12, 31), academy_staff)
    leader = make_user(email="dass@example.org")
    LeaderProfile.objects.create(user=leader, job_title="Director", sector="public")
    leaders.record_appointment(
        leader, leader, local_authority=council, appointed_on=date(2025, 3, 1), kind="substantive"
    )
    assert home_sections(leader) == ["leader"]
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("leaders:portfolio")}">Your portfolio of completed courses</a>' in page
    assert "Director of Adult Social Services, Northshire County Council" in page
    assert "Complete by</dt>" in page and "1 March 2028" in page
    assert "On track" in page
    completion = leaders.record_completion(leader, course=course, completed_on=date(2026, 2, 1))
    leaders.verify_completion(academy_staff, completion)
    page = client.get(reverse("home")).content.decode()
    assert "Complete (verified)" in page and "Completed</dt>" in page and "Complete by</dt>" not in page


def test_the_leaders_section_costs_the_same_for_one_appointment_or_many(
    client, academy_staff, council, django_assert_num_queries
):
    leader = make_user(email="dass@example.org")
    leaders.record_appointment(leader, leader, local_authority=council, appointed_on=date(2025, 3, 1), kind="interim")
    client.force_login(leader)
    client.get(reverse("home"))
    one = count_queries(lambda: client.get(reverse("home")))
    for year in (2023, 2024):
        other = OrganisationFactory(name=f"Council {year}", sector="public", region="london")
        other.kinds = [OrganisationKind.LOCAL_AUTHORITY]
        other.save()
        leaders.record_appointment(leader, leader, local_authority=other, appointed_on=date(year, 5, 1), kind="interim")
    with django_assert_num_queries(one):
        page = client.get(reverse("home")).content.decode()
    assert page.count("Director of Adult Social Services,") == 3


def test_the_account_page_offers_an_organisation_only_to_possible_providers(client, provider):
    judge = make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    staff = make_user(email="academy@example.org", roles=[SiteRole.ACADEMY_STAFF])
    newcomer = make_user(email="new@example.org")
    provider_user, _ = provider
    for person, offered in ((judge, False), (staff, False), (newcomer, True), (provider_user, True)):
        client.force_login(person)
        page = client.get(reverse("accounts:dashboard")).content.decode()
        assert (reverse("accounts:organisation_create") in page) is offered, person.email
        assert ("If you work for a care provider or a course provider" in page) is offered
        assert f'<a class="govuk-link" href="{reverse("home")}">your home page</a>' in page
