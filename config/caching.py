"""A short-lived cache for public pages viewed without signing in.

The register search and the winners pages are the same for every anonymous
visitor, so their rendered responses are kept for a minute in the shared
cache (Redis in production). Signed-in people always get a fresh page: their
navigation differs, and staff expect to see their own changes at once.
"""

import hashlib
from functools import wraps

from django.core.cache import cache

PUBLIC_PAGE_SECONDS = 60


def cache_public_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated or request.method != "GET":
            return view(request, *args, **kwargs)
        key = "public-page:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, PUBLIC_PAGE_SECONDS)
        return response

    return wrapped
