"""The public register search: full text, combinable facets with counts,
sorting and pagination, all from the query string so every search has a URL.

Search words match on PostgreSQL in two ways: full text (titles, providers'
names, summaries and regions' names, stemmed: "commission" finds
"commissioning") and, for typos, pg_trgm word similarity on titles and
providers' names ("comissioning" finds "commissioning", "coproduction" finds
"co-production"). With search words the results come best match first: the
full-text rank plus the title's trigram similarity. On SQLite (the local
default, without full text or pg_trgm) search falls back to plain matching:
every word must appear in the title, summary or provider's name, and "best
match" lists by title.

Facet counts follow the usual rule: the counts for one facet apply every
other selected facet but not its own, so a person can see what choosing
another value would give.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, Count, F, Func, Q, Subquery, Value
from django.db.models.functions import Collate

from accounts.enums import Sector
from accounts.models import Organisation
from core.paging import get_page

from .models import COURSE_REGIONS, SECTOR_FIELDS, Course, CourseState, DeliveryMode, FrameworkDomain, FrameworkLevel

PAGE_SIZE = 20
SORTS = {
    "relevance": "Best match",
    "title": "Title (A to Z)",
    "cost": "Cost (lowest first)",
    "duration": "Duration (shortest first)",
    "newest": "Newest",
}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


class WordSimilar(Func):
    """`words <% column`: pg_trgm's word similarity of the search words to some
    part of the column is at least pg_trgm.word_similarity_threshold (0.6).
    Unlike a comparison with word_similarity(), it uses the trigram index."""

    arg_joiner = " <%% "
    template = "%(expressions)s"
    output_field = BooleanField()


class AnyOf(Func):
    """`column = ANY(ARRAY(subquery))`: PostgreSQL runs the subquery once, before
    the rest (an InitPlan), and compares each row with its result; as
    `column IN (subquery)` beside other conditions joined by OR, it was a
    hashed subplan that read every organisation for each of the page's queries."""

    arg_joiner = " = ANY(ARRAY"
    template = "%(expressions)s)"
    output_field = BooleanField()


def natural_title(field="title"):
    """Titles in natural order, numbers by their value ("Module 2" before
    "Module 10"): on PostgreSQL through the ICU collation "natural_sort"
    (courses migration 0008, locale und-u-kn-true) in the database's own
    ORDER BY, so paging stays in the database; SQLite sorts by plain title."""
    if connection.vendor == "postgresql":
        return Collate(F(field), "natural_sort")
    return F(field)


def _text_query(text):
    return SearchQuery(text, config="english", search_type="websearch")


def _text_filter(queryset, text):
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        similar_providers = Organisation.objects.filter(WordSimilar(Value(text), F("name"))).values("pk")
        return queryset.filter(
            Q(search_document=_text_query(text))
            | Q(WordSimilar(Value(text), F("title")))
            | Q(AnyOf(F("provider_id"), Subquery(similar_providers)))
        )
    # SQLite: plain matching of each word.
    condition = Q()
    for word in text.split():
        condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(provider__name__icontains=word)
    return queryset.filter(condition)


def _filters(params, skip=None) -> Q:
    """Levels and domains as subqueries rather than joins, so that no course
    is counted or listed twice and no query needs DISTINCT."""
    condition = Q()
    if params["level"] and skip != "level":
        levels = Course.levels.through.objects.filter(frameworklevel__slug__in=params["level"])
        condition &= Q(pk__in=levels.values("course_id"))
    if params["domain"] and skip != "domain":
        domains = Course.domains.through.objects.filter(frameworkdomain__slug__in=params["domain"])
        condition &= Q(pk__in=domains.values("course_id"))
    if params["region"] and skip != "region":
        condition &= Q(region__in=params["region"])
    if params["mode"] and skip != "mode":
        condition &= Q(delivery_mode__in=params["mode"])
    if params["sector"] and skip != "sector":
        sector_q = Q()
        for sector in params["sector"]:
            sector_q |= Q(**{SECTOR_FIELDS[sector]: True})
        condition &= sector_q
    if params["accredited"] and skip != "accredited":
        condition &= Course.accredited_filter()
    if params["social_care"] and skip != "social_care":
        condition &= Q(designed_for_social_care=True)
    return condition


def parse(query_dict) -> dict:
    """Only known values are kept, so a crafted URL cannot break the query."""
    levels = set(FrameworkLevel.objects.values_list("slug", flat=True))
    domains = set(FrameworkDomain.objects.values_list("slug", flat=True))
    regions = {value for value, _ in COURSE_REGIONS}
    sort = query_dict.get("sort", "")
    text = " ".join(query_dict.get("q", "").split())[:200]
    return {
        # What the sort menu shows: best match unless another order was
        # chosen, so that searching from a page without words (listed A to Z)
        # gives the best match first.
        "sort_choice": sort if sort in SORTS else "relevance",
        "q": text,
        "level": [v for v in query_dict.getlist("level") if v in levels],
        "domain": [v for v in query_dict.getlist("domain") if v in domains],
        "region": [v for v in query_dict.getlist("region") if v in regions],
        "mode": [v for v in query_dict.getlist("mode") if v in DeliveryMode.values],
        "sector": [v for v in query_dict.getlist("sector") if v in Sector.values],
        "accredited": query_dict.get("accredited") == "yes",
        "social_care": query_dict.get("social_care") == "yes",
        "sort": sort if sort in SORTS else ("relevance" if text else "title"),
        "page": query_dict.get("page", "1"),
    }


def search(params):
    listed = _text_filter(Course.objects.filter(state=CourseState.LISTED), params["q"])
    results = listed.filter(_filters(params))
    if params["sort"] == "relevance" and params["q"] and connection.vendor == "postgresql":
        rank = SearchRank(F("search_document"), _text_query(params["q"])) + TrigramWordSimilarity(params["q"], "title")
        results = results.annotate(rank=rank).order_by("-rank", "title", "pk")
    else:
        order = {
            "cost": ("cost", "title", "pk"),
            "duration": ("duration_hours", "title", "pk"),
            "newest": ("-listed_at", "pk"),
        }.get(params["sort"], ("title", "pk"))
        results = results.order_by(*order)
    page = get_page(results.select_related("provider"), params["page"], per_page=PAGE_SIZE)
    return page, facets(listed, params)


def _counts(queryset, field):
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def _total(queryset) -> int:
    return queryset.order_by().count()


def facets(listed, params) -> list[Facet]:
    def base(skip):
        return listed.filter(_filters(params, skip=skip))

    level_counts = _counts(base("level"), "levels__slug")
    domain_counts = _counts(base("domain"), "domains__slug")
    region_counts = _counts(base("region"), "region")
    mode_counts = _counts(base("mode"), "delivery_mode")
    sector_base = base("sector").order_by()
    sector_counts = sector_base.aggregate(
        **{sector: Count("pk", filter=Q(**{field: True})) for sector, field in SECTOR_FIELDS.items()}
    )
    flag_counts = {
        "accredited": _total(base("accredited").filter(Course.accredited_filter())),
        "social_care": _total(base("social_care").filter(designed_for_social_care=True)),
    }
    return [
        Facet(
            "level",
            "Leadership level",
            [
                FacetValue(lv.slug, lv.name, level_counts.get(lv.slug, 0), lv.slug in params["level"])
                for lv in FrameworkLevel.objects.all()
            ],
        ),
        Facet(
            "domain",
            "Domain",
            [
                FacetValue(d.slug, d.name, domain_counts.get(d.slug, 0), d.slug in params["domain"])
                for d in FrameworkDomain.objects.all()
            ],
        ),
        Facet(
            "mode",
            "How it is delivered",
            [FacetValue(v, label, mode_counts.get(v, 0), v in params["mode"]) for v, label in DeliveryMode.choices],
        ),
        Facet(
            "sector",
            "Open to",
            [FacetValue(v, label, sector_counts.get(v, 0), v in params["sector"]) for v, label in Sector.choices],
        ),
        Facet(
            "region",
            "Region",
            [
                FacetValue(v, label, region_counts.get(v, 0), v in params["region"])
                for v, label in COURSE_REGIONS
                if region_counts.get(v, 0) or v in params["region"]
            ],
        ),
        Facet(
            "accredited",
            "Accreditation",
            [FacetValue("yes", "Accredited courses only", flag_counts["accredited"], params["accredited"])],
        ),
        Facet(
            "social_care",
            "Designed for social care",
            [
                FacetValue(
                    "yes", "Designed specifically for social care", flag_counts["social_care"], params["social_care"]
                )
            ],
        ),
    ]
