"""Sign-up asks for the person's name; every email greets them by it (or
"Hello", never their email address) and names the site."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.adapters import Site
from accounts.models import User
from notifications.mail import render_email

from ..conftest import link_in_last_email
from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SITE = "Social Care Awards and Leadership Academy"
EMAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "email"


def sign_up(client, run_on_commit, **fields):
    data = {"full_name": "Jo Bloggs", "email": "jo.manager@example.org", "password1": PASSWORD, "password2": PASSWORD}
    with run_on_commit():
        return client.post(reverse("account_signup"), {**data, **fields})


def test_sign_up_page_asks_for_full_name_first_in_plain_words(client):
    form = client.get(reverse("account_signup")).context["form"]
    assert list(form.fields)[:4] == ["full_name", "email", "password1", "password2"]
    assert [form.fields[name].label for name in ["full_name", "email", "password1", "password2"]] == [
        "Full name",
        "Email address",
        "Create a password",
        "Type the password again",
    ]
    assert form.fields["full_name"].required is True
    assert all("placeholder" not in field.widget.attrs for field in form.fields.values())


def test_sign_up_without_a_name_is_refused_and_creates_nothing(client, run_on_commit):
    response = sign_up(client, run_on_commit, full_name="   ")
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == ["Enter your full name"]
    assert response.context["form"].errors.get("email") is None
    assert User.objects.filter(email="jo.manager@example.org").exists() is False
    assert mail.outbox == []


def test_sign_up_stores_the_name_and_the_verification_email_greets_by_it(client, run_on_commit):
    response = sign_up(client, run_on_commit, full_name="  Jo   Bloggs ")
    assert response.status_code == 302
    assert User.objects.get(email="jo.manager@example.org").full_name == "Jo Bloggs"

    [message] = mail.outbox
    assert message.subject == f"Check your email address for the {SITE}"
    assert message.body.startswith("Dear Jo Bloggs,\n")
    assert f"create an account on the {SITE}." in message.body
    assert "jo.manager@" not in message.body.split("\n", 1)[0]
    assert "on ." not in message.body
    assert message.body.rstrip().splitlines()[-2] == SITE


def test_password_reset_email_names_the_site_and_greets_by_name(client, run_on_commit):
    make_user(email="forgetful@example.org", full_name="Sam Jones")
    with run_on_commit():
        client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    [message] = mail.outbox
    assert message.subject == f"Reset your password for the {SITE}"
    assert message.body.startswith("Dear Sam Jones,\n")
    assert f"your account on the {SITE}" in message.body
    assert link_in_last_email(r"http://\S+/accounts/password/reset/key/\S+/")


def test_an_account_without_a_name_is_greeted_hello_not_by_email(client, run_on_commit):
    make_user(email="nameless@example.org", full_name="")
    with run_on_commit():
        client.post(reverse("account_reset_password"), {"email": "nameless@example.org"})
    assert mail.outbox[0].body.startswith("Hello,\n")


@pytest.mark.parametrize(("full_name", "greeting"), [("Jo Bloggs", "Dear Jo Bloggs"), ("", "Hello"), ("   ", "Hello")])
def test_user_greeting(full_name, greeting):
    assert User(email="x@example.org", full_name=full_name).greeting == greeting


def test_site_is_named_from_settings_never_empty(settings):
    settings.SITE_NAME = "Care Awards"
    settings.SITE_URL = "https://awards.example.org"
    assert (Site().name, Site().domain) == ("Care Awards", "awards.example.org")
    settings.SITE_NAME = ""
    assert Site().name == SITE


def test_no_email_template_greets_by_email_address():
    """Greetings go through User.greeting, which falls back to "Hello"."""
    offenders = [
        path.name
        for path in EMAIL_TEMPLATES.iterdir()
        if "get_short_name" in path.read_text() or re.search(r"Dear \{\{ *\w+\.email", path.read_text())
    ]
    assert offenders == []


def test_every_text_email_names_the_site():
    missing = [path.name for path in EMAIL_TEMPLATES.glob("*_body.txt") if "{{ service_name }}" not in path.read_text()]
    assert missing == []


def test_a_queued_email_greets_by_name_and_signs_off_with_the_site(settings):
    from awards.models import Nomination

    person = User(email="jo@example.org", full_name="Jo Bloggs")
    nomination = Nomination(reference="SCA-00001", service_name="Rose House")
    subject, text, html = render_email("nomination_withdrawn", {"person": person, "nomination": nomination})
    assert text.startswith("Dear Jo Bloggs,\n")
    assert text.rstrip().endswith(SITE)
    assert "<p>Dear Jo Bloggs,</p>" in html and SITE in html

    nameless = User(email="jo@example.org", full_name="")
    _, text, html = render_email("nomination_withdrawn", {"person": nameless, "nomination": nomination})
    assert text.startswith("Hello,\n") and "jo@example.org" not in text


def test_allauth_email_base_renders_site_name_and_greeting():
    text = render_to_string(
        "account/email/password_reset_key_message.txt",
        {
            "greeting": "Dear Jo",
            "current_site": Site(),
            "service_name": SITE,
            "password_reset_url": "http://x/reset/",
            "site_url": "http://x",
        },
    )
    assert text.startswith("Dear Jo,\n")
    assert f"your account on the {SITE}." in text
