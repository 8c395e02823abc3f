"""Contact details from settings in the footer and error pages; the footer's
check links; "Error: " once in a page title; a 403 that names no role."""

import re

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from pages.views import permission_denied, server_error

pytestmark = pytest.mark.django_db


def footer(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", html[html.index('<footer class="govuk-footer">') : html.index("</footer>")])


def title(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r"<title>(.*?)</title>", html, re.S).group(1)).strip()


def test_footer_shows_contact_details_from_settings(client, settings):
    settings.AWARDS_CONTACT_EMAIL = "team@awards.example.org"
    settings.AWARDS_CONTACT_PHONE = "0300 000 1111"
    settings.ACADEMY_CONTACT_EMAIL = "academy@awards.example.org"
    text = footer(client.get(reverse("home")))
    assert 'href="mailto:team@awards.example.org"' in text
    assert 'href="tel:03000001111">0300 000 1111</a>' in text
    assert 'href="mailto:academy@awards.example.org"' in text


def test_footer_leaves_out_contact_details_not_set(client, settings):
    settings.AWARDS_CONTACT_EMAIL = ""
    settings.AWARDS_CONTACT_PHONE = ""
    settings.ACADEMY_CONTACT_EMAIL = "academy@awards.example.org"
    text = footer(client.get(reverse("home")))
    assert "Awards team" not in text
    assert "Leadership academy:" in text


def test_footer_links_to_the_accreditation_number_check(client):
    text = footer(client.get(reverse("home")))
    assert f'href="{reverse("accreditation:verify")}">Check an accreditation number</a>' in text


def test_403_names_no_role_and_says_what_to_do(client, provider, settings):
    settings.AWARDS_CONTACT_EMAIL = "team@awards.example.org"
    client.force_login(provider)
    response = client.get(reverse("accounts:role_list"))
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert response.status_code == 403
    assert "judge" not in main.lower() and "administrator" not in main.lower()
    assert f"You are signed in as {provider.email}" in main
    assert f'href="{reverse("accounts:dashboard")}"' in main
    assert "mailto:team@awards.example.org" in main


def test_403_gives_the_reason_when_there_is_one(rf, provider):
    request = rf.get("/somewhere/")
    request.user = provider
    request.session = {}
    response = permission_denied(request, PermissionDenied("Only the panel chair can sign off the results."))
    assert "Only the panel chair can sign off the results." in response.content.decode()
    assert '<p class="govuk-body"></p>' not in permission_denied(request, PermissionDenied()).content.decode()


def test_500_shows_contact_details_without_the_database(settings):
    settings.AWARDS_CONTACT_EMAIL = "team@awards.example.org"
    assert "mailto:team@awards.example.org" in server_error(None).content.decode()


class NameForm(forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize(
    ("title_block", "expected"),
    [
        ("Create an organisation", "Error: Create an organisation"),
        # A page that prefixes its own title (several forms) is not prefixed twice.
        ("{% if form.errors %}Error: {% endif %}Score SCA-00001", "Error: Score SCA-00001"),
    ],
)
def test_error_prefix_appears_once(title_block, expected):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    form = NameForm(data={})
    assert form.is_valid() is False
    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block title %}' + title_block + "{% endblock %}"
    )
    html = template.render({"form": form}, request)
    assert title(html) == f"{expected} – Social Care Awards and Leadership Academy"

    html = template.render({"form": NameForm()}, request)
    assert title(html).startswith("Error:") is False


def test_organisation_form_errors_give_one_prefix(client, provider):
    client.force_login(provider)
    response = client.post(reverse("accounts:organisation_create"), {"name": ""})
    assert title(response.content.decode()).startswith("Error: ")
    assert "Error: Error:" not in response.content.decode()
