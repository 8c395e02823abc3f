"""Paging of API lists: `?page=N` (from 1) and `?page_size=` (at most 200).
Every list answers with the same envelope: count, page, pages, next,
previous, results."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

MAX_PAGE_SIZE = 200


def envelope_schema(results_schema: dict) -> dict:
    """The envelope in OpenAPI terms, around a list of `results_schema`."""
    return {
        "type": "object",
        "required": ["count", "page", "pages", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "description": "Items in all pages"},
            "page": {"type": "integer", "description": "This page's number, from 1"},
            "pages": {"type": "integer", "description": "Number of pages"},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "results": results_schema,
        },
    }


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "page": self.page.number,
                "pages": self.page.paginator.num_pages,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return envelope_schema(schema)
