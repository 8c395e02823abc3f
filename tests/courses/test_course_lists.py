"""Providers' "Your courses" (paged, titles in natural order) and the academy's
list of draft and imported courses."""

import pytest
from django.urls import reverse

from courses.models import Course, ImportJob

from ..factories import make_course, make_course_provider

pytestmark = pytest.mark.django_db


def titles(response):
    return [c.title for c in response.context["page"]]


def test_your_courses_sort_numbers_by_their_value(client):
    user, provider = make_course_provider()
    for n in (100, 10, 1, 0, 2):
        make_course(provider, f"Module {n}: leading teams", state="draft")
    make_course(provider, "module 3: leading teams", state="draft")  # case does not split the list
    client.force_login(user)
    response = client.get(reverse("courses:mine"))
    assert titles(response) == [
        "Module 0: leading teams",
        "Module 1: leading teams",
        "Module 2: leading teams",
        "module 3: leading teams",
        "Module 10: leading teams",
        "Module 100: leading teams",
    ]


def test_your_courses_are_paged_fifty_at_a_time(client):
    user, provider = make_course_provider()
    for n in range(1, 56):
        make_course(provider, f"Course {n}", state="draft")
    client.force_login(user)
    first = client.get(reverse("courses:mine"))
    assert (first.context["page"].paginator.count, len(titles(first))) == (55, 50)
    assert titles(first)[-1] == "Course 50"
    second = client.get(reverse("courses:mine"), {"page": "2"})
    assert titles(second) == ["Course 51", "Course 52", "Course 53", "Course 54", "Course 55"]
    assert "Page 2 of 2" in second.content.decode()
    # A page number that is not one gives the first page, not an error.
    assert titles(client.get(reverse("courses:mine"), {"page": "x"}))[0] == "Course 1"


def test_your_courses_show_only_your_organisations_courses(client):
    user, provider = make_course_provider()
    _, other = make_course_provider("Other Provider")
    make_course(provider, "Ours")
    make_course(other, "Theirs")
    client.force_login(user)
    assert titles(client.get(reverse("courses:mine"))) == ["Ours"]


def test_your_courses_query_count_does_not_grow(client, django_assert_num_queries):
    user, provider = make_course_provider()
    make_course(provider, "Course 0")
    client.force_login(user)
    client.get(reverse("courses:mine"))  # the session's first request settles its own rows

    from ..conftest import count_queries

    one = count_queries(lambda: client.get(reverse("courses:mine")))
    for n in range(1, 12):
        make_course(provider, f"Course {n}", accreditation_status="accredited", accreditation_number=f"NSA-{n}")
    with django_assert_num_queries(one):
        response = client.get(reverse("courses:mine"))
    assert len(titles(response)) == 12


# The academy's list of draft and imported courses ---------------------------------------------


@pytest.fixture
def review(academy_staff):
    _, llp = make_course_provider("Leadership Learning Partnership")
    _, uni = make_course_provider("University of the Pennines")
    job = ImportJob.objects.create(original_name="spring.csv", uploaded_by=academy_staff, state="done")
    courses = {
        "draft": make_course(llp, "Draft by hand", state="draft"),
        "imported": make_course(uni, "Imported and listed"),
        "imported_draft": make_course(uni, "Imported draft", state="draft"),
        "listed": make_course(llp, "Listed by hand"),
    }
    Course.objects.filter(pk__in=[courses["imported"].pk, courses["imported_draft"].pk]).update(import_job=job)
    return courses


def test_drafts_page_lists_drafts_and_imported_courses(client, academy_staff, review):
    client.force_login(academy_staff)
    response = client.get(reverse("courses:drafts"))
    assert sorted(titles(response)) == ["Draft by hand", "Imported and listed", "Imported draft"]
    html = response.content.decode()
    assert "Import of spring.csv" in html and "Added on its form" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"show": "draft"}, ["Draft by hand", "Imported draft"]),
        ({"show": "imported"}, ["Imported and listed", "Imported draft"]),
        ({"show": "draft", "q": "import"}, ["Imported draft"]),
        ({"provider": "llp"}, ["Draft by hand"]),
    ],
)
def test_drafts_page_filters(client, academy_staff, review, params, expected):
    if params.get("provider") == "llp":
        params = {"provider": review["draft"].provider_id}
    client.force_login(academy_staff)
    assert sorted(titles(client.get(reverse("courses:drafts"), params))) == expected


def test_drafts_page_refuses_unknown_filter_values_with_a_message(client, academy_staff, review):
    client.force_login(academy_staff)
    response = client.get(reverse("courses:drafts"), {"show": "everything", "provider": "999999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(titles(response)) == 3  # unfiltered, with the message


def test_drafts_page_is_for_academy_staff_and_linked_from_manage(client, academy_staff):
    client.force_login(make_course_provider()[0])
    assert client.get(reverse("courses:drafts")).status_code == 403
    client.force_login(academy_staff)
    assert reverse("courses:drafts") in client.get(reverse("courses:manage")).content.decode()


def test_drafts_page_is_paged_and_its_query_count_does_not_grow(client, academy_staff, django_assert_num_queries):
    from ..conftest import count_queries

    _, provider = make_course_provider()
    job = ImportJob.objects.create(original_name="a.csv", uploaded_by=academy_staff, state="done")
    make_course(provider, "Draft 0", state="draft")
    client.force_login(academy_staff)
    client.get(reverse("courses:drafts"))
    one = count_queries(lambda: client.get(reverse("courses:drafts")))
    for n in range(1, 60):
        course = make_course(provider, f"Draft {n}", state="draft")
        if n % 2:
            Course.objects.filter(pk=course.pk).update(import_job=job)
    with django_assert_num_queries(one):
        response = client.get(reverse("courses:drafts"))
    assert (response.context["page"].paginator.count, len(titles(response))) == (60, 50)
