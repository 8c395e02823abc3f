"""The register's facet counts and number of results come from one query:
each facet value's count applies every other selected facet but not its own,
exactly as filtering the courses one facet at a time would give."""

from itertools import product

import pytest
from django.core.cache import cache
from django.urls import reverse

from courses.models import Course

from ..conftest import count_queries
from ..factories import make_course, make_course_provider

pytestmark = pytest.mark.django_db

LEVELS = ["future-leaders", "practice-leaders", "service-leaders", "system-leaders"]
DOMAINS = ["leadership", "commissioning", "management"]
MODES = ["in_person", "online", "blended"]
REGIONS = ["national", "london", "wales"]

# Each query: the selected values and the words (words every course's title holds, or none).
QUERIES = [
    {},
    {"level": ["practice-leaders"], "mode": ["online"]},
    {"q": "leading", "level": ["service-leaders", "system-leaders"], "domain": ["management"]},
    {"region": ["london", "wales"], "sector": ["public"], "accredited": "yes"},
    {"q": "leading", "mode": ["blended", "in_person"], "social_care": "yes", "sector": ["private", "community"]},
]


@pytest.fixture
def courses():
    _, provider = make_course_provider("Northern Leadership College")
    made = []
    for n, (level, domain, mode, region) in enumerate(product(LEVELS, DOMAINS, MODES, REGIONS)):
        if n % 3 == 1:
            continue  # not every combination, so that the counts differ
        made.append(
            make_course(
                provider,
                f"Leading care {n}",
                levels=[level] if n % 4 else [level, "future-leaders"],
                domains=[domain],
                delivery_mode=mode,
                region=region,
                designed_for_social_care=n % 2 == 0,
                open_to_public=n % 5 != 0,
                open_to_private=n % 3 != 0,
                open_to_community=n % 7 != 0,
            )
        )
    accredited = [c.pk for c in made[::4]]
    Course.objects.filter(pk__in=accredited).update(
        accreditation_status="accredited", accredited_from="2020-01-01", accredited_to="2099-12-31"
    )
    return list(Course.objects.filter(pk__in=[c.pk for c in made]).prefetch_related("levels", "domains"))


def meets(course, name, query):
    """Whether the course meets one facet's selection (every course when none is selected)."""
    chosen = query.get(name)
    if not chosen:
        return True
    return {
        "level": lambda: bool({lv.slug for lv in course.levels.all()} & set(chosen)),
        "domain": lambda: bool({d.slug for d in course.domains.all()} & set(chosen)),
        "mode": lambda: course.delivery_mode in chosen,
        "region": lambda: course.region in chosen,
        "sector": lambda: bool(set(course.sectors) & set(chosen)),
        "accredited": lambda: course.is_accredited(),
        "social_care": lambda: course.designed_for_social_care,
    }[name]()


def expected(courses, query, name, value):
    """The count of one facet value: the other facets' selections and this value."""
    others = ["level", "domain", "mode", "region", "sector", "accredited", "social_care"]
    chosen = [c for c in courses if all(meets(c, other, query) for other in others if other != name)]
    one = {**query, name: [value] if name not in ("accredited", "social_care") else "yes"}
    return sum(1 for c in chosen if meets(c, name, one))


def search(client, query):
    cache.clear()  # anonymous pages are cached for a minute
    return client.get(reverse("courses:register"), query)


@pytest.mark.parametrize("query", QUERIES)
def test_every_facet_count_applies_the_other_facets(client, courses, query):
    response = search(client, query)
    shown = {f.name: {v.value: v.count for v in f.values} for f in response.context["facets"]}
    for name, values in shown.items():
        for value, count in values.items():
            assert (name, value, count) == (name, value, expected(courses, query, name, value))
    results = sum(1 for c in courses if all(meets(c, name, query) for name in shown))
    assert response.context["page"].paginator.count == results
    assert len(response.context["page"]) == min(results, 20)


def test_the_register_makes_five_queries_with_words_and_facets(client, courses):
    query = {"q": "leading", "level": ["service-leaders"], "mode": ["blended"]}
    assert len(search(client, query).context["page"]) > 0
    # The framework's levels and domains (2), the counts with the number of
    # results (1), the page's ids and its rows (2).
    assert count_queries(lambda: search(client, query)) == 5
    assert count_queries(lambda: search(client, {})) == 5
