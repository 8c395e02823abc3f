"""Register search on PostgreSQL: best match first, providers' names and
regions, typos (pg_trgm), the search box before the filters, and the check
pages linked."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from courses import search
from courses.models import Course

from ..conftest import count_queries
from ..factories import make_course, make_course_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    _, llp = make_course_provider("Leadership Learning Partnership")
    _, uni = make_course_provider("University of the Pennines")
    return {
        # A to Z this comes first; for "dementia" it is a weaker match (summary only).
        "activities": make_course(
            llp,
            "Activities that matter",
            summary="Meaningful days for people living with dementia and their carers.",
        ),
        "dementia": make_course(uni, "Leading dementia care services", region="north_west"),
        "commissioning": make_course(uni, "Commissioning for wellbeing", domains=["commissioning"]),
        "coproduction": make_course(llp, "Co-production with people who use services", region="wales"),
    }


def titles(response):
    return [c.title for c in response.context["page"]]


def found(client, q, **params):
    cache.clear()
    return titles(client.get(reverse("courses:register"), {"q": q, **params}))


def test_best_match_comes_first_not_a_to_z(client, courses):
    assert found(client, "dementia") == ["Leading dementia care services", "Activities that matter"]
    # As the form submits it: the sort menu's default is best match.
    assert found(client, "dementia", sort="relevance") == ["Leading dementia care services", "Activities that matter"]
    # Choosing A to Z still gives A to Z.
    assert found(client, "dementia", sort="title") == ["Activities that matter", "Leading dementia care services"]


def test_without_words_the_register_stays_a_to_z_and_the_menu_offers_best_match(client, courses):
    response = client.get(reverse("courses:register"))
    assert titles(response) == [
        "Activities that matter",
        "Co-production with people who use services",
        "Commissioning for wellbeing",
        "Leading dementia care services",
    ]
    assert response.context["params"]["sort_choice"] == "relevance"
    assert '<option value="relevance" selected>Best match</option>' in response.content.decode()
    chosen = client.get(reverse("courses:register"), {"sort": "cost"})
    assert chosen.context["params"]["sort_choice"] == "cost"


def test_providers_names_are_searchable(client, courses):
    # (Both match the provider's name alone, equally; their order is the titles' small part.)
    assert sorted(found(client, "Pennines")) == ["Commissioning for wellbeing", "Leading dementia care services"]
    assert sorted(found(client, "Leadership Learning Partnership")) == [
        "Activities that matter",
        "Co-production with people who use services",
    ]
    # A typo in a provider's name still finds its courses.
    assert sorted(found(client, "Penines")) == ["Commissioning for wellbeing", "Leading dementia care services"]


def test_regions_are_searchable(client, courses):
    assert found(client, "north west") == ["Leading dementia care services"]
    assert found(client, "dementia north west") == ["Leading dementia care services"]
    assert found(client, "Wales") == ["Co-production with people who use services"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("comissioning", "Commissioning for wellbeing"),
        ("coproduction", "Co-production with people who use services"),
        ("Comissioning for welbeing", "Commissioning for wellbeing"),
    ],
)
def test_misspellings_still_find_the_course(client, courses, typed, expected):
    assert found(client, typed)[0] == expected


def test_unrelated_words_find_nothing(client, courses):
    assert found(client, "astronomy") == []


def test_search_document_follows_a_providers_course_edits(client, courses):
    """Saving a course rebuilds its document with the region's name."""
    from courses.domain import refresh_search_document

    Course.objects.filter(pk=courses["commissioning"].pk).update(region="scotland")
    refresh_search_document([courses["commissioning"].pk])
    assert found(client, "Scotland") == ["Commissioning for wellbeing"]


def test_search_box_comes_before_the_filters(client, courses):
    html = client.get(reverse("courses:register")).content.decode()
    assert html.index('id="q"') < html.index('name="level"') < html.index('id="results-heading"')


def test_register_and_course_pages_link_the_accreditation_check(client, courses):
    check = reverse("accreditation:verify")
    assert f'href="{check}"' in client.get(reverse("courses:register")).content.decode()
    detail = client.get(reverse("courses:detail", args=[courses["dementia"].pk])).content.decode()
    assert f'href="{check}"' in detail


def test_query_count_with_search_words_does_not_grow(client):
    _, provider = make_course_provider()
    make_course(provider, "Dementia course 0")

    def searched():
        cache.clear()
        return client.get(reverse("courses:register"), {"q": "dementia", "mode": "blended"})

    one = count_queries(searched)
    for n in range(1, 30):
        make_course(provider, f"Dementia course {n}")
    assert searched().context["page"].paginator.count == 30
    assert count_queries(searched) == one


def test_sqlite_fallback_matches_every_word_in_title_summary_or_provider(courses, monkeypatch):
    """Where there is no PostgreSQL (the embedded SQLite default) search is plain matching."""
    monkeypatch.setattr(search.connection, "vendor", "sqlite")
    listed = Course.objects.all()
    assert [c.title for c in search._text_filter(listed, "pennines commissioning")] == ["Commissioning for wellbeing"]
    assert search.natural_title().name == "title"
    sql = str(search._text_filter(listed, "dementia").query)
    assert "<%" not in sql and re.search(r"LIKE", sql)
