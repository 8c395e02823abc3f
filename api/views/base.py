"""What every API view shares: JSON, the audit of token requests, and the
brief cache of public answers."""

import hashlib

from django.core.cache import cache
from rest_framework.generics import GenericAPIView
from rest_framework.views import APIView

from core.caching import PUBLIC_PAGE_SECONDS, data_version

from .. import domain
from ..models import ApiToken


class AuditedMixin:
    """Every request made with a token, allowed or refused, leaves one audit
    row (api.domain.record_use) once its answer is known."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "_auth", None)
        if isinstance(token, ApiToken):
            domain.record_use(token, method=request.method, path=request.get_full_path(), status=response.status_code)
        return response


class ApiView(AuditedMixin, APIView):
    """Base of endpoints written by hand."""


class ApiGenericView(AuditedMixin, GenericAPIView):
    """Base of endpoints built on DRF's generic views (lists with api.pagination)."""


def cached_payload(request, compute, *, data=()):
    """The answer to a public request, kept for PUBLIC_PAGE_SECONDS under its
    address and the current version of each kind of `data` it shows (as the
    public pages are, core.caching). Throttling has already counted the
    request; an error (404) is never kept."""
    versions = "".join(f"{data_version(name)}:" for name in data)
    key = "api-public:" + hashlib.sha256((versions + request.get_full_path()).encode()).hexdigest()
    payload = cache.get(key)
    if payload is None:
        payload = compute()
        cache.set(key, payload, PUBLIC_PAGE_SECONDS)
    return payload
