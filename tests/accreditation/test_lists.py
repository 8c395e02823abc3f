"""The provider's courses that can apply, a page at a time with a search; the
academy staff's queue, by state, the longest waiting first with its age."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accreditation import domain
from accreditation.models import Application
from accreditation.views import COURSES_PER_PAGE

from ..conftest import count_queries
from ..factories import make_accreditation_people, make_course, make_course_provider
from .test_accreditation import accredit, answer_all

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)


@pytest.fixture
def s():
    return make_accreditation_people()


def courses_listed(response):
    return [course.title for course in response.context["page"]]


def test_only_courses_that_can_still_apply_are_listed(client, s):
    provider = s["course"].provider
    in_progress = make_course(provider, "Course with a draft application")
    domain.start_application(s["user"], in_progress)
    make_course(provider, "Withdrawn course", state="withdrawn")
    make_course(provider, "Coaching for registered managers")
    make_course(make_course_provider("Other Provider")[1], "Another provider's course")
    client.force_login(s["user"])
    response = client.get(reverse("accreditation:home"))
    assert courses_listed(response) == ["Coaching for registered managers", "Leading person-centred care"]
    page = response.content.decode()
    assert page.count("Apply<span") == 2
    assert "2 courses can apply." in page


def test_the_courses_are_searched_and_paged(client, s):
    provider = s["course"].provider
    for number in range(COURSES_PER_PAGE + 5):
        make_course(provider, f"Dementia care module {number:02d}")
    client.force_login(s["user"])
    first = client.get(reverse("accreditation:home"), {"q": "dementia"})
    assert len(courses_listed(first)) == COURSES_PER_PAGE
    assert courses_listed(first)[0] == "Dementia care module 00"
    page = first.content.decode()
    assert "30 courses matching ‘dementia’ can apply." in page
    assert 'href="?q=dementia&amp;page=2"' in page
    second = client.get(reverse("accreditation:home"), {"q": "dementia", "page": 2})
    assert courses_listed(second) == [f"Dementia care module {n}" for n in range(25, 30)]
    assert courses_listed(client.get(reverse("accreditation:home"), {"q": "person-centred"})) == [
        "Leading person-centred care"
    ]
    nothing = client.get(reverse("accreditation:home"), {"q": "astronomy"})
    assert courses_listed(nothing) == [] and "0 courses matching ‘astronomy’ can apply." in nothing.content.decode()


def test_the_provider_page_makes_the_same_queries_for_one_course_or_many(client, s):
    provider = s["course"].provider
    client.force_login(s["user"])
    url = reverse("accreditation:home")
    accredit(s)
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for number in range(8):
        course = make_course(provider, f"Course {number}")
        if number < 3:
            application = domain.start_application(s["user"], course)
            answer_all(s["user"], application)
    several = count_queries(lambda: client.get(url))
    assert len(client.get(url).context["page"].object_list) == 6
    assert one == several


def submit_on(s, title, when):
    with time_machine.travel(when, tick=False):
        application = domain.start_application(s["user"], make_course(s["course"].provider, title))
        answer_all(s["user"], application)
        domain.submit_application(s["user"], application)
    return application


def queue(response):
    return [(a.course.title, a.waiting_days) for a in response.context["page"]]


def test_the_queue_shows_submitted_applications_longest_waiting_first(client, s):
    submit_on(s, "Submitted 3 days ago", NOW - timedelta(days=3))
    submit_on(s, "Submitted 12 days ago", NOW - timedelta(days=12))
    submit_on(s, "Submitted this morning", NOW - timedelta(hours=2))
    returned = submit_on(s, "Returned", NOW - timedelta(days=20))
    domain.assign_assessor(s["other_staff"], returned, s["assessor"])
    domain.return_application(s["assessor"], returned, comments="More please")
    domain.start_application(s["user"], make_course(s["course"].provider, "Draft"))
    client.force_login(s["assessor"])
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("accreditation:staff"))
        assert queue(response) == [
            ("Submitted 12 days ago", 12),
            ("Submitted 3 days ago", 3),
            ("Submitted this morning", 0),
        ]
        page = response.content.decode()
        assert "waiting 12 days" in page and "waiting 0 days" in page
        assert "Submitted: 3 application" in page
        assert "<strong>Submitted: 3</strong>" in page and "Returned for more information: 1</a>" in page
        assert "Draft: 1</a>" in page and "All: 5</a>" in page
        returned_only = client.get(reverse("accreditation:staff"), {"state": "returned"})
        assert queue(returned_only) == [("Returned", None)]
        everything = client.get(reverse("accreditation:staff"), {"state": "all"})
        assert [title for title, _ in queue(everything)] == [
            "Returned",
            "Submitted 12 days ago",
            "Submitted 3 days ago",
            "Submitted this morning",
            "Draft",
        ]
        assert queue(client.get(reverse("accreditation:staff"), {"state": "nonsense"})) == queue(everything)
        mine = client.get(reverse("accreditation:staff"), {"state": "all", "mine": "yes"})
        assert queue(mine) == [("Returned", None)]


def test_the_queue_makes_the_same_queries_for_one_application_or_many(client, s):
    client.force_login(s["assessor"])
    url = reverse("accreditation:staff")
    submit_on(s, "First", NOW - timedelta(days=9))
    accredit(s)
    with time_machine.travel(NOW, tick=False):
        client.get(url)
        one = count_queries(lambda: client.get(url))
    for number in range(6):
        submit_on(s, f"Course {number}", NOW - timedelta(days=number))
    with time_machine.travel(NOW, tick=False):
        several = count_queries(lambda: client.get(url))
        assert len(client.get(url).context["page"].object_list) == 7
    assert one == several
    assert Application.objects.count() == 8
