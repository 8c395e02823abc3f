"""The one permission check of token-authenticated endpoints: the token
carries the endpoint's scope, and its person passes the endpoint's rule with
the roles they hold now (api.registry)."""

from rest_framework.permissions import BasePermission

from .models import ApiToken
from .scopes import covers


def _passes(rule, user, obj=None) -> bool:
    if rule is None:
        return True
    if isinstance(rule, str):
        return user.has_perm(rule, obj) if obj is not None else user.has_perm(rule)
    return bool(rule(user, obj) if obj is not None else rule(user))


class EndpointPermission(BasePermission):
    """Refuses (401) without a valid token; (403) when the token lacks the
    endpoint's scope or its person lacks the role the rule asks for. A view
    that declared nothing is refused: endpoints fail closed."""

    message = "You do not have permission to do this."

    def has_permission(self, request, view):
        declared = getattr(view, "api_endpoint", None)
        if declared is None:
            return False
        if declared.public:
            return True
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        wanted = declared.scope_for(getattr(request, "method", "GET"))
        if wanted != "any" and not covers(token.scopes, wanted):
            self.message = f"This token's scopes do not include {wanted}"
            return False
        if not _passes(declared.rule, request.user):
            self.message = "Your account does not hold the role this needs"
            return False
        return True

    def has_object_permission(self, request, view, obj):
        declared = getattr(view, "api_endpoint", None)
        if declared is None:
            return False
        if declared.object_rule is None:
            return True
        if not _passes(declared.object_rule, request.user, obj):
            self.message = "Your account may not see or change this"
            return False
        return True
