"""The register API answers with exactly what the register page shows for
the same query string: counts, facet counts, courses and their order."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from courses.models import Course

from ..factories import make_course, make_course_provider

pytestmark = pytest.mark.django_db

LEVELS = ["practice-leaders", "service-leaders", "system-leaders", "not-a-level"]
DOMAINS = ["leadership", "commissioning", "management", "not-a-domain"]
SELECTIONS = st.fixed_dictionaries(
    {},
    optional={
        "q": st.sampled_from(["care", "commissioning", "leading", "zzz", ""]),
        "level": st.lists(st.sampled_from(LEVELS), max_size=2, unique=True),
        "domain": st.lists(st.sampled_from(DOMAINS), max_size=2, unique=True),
        "mode": st.lists(st.sampled_from(["online", "in_person", "blended"]), max_size=2, unique=True),
        "region": st.lists(st.sampled_from(["national", "london", "wales"]), max_size=2, unique=True),
        "sector": st.lists(st.sampled_from(["public", "private", "voluntary", "community"]), max_size=2, unique=True),
        "social_care": st.just("yes"),
        "accredited": st.just("yes"),
        "sort": st.sampled_from(["relevance", "title", "cost", "duration", "newest"]),
        "page": st.sampled_from(["1", "2", "3", "x", "-1"]),
    },
)


@pytest.fixture
def register():
    _, first = make_course_provider("Leadership Learning Partnership")
    _, second = make_course_provider("Commissioning Academy North")
    modes, regions = ["online", "in_person", "blended"], ["national", "london", "wales"]
    for number in range(45):
        make_course(
            first if number % 3 else second,
            f"{['Leading', 'Commissioning', 'Coaching'][number % 3]} care module {number}",
            levels=[LEVELS[number % 3]],
            domains=[DOMAINS[number % 2]],
            delivery_mode=modes[number % 3],
            region=regions[number % 3],
            cost=Decimal(number * 10),
            designed_for_social_care=bool(number % 2),
            open_to_public=bool(number % 4),
        )
    return Course.objects.count()


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(selection=SELECTIONS)
def _same_as_the_page(selection):
    cache.clear()  # an anonymous page seen in an earlier example would come from the cache, without its context
    query = urlencode(selection, doseq=True)
    page = Client().get(f"{reverse('courses:register')}?{query}").context
    api = APIClient().get(f"{reverse('api:courses')}?{query}").json()
    assert api["count"] == page["page"].paginator.count
    assert api["page"] == page["page"].number
    assert api["pages"] == page["page"].paginator.num_pages
    assert [course["id"] for course in api["results"]] == [course.pk for course in page["page"].object_list]
    assert api["facets"] == [
        {"name": f.name, "label": f.label, "values": [vars(v) for v in f.values]} for f in page["facets"]
    ]


def test_register_api_matches_the_register_page(settings, register):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "100000/min", "token": "100000/min"},
    }
    assert register == 45
    _same_as_the_page()


def test_register_api_pages_through_every_course(register):
    client, seen, url = APIClient(), [], reverse("api:courses") + "?sort=title"
    while url:
        data = client.get(url).json()
        assert data["count"] == 45 and data["pages"] == 3
        seen += [course["title"] for course in data["results"]]
        url = data["next"]
    assert seen == list(Course.objects.order_by("title", "pk").values_list("title", flat=True))
    first = APIClient().get(reverse("api:courses") + "?sort=title").json()["results"][0]
    course = Course.objects.order_by("title", "pk").first()
    assert first["title"] == course.title
    assert first["provider"] == {"id": course.provider_id, "name": course.provider.name}
    assert first["levels"] == [level.slug for level in course.levels.all()]
    assert first["cost"] == str(course.cost)
    assert first["page"] == f"http://testserver/courses/{course.pk}/"


def test_register_api_queries_do_not_grow_with_the_page(register, django_assert_max_num_queries):
    """Levels and domains come in one query each for the whole page (a page of 20 or of 1)."""
    with django_assert_max_num_queries(20) as twenty:
        APIClient().get(reverse("api:courses"))
    with django_assert_max_num_queries(20) as one:
        APIClient().get(reverse("api:courses") + "?q=module+44")
    assert len(twenty.captured_queries) == len(one.captured_queries)
