"""Every API endpoint declares what it needs, in one place: the `endpoint`
decorator on its view class.

- `scope=PUBLIC`: anyone, no token needed (throttled per address).
- `scope=ANY_SCOPE`: any valid token, whatever its scopes (e.g. /me/).
- `scope="awards:read"` (api.scopes): a valid token carrying that scope,
  whose person also passes `rule` now.
- `write_scope="courses:write"`: an endpoint that also changes things
  (POST, PUT, PATCH, DELETE) asks this scope for those methods, and
  `scope` for reading (GET, HEAD, OPTIONS).

`rule` is a permission name from an app's rules.py ("awards.manage") or a
rules predicate taking the user; `object_rule` the same for the object a
view acts on (DRF's check_object_permissions). The person's current roles
decide, intersected with the token's scopes.

ENDPOINTS lists every declared view: tests/matrix/test_api_matrix.py fails
for a URL under /api/ whose view did not declare itself here."""

from dataclasses import dataclass

from rest_framework.permissions import AllowAny

from .auth import BearerTokenAuthentication
from .permissions import EndpointPermission
from .scopes import SCOPES

PUBLIC = "public"
ANY_SCOPE = "any"


@dataclass(frozen=True)
class Endpoint:
    scope: str
    rule: object = None
    object_rule: object = None
    write_scope: str | None = None

    def scope_for(self, method: str) -> str:
        """The scope a request with this method needs."""
        if self.write_scope and method not in ("GET", "HEAD", "OPTIONS"):
            return self.write_scope
        return self.scope

    @property
    def public(self) -> bool:
        return self.scope == PUBLIC


ENDPOINTS: dict[type, Endpoint] = {}


def endpoint(*, scope: str, rule=None, object_rule=None, write_scope=None):
    if scope not in SCOPES and scope not in (PUBLIC, ANY_SCOPE):
        raise ValueError(f"Unknown API scope {scope!r}")
    if write_scope is not None and (write_scope not in SCOPES or not write_scope.endswith(":write")):
        raise ValueError(f"Unknown API write scope {write_scope!r}")
    if scope == PUBLIC and (rule or object_rule):
        raise ValueError("A public endpoint has no rule: everyone may read it")

    def decorate(view_class):
        view_class.api_endpoint = Endpoint(scope, rule, object_rule, write_scope)
        view_class.authentication_classes = [BearerTokenAuthentication]
        view_class.permission_classes = [AllowAny] if scope == PUBLIC else [EndpointPermission]
        ENDPOINTS[view_class] = view_class.api_endpoint
        return view_class

    return decorate
