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
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, Subquery, Value
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
    """Only known values are kept, so a crafted URL cannot break the query.
    The framework's levels and domains read here are kept too ("framework"),
    for the facets (search), so they are read once a page."""
    framework = (list(FrameworkLevel.objects.all()), list(FrameworkDomain.objects.all()))
    levels = {level.slug for level in framework[0]}
    domains = {domain.slug for domain in framework[1]}
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
        "framework": framework,
    }


def search(params):
    """One page of results and the facets. The facet counts and the number of
    results come from one query over the courses that match the words (each
    count a conditional aggregate), so the words are matched once for all of
    them and the paginator does not count the results again."""
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
    levels, domains = params["framework"]
    counts = _facet_counts(listed, params, levels, domains)
    page = get_page(results.select_related("provider"), params["page"], per_page=PAGE_SIZE, count=counts["total"])
    return page, facets(params, counts, levels, domains)


FACETS = ["level", "domain", "region", "mode", "sector", "accredited", "social_care"]


def _selected(params, name) -> Q:
    """The condition of one facet's selected values (every course when none is selected)."""
    only = {other: [] if other in ("level", "domain", "region", "mode", "sector") else False for other in FACETS}
    return _filters({**only, name: params[name]})


def _facet_counts(listed, params, levels, domains) -> dict:
    """Every facet value's count and the number of results, in one query over
    the courses that match the words. A value's count applies every selected
    facet but its own.

    The inner query reads each matching course once and marks it: whether it
    meets each facet's selection, and which levels and domains it has (through
    their link tables, as subqueries, so no course is counted twice); the
    outer query counts the marks. On PostgreSQL the inner query is kept apart
    (OFFSET 0), so that its subqueries run once rather than once per count."""
    marks = {
        f"sel_{name}": ExpressionWrapper(_selected(params, name) or Q(pk__isnull=False), BooleanField())
        for name in FACETS
    }
    for i, level in enumerate(levels):
        linked = Course.levels.through.objects.filter(frameworklevel_id=level.pk).values("course_id")
        marks[f"level_{i}"] = ExpressionWrapper(Q(pk__in=linked), BooleanField())
    for i, domain in enumerate(domains):
        linked = Course.domains.through.objects.filter(frameworkdomain_id=domain.pk).values("course_id")
        marks[f"domain_{i}"] = ExpressionWrapper(Q(pk__in=linked), BooleanField())
    marks["accredited_now"] = ExpressionWrapper(Course.accredited_filter(), BooleanField())
    inner = (
        listed.order_by()
        .annotate(**marks)
        .values(*marks, "region", "delivery_mode", "designed_for_social_care", *SECTOR_FIELDS.values())
    )
    sql, sql_params = inner.query.sql_with_params()
    if connection.vendor == "postgresql":
        sql += " OFFSET 0"
    quote = connection.ops.quote_name

    def others(skip=None):
        return " AND ".join(quote(f"sel_{name}") for name in FACETS if name != skip)

    counts = {"total": others()}
    for i in range(len(levels)):
        counts[f"level_{i}"] = f"{others('level')} AND {quote(f'level_{i}')}"
    for i in range(len(domains)):
        counts[f"domain_{i}"] = f"{others('domain')} AND {quote(f'domain_{i}')}"
    values = []
    for i, (value, _) in enumerate(COURSE_REGIONS):
        counts[f"region_{i}"] = f"{others('region')} AND region = %s"
        values.append(value)
    for i, value in enumerate(DeliveryMode.values):
        counts[f"mode_{i}"] = f"{others('mode')} AND delivery_mode = %s"
        values.append(value)
    for i, field in enumerate(SECTOR_FIELDS.values()):
        counts[f"sector_{i}"] = f"{others('sector')} AND {quote(field)}"
    counts["accredited"] = f"{others('accredited')} AND {quote('accredited_now')}"
    counts["social_care"] = f"{others('social_care')} AND designed_for_social_care"
    columns = ", ".join(f"COUNT(*) FILTER (WHERE {condition})" for condition in counts.values())
    # The region and mode values come after the inner query's parameters, in
    # the order of the counts that use them (regions, then modes): the inner
    # query is in FROM, which comes after the counts in the SQL text, so the
    # values are passed first.
    with connection.cursor() as cursor:
        # Only our own column names are put in the text; every value is a parameter.
        cursor.execute(f"SELECT {columns} FROM ({sql}) AS marked", [*values, *sql_params])  # noqa: S608
        found = dict(zip(counts, cursor.fetchone(), strict=True))
    return {
        "total": found["total"],
        "level": {level.slug: found[f"level_{i}"] for i, level in enumerate(levels)},
        "domain": {domain.slug: found[f"domain_{i}"] for i, domain in enumerate(domains)},
        "region": {value: found[f"region_{i}"] for i, (value, _) in enumerate(COURSE_REGIONS)},
        "mode": {value: found[f"mode_{i}"] for i, value in enumerate(DeliveryMode.values)},
        "sector": {sector: found[f"sector_{i}"] for i, sector in enumerate(SECTOR_FIELDS)},
        "accredited": found["accredited"],
        "social_care": found["social_care"],
    }


def facets(params, counts, levels, domains) -> list[Facet]:
    level_counts = counts["level"]
    domain_counts = counts["domain"]
    region_counts = counts["region"]
    mode_counts = counts["mode"]
    sector_counts = counts["sector"]
    flag_counts = {"accredited": counts["accredited"], "social_care": counts["social_care"]}
    return [
        Facet(
            "level",
            "Leadership level",
            [FacetValue(lv.slug, lv.name, level_counts.get(lv.slug, 0), lv.slug in params["level"]) for lv in levels],
        ),
        Facet(
            "domain",
            "Domain",
            [FacetValue(d.slug, d.name, domain_counts.get(d.slug, 0), d.slug in params["domain"]) for d in domains],
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
