"""Every course import runs as a Celery job reading its file from storage:
progress as counts (rows checked, then rows saved), and a clear page when it
fails because of the service or stops (no worker finished it)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from courses import importer
from courses.enums import ImportState
from courses.models import Course, ImportJob

from ..factories import make_course_provider
from .helpers import csv_file, row

pytestmark = pytest.mark.django_db


def status(client, job):
    return client.get(reverse("courses:import_job", args=[job.pk]), {"format": "json"}).json()


def test_an_upload_is_stored_and_imported_by_the_worker_with_saved_counts(
    client, academy_staff, run_on_commit, monkeypatch
):
    make_course_provider("Leadership Learning Partnership")
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 2)
    saved = []
    monkeypatch.setattr(importer, "cache", type("Spy", (), {"set": lambda self, key, n, timeout: saved.append(n)})())
    client.force_login(academy_staff)
    with run_on_commit():
        client.post(reverse("courses:import"), {"file": csv_file([row(f"A-{n}") for n in range(5)])})
    job = ImportJob.objects.get()
    assert job.file.name.startswith("imports/") and job.file.storage.exists(job.file.name)
    assert (job.state, job.total_rows, job.processed_rows, job.created_count) == ("done", 5, 5, 5)
    assert saved == [2, 4]
    assert Course.objects.count() == 5


def test_while_saving_the_page_counts_the_rows_saved(client, academy_staff):
    client.force_login(academy_staff)
    job = ImportJob.objects.create(
        original_name="x.csv", uploaded_by=academy_staff, total_rows=400, processed_rows=400, state="writing"
    )
    cache.set(f"courses-import-{job.pk}-saved", 200)
    assert status(client, job) == {
        "state": "writing",
        "label": "Saving courses",
        "percent": 50,
        "processed": 200,
        "total": 400,
        "finished": False,
    }
    page = client.get(reverse("courses:import_job", args=[job.pk])).content.decode()
    assert '<span id="import-count">200 of 400</span>' in page


def queued_ago(job, age):
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - age)
    job.refresh_from_db()


@pytest.mark.parametrize("state", [ImportState.QUEUED, ImportState.VALIDATING, ImportState.WRITING])
def test_an_import_no_worker_finished_has_stopped_and_does_not_start_late(client, academy_staff, state):
    client.force_login(academy_staff)
    job = ImportJob.objects.create(original_name="x.csv", uploaded_by=academy_staff, state=state, total_rows=10)
    queued_ago(job, importer.STALE_AFTER - timedelta(minutes=1))
    assert status(client, job)["finished"] is False
    queued_ago(job, importer.STALE_AFTER + timedelta(minutes=1))
    assert status(client, job) == {
        "state": state,
        "label": "Stopped before it finished",
        "percent": 0,
        "processed": 0,
        "total": 10,
        "finished": True,
    }
    page = client.get(reverse("courses:import_job", args=[job.pk])).content.decode()
    assert "The import stopped before it finished" in page
    assert f'href="{reverse("courses:import")}">Upload the file again</a>' in page
    assert "Correct it in the file" not in page
    importer.run(job.pk)  # the task arriving late
    job.refresh_from_db()
    assert job.state == state


def test_a_failure_to_save_says_it_is_the_service_not_the_file(client, academy_staff):
    client.force_login(academy_staff)
    job = ImportJob.objects.create(
        original_name="x.csv",
        uploaded_by=academy_staff,
        state="failed",
        errors=[{"row": 0, "column": "", "message": importer.SAVE_FAILED}],
        error_count=1,
    )
    page = client.get(reverse("courses:import_job", args=[job.pk])).content.decode()
    assert "could not be saved because of a problem with the service, not with your file" in page
    assert "Correct it in the file" not in page
    assert status(client, job)["finished"] is True


def test_problems_in_the_file_still_list_each_problem(client, academy_staff, run_on_commit):
    make_course_provider("Leadership Learning Partnership")
    client.force_login(academy_staff)
    with run_on_commit():
        client.post(reverse("courses:import"), {"file": csv_file([row("A-1", cost="lots")])})
    job = ImportJob.objects.get()
    assert (job.state, importer.failure(job)) == ("failed", "file")
    page = client.get(reverse("courses:import_job", args=[job.pk])).content.decode()
    assert "Correct it in the file and upload it again" in page and "Must be a number" in page
    assert "problem with the service" not in page


def test_a_providers_import_offers_its_own_upload_page_again(client):
    provider, organisation = make_course_provider("Leadership Learning Partnership")
    client.force_login(provider)
    job = ImportJob.objects.create(original_name="x.csv", uploaded_by=provider, organisation=organisation)
    queued_ago(job, importer.STALE_AFTER + timedelta(minutes=1))
    page = client.get(reverse("courses:import_job", args=[job.pk])).content.decode()
    assert f'href="{reverse("courses:provider_import")}">Upload the file again</a>' in page


def test_a_broker_that_is_down_does_not_break_the_upload(client, academy_staff, monkeypatch, run_on_commit):
    from courses import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_import, "delay", broker_down)
    client.force_login(academy_staff)
    with run_on_commit():
        response = client.post(reverse("courses:import"), {"file": csv_file([row("A-1")])})
    job = ImportJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("courses:import_job", args=[job.pk]))
    assert (job.state, Course.objects.count()) == (ImportState.QUEUED, 0)
