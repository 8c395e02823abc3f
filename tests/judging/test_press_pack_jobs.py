"""The press pack as a background job (judging.press_pack through
core.export_jobs): asked for with a button, built by a worker into private
storage, its owner emailed, downloaded through the permission check and the
disclosure policy (withheld once its results are withdrawn), every download
recorded, and the file deleted EXPORT_KEEP_DAYS later."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.enums import SiteRole
from accounts.models import AuditEvent
from awards.models import Nomination
from core import export_jobs
from core.enums import ExportState
from core.models import ExportJob
from judging import domain
from judging.exports import PRESS_PACK
from judging.models import PressPackDownload
from notifications.models import OutboundEmail
from notifications.registry import SWEEPS

from ..factories import make_user
from .test_judging_decisions import full_cycle_to_sign_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(world, admin, cycle):
    """A cycle whose results are approved, with one winner who agreed to publication."""
    winner = full_cycle_to_sign_off(world)
    Nomination.objects.filter(pk=winner.pk).update(consent_to_publish=True)
    domain.approve_results(admin, cycle, early_reason="The test cycle runs early")
    cycle.refresh_from_db()
    return winner


@pytest.fixture
def media(db):
    return make_user(email="media@example.org", roles=[SiteRole.MEDIA_PARTNER])


def ask(client, run_on_commit, cycle):
    """Presses the button; the worker builds the pack as the request commits (Celery is eager in tests)."""
    with run_on_commit():
        return client.post(reverse("judging:press_pack", args=[cycle.pk]))


def test_the_pack_is_built_in_the_background_and_its_owner_emailed(client, run_on_commit, media, cycle, approved):
    client.force_login(media)
    index = client.get(reverse("judging:press"))
    assert reverse("judging:press_pack", args=[cycle.pk]) in index.content.decode()
    assert client.get(reverse("judging:press_pack", args=[cycle.pk])).status_code == 405
    response = ask(client, run_on_commit, cycle)
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("core:export_job", args=[job.pk])
    assert (job.kind, job.owner, job.format, job.state, job.row_count) == (
        PRESS_PACK.code,
        media,
        "zip",
        ExportState.DONE,
        1,
    )
    assert (job.filename, job.file.name.startswith("exports/")) == (f"press-pack-{cycle.year}.zip", True)
    assert job.parameters == {"cycle": cycle.pk, "approved_at": cycle.results_approved_at.isoformat()}
    email = OutboundEmail.objects.get(template="export_ready")
    assert (email.to, email.subject) == (media.email, "Your press pack export is ready to download")
    assert "1 award, as ZIP" in email.text_body
    page = client.get(reverse("core:export_job", args=[job.pk])).content.decode()
    assert f"Download press-pack-{cycle.year}.zip" in page and "Awards</dt>" in page
    assert PressPackDownload.objects.count() == 0  # asking is not taking it

    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert (download["Content-Type"], download["Cache-Control"]) == ("application/zip", "private, no-store")
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        results = json.loads(archive.read("winners.json"))["results"]
    assert [(r["reference"], r["award"], r["service"]) for r in results] == [
        (approved.reference, "Winner", approved.service_name)
    ]
    assert list(PressPackDownload.objects.values_list("user", "cycle")) == [(media.pk, cycle.pk)]
    assert AuditEvent.objects.filter(action="press_pack.downloaded").count() == 1
    assert AuditEvent.objects.filter(action="core.export_queued").count() == 1


def test_only_its_owner_sees_the_job_and_takes_the_file(client, run_on_commit, media, admin, cycle, approved):
    client.force_login(media)
    ask(client, run_on_commit, cycle)
    job = ExportJob.objects.get()
    other_media = make_user(email="other-media@example.org", roles=[SiteRole.MEDIA_PARTNER])
    for person in (other_media, admin):
        client.force_login(person)
        assert client.get(reverse("core:export_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404
    assert PressPackDownload.objects.count() == 0


def test_a_pack_whose_results_were_withdrawn_is_withheld(client, run_on_commit, media, admin, cycle, approved):
    """The disclosure policy at each download: the results the pack holds must
    still be approved, as they were when it was built."""
    client.force_login(media)
    ask(client, run_on_commit, cycle)
    job = ExportJob.objects.get()
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 200
    domain.withdraw_results(admin, cycle, reason="A score was entered wrongly")
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404
    page = client.get(reverse("core:export_job", args=[job.pk])).content.decode()
    assert "have been withdrawn, so it can no longer be downloaded" in page
    assert f"Download press-pack-{cycle.year}.zip" not in page
    assert PressPackDownload.objects.count() == 1
    assert OutboundEmail.objects.filter(template="press_pack_withdrawn", to=media.email).count() == 1
    # No new pack until the results are approved again.
    assert client.post(reverse("judging:press_pack", args=[cycle.pk])).status_code == 404


def test_a_pack_withdrawn_before_the_worker_ran_fails_without_email(client, media, admin, cycle, approved):
    job = domain.request_press_pack(media, cycle)
    domain.withdraw_results(admin, cycle, reason="A score was entered wrongly")
    assert export_jobs.run(job.pk) is False
    job.refresh_from_db()
    assert (job.state, job.file.name) == (ExportState.FAILED, "")
    assert not OutboundEmail.objects.filter(template="export_ready").exists()


def test_the_daily_sweep_deletes_old_press_packs(client, run_on_commit, media, cycle, approved):
    client.force_login(media)
    ask(client, run_on_commit, cycle)
    job = ExportJob.objects.get()
    storage, name = job.file.storage, job.file.name
    sweep = SWEEPS["exports-expire-judging"]
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert sweep.run() == 0
    assert storage.exists(name)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert sweep.run() == 1
    job.refresh_from_db()
    assert (job.state, job.file.name, storage.exists(name)) == (ExportState.EXPIRED, "", False)
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_the_index_lists_ones_own_packs_in_the_same_queries(client, media, cycle, approved, django_assert_num_queries):
    client.force_login(media)
    url = reverse("judging:press")
    client.get(url)  # the session and permissions are loaded once
    domain.request_press_pack(media, cycle)
    with django_assert_num_queries(count_queries(client, url)) as one:
        client.get(url)
    for _ in range(3):
        domain.request_press_pack(media, cycle)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count(f"press-pack-{cycle.year}.zip") == 4


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)
