"""Personal access tokens: created only after two-factor, stored hashed,
refused at once when expired or revoked, limited to their scopes and to
their person's current roles, and every use audited."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import domain as accounts_domain
from accounts.enums import SiteRole
from accounts.models import AuditEvent, RoleGrant
from api import domain
from api.models import TOKEN_PREFIX, ApiToken
from api.permissions import EndpointPermission
from api.registry import Endpoint
from api.rules import SignIn
from core.errors import DomainError

from ..factories import make_user
from .conftest import ALL_SCOPES, bearer, create_token

pytestmark = pytest.mark.django_db
ME = reverse("api:me")


def test_a_token_is_stored_only_as_its_sha256_digest(admin_with_token):
    user, token, secret = admin_with_token
    assert secret.startswith(TOKEN_PREFIX) and len(secret) == len(TOKEN_PREFIX) + 43
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert stored.hint == secret[: len(TOKEN_PREFIX) + 4]
    assert AuditEvent.objects.filter(action="api_token.created", object_id=str(token.pk)).count() == 1


def test_me_answers_who_the_token_belongs_to(admin_with_token):
    user, token, secret = admin_with_token
    data = bearer(secret).get(ME).json()
    assert data["email"] == "api-admin@example.org"
    assert data["name"] == "Ada Admin"
    assert data["roles"] == ["awards_admin"]
    assert data["organisations"] == []
    assert data["token"]["scopes"] == sorted(ALL_SCOPES)
    assert data["token"]["name"] == "Integration"
    assert secret not in str(data)


def test_without_a_token_me_asks_for_one():
    response = APIClient().get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("header", ["Bearer scapat_not-a-real-token", "Bearer", "Bearer a b", "Bearer xyz"])
def test_an_unknown_or_malformed_token_is_refused(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(ME).status_code == 401


def test_a_revoked_token_is_refused_at_once(admin_with_token):
    user, token, secret = admin_with_token
    client = bearer(secret)
    assert client.get(ME).status_code == 200
    domain.revoke_token(user, token)
    response = client.get(ME)
    assert (response.status_code, response.json()["detail"]) == (401, "The token was revoked")
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).count() == 1


def test_an_expired_token_is_refused_from_its_expiry_instant(admin_with_token):
    user, token, secret = admin_with_token
    client = bearer(secret)
    with time_machine.travel(token.expires_at - timedelta(seconds=1)):
        assert client.get(ME).status_code == 200
    with time_machine.travel(token.expires_at):
        response = client.get(ME)
    assert (response.status_code, response.json()["detail"]) == (401, "The token has expired")


def test_a_closed_account_s_token_is_refused(admin_with_token):
    user, token, secret = admin_with_token
    user.is_active = False
    user.save()
    assert bearer(secret).get(ME).json() == {"detail": "The token's account is closed"}


def test_creation_needs_a_session_that_passed_two_factor():
    judge = make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    with pytest.raises(PermissionDenied):
        domain.create_token(
            judge, sign_in=SignIn(passed_second_factor=False), name="x", scopes=["awards:read"], expires_in_days=7
        )
    provider = make_user(email="nofactor@example.org")  # no authenticator at all
    with pytest.raises(PermissionDenied):
        create_token(provider)
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "  "}, "Enter a name for the token"),
        ({"scopes": []}, "Select at least one thing the token may do"),
        ({"scopes": ["everything:write"]}, "Unknown scope: everything:write"),
        ({"days": 366}, "A token lasts at most a year"),
        ({"days": 0}, "A token lasts at most a year"),
    ],
)
def test_a_token_needs_a_name_known_scopes_and_at_most_a_year(kwargs, message):
    user = make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    with pytest.raises(DomainError) as error:
        create_token(user, **kwargs)
    assert str(error.value) == message
    assert ApiToken.objects.count() == 0


def test_only_its_owner_or_site_staff_revoke_a_token(admin_with_token):
    user, token, _ = admin_with_token
    other = make_user(email="other@example.org", roles=[SiteRole.JUDGE])
    with pytest.raises(PermissionDenied):
        domain.revoke_token(other, token)
    staff = make_user(email="staff@example.org", is_staff=True)
    assert domain.revoke_token(staff, token).revoked_by == staff


class _View:
    def __init__(self, scope, rule=None):
        self.api_endpoint = Endpoint(scope, rule)


class _Request:
    def __init__(self, user, token):
        self.user, self.auth = user, token


def test_scope_is_enforced_and_write_includes_read():
    user = make_user(email="admin@example.org", roles=[SiteRole.AWARDS_ADMIN])
    reader, _ = create_token(user, scopes=["awards:read"])
    writer, _ = create_token(user, scopes=["awards:write"])
    check = EndpointPermission()
    assert check.has_permission(_Request(user, reader), _View("awards:read"))
    assert not check.has_permission(_Request(user, reader), _View("awards:write"))
    assert check.message == "This token's scopes do not include awards:write"
    assert not check.has_permission(_Request(user, reader), _View("courses:read"))
    assert check.has_permission(_Request(user, writer), _View("awards:read"))
    assert check.has_permission(_Request(user, writer), _View("awards:write"))
    assert not check.has_permission(_Request(user, None), _View("any"))
    assert not check.has_permission(_Request(user, writer), object())  # declared nothing: refused


def test_a_person_who_loses_a_role_loses_that_access_at_once():
    """The token carries the scope; the role comes from the person, read again on every request."""
    from accounts.rules import is_awards_admin

    staff = make_user(email="staff@example.org", is_staff=True)
    admin = make_user(email="admin@example.org", roles=[SiteRole.AWARDS_ADMIN])
    token, secret = create_token(admin, scopes=["awards:read"])
    check = EndpointPermission()
    view = _View("awards:read", is_awards_admin)

    def allowed():
        fresh = ApiToken.objects.select_related("user").get(pk=token.pk)  # as each request loads it
        return check.has_permission(_Request(fresh.user, fresh), view)

    assert allowed()
    assert bearer(secret).get(ME).json()["roles"] == ["awards_admin"]
    grant = RoleGrant.objects.get(user=admin, role=SiteRole.AWARDS_ADMIN, revoked_at__isnull=True)
    accounts_domain.revoke_role(staff, grant)
    assert not allowed()
    assert check.message == "Your account does not hold the role this needs"
    assert bearer(secret).get(ME).json()["roles"] == []


def test_every_authenticated_request_is_audited_and_marks_last_use(admin_with_token):
    user, token, secret = admin_with_token
    client = bearer(secret)
    client.get(ME)
    client.get(reverse("api:winners_index"))
    uses = AuditEvent.objects.filter(action="api_token.used", object_id=str(token.pk)).order_by("at", "pk")
    assert [(e.actor_id, e.after["method"], e.after["path"], e.after["status"]) for e in uses] == [
        (user.pk, "GET", ME, 200),
        (user.pk, "GET", reverse("api:winners_index"), 200),
    ]
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    APIClient().get(reverse("api:winners_index"))  # anonymous: nothing to audit
    assert AuditEvent.objects.filter(action="api_token.used").count() == 2
