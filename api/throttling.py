"""Rate limits on every API request, counted in the shared cache (Redis in
production, core.caching): per address for requests without a token, per
token for requests with one. Rates are REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
("anonymous", "token"), read at each request. A refused request gets 429 with
a Retry-After header."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class _Throttle(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        # The rate is read now, not when the class was imported, so a setting
        # changed at run time (or in a test) applies at once.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonymousThrottle(_Throttle):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(_Throttle):
    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
