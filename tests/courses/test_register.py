"""The public register on PostgreSQL: full-text search, combined facets with counts, sorting,
caching and the course page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import Course, FrameworkDomain, FrameworkLevel

from ..conftest import count_queries
from ..factories import make_course, make_course_provider, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    _, llp = make_course_provider("Leadership Learning Partnership")
    _, uni = make_course_provider("University of the Pennines")
    courses = {
        "dementia": make_course(
            llp,
            "Leading dementia care services",
            levels=["service-leaders"],
            delivery_mode="online",
            cost=Decimal(900),
            region="north_west",
        ),
        "commissioning": make_course(
            uni,
            "Commissioning for wellbeing",
            levels=["system-leaders"],
            domains=["commissioning"],
            delivery_mode="in_person",
            cost=Decimal(1500),
        ),
        "first": make_course(
            llp,
            "First steps in leadership",
            levels=["future-leaders", "practice-leaders"],
            delivery_mode="online",
            cost=Decimal(0),
            designed_for_social_care=False,
        ),
        "managers": make_course(
            uni,
            "Registered managers programme",
            levels=["practice-leaders"],
            domains=["management", "leadership"],
            delivery_mode="blended",
            cost=Decimal(450),
        ),
        "draft": make_course(uni, "Unlisted draft about dementia", state="draft"),
    }
    Course.objects.filter(pk=courses["managers"].pk).update(
        accreditation_status="accredited",
        accreditation_number="NSA-2026-00001",
        accredited_from="2026-01-01",
        accredited_to="2028-12-31",
    )
    return courses


def titles(response):
    return [c.title for c in response.context["page"]]


def facet_counts(response, name):
    facet = next(f for f in response.context["facets"] if f.name == name)
    return {v.value: v.count for v in facet.values}


def test_full_text_search_uses_stemming_and_skips_drafts(client, register):
    response = client.get(reverse("courses:register"), {"q": "commission"})
    assert titles(response) == ["Commissioning for wellbeing"]
    dementia = client.get(reverse("courses:register"), {"q": "dementia"})
    assert titles(dementia) == ["Leading dementia care services"]


def test_combined_facets_and_their_counts(client, register):
    response = client.get(reverse("courses:register"), {"level": "practice-leaders", "mode": "online"})
    assert titles(response) == ["First steps in leadership"]
    # Counts for a facet apply every other selection but not its own.
    assert facet_counts(response, "mode") == {"in_person": 0, "online": 1, "blended": 1}
    assert facet_counts(response, "level")["practice-leaders"] == 1
    assert facet_counts(response, "level")["service-leaders"] == 1
    html = response.content.decode()
    assert "Online (1)" in html and "Blended (1)" in html


def test_accredited_and_social_care_facets(client, register):
    accredited = client.get(reverse("courses:register"), {"accredited": "yes"})
    assert titles(accredited) == ["Registered managers programme"]
    social = client.get(reverse("courses:register"), {"social_care": "yes"})
    assert "First steps in leadership" not in titles(social)
    assert facet_counts(social, "social_care") == {"yes": 3}


def test_every_facet_count_matches_a_count_by_hand(client):
    """Random courses and random selections: each count must be the number of
    listed courses matching every other selected facet and this value."""
    import random

    from django.core.cache import cache

    from accounts.enums import Sector
    from courses.models import COURSE_REGIONS, SECTOR_FIELDS

    rng = random.Random(11)
    _, provider = make_course_provider()
    level_slugs = list(FrameworkLevel.objects.values_list("slug", flat=True))
    domain_slugs = list(FrameworkDomain.objects.values_list("slug", flat=True))
    regions = [value for value, _ in COURSE_REGIONS][:4]
    modes = ["online", "in_person", "blended"]
    courses = []
    for n in range(24):
        fields = {
            "region": rng.choice(regions),
            "delivery_mode": rng.choice(modes),
            "designed_for_social_care": rng.random() < 0.5,
            **{field: rng.random() < 0.6 for field in SECTOR_FIELDS.values()},
        }
        if rng.random() < 0.4:
            fields.update(accreditation_status="accredited", accredited_from="2020-01-01", accredited_to="2099-12-31")
        course = make_course(
            provider,
            f"Course {n}",
            levels=rng.sample(level_slugs, rng.randint(0, 2)),
            domains=rng.sample(domain_slugs, rng.randint(0, 2)),
            state="listed" if n % 8 else "draft",
            **fields,
        )
        courses.append(
            {
                "listed": n % 8 != 0,
                "level": set(course.levels.values_list("slug", flat=True)),
                "domain": set(course.domains.values_list("slug", flat=True)),
                "region": {fields["region"]},
                "mode": {fields["delivery_mode"]},
                "sector": {sector for sector, field in SECTOR_FIELDS.items() if fields[field]},
                "accredited": {"yes"} if "accreditation_status" in fields else set(),
                "social_care": {"yes"} if fields["designed_for_social_care"] else set(),
            }
        )
    choices = {
        "level": level_slugs,
        "domain": domain_slugs,
        "region": regions,
        "mode": modes,
        "sector": list(Sector.values),
        "accredited": ["yes"],
        "social_care": ["yes"],
    }

    def matches(course, selection, skip=None):
        return course["listed"] and all(
            course[name] & set(values) for name, values in selection.items() if name != skip and values
        )

    for _ in range(12):
        selection = {name: rng.sample(values, rng.randint(0, min(2, len(values)))) for name, values in choices.items()}
        selection = {name: values for name, values in selection.items() if rng.random() < 0.5}
        cache.clear()
        response = client.get(reverse("courses:register"), selection)
        assert response.context["page"].paginator.count == sum(matches(c, selection) for c in courses), selection
        for name, values in choices.items():
            expected = {
                value: sum(matches(c, selection, skip=name) and value in c[name] for c in courses) for value in values
            }
            shown = facet_counts(response, name)
            if name == "region":  # regions with no courses are left out
                expected = {value: count for value, count in expected.items() if count or value in shown}
            assert shown == expected, (name, selection)


def test_sorting_and_unknown_values_are_ignored(client, register):
    by_cost = client.get(reverse("courses:register"), {"sort": "cost"})
    assert titles(by_cost) == [
        "First steps in leadership",
        "Registered managers programme",
        "Leading dementia care services",
        "Commissioning for wellbeing",
    ]
    hostile = client.get(reverse("courses:register"), {"level": "'; DROP TABLE", "sort": "password", "page": "x"})
    assert hostile.status_code == 200
    assert len(titles(hostile)) == 4


def test_search_with_no_results_says_so(client, register):
    response = client.get(reverse("courses:register"), {"q": "astronomy"})
    assert titles(response) == []
    assert "No courses match your search" in response.content.decode()


def test_register_query_count_does_not_grow(client):
    from django.core.cache import cache

    _, provider = make_course_provider()
    make_course(provider, "Course 0")
    params = {"level": "practice-leaders", "mode": "blended"}

    def uncached():
        cache.clear()  # anonymous pages are cached for a minute; count the real work
        return client.get(reverse("courses:register"), params)

    one = count_queries(uncached)
    for n in range(1, 50):
        make_course(provider, f"Course {n}")
    fifty = count_queries(uncached)
    assert client.get(reverse("courses:register")).context["page"].paginator.count == 50
    assert one == fifty
    assert fifty <= 5


def test_anonymous_register_pages_are_cached_for_a_minute(client, register):
    from django.core.cache import cache

    first = count_queries(lambda: client.get(reverse("courses:register"), {"q": "dementia"}))
    again = count_queries(lambda: client.get(reverse("courses:register"), {"q": "dementia"}))
    assert first > 0 and again == 0
    client.force_login(make_user(email="signed-in@example.org"))
    assert count_queries(lambda: client.get(reverse("courses:register"), {"q": "dementia"})) > 0
    cache.clear()


def test_course_page_shows_accreditation(client, register):
    page = client.get(reverse("courses:detail", args=[register["managers"].pk])).content.decode()
    assert "NSA-2026-00001" in page and "Accredited" in page
    assert client.get(reverse("courses:detail", args=[register["draft"].pk])).status_code == 404
