"""Providers' courses: a provider adds and lists its courses; others cannot edit them; the
register tools are for academy staff."""

import pytest
from django.urls import reverse

from courses.models import Course, FrameworkDomain, FrameworkLevel

from ..factories import make_course, make_course_provider, make_user

pytestmark = pytest.mark.django_db


def test_provider_adds_and_lists_a_course(client):
    user, provider = make_course_provider()
    client.force_login(user)
    response = client.post(
        reverse("courses:create"),
        {
            "provider": provider.pk,
            "title": "Leading with compassion",
            "summary": "For team leaders.",
            "levels": [FrameworkLevel.objects.get(slug="practice-leaders").pk],
            "domains": [FrameworkDomain.objects.get(slug="leadership").pk],
            "delivery_mode": "online",
            "duration_hours": "12",
            "cost": "0",
            "region": "national",
            "sectors": ["public", "voluntary"],
            "designed_for_social_care": "on",
        },
    )
    course = Course.objects.get()
    assert response["Location"] == reverse("courses:detail", args=[course.pk])
    assert (course.state, course.sectors) == ("draft", ["public", "voluntary"])
    client.post(reverse("courses:state", args=[course.pk]), {"state": "listed"})
    course.refresh_from_db()
    assert course.state == "listed"


@pytest.mark.parametrize("who", ["other_provider", "outsider"])
def test_others_cannot_edit_a_course(client, who):
    _, provider = make_course_provider()
    course = make_course(provider, state="draft")
    person = make_course_provider("Other Provider")[0] if who == "other_provider" else make_user(email="x@example.org")
    client.force_login(person)
    assert client.get(reverse("courses:edit", args=[course.pk])).status_code == 404
    assert client.get(reverse("courses:detail", args=[course.pk])).status_code == 404
    assert client.post(reverse("courses:state", args=[course.pk]), {"state": "listed"}).status_code == 404
    course.refresh_from_db()
    assert course.state == "draft"


@pytest.mark.parametrize("page", ["courses:manage", "courses:import"])
def test_register_tools_are_for_academy_staff(client, page, academy_staff):
    client.force_login(make_course_provider()[0])
    assert client.get(reverse(page)).status_code == 403
    client.force_login(academy_staff)
    assert client.get(reverse(page)).status_code == 200
