"""Where the API starts: links to its documentation, its schema and version 1."""

from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from ..registry import PUBLIC, endpoint
from .base import ApiView

LINKS = inline_serializer(
    "Links",
    fields={
        "docs": serializers.URLField(),
        "schema": serializers.URLField(),
        "openapi": serializers.URLField(),
        "v1": serializers.URLField(),
    },
)


def _links(request) -> dict:
    return {
        "docs": request.build_absolute_uri(reverse("api:docs")),
        "schema": request.build_absolute_uri(reverse("api:schema")),
        "openapi": request.build_absolute_uri(reverse("api:openapi")),
        "v1": request.build_absolute_uri(reverse("api:v1")),
    }


@endpoint(scope=PUBLIC)
class ApiIndex(ApiView):
    """The API's front door."""

    @extend_schema(exclude=True)
    def get(self, request):
        return Response(_links(request))


V1_ENDPOINTS = inline_serializer(
    "VersionOne",
    fields={
        "courses": serializers.URLField(),
        "course": serializers.CharField(),
        "accreditation": serializers.CharField(),
        "winners": serializers.URLField(),
        "cycle_winners": serializers.CharField(),
        "credential": serializers.CharField(),
        "me": serializers.URLField(),
    },
)


@endpoint(scope=PUBLIC)
class VersionOne(ApiView):
    """Version 1's endpoints; {placeholders} stand for a course id, an
    accreditation number, a cycle id or a credential id."""

    @extend_schema(
        operation_id="v1_index", summary="Version 1's endpoints", responses={200: V1_ENDPOINTS}, tags=["Index"]
    )
    def get(self, request):
        def absolute(name):
            return request.build_absolute_uri(reverse(f"api:{name}"))

        # Templated addresses: the placeholders stay as written (RFC 6570).
        base = absolute("v1")
        return Response(
            {
                "courses": absolute("courses"),
                "course": base + "courses/{id}/",
                "accreditation": base + "accreditations/{number}/",
                "winners": absolute("winners_index"),
                "cycle_winners": base + "winners/{cycle_id}/",
                "credential": base + "credentials/{id}/",
                "me": absolute("me"),
            }
        )


def docs(request):
    """The interactive documentation (Swagger UI), served from this service's
    own static files (drf-spectacular-sidecar) and started by a script file
    of ours: no CDN and no inline script, so the strict CSP stands."""
    return render(request, "api/docs.html", {"schema_url": reverse("api:schema")})
