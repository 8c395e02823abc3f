"""Faults injected in the middle of the service's multi-step writes, and in
the services it depends on: nothing is left half-written, the person gets a
clear message, and a cache outage never holds up a page."""

from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from accounts.enums import SiteRole
from accounts.models import AuditEvent
from accreditation import domain as accreditation
from accreditation.models import Accreditation, Period
from awards.models import Cycle, EvidenceFile
from core.uploads import STORAGE_UNAVAILABLE, UploadRefused, store_upload
from courses import importer
from courses.enums import ImportState
from courses.models import Course, ImportJob
from notifications.models import OutboundEmail

from ..accreditation.test_accreditation import answer_all, assess_all
from ..courses.helpers import csv_file, row
from ..factories import (
    MINIMAL_PDF,
    make_category,
    make_course,
    make_course_provider,
    make_cycle,
    make_nomination,
    make_provider,
    make_user,
)

pytestmark = pytest.mark.django_db

DISK_FULL = OSError(28, "No space left on device")


@pytest.fixture
def draft(db):
    user, organisation = make_provider("Riverside Care")
    return user, make_nomination(make_category(make_cycle()), organisation, user)


def test_database_error_during_submission_leaves_the_draft_untouched(client, draft):
    user, nomination = draft
    counter_before = Cycle.objects.get(pk=nomination.cycle_id).reference_counter
    client.force_login(user)
    client.raise_request_exception = False
    # The reference is taken, the state changed and audited; then the database
    # fails while the confirmation email is being queued.
    with mock.patch("awards.domain.submission.queue_email", side_effect=DatabaseError("connection lost")):
        response = client.post(reverse("awards:check_answers", args=[nomination.pk]))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    nomination.refresh_from_db()
    assert (nomination.state, nomination.reference, nomination.submitted_at) == ("draft", "", None)
    assert Cycle.objects.get(pk=nomination.cycle_id).reference_counter == counter_before
    assert not AuditEvent.objects.filter(action="nomination.submitted").exists()
    assert OutboundEmail.objects.count() == 0
    assert nomination.answers.get().text == "Because people come first."
    # Once the database is back, the same draft submits normally.
    response = client.post(reverse("awards:check_answers", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert (response.status_code, nomination.state) == (302, "submitted")


def test_database_error_during_an_accreditation_decision_records_nothing():
    provider_user, provider = make_course_provider()
    assessor = make_user(email="assessor@academy.example", roles=[SiteRole.ACADEMY_STAFF])
    application = accreditation.start_application(provider_user, make_course(provider))
    answer_all(provider_user, application)
    accreditation.submit_application(provider_user, application)
    accreditation.assign_assessor(assessor, application, assessor)
    assess_all(assessor, application)
    emails_before = OutboundEmail.objects.count()
    # The accreditation, its period and the audit row are written, the course
    # synced and the letter made; then the database fails queuing the letter.
    with (
        mock.patch("accreditation.domain._email_provider", side_effect=DatabaseError("connection lost")),
        pytest.raises(DatabaseError),
    ):
        accreditation.decide(assessor, application, decision="accredited")
    application.refresh_from_db()
    assert application.state == "submitted"
    assert Accreditation.objects.count() == 0 and Period.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="application.decided").exists()
    assert Course.objects.get(pk=application.course_id).accredited_from is None
    assert OutboundEmail.objects.count() == emails_before


def test_database_error_during_an_import_writes_no_rows(academy_staff):
    make_course_provider("Leadership Learning Partnership")
    upload = csv_file([row("LLP-1"), row("LLP-2"), row("LLP-3")])
    job = ImportJob(original_name="courses.csv", uploaded_by=academy_staff)
    job.file.save("imports/faults.csv", upload, save=False)
    job.save()
    # Every course row is saved; the search index update after them fails.
    with (
        mock.patch("courses.importer.refresh_search_document", side_effect=DatabaseError("disk I/O error")),
        pytest.raises(DatabaseError),  # the task fails, so the worker logs and reports it
    ):
        importer.run(job.pk)
    job.refresh_from_db()
    assert Course.objects.count() == 0
    assert job.state == ImportState.FAILED
    assert job.errors == [{"row": 0, "column": "", "message": importer.SAVE_FAILED}]
    assert not AuditEvent.objects.filter(action="courses.imported").exists()


def test_storage_error_during_upload_gives_a_clear_message_and_keeps_the_draft(client, draft):
    user, nomination = draft
    files_before = EvidenceFile.objects.filter(nomination=nomination).count()
    client.force_login(user)
    with mock.patch.object(FileSystemStorage, "_save", side_effect=DISK_FULL):
        response = client.post(
            reverse("awards:evidence", args=[nomination.pk]),
            {"file": SimpleUploadedFile("inspection.pdf", MINIMAL_PDF), "description": "Inspection report"},
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "file storage is not responding" in page
    assert EvidenceFile.objects.filter(nomination=nomination).count() == files_before
    nomination.refresh_from_db()
    assert nomination.state == "draft" and nomination.answers.get().text == "Because people come first."
    assert not AuditEvent.objects.filter(action="evidence.added", after__file="inspection.pdf").exists()


def test_storage_error_on_s3_is_the_same_clear_refusal():
    from botocore.exceptions import EndpointConnectionError

    field_file = mock.Mock()
    field_file.save.side_effect = EndpointConnectionError(endpoint_url="https://s3.example")
    with pytest.raises(UploadRefused) as refusal:
        store_upload(field_file, "evidence/x.pdf", SimpleUploadedFile("x.pdf", MINIMAL_PDF))
    assert str(refusal.value) == STORAGE_UNAVAILABLE


def test_storage_error_during_import_upload_keeps_the_form(client, academy_staff):
    client.force_login(academy_staff)
    with mock.patch.object(FileSystemStorage, "_save", side_effect=DISK_FULL):
        response = client.post(reverse("courses:import"), {"file": csv_file([row("LLP-1")])})
    assert response.status_code == 200
    assert "file storage is not responding" in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.fixture
def redis_down(settings):
    """The cache pointed at a port where nothing listens."""
    settings.CACHES = {
        "default": {"BACKEND": "core.caching.ForgivingRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
        "fallback": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_fallback"},
    }
    # Django's test signals replace the cache connections when CACHES changes.


def test_redis_down_never_blocks_a_page_or_a_sign_in(client, redis_down, settings):
    from ..conftest import sign_in

    # A cached public page is served fresh.
    assert client.get(reverse("courses:register")).status_code == 200
    assert client.get(reverse("winners:index")).status_code == 200
    # Signing in with a one-time code uses the cache for rate limits and
    # replay marks; both carry on without it.
    judge = make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    sign_in(client, judge)
    assert client.get(reverse("judging:home")).status_code == 200
    # The health check names the cache as the failing part (to monitoring).
    settings.HEALTH_TOKEN = "monitor"
    health = client.get(reverse("health"), headers={"X-Health-Token": "monitor"})
    assert health.status_code == 503 and health.json()["checks"]["cache"] == "failing"


def test_nul_in_the_address_is_a_bad_request_not_a_crash(client):
    response = client.get(reverse("courses:register"), {"q": "care\x00"})
    assert response.status_code == 400
    assert "problem with the web address" in response.content.decode()
    # A repeated name hides all but its last value from request.GET.get().
    assert client.get(reverse("courses:register") + "?level=care%00&level=leaders").status_code == 400
    assert client.get(reverse("courses:register"), {"q": "care"}).status_code == 200
