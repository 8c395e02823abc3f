"""Course providers through the API: their courses (created and changed with
the course page's form and courses.domain, so the same checks, change
requests and audit) and their accreditation applications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from accreditation.models import Application
from courses.models import Course, CourseChange

from ..factories import make_course, make_course_provider, make_user
from .conftest import bearer, create_token

pytestmark = pytest.mark.django_db
COURSES = reverse("api:provider_courses")
APPLICATIONS = reverse("api:provider_applications")

NEW_COURSE = {
    "title": "Leading through change",
    "summary": "Six workshops for registered managers.",
    "levels": ["practice-leaders", "service-leaders"],
    "domains": ["leadership"],
    "sectors": ["private", "voluntary"],
    "delivery_mode": "blended",
    "duration_hours": "24",
    "cost": "£1,250",
    "region": "national",
    "designed_for_social_care": True,
}


@pytest.fixture
def provider():
    user, organisation = make_course_provider(email="trainer@provider.example", mfa=True)
    _, secret = create_token(user, scopes=["courses:write"])
    return {"user": user, "organisation": organisation, "secret": secret}


def test_a_course_is_created_as_a_draft_as_the_page_creates_it(provider):
    response = bearer(provider["secret"]).post(
        COURSES, {**NEW_COURSE, "provider": provider["organisation"].pk}, format="json"
    )
    assert response.status_code == 201
    course = Course.objects.get()
    data = response.json()
    assert data["id"] == course.pk
    assert (data["state"], data["title"], data["cost"], data["duration_hours"]) == (
        "draft",
        "Leading through change",
        "1250.00",
        "24.0",
    )
    assert data["levels"] == ["practice-leaders", "service-leaders"]
    assert data["sectors"] == ["private", "voluntary"]
    assert data["pending_change"] is None
    event = AuditEvent.objects.get(action="course.created", object_id=str(course.pk))
    assert (event.actor, event.after) == (provider["user"], {"title": "Leading through change", "state": "draft"})


def test_the_form_s_checks_and_messages_apply(provider):
    other_user, other = make_course_provider("Someone Else Ltd", email="else@example.org")
    client = bearer(provider["secret"])
    response = client.post(
        COURSES,
        {**NEW_COURSE, "provider": other.pk, "levels": ["no-such-level"], "cost": "a lot", "title": ""},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["provider"] == ["Select a valid choice. That choice is not one of the available choices."]
    assert errors["cost"] == ["Enter the cost as an amount in pounds, like 1250 or £1,250.50"]
    assert set(errors) == {"provider", "levels", "cost", "title"}
    unknown = client.post(COURSES, {**NEW_COURSE, "state": "listed"}, format="json")
    assert (unknown.status_code, unknown.json()["errors"]) == (400, {"state": ["Not a field of a course"]})
    assert Course.objects.count() == 0


def test_a_change_saves_the_fields_given_and_keeps_the_rest(provider):
    course = make_course(provider["organisation"], "Coaching for managers", state="draft")
    url = reverse("api:provider_course", args=[course.pk])
    response = bearer(provider["secret"]).patch(url, {"title": "Coaching for new managers"}, format="json")
    assert response.status_code == 200
    course.refresh_from_db()
    assert (course.title, course.summary) == (
        "Coaching for new managers",
        "Coaching for managers: a programme for leaders in social care.",
    )
    assert [level.slug for level in course.levels.all()] == ["practice-leaders"]
    assert AuditEvent.objects.filter(action="course.changed", object_id=str(course.pk)).count() == 1


def test_an_accredited_course_s_material_change_becomes_a_request(provider):
    course = make_course(provider["organisation"], "Accredited programme", accreditation_status="accredited")
    url = reverse("api:provider_course", args=[course.pk])
    response = bearer(provider["secret"]).patch(url, {"duration_hours": "12"}, format="json")
    assert response.status_code == 200
    assert response.json()["pending_change"] == "Hours: 30 → 12"
    assert Course.objects.get(pk=course.pk).duration_hours == 30
    assert CourseChange.objects.get(course=course).state == "pending"
    assert bearer(provider["secret"]).get(url).json()["pending_change"] == "Hours: 30 → 12"


def test_another_provider_s_course_answers_as_missing(provider):
    _, other = make_course_provider("Someone Else Ltd", email="else@example.org")
    theirs = make_course(other, "Their course")
    url = reverse("api:provider_course", args=[theirs.pk])
    client = bearer(provider["secret"])
    assert client.get(url).status_code == 404
    assert client.patch(url, {"title": "Mine now"}, format="json").status_code == 404
    assert Course.objects.get(pk=theirs.pk).title == "Their course"


def test_a_read_token_cannot_create_or_change(provider):
    _, reader = create_token(provider["user"], scopes=["courses:read"])
    client = bearer(reader)
    response = client.post(COURSES, {**NEW_COURSE, "provider": provider["organisation"].pk}, format="json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "This token's scopes do not include courses:write"},
    )
    course = make_course(provider["organisation"])
    assert (
        client.patch(reverse("api:provider_course", args=[course.pk]), {"title": "x"}, format="json").status_code == 403
    )
    assert client.get(COURSES).json()["count"] == 1


def test_someone_who_provides_no_courses_is_refused():
    user = make_user(email="carer@example.org", mfa=True)
    _, secret = create_token(user, scopes=["courses:write"])
    for url in (COURSES, APPLICATIONS):
        response = bearer(secret).get(url)
        assert (response.status_code, response.json()["detail"]) == (
            403,
            "Your account does not hold the role this needs",
        )


def test_a_create_with_an_idempotency_key_is_made_once(provider):
    client = bearer(provider["secret"])
    body = {**NEW_COURSE, "provider": provider["organisation"].pk}
    first = client.post(COURSES, body, format="json", HTTP_IDEMPOTENCY_KEY="course-42")
    again = client.post(COURSES, body, format="json", HTTP_IDEMPOTENCY_KEY="course-42")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Course.objects.count() == 1


def test_the_provider_s_courses_and_applications_are_listed(provider):
    b = make_course(provider["organisation"], "Module 10")
    a = make_course(provider["organisation"], "Module 2")
    _, other = make_course_provider("Someone Else Ltd", email="else@example.org")
    make_course(other, "Not ours")
    courses = bearer(provider["secret"]).get(COURSES).json()
    assert [c["title"] for c in courses["results"]] == ["Module 2", "Module 10"]
    older = Application.objects.create(course=a, state="accredited", round=1)
    newer = Application.objects.create(course=b, state="draft")
    data = bearer(provider["secret"]).get(APPLICATIONS).json()
    assert [(r["id"], r["course"]["name"], r["state"], r["state_label"]) for r in data["results"]] == [
        (newer.pk, "Module 10", "draft", "Draft"),
        (older.pk, "Module 2", "accredited", "Accredited"),
    ]
    assert data["results"][0]["page"] == f"http://testserver{reverse('accreditation:application', args=[newer.pk])}"


@pytest.mark.parametrize("url", [COURSES, APPLICATIONS])
def test_the_lists_cost_the_same_queries_for_one_or_many(provider, url):
    for n in range(3):
        course = make_course(provider["organisation"], f"Course {n}")
        Application.objects.create(course=course, state="draft")
    client = bearer(provider["secret"])
    client.get(url)  # the token's first use also records its last-used time
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url, {"page_size": 1}).json()["results"]) == 1
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["results"]) == 3
    assert len(many) == len(one)
