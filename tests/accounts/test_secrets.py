"""Secrets: production settings refuse weak keys, the image leaves secrets out, one-time links
are not kept after sending."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.enums import SiteRole
from notifications.models import OutboundEmail
from notifications.sending import BLANKED, send_outbound_email

from ..factories import make_user

pytestmark = pytest.mark.django_db


ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    "key", ["change-me-to-a-long-random-string-of-at-least-fifty-characters", "short-key", "a" * 60]
)
def test_production_settings_refuse_a_placeholder_or_short_key(key):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": key, "DEBUG": "false"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY is a placeholder or too short" in result.stderr


def test_the_image_leaves_secrets_out_and_only_the_proxy_is_published():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".env.*" in ignored and "!.env.example" in ignored
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"proxy"}
    assert "8000" in [str(port) for port in compose["services"]["web"]["expose"]]


def test_reset_and_verification_links_are_not_kept_after_sending(client):
    from django.core import mail

    make_user(email="forgetful@example.org")
    client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    email = OutboundEmail.objects.get(template="password_reset_key")
    link = re.search(r"https?://\S+/password/reset/key/\S+", email.text_body).group(0)
    assert email.holds_secret
    assert send_outbound_email(email.pk) is True
    assert link in mail.outbox[-1].body  # the person gets the link...
    email.refresh_from_db()
    assert (email.state, email.text_body, email.html_body) == ("sent", BLANKED, "")  # ...the table keeps none

    from judging import domain as judging

    admin = make_user(email="awards-admin@example.org", roles=[SiteRole.AWARDS_ADMIN])
    invitation = judging.invite_judge(admin, "new-judge@example.org")
    sent = OutboundEmail.objects.get(template="judge_invitation")
    send_outbound_email(sent.pk)
    sent.refresh_from_db()
    assert invitation.token in mail.outbox[-1].body and invitation.token not in sent.text_body + sent.html_body

    client.post(
        reverse("account_signup"),
        {
            "full_name": "Nia Newcomer",
            "email": "newcomer@example.org",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
    )
    confirmation = OutboundEmail.objects.get(to="newcomer@example.org")
    send_outbound_email(confirmation.pk)
    confirmation.refresh_from_db()
    assert confirmation.holds_secret and confirmation.text_body == BLANKED


def test_a_secret_email_is_never_sent_again_from_the_ledger():
    from notifications import domain

    staff = make_user(email="staff@example.org", is_staff=True)
    failed = OutboundEmail.objects.create(
        to="a@example.org", template="password_reset_key", subject="Reset", text_body=BLANKED, state="failed"
    )
    failed.holds_secret = True
    failed.save()
    with pytest.raises(domain.DomainError, match="ask the person to request a new one"):
        domain.resend(staff, failed)
