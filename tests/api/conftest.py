import pytest
from rest_framework.test import APIClient

from accounts.enums import SiteRole
from api import domain
from api.rules import SignIn
from api.scopes import SCOPES

from ..factories import make_user

ALL_SCOPES = list(SCOPES)


def create_token(user, scopes=("awards:read",), days=30, name="Integration"):
    """A token made the way the tokens page makes it: a session that passed two-factor."""
    user.__dict__.pop("access", None)  # as a request loads it: the authenticator make_user added counts
    return domain.create_token(
        user, sign_in=SignIn(passed_second_factor=True), name=name, scopes=list(scopes), expires_in_days=days
    )


def bearer(secret) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def admin_with_token(db):
    user = make_user(email="api-admin@example.org", full_name="Ada Admin", roles=[SiteRole.AWARDS_ADMIN])
    token, secret = create_token(user, scopes=ALL_SCOPES)
    return user, token, secret
