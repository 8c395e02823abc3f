"""Who reaches every API endpoint: one row per URL pattern of the API
(namespace "api": /api/..., /openapi.json), one column per kind of caller,
each calling with a personal access token carrying every scope.

Columns: anonymous (no token), provider A, course provider, awards
administrator, academy assessor, judge, media partner, leader, and a
revoked token. Cells: 200; 401 = no valid token; 403 = the token or its
person may not; 404 = not there or not public.

A new URL under /api/ without a row fails test_every_api_url_has_a_row, and
a view under /api/v1/ that did not declare its scope in api.registry fails
test_every_v1_view_declares_its_scope. To print the observed table:
MATRIX_PRINT=1 pytest tests/matrix/test_api_matrix.py -s
"""

import os

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from api import domain
from api.registry import ENDPOINTS
from api.rules import SignIn
from api.scopes import SCOPES

from ..factories import TOTP_SECRET
from .matrix_world import build_world, url_for

pytestmark = pytest.mark.django_db

CALLERS = [
    "anonymous",
    "provider_a",
    "course_provider",
    "awards_admin",
    "assessor",
    "judge",
    "media",
    "leader",
    "revoked",
]

API_MATRIX = """
# url name            arguments                         anon  provA crs   admin assr  judge media ldr   revkd
api:index             -                                 200   200   200   200   200   200   200   200   401
api:schema            -                                 200   200   200   200   200   200   200   200   401
api:openapi           -                                 200   200   200   200   200   200   200   200   401
api:docs              -                                 200   200   200   200   200   200   200   200   200
api:v1                -                                 200   200   200   200   200   200   200   200   401
api:courses           -                                 200   200   200   200   200   200   200   200   401
api:course            pk=course_a                       200   200   200   200   200   200   200   200   401
api:accreditation     number=accreditation_number       200   200   200   200   200   200   200   200   401
api:winners_index     -                                 200   200   200   200   200   200   200   200   401
api:winners           pk=past_cycle                     200   200   200   200   200   200   200   200   401
api:credential        uuid=credential_uuid              200   200   200   200   200   200   200   200   401
api:me                -                                 401   200   200   200   200   200   200   200   401
api:manage_nominations -                                401   403   403   200   403   403   403   403   401
api:nominations_export -                                401   403   403   200   403   403   403   403   401
api:cycle_results     pk=past_cycle                     401   403   403   200   403   403   403   403   401
api:export_job        pk=export_job                     401   403   403   200   403   403   403   403   401
api:export_download   pk=export_job                     401   403   403   200   403   403   403   403   401
api:dass_compliance   -                                 401   403   403   403   200   403   403   403   401
api:provider_completions -                              401   403   200   403   200   403   403   403   401
api:provider_courses  -                                 401   403   200   403   403   403   403   403   401
api:provider_course   pk=course_a                       401   403   200   403   403   403   403   403   401
api:provider_applications -                             401   403   200   403   403   403   403   403   401
"""


def parse(text):
    rows = {}
    for line in text.strip().splitlines():
        if line.startswith("#"):
            continue
        name, arguments, *cells = line.split()
        assert len(cells) == len(CALLERS), name
        rows[name] = (arguments, dict(zip(CALLERS, cells, strict=True)))
    return rows


def api_patterns():
    """(name, route, view) of every URL pattern in the "api" namespace or under /api/."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                yield name, route, pattern.callback

    return [
        (name, route, view)
        for name, route, view in walk(get_resolver().url_patterns)
        if route.startswith(("api/", "^api/")) or (name or "").startswith("api:")
    ]


def test_every_api_url_has_a_row():
    patterns = api_patterns()
    assert [route for name, route, _ in patterns if not (name or "").startswith("api:")] == [], (
        "API URLs must be named in the api namespace"
    )
    names = {name for name, _, _ in patterns}
    assert sorted(names - set(parse(API_MATRIX))) == [], "API URLs without a row in the API matrix"
    assert sorted(set(parse(API_MATRIX)) - names) == [], "rows for API URLs that no longer exist"


def test_every_v1_view_declares_its_scope():
    undeclared = [
        route
        for _, route, view in api_patterns()
        if route.startswith("api/v1/") and getattr(view, "view_class", None) not in ENDPOINTS
    ]
    assert undeclared == []


def _token_for(user):
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)})
    user.__dict__.pop("access", None)
    return domain.create_token(
        user, sign_in=SignIn(passed_second_factor=True), name="matrix", scopes=list(SCOPES), expires_in_days=30
    )


def test_api_matrix(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "100000/min", "token": "100000/min"},
    }
    world = build_world()
    rows = parse(API_MATRIX)
    secrets = {}
    for caller in CALLERS[1:-1]:
        secrets[caller] = _token_for(world.people[caller])[1]
    revoked, secrets["revoked"] = _token_for(world.people["awards_admin"])
    domain.revoke_token(world.people["awards_admin"], revoked)
    observed = {name: {} for name in rows}
    for caller in CALLERS:
        client = APIClient()
        if caller in secrets:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secrets[caller]}")
        for name, (arguments, _) in rows.items():
            observed[name][caller] = str(client.get(url_for(world, name, arguments)).status_code)
            pairs = [pair.split("=") for pair in arguments.split(",") if "=" in pair]
            if any(isinstance(world.objects.get(v), int) for _, v in pairs) and observed[name][caller] == "200":
                missing = client.get(url_for(world, name, arguments, missing=True)).status_code
                assert missing == 404, f"{name} as {caller}: {missing} for a missing id"
    if os.environ.get("MATRIX_PRINT"):
        for name, (arguments, _) in rows.items():
            print(f"{name:<22}{arguments:<34}" + "".join(f"{observed[name][c]:<6}" for c in CALLERS))
    holes = [
        f"{name} as {caller}: expected {expected[caller]}, got {observed[name][caller]}"
        for name, (_, expected) in rows.items()
        for caller in CALLERS
        if observed[name][caller] != expected[caller]
    ]
    assert holes == []
