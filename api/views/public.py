"""Public, read-only endpoints: the same data, filters and disclosure as the
public pages, built by the same code."""

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from accreditation.enums import Standing
from accreditation.models import Accreditation
from awards.disclosure import Audience
from awards.models import Cycle
from core.caching import RESULTS_DATA
from courses import search
from courses.enums import DeliveryMode
from courses.models import COURSE_REGIONS, Course, CourseState
from judging.views.public import published_cycles, results_for
from leaders import credentials
from leaders.models import IssuedCredential

from ..registry import PUBLIC, endpoint
from ..serializers import (
    AccreditationSerializer,
    CourseSerializer,
    CredentialSerializer,
    CycleSerializer,
    ErrorSerializer,
    RegisterPageSerializer,
    WinnersSerializer,
)
from .base import ApiView, cached_payload

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such item, or not public")
TOO_MANY = OpenApiResponse(ErrorSerializer, description="Too many requests: wait for the seconds in Retry-After")
BAD_TOKEN = OpenApiResponse(ErrorSerializer, description="A token was given and is not valid, expired or revoked")
PUBLIC_ERRORS = {401: BAD_TOKEN, 429: TOO_MANY}
ID = OpenApiParameter("id", {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}, OpenApiParameter.PATH)
NUMBER = OpenApiParameter(
    "number",
    {"type": "string", "pattern": "^[A-Za-z0-9-]{1,30}$"},
    OpenApiParameter.PATH,
    description="The accreditation number, for example NSA-2026-00042",
)


# No text the service searches may hold a NUL character: an address with one
# is refused before any view runs (core.middleware.RejectNulCharactersMiddleware).
TEXT = {"type": "string", "pattern": r"^[^\x00]*$"}


def _many(name, description, enum=None):
    return OpenApiParameter(
        name,
        {"type": "array", "items": {"type": "string", "enum": enum} if enum else TEXT},
        explode=True,
        description=description,
    )


REGISTER_PARAMETERS = [
    OpenApiParameter(
        "q", {**TEXT, "maxLength": 200}, description="Search words (titles, providers, summaries; typos tolerated)"
    ),
    _many("level", "Leadership level slugs (any of them)"),
    _many("domain", "Domain slugs (any of them)"),
    _many("region", "Regions (any of them)", [value for value, _ in COURSE_REGIONS]),
    _many("mode", "How it is delivered (any of them)", list(DeliveryMode.values)),
    _many("sector", "Open to these sectors (any of them)", ["public", "private", "voluntary", "community"]),
    OpenApiParameter("accredited", str, enum=["yes"], description="yes: accredited courses only"),
    OpenApiParameter("social_care", str, enum=["yes"], description="yes: designed for social care only"),
    OpenApiParameter("sort", str, enum=list(search.SORTS), description="Order; best match when there are words"),
    OpenApiParameter("page", int, description=f"Page number, from 1 ({search.PAGE_SIZE} courses a page)"),
]


def _page_link(request, number):
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@endpoint(scope=PUBLIC)
class CourseRegister(ApiView):
    """The public course register: the register page's search, filters,
    facet counts, order and pages (courses.search), so both always agree."""

    @extend_schema(
        operation_id="courses_list",
        summary="Search the course register",
        parameters=REGISTER_PARAMETERS,
        responses={200: RegisterPageSerializer, **PUBLIC_ERRORS},
        tags=["Courses"],
    )
    def get(self, request):
        return Response(cached_payload(request, lambda: self._search(request)))

    def _search(self, request):
        params = search.parse(request.GET)
        page, facets = search.search(params)
        prefetch_related_objects(page.object_list, "levels", "domains")
        paginator = page.paginator
        return {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": _page_link(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_link(request, page.previous_page_number()) if page.has_previous() else None,
            "sort": params["sort"],
            "results": CourseSerializer(page.object_list, many=True, context={"request": request}).data,
            "facets": [{"name": f.name, "label": f.label, "values": [vars(v) for v in f.values]} for f in facets],
        }


@endpoint(scope=PUBLIC)
class CourseDetail(ApiView):
    """One course of the public register (listed courses only)."""

    @extend_schema(
        operation_id="courses_retrieve",
        summary="A listed course",
        parameters=[ID],
        responses={200: CourseSerializer, 404: NOT_FOUND, **PUBLIC_ERRORS},
        tags=["Courses"],
    )
    def get(self, request, pk):
        def compute():
            course = get_object_or_404(
                Course.objects.select_related("provider").prefetch_related("levels", "domains"),
                pk=pk,
                state=CourseState.LISTED,
            )
            return CourseSerializer(course, context={"request": request}).data

        return Response(cached_payload(request, compute))


def _linked(accreditation):
    if accreditation is None:
        return None
    return {"number": accreditation.number, "valid_from": accreditation.valid_from, "valid_to": accreditation.valid_to}


@endpoint(scope=PUBLIC)
class AccreditationByNumber(ApiView):
    """An accreditation by its number, as the "Check an accreditation" page
    shows it: its standing today, validity, lineage, conditions' states,
    periods and history."""

    @extend_schema(
        operation_id="accreditations_retrieve",
        summary="Check an accreditation by number",
        parameters=[NUMBER],
        responses={200: AccreditationSerializer, 404: NOT_FOUND, **PUBLIC_ERRORS},
        tags=["Accreditation"],
    )
    def get(self, request, number):
        # Never cached: a suspension or withdrawal shows at once, as on the page.
        return Response(self._find(number))

    def _find(self, number):
        accreditation = (
            Accreditation.objects.select_related("course__provider", "application__renews")
            .prefetch_related("conditions", "periods", "events")
            .filter(number=number.strip().upper()[:30])
            .first()
        )
        if accreditation is None:
            raise Http404
        standing = Standing(accreditation.standing_on(timezone.localdate()))
        course = accreditation.course
        data = {
            "number": accreditation.number,
            "status": standing.value,
            "status_label": standing.label,
            "valid_from": accreditation.valid_from,
            "valid_to": accreditation.valid_to,
            "course": {"id": course.pk, "title": course.title},
            "provider": course.provider.name,
            "conditions": [condition.state for condition in accreditation.conditions.all()],
            "renews": _linked(accreditation.renews),
            "renewed_by": _linked(accreditation.renewal()),
            "periods": accreditation.periods.all(),
            "history": accreditation.events.all(),
        }
        return AccreditationSerializer(data).data


def _cycle(request, cycle):
    return {
        "id": cycle.pk,
        "name": str(cycle),
        "year": cycle.year,
        "announced_at": cycle.winners_announced,
        "results": request.build_absolute_uri(reverse("api:winners", args=[cycle.pk])),
        "page": request.build_absolute_uri(reverse("winners:cycle", args=[cycle.pk])),
    }


def _not_stored(response):
    """As the winners pages: results change at one instant and can be
    postponed, so clients ask again rather than keep a copy."""
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@endpoint(scope=PUBLIC)
class WinnersIndex(ApiView):
    """Cycles whose winners are announced, newest first."""

    @extend_schema(
        operation_id="winners_list",
        summary="Cycles with announced winners",
        responses={200: CycleSerializer(many=True), **PUBLIC_ERRORS},
        tags=["Awards"],
    )
    def get(self, request):
        def compute():
            return CycleSerializer([_cycle(request, c) for c in published_cycles(timezone.now())], many=True).data

        return _not_stored(Response(cached_payload(request, compute, data=[RESULTS_DATA])))


@endpoint(scope=PUBLIC)
class Winners(ApiView):
    """A cycle's awards, as the public winners page shows them: through the
    disclosure policy for the public (awards.disclosure), nothing before the
    announcement instant, an entrant named only with its consent."""

    @extend_schema(
        operation_id="winners_retrieve",
        summary="Winners of an announced cycle",
        parameters=[ID],
        responses={200: WinnersSerializer, 404: NOT_FOUND, **PUBLIC_ERRORS},
        tags=["Awards"],
    )
    def get(self, request, pk):
        return _not_stored(Response(cached_payload(request, lambda: self._results(request, pk), data=[RESULTS_DATA])))

    def _results(self, request, pk):
        cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
        if not cycle.results_public():
            raise Http404
        by_category = results_for(cycle, Audience.PUBLIC)
        no_award = cycle.categories.filter(panel__no_award_at__isnull=False).order_by("order", "name")
        categories = [
            {
                "category": category.name,
                "results": [
                    {
                        **{k: getattr(r, k) for k in ("award", "award_label", "reference", "heading", "citation")},
                        "service": r.service,
                        "organisation": r.organisation,
                        "images": [
                            {
                                "url": request.build_absolute_uri(reverse("winners:image", args=[image.pk])),
                                "caption": image.public_caption,
                            }
                            for image in r.images
                        ],
                    }
                    for r in results
                ],
            }
            for category, results in by_category.items()
        ]
        return WinnersSerializer(
            {
                "cycle": _cycle(request, cycle),
                "categories": categories,
                "no_award": [category.name for category in no_award],
                "corrections": [
                    {"corrected_after": c.withdrawn_at, "reason": c.reason} for c in cycle.results_corrections.all()
                ],
            }
        ).data


@endpoint(scope=PUBLIC)
class CredentialStatus(ApiView):
    """A leadership credential's status, as its public page shows it
    (leaders.credentials.status): valid, revoked, accreditation withdrawn,
    or invalid (the signature does not match)."""

    @extend_schema(
        operation_id="credentials_retrieve",
        summary="Check a credential",
        parameters=[OpenApiParameter("uuid", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={200: CredentialSerializer, 404: NOT_FOUND, **PUBLIC_ERRORS},
        tags=["Credentials"],
    )
    def get(self, request, uuid):
        # Never cached: a revocation shows at once, as on the credential's page.
        issued = get_object_or_404(IssuedCredential.objects.select_related("completion__course__provider"), uuid=uuid)
        state, explanation = credentials.status(issued)
        course = issued.completion.course
        data = CredentialSerializer(
            {
                "id": issued.uuid,
                "status": state,
                "explanation": explanation,
                "achievement": course.title,
                "provider": course.provider.name,
                "completed_on": issued.completion.completed_on,
                "issued_at": issued.issued_at,
                "revoked_at": issued.revoked_at,
                "page": request.build_absolute_uri(reverse("credentials:verify", args=[issued.uuid])),
            }
        ).data
        return Response(data)
