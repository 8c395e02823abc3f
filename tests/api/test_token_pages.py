"""The account's API tokens pages: listed with the account, created only in
a session that passed two-factor, shown once, revoked at once."""

import hashlib

import pytest
from django.urls import reverse

from accounts.enums import SiteRole
from api.models import ApiToken

from ..factories import make_user
from .conftest import bearer, create_token

pytestmark = pytest.mark.django_db
FORM = {"name": "HR system", "scopes": ["academy:read", "courses:write"], "expires_in_days": "90"}


@pytest.fixture
def judge(db):
    return make_user(email="judge@example.org", roles=[SiteRole.JUDGE])


def test_the_account_page_links_to_the_tokens_page(client, judge):
    client.force_login(judge)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("api_tokens:list") in page


def test_creating_a_token_shows_it_once_and_stores_only_its_digest(client, judge):
    client.force_login(judge)
    response = client.post(reverse("api_tokens:create"), FORM)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.scopes) == (judge, "HR system", ["academy:read", "courses:write"])
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert (token.expires_at - token.created_at).days == 90
    # Never again: neither the list nor the form shows it.
    assert secret not in client.get(reverse("api_tokens:list")).content.decode()
    assert secret not in client.get(reverse("api_tokens:create")).content.decode()
    assert bearer(secret).get(reverse("api:me")).json()["token"]["name"] == "HR system"


def test_a_session_that_did_not_pass_two_factor_is_sent_to_enter_a_code(client, judge):
    client.force_login_password_only(judge)
    response = client.post(reverse("api_tokens:create"), FORM)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert ApiToken.objects.count() == 0


def test_a_person_without_two_factor_is_asked_to_set_it_up(client):
    provider = make_user(email="provider@example.org")
    client.force_login(provider)
    response = client.post(reverse("api_tokens:create"), FORM)
    assert response.status_code == 200
    assert response.templates[0].name == "api/token_needs_two_factor.html"
    assert ApiToken.objects.count() == 0
    assert "set up two-factor authentication" in client.get(reverse("api_tokens:list")).content.decode()


def test_the_form_names_what_is_missing(client, judge):
    client.force_login(judge)
    response = client.post(reverse("api_tokens:create"), {"name": "", "expires_in_days": "400"})
    errors = response.context["form"].errors
    assert errors == {
        "name": ["Enter a name for the token"],
        "scopes": ["Select at least one thing the token may do"],
        "expires_in_days": ["Select a valid choice. 400 is not one of the available choices."],
    }
    assert ApiToken.objects.count() == 0


def test_revoking_a_token_refuses_it_at_once(client, judge):
    token, secret = create_token(judge)
    client.force_login(judge)
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert bearer(secret).get(reverse("api:me")).status_code == 401
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert "Revoked" in page and "Integration" in page


def test_another_person_s_token_answers_404(client, judge):
    other = make_user(email="other@example.org", roles=[SiteRole.JUDGE])
    token, _ = create_token(other)
    client.force_login(judge)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_the_list_shows_each_token_with_its_scopes_and_last_use(client, judge):
    create_token(judge, scopes=["awards:read"], name="Press desk")
    client.force_login(judge)
    rows = client.get(reverse("api_tokens:list")).context["rows"]
    assert [(r["token"].name, r["status"], r["token"].scope_labels) for r in rows] == [
        ("Press desk", "Active", ["Awards: nominations and results: read"])
    ]


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_costs_the_same_queries_for_one_token_or_several(client, judge, count, django_assert_num_queries):
    for number in range(count):
        create_token(judge, name=f"Token {number}")
    client.force_login(judge)
    client.get(reverse("api_tokens:list"))  # the session's first request writes its times
    with django_assert_num_queries(4):
        response = client.get(reverse("api_tokens:list"))
    assert len(response.context["rows"]) == count
