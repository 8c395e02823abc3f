"""Background exports (core.export_jobs): a staff export above
EXPORT_BACKGROUND_ROWS rows is built by a worker into private storage, the
owner follows its page, gets one email, downloads it while they still hold
the role, and the daily sweep deletes it after EXPORT_KEEP_DAYS."""

import io
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts import domain as accounts
from accounts.enums import SiteRole
from accounts.models import RoleGrant
from awards import domain
from awards.exports import NOMINATIONS
from core import export_jobs
from core.enums import ExportState
from core.models import ExportJob
from notifications.models import OutboundEmail
from notifications.registry import SWEEPS

from ..factories import make_category, make_cycle, make_nomination, make_provider, make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/London"))
URL = "awards:manage_nominations"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def entries(db):
    """Three submitted nominations in two categories."""
    cycle = make_cycle()
    home, innovation = make_category(cycle, "Home Care"), make_category(cycle, "Innovation")
    submitted = []
    for n, category in enumerate([home, home, innovation]):
        user, organisation = make_provider(f"Provider {n}")
        submitted.append(domain.submit_nomination(user, make_nomination(category, organisation, user)))
    return {"home": home, "innovation": innovation, "nominations": submitted}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def ask(client, run_on_commit, **params):
    """Asks for the export; the job (if any) runs as the request commits (Celery is eager in tests)."""
    with run_on_commit():
        return client.get(reverse(URL), params)


def test_a_small_export_is_sent_at_once(client, awards_admin, entries, run_on_commit):
    client.force_login(awards_admin)
    response = ask(client, run_on_commit, export="csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="nominations-2026-12-03.csv"'
    assert body(response).decode("utf-8-sig").count("\r\n") == 4  # the header and three rows
    assert ExportJob.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_export_is_built_in_the_background_with_the_same_content(
    client, awards_admin, entries, run_on_commit, settings, fmt
):
    client.force_login(awards_admin)
    home = entries["home"].pk
    immediate = body(ask(client, run_on_commit, export=fmt, category=home))
    settings.EXPORT_BACKGROUND_ROWS = 1
    response = ask(client, run_on_commit, export=fmt, category=home)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:export_job", args=[job.pk])
    assert (job.owner, job.kind, job.parameters, job.format) == (
        awards_admin,
        "awards.nominations",
        {"category": home},
        fmt,
    )
    assert (job.state, job.row_count, job.filename) == (ExportState.DONE, 2, f"nominations-2026-12-03.{fmt}")
    assert job.file.name.startswith("exports/")
    assert (job.finished_at, job.expires_at) == (NOW, NOW + timedelta(days=7))
    with job.file.open("rb") as handle:
        stored = handle.read()
    if fmt == "csv":
        assert stored == immediate
    else:
        assert list(load_workbook(io.BytesIO(stored)).active.values) == list(
            load_workbook(io.BytesIO(immediate)).active.values
        )
    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert body(download) == stored
    assert download["Content-Disposition"].startswith(f'attachment; filename="nominations-2026-12-03.{fmt}"')


def test_the_owner_gets_one_email_and_a_second_run_does_nothing(client, awards_admin, entries, run_on_commit, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client.force_login(awards_admin)
    ask(client, run_on_commit, export="csv")
    job = ExportJob.objects.get()
    emails = OutboundEmail.objects.filter(template="export_ready")
    assert [(e.to, e.subject) for e in emails] == [
        ("awards-admin@example.org", "Your nominations export is ready to download")
    ]
    page = reverse("core:export_job", args=[job.pk])
    assert f"http://testserver{page}" in emails[0].text_body
    assert "3 rows, as CSV" in emails[0].text_body
    file_name = job.file.name
    # The task delivered again (a worker lost after finishing): the claim refuses it.
    with run_on_commit():
        assert export_jobs.run(job.pk) is False
    job.refresh_from_db()
    assert (job.state, job.file.name, emails.count()) == (ExportState.DONE, file_name, 1)


def test_the_page_shows_the_state_to_its_owner_only(client, awards_admin, entries, run_on_commit, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    queued = ExportJob.objects.create(owner=awards_admin, kind=NOMINATIONS.code, format="csv", filename="n.csv")
    client.force_login(awards_admin)
    page = client.get(reverse("core:export_job", args=[queued.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<dd class="govuk-summary-list__value" id="export-state">Waiting to start</dd>' in html
    assert f'href="{reverse("core:export_job", args=[queued.pk])}">check again</a>' in html
    assert "export-download" not in html
    ask(client, run_on_commit, export="csv")
    done = ExportJob.objects.exclude(pk=queued.pk).get()
    html = client.get(reverse("core:export_job", args=[done.pk])).content.decode()
    assert 'id="export-state">Ready to download</dd>' in html
    assert f'href="{reverse("core:export_download", args=[done.pk])}" download>' in html

    other_admin = make_user(email="other-admin@example.org", roles=[SiteRole.AWARDS_ADMIN])
    client.force_login(other_admin)
    assert client.get(reverse("core:export_job", args=[done.pk])).status_code == 404
    assert client.get(reverse("core:export_download", args=[done.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("core:export_job", args=[done.pk])).status_code == 302


def test_the_download_is_refused_once_the_owner_loses_the_role(
    client, awards_admin, site_staff, entries, run_on_commit, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client.force_login(awards_admin)
    ask(client, run_on_commit, export="csv")
    job = ExportJob.objects.get()
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 200
    accounts.revoke_role(site_staff, RoleGrant.objects.get(user=awards_admin, role=SiteRole.AWARDS_ADMIN))
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 403
    html = client.get(reverse("core:export_job", args=[job.pk])).content.decode()
    assert "You no longer have the role this export needs" in html
    assert "export-download" not in html


def test_a_job_whose_owner_lost_the_role_before_it_ran_fails_without_email(awards_admin, site_staff, entries):
    job = ExportJob.objects.create(owner=awards_admin, kind=NOMINATIONS.code, format="csv", filename="n.csv")
    accounts.revoke_role(site_staff, RoleGrant.objects.get(user=awards_admin, role=SiteRole.AWARDS_ADMIN))
    assert export_jobs.run(job.pk) is False
    job.refresh_from_db()
    assert (job.state, job.file.name) == (ExportState.FAILED, "")
    assert OutboundEmail.objects.filter(template="export_ready").count() == 0


def test_a_failure_while_building_fails_the_job(awards_admin, entries, monkeypatch):
    job = ExportJob.objects.create(owner=awards_admin, kind=NOMINATIONS.code, format="xlsx", filename="n.xlsx")

    def broken(params):
        raise RuntimeError("database went away")

    monkeypatch.setitem(export_jobs.KINDS, NOMINATIONS.code, replace(NOMINATIONS, rows=broken))
    assert export_jobs.run(job.pk) is False
    job.refresh_from_db()
    assert (job.state, job.finished_at, job.file.name) == (ExportState.FAILED, NOW, "")


def test_the_daily_sweep_deletes_expired_files_and_fails_stale_jobs(
    client, awards_admin, entries, run_on_commit, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client.force_login(awards_admin)
    ask(client, run_on_commit, export="csv")
    job = ExportJob.objects.get()
    storage, name = job.file.storage, job.file.name
    stale = ExportJob.objects.create(owner=awards_admin, kind=NOMINATIONS.code, format="csv", filename="n.csv")
    sweep = SWEEPS["exports-expire-awards"]
    with time_machine.travel(NOW + timedelta(days=6), tick=False):
        assert sweep.run() == 0
    stale.refresh_from_db()
    assert stale.state == ExportState.FAILED and storage.exists(name)
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        assert sweep.run() == 1
        assert sweep.run() == 0
    job.refresh_from_db()
    assert (job.state, job.file.name, storage.exists(name)) == (ExportState.EXPIRED, "", False)
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404
    assert "The file was deleted at" in client.get(reverse("core:export_job", args=[job.pk])).content.decode()
    with time_machine.travel(NOW + timedelta(days=13), tick=False):
        assert sweep.run() == 1  # the stale job's record expires in its turn
    stale.refresh_from_db()
    assert stale.state == ExportState.EXPIRED


def test_the_page_makes_the_same_queries_whatever_the_state(
    client, awards_admin, entries, run_on_commit, settings, django_assert_num_queries
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client.force_login(awards_admin)
    queued = ExportJob.objects.create(owner=awards_admin, kind=NOMINATIONS.code, format="csv", filename="n.csv")
    ask(client, run_on_commit, export="csv")
    done = ExportJob.objects.exclude(pk=queued.pk).get()
    client.get(reverse("core:export_job", args=[queued.pk]))  # the session's first read is done
    for job in (queued, done):
        with django_assert_num_queries(4):
            assert client.get(reverse("core:export_job", args=[job.pk])).status_code == 200
