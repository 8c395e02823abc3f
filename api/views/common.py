"""What the token-authenticated endpoints share: their error answers in the
schema, paging of a query as the API's lists page, and a form's errors as an
answer."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from ..pagination import PagePagination
from ..serializers import ErrorSerializer
from ..serializers_private import FieldErrorsSerializer

REFUSED = {
    401: OpenApiResponse(ErrorSerializer, description="No token, or a token not valid, expired or revoked"),
    403: OpenApiResponse(ErrorSerializer, description="The token lacks the scope, or its person the role, this needs"),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests: wait for the seconds in Retry-After"),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such item, or not yours to see")}
BAD_REQUEST = {400: OpenApiResponse(FieldErrorsSerializer, description="The request is not valid: see errors")}
PAGE_PARAMETERS = [
    OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="Page number, from 1"),
    OpenApiParameter("page_size", {"type": "integer", "minimum": 1}, description="Items a page, at most 200"),
]


def page_of(serializer_class, name: str):
    """The schema of one page of a list of `serializer_class` (api.pagination's envelope)."""
    return inline_serializer(
        f"{name}Page",
        fields={
            "count": serializers.IntegerField(help_text="Items in all pages"),
            "page": serializers.IntegerField(help_text="This page's number, from 1"),
            "pages": serializers.IntegerField(help_text="Number of pages"),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


def id_parameter(name="id"):
    return OpenApiParameter(name, {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}, OpenApiParameter.PATH)


def form_errors(form, detail="Check the request: some values are not valid") -> Response:
    """A bound form's errors as a 400 answer, each message as the page words it."""
    errors = {field or "__all__": [str(m) for m in messages] for field, messages in form.errors.items()}
    return Response({"detail": detail, "errors": errors}, status=400)


def paged(view, request, queryset, serializer_class, **context) -> Response:
    """One page of `queryset` in the API's list envelope (api.pagination)."""
    paginator = PagePagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer_class(page, many=True, context={"request": request, **context}).data
    return paginator.get_paginated_response(data)
