"""The CSV import of courses: all rows or none, clear refusals, the template round trip, progress."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses import importer
from courses.models import Course, ImportJob

from ..factories import make_course_provider
from .helpers import csv_file, row

pytestmark = pytest.mark.django_db


def upload(client, file):
    response = client.post(reverse("courses:import"), {"file": file}, follow=True)
    return response, ImportJob.objects.order_by("-pk").first()


def test_import_writes_all_rows_and_reimport_updates(client, academy_staff, run_on_commit):
    make_course_provider("Leadership Learning Partnership")
    client.force_login(academy_staff)
    with run_on_commit():
        response, job = upload(client, csv_file([row("A-1"), row("A-2", "Coaching for team leaders")]))
    job.refresh_from_db()
    assert (job.state, job.created_count, job.updated_count) == ("done", 2, 0)
    course = Course.objects.get(external_id="A-1")
    assert (course.cost, course.sectors, course.state) == (Decimal("1200.00"), ["public", "private"], "listed")
    assert sorted(course.levels.values_list("slug", flat=True)) == ["practice-leaders", "service-leaders"]
    with run_on_commit():
        upload(client, csv_file([row("A-1", "Leading care (2027 edition)"), row("A-2", "Coaching for team leaders")]))
    job = ImportJob.objects.order_by("-pk").first()
    assert (job.state, job.created_count, job.updated_count) == ("done", 0, 2)
    assert Course.objects.count() == 2
    assert Course.objects.get(external_id="A-1").title == "Leading care (2027 edition)"


def test_one_bad_row_writes_nothing_and_reports_row_and_column(client, academy_staff, run_on_commit):
    make_course_provider("Leadership Learning Partnership")
    client.force_login(academy_staff)
    rows = [row("B-1"), row("B-2", cost="lots", levels="wizards"), row("B-3", delivery_mode="by post"), row("B-1")]
    with run_on_commit():
        response, job = upload(client, csv_file(rows))
    job.refresh_from_db()
    assert job.state == "failed"
    assert Course.objects.count() == 0
    problems = {(e["row"], e["column"]) for e in job.errors}
    assert problems == {(3, "cost"), (3, "levels"), (4, "delivery_mode"), (5, "external_id")}
    page = client.get(reverse("courses:import_job", args=[job.pk])).content.decode()
    assert "Nothing was imported" in page
    assert "Must be a number" in page and "Also used on row 2" in page


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("courses.csv", b"\x50\x4b\x03\x04\x00\x00binary"), "must be a CSV file"),
        (SimpleUploadedFile("courses.csv", b"title,cost\nA,1\n"), "The first row must be the template"),
        (SimpleUploadedFile("courses.csv", "external_id".encode("utf-16")), "The file must be"),
    ],
)
def test_files_that_are_not_the_template_csv_are_refused(client, academy_staff, run_on_commit, file, message):
    client.force_login(academy_staff)
    with run_on_commit():
        response, job = upload(client, file)
    job.refresh_from_db()
    assert job.state == "failed"
    assert message in job.errors[0]["message"]
    assert Course.objects.count() == 0


def test_non_csv_name_is_refused_on_the_form(client, academy_staff):
    client.force_login(academy_staff)
    response = client.post(reverse("courses:import"), {"file": SimpleUploadedFile("courses.xlsx", b"x")})
    assert "The selected file must be a CSV file" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_template_round_trips_through_export(client, academy_staff, run_on_commit):
    make_course_provider("Leadership Learning Partnership")
    client.force_login(academy_staff)
    template = client.get(reverse("courses:import_template")).content
    with run_on_commit():
        upload(client, SimpleUploadedFile("template.csv", template))
    assert Course.objects.get().external_id == "LLP-001"
    exported = b"".join(client.get(reverse("courses:export", args=["csv"])).streaming_content).decode("utf-8-sig")
    assert exported.splitlines()[0] == ",".join(importer.COLUMNS)
    assert "LLP-001,Leadership Learning Partnership" in exported


def test_import_job_reports_progress_as_json(client, academy_staff):
    client.force_login(academy_staff)
    job = ImportJob.objects.create(
        original_name="x.csv", uploaded_by=academy_staff, total_rows=400, processed_rows=100, state="validating"
    )
    data = client.get(reverse("courses:import_job", args=[job.pk]), {"format": "json"}).json()
    assert data == {
        "state": "validating",
        "label": "Checking rows",
        "percent": 25,
        "processed": 100,
        "total": 400,
        "finished": False,
    }
