"""Course providers import their own courses; every problem of an import is
counted and downloadable; the import page explains the codes."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from courses import importer
from courses.models import Course, ImportJob

from ..factories import make_course, make_course_provider, make_user
from .helpers import csv_file, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def llp():
    return make_course_provider("Leadership Learning Partnership", email="helen@llp.example")


def provider_upload(client, organisation, file):
    response = client.post(reverse("courses:provider_import"), {"organisation": organisation.pk, "file": file})
    return response, ImportJob.objects.order_by("-pk").first()


def test_provider_imports_its_own_courses(client, llp, run_on_commit):
    user, organisation = llp
    client.force_login(user)
    with run_on_commit():
        response, job = provider_upload(
            client, organisation, csv_file([row("LLP-1"), row("LLP-2", "Coaching", provider="")])
        )
    assert response["Location"] == reverse("courses:import_job", args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.created_count, job.organisation, job.uploaded_by) == ("done", 2, organisation, user)
    assert set(Course.objects.values_list("external_id", "provider__name")) == {
        ("LLP-1", "Leadership Learning Partnership"),
        ("LLP-2", "Leadership Learning Partnership"),
    }
    assert set(Course.objects.values_list("import_job", flat=True)) == {job.pk}
    assert AuditEvent.objects.filter(action="courses.import_queued", object_id=str(job.pk)).count() == 1
    page = client.get(reverse("courses:import_job", args=[job.pk])).content.decode()
    assert "2 added, 0 updated" in page and reverse("courses:mine") in page


def test_rows_naming_another_provider_are_refused_and_nothing_is_written(client, llp, run_on_commit):
    user, organisation = llp
    make_course_provider("University of the Pennines")
    client.force_login(user)
    with run_on_commit():
        _, job = provider_upload(
            client, organisation, csv_file([row("LLP-1"), row("LLP-2", provider="University of the Pennines")])
        )
    job.refresh_from_db()
    assert job.state == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "provider")]
    assert "You can import courses for Leadership Learning Partnership only" in job.errors[0]["message"]
    assert Course.objects.count() == 0


def test_a_provider_cannot_update_another_providers_course_by_its_id(client, llp, run_on_commit):
    user, organisation = llp
    _, pennines = make_course_provider("University of the Pennines")
    theirs = make_course(pennines, "Their course", external_id="UP-1")
    client.force_login(user)
    with run_on_commit():
        _, job = provider_upload(client, organisation, csv_file([row("UP-1", "Taken over")]))
    job.refresh_from_db()
    assert (job.state, job.errors[0]["column"]) == ("failed", "external_id")
    theirs.refresh_from_db()
    assert (theirs.title, theirs.provider) == ("Their course", pennines)


def test_a_provider_cannot_import_for_an_organisation_it_does_not_belong_to(client, llp):
    user, _ = llp
    _, pennines = make_course_provider("University of the Pennines")
    client.force_login(user)
    response, job = provider_upload(client, pennines, csv_file([row("X-1")]))
    assert response.status_code == 200
    assert "Choose your organisation" in response.content.decode()
    assert job is None


def test_only_course_providers_open_the_provider_import(client, llp, academy_staff):
    client.force_login(make_user(email="someone@example.org"))
    assert client.get(reverse("courses:provider_import")).status_code == 403
    assert client.get(reverse("courses:provider_import_template")).status_code == 403
    client.force_login(llp[0])
    page = client.get(reverse("courses:provider_import"))
    assert page.status_code == 200
    assert reverse("courses:provider_import") in client.get(reverse("courses:mine")).content.decode()
    template = client.get(reverse("courses:provider_import_template")).content.decode()
    assert template.splitlines()[1].split(",")[:2] == ["LLP-001", "Leadership Learning Partnership"]


def test_import_jobs_are_seen_by_their_organisation_and_the_academy_only(client, llp, academy_staff):
    user, organisation = llp
    job = ImportJob.objects.create(original_name="ours.csv", uploaded_by=user, organisation=organisation)
    staff_job = ImportJob.objects.create(original_name="academy.csv", uploaded_by=academy_staff)
    colleague = make_user(email="colleague@llp.example", organisation=organisation)
    other = make_course_provider("University of the Pennines", email="x@up.example")[0]
    # Another organisation's import answers as one that does not exist (404, not 403).
    expected = ((user, 200, 404), (colleague, 200, 404), (other, 404, 404), (academy_staff, 200, 200))
    for person, ours, academy in expected:
        client.force_login(person)
        assert client.get(reverse("courses:import_job", args=[job.pk])).status_code == ours, person
        assert client.get(reverse("courses:import_errors", args=[job.pk])).status_code == ours, person
        assert client.get(reverse("courses:import_job", args=[staff_job.pk])).status_code == academy, person


def test_every_problem_is_counted_and_downloadable(client, academy_staff, run_on_commit):
    make_course_provider("Leadership Learning Partnership")
    client.force_login(academy_staff)
    rows = [row(f"E-{n}", cost="lots", region="atlantis") for n in range(600)]
    with run_on_commit():
        client.post(reverse("courses:import"), {"file": csv_file(rows)})
    job = ImportJob.objects.get()
    assert (job.state, job.error_count, len(job.errors), job.errors_not_shown) == ("failed", 1200, 1000, 200)
    assert job.errors[:2] == [
        {"row": 2, "column": "cost", "message": "Must be a number"},
        {"row": 2, "column": "region", "message": "Must be national or one of the UK regions, for example north_west"},
    ]
    page = client.get(reverse("courses:import_job", args=[job.pk])).content.decode()
    assert "The file has 1200 problems" in page
    assert "The first 1000 problems are listed here; 200 more are in the full list." in page
    assert reverse("courses:import_errors", args=[job.pk]) in page
    download = client.get(reverse("courses:import_errors", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    lines = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == importer.ERROR_COLUMNS
    assert len(lines) == 1201
    assert lines[-1] == ["601", "region", "Must be national or one of the UK regions, for example north_west"]


def test_a_refused_file_counts_one_problem(client, academy_staff, run_on_commit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(academy_staff)
    with run_on_commit():
        client.post(reverse("courses:import"), {"file": SimpleUploadedFile("c.csv", b"title,cost\nA,1\n")})
    job = ImportJob.objects.get()
    assert (job.state, job.error_count, job.errors_not_shown) == ("failed", 1, 0)
    download = client.get(reverse("courses:import_errors", args=[job.pk]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "The first row must be the template" in text


def test_import_page_lists_region_level_and_domain_codes(client, academy_staff, llp):
    for person in (academy_staff, llp[0]):
        client.force_login(person)
        url = reverse("courses:import") if person == academy_staff else reverse("courses:provider_import")
        page = client.get(url).content.decode()
        assert "<code>north_west</code>" in page and "North West" in page
        assert "<code>national</code>" in page and "<code>northern_ireland</code>" in page
        assert "<code>practice-leaders</code>" in page and "<code>commissioning</code>" in page
