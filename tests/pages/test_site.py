"""The page shell, help pages, error pages, health check and production settings."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.enums import SiteRole

from ..factories import make_user

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db


def test_home_explains_the_service_for_each_user(client):
    html = client.get(reverse("home")).content.decode()
    for heading in [
        "If you work for a care provider",
        "If you are a judge",
        "If you provide leadership courses",
        "If you are a leader in social care",
        "If you work for the awards or the Skills Academy",
    ]:
        assert heading in html
    assert 'class="govuk-skip-link"' in html
    assert "govuk-phase-banner" in html
    assert reverse("accessibility") in html and reverse("privacy") in html


def test_no_gov_uk_crown_logotype_or_font(client):
    html = client.get(reverse("home")).content.decode()
    assert "govuk-header__logotype" not in html
    assert "GOV.UK" not in html
    css = (ROOT / "static_build/css/application.css").read_text()
    assert "GDS Transport" not in css
    assert "font-family:arial" in css.replace(" ", "")


@pytest.mark.parametrize("name", ["accessibility", "privacy", "cookies"])
def test_help_pages(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "<h1" in response.content.decode()


def test_navigation_depends_on_role(client, provider, site_staff):
    anonymous = [item["text"] for item in client.get(reverse("home")).context["navigation"]]
    assert anonymous == ["Home", "Winners", "Courses"]
    client.force_login(provider)
    assert [i["text"] for i in client.get(reverse("home")).context["navigation"]] == [
        "Home",
        "Winners",
        "Courses",
        "Your account",
        "Organisations",
        "Your portfolio",
        "Nominations",
    ]
    client.force_login(site_staff)
    assert [i["text"] for i in client.get(reverse("home")).context["navigation"]] == [
        "Home",
        "Winners",
        "Courses",
        "Your account",
        "Organisations",
        "Your portfolio",
        "Site roles",
        "Audit log",
        "Reminders",
    ]


def test_awards_administrator_sees_manage_awards(client, awards_admin):
    client.force_login(awards_admin)
    nav = [i["text"] for i in client.get(reverse("home")).context["navigation"]]
    assert nav == [
        "Home",
        "Winners",
        "Courses",
        "Your account",
        "Organisations",
        "Your portfolio",
        "Manage awards",
        "Manage judging",
        "Press",
        "Audit log",
        "Reminders",
    ]


def test_navigation_marks_the_current_page(client, provider):
    client.force_login(provider)
    nav = client.get(reverse("accounts:organisation_list")).context["navigation"]
    assert [i["text"] for i in nav if i["active"]] == ["Organisations"]


def test_custom_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_custom_403(client, provider):
    client.force_login(provider)
    response = client.get(reverse("accounts:role_list"))
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


def test_custom_500_renders_without_a_request_context():
    from pages.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_security_headers(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_health_tells_anyone_only_whether_the_service_is_up(client, settings, tmp_path):
    storage = tmp_path / "private-media"
    response = client.get(reverse("health"))
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    # An anonymous call writes nothing to storage.
    assert not (storage / "health").exists() or list((storage / "health").iterdir()) == []


def test_health_names_the_failing_dependency_to_monitoring_and_staff_only(client, settings, monkeypatch):
    from pages import views

    def broken():
        raise OSError("disk gone")

    monkeypatch.setattr(views, "_check_storage", broken)
    monkeypatch.setattr(views, "_check_storage_round_trip", broken)
    monkeypatch.setitem(views.HEALTH_CHECKS, "storage", broken)
    settings.HEALTH_TOKEN = "monitor-token-123"
    anonymous = client.get(reverse("health"))
    assert (anonymous.status_code, anonymous.json()) == (503, {"status": "failing"})
    wrong = client.get(reverse("health"), headers={"X-Health-Token": "guess"})
    assert wrong.json() == {"status": "failing"}
    monitored = client.get(reverse("health"), headers={"X-Health-Token": "monitor-token-123"})
    assert monitored.status_code == 503
    assert monitored.json() == {
        "status": "failing",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok", "storage": "failing"},
    }
    client.force_login(make_user(email="site-staff@example.org", is_staff=True))
    assert client.get(reverse("health")).json()["checks"]["storage"] == "failing"


def test_health_for_monitoring_writes_and_reads_storage(client, settings):
    settings.HEALTH_TOKEN = "monitor-token-123"
    response = client.get(reverse("health"), headers={"X-Health-Token": "monitor-token-123"})
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok", "storage": "ok"},
    }


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "SECRET_KEY": "x8#2kq!v0m$z7pL1r9wT3nB5yH6cJ4dF0gK2sA8eQ1uI7oP3lZ9xC5vN",
    "ALLOWED_HOSTS": "awards.example.org",
    "DEBUG": "false",
    "DATABASE_URL": "postgres://care:secret@127.0.0.1:5432/care",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "AWS_STORAGE_BUCKET_NAME": "care-private",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "EMAIL_URL": "smtp+tls://user:pass@smtp.example.org:587",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "BEHIND_PROXY": "true",
}


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "AWS_"))}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="Debian's docker-compose is not installed")
def test_compose_file_validates(tmp_path):
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        ["docker-compose", "config", "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    services = subprocess.run(
        ["docker-compose", "config", "--services"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    ).stdout.split()
    assert set(services) >= {"proxy", "postgres", "redis", "minio", "minio-bucket", "web", "worker", "beat"}


def test_compose_runs_what_the_settings_expect():
    compose = (ROOT / "docker-compose.yml").read_text()
    example = (ROOT / ".env.example").read_text()
    assert 'celery", "-A", "config", "worker"' in compose
    assert 'celery", "-A", "config", "beat"' in compose
    assert 'gunicorn", "config.wsgi", "--config", "gunicorn.conf.py"' in compose
    for variable in PRODUCTION_ENV:
        if variable not in ("DJANGO_SETTINGS_MODULE", "DEBUG"):
            assert f"{variable}=" in example, variable


@override_settings(DEBUG=False)
def test_admin_requires_mfa_for_staff(client):
    staff = make_user(email="nomfa-staff@example.org", is_staff=True, is_superuser=True, mfa=False)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_judge_with_mfa_reaches_account(client):
    judge = make_user(email="j@example.org", roles=[SiteRole.JUDGE])
    client.force_login(judge)
    assert client.get(reverse("accounts:dashboard")).status_code == 200
