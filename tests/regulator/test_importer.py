"""The importer reads the regulator's own layout from CSV and ODS."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regulator.enums import Rating, RegistrationStatus
from regulator.models import DirectoryImport, Location

from .helpers import HEADERS, SAMPLE_CSV, SAMPLE_ODS, csv_bytes, row, run_import

pytestmark = pytest.mark.django_db


def _summary(job):
    return {
        location.location_id: (
            location.name,
            location.address,
            location.postcode,
            location.registration_status,
            location.overall_rating,
            location.rating_published,
            tuple(location.service_types),
            location.provider_name,
        )
        for location in Location.objects.filter(directory_import=job)
    }


def test_the_sample_csv_imports_every_location_with_its_rating_and_date():
    job = run_import(SAMPLE_CSV.read_bytes(), SAMPLE_CSV.name)
    assert (job.state, job.location_count, job.total_rows, job.error_count) == ("done", 30, 30, 0)
    bramble = Location.objects.get(directory_import=job, location_id="1-100000001")
    assert bramble.name == "Bramble House"
    assert bramble.address == "1 Example Road\nBedlington\nNorthumberland"
    assert bramble.postcode == "NE22 1ZZ"
    assert bramble.overall_rating == Rating.GOOD
    assert bramble.rating_published == datetime.date(2025, 3, 14)
    assert bramble.service_types == ["Care home service without nursing"]
    assert bramble.provider_name == "Sample Provider B Ltd"
    assert bramble.registration_status == RegistrationStatus.REGISTERED
    assert Location.objects.get(location_id="1-100000021").registration_status == RegistrationStatus.DEREGISTERED
    assert Location.objects.get(location_id="1-100000010").overall_rating == Rating.NOT_RATED
    assert Location.objects.get(location_id="1-100000018").overall_rating == Rating.NONE
    assert Location.objects.get(location_id="1-100000018").rating_published is None


def test_the_sample_ods_gives_the_same_locations_as_the_csv():
    from_csv = run_import(SAMPLE_CSV.read_bytes(), SAMPLE_CSV.name)
    from_ods = run_import(SAMPLE_ODS.read_bytes(), SAMPLE_ODS.name)
    assert from_ods.state == "done"
    assert from_ods.location_count == 30
    assert _summary(from_ods) == _summary(from_csv)


def test_a_title_block_above_the_header_and_a_byte_order_mark_are_read():
    data = b"Care directory with ratings\r\nProduced on 1 December 2026\r\n\r\n" + csv_bytes([row()])
    job = run_import(b"\xef\xbb\xbf" + data)
    assert job.state == "done"
    assert list(Location.objects.values_list("location_id", "name")) == [("1-100000001", "Bramble House")]


def test_ratings_are_read_in_any_case_and_iso_dates_too():
    job = run_import(csv_bytes([row(rating="REQUIRES IMPROVEMENT", published="2025-06-30")]))
    assert job.state == "done"
    location = Location.objects.get()
    assert (location.overall_rating, location.rating_published) == (
        Rating.REQUIRES_IMPROVEMENT,
        datetime.date(2025, 6, 30),
    )


def test_a_service_types_column_is_split_into_its_types():
    headers = [*HEADERS, "Service types"]
    job = run_import(csv_bytes([[*row(), "Homecare agencies|Supported living"]], headers=headers))
    assert job.state == "done"
    assert Location.objects.get().service_types == ["Homecare agencies", "Supported living"]


def test_an_upload_is_queued_and_its_progress_page_shows_the_result(client, awards_admin, run_on_commit):
    client.force_login(awards_admin)
    upload = SimpleUploadedFile("directory.csv", SAMPLE_CSV.read_bytes(), content_type="text/csv")
    with run_on_commit():
        response = client.post(reverse("regulator:imports"), {"file": upload})
    job = DirectoryImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("regulator:import_job", args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.location_count, job.uploaded_by) == ("done", 30, awards_admin)
    page = client.get(response["Location"])
    assert "30 locations imported" in page.content.decode()
    status = client.get(response["Location"], {"format": "json"}).json()
    assert status == {
        "state": "done",
        "label": "Finished",
        "percent": 100,
        "processed": 30,
        "total": 30,
        "finished": True,
    }


def test_dates_stored_as_spreadsheet_dates_in_an_ods_are_read():
    import io

    from pyexcel_ods3 import save_data

    out = io.BytesIO()
    cells = row()
    cells[HEADERS.index("Publication Date")] = datetime.date(2025, 11, 3)
    save_data(out, {"Locations": [HEADERS, cells]})
    job = run_import(out.getvalue(), "directory.ods")
    assert job.state == "done", job.errors
    assert Location.objects.get().rating_published == datetime.date(2025, 11, 3)
