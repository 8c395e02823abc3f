"""Malformed files: a clear reason, and no location written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regulator import importer
from regulator.models import DirectoryImport, Location

from .helpers import HEADERS, SAMPLE_CSV, csv_bytes, row, run_import

pytestmark = pytest.mark.django_db


def _problems(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_a_file_without_the_regulators_columns_is_refused_whole():
    data = b"id,name,rating\r\n1-1,Bramble House,Good\r\n"
    job = run_import(data)
    assert job.state == "failed"
    assert _problems(job) == [
        (0, "", "The file is not in the regulator's directory layout: no header row with a 'Location ID' column")
    ]
    assert Location.objects.count() == 0


def test_missing_columns_are_named():
    headers = [h for h in HEADERS if h not in ("Publication Date", "Location Postal Code")]
    job = run_import(csv_bytes([row()[:7] + row()[8:9] + row()[10:]], headers=headers))
    assert job.state == "failed"
    assert _problems(job) == [
        (
            0,
            "",
            "The file is not in the regulator's directory layout: missing the columns "
            "'Location Postal Code', 'Publication Date'",
        )
    ]
    assert Location.objects.count() == 0


def test_a_file_in_another_encoding_is_refused_with_the_reason():
    job = run_import(csv_bytes([row(name="Café Lodge")], encoding="cp1252"))
    assert job.state == "failed"
    assert _problems(job)[0][2].startswith("The file must be saved as UTF-8 text")
    assert Location.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 2048)
    data = csv_bytes([row(location_id=f"1-{n}") for n in range(100, 200)])
    assert len(data) > 2048
    job = run_import(data)
    assert (job.state, _problems(job)) == ("failed", [(0, "", "The file must be smaller than 2 KB")])
    assert Location.objects.count() == 0


def test_an_upload_over_the_size_limit_is_refused_before_it_is_stored(client, awards_admin, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 1024 * 1024)
    client.force_login(awards_admin)
    big = SimpleUploadedFile("directory.csv", b"x" * (1024 * 1024 + 1), content_type="text/csv")
    response = client.post(reverse("regulator:imports"), {"file": big})
    assert response.status_code == 200
    assert "The selected file must be smaller than 1 MB" in response.content.decode()
    assert DirectoryImport.objects.count() == 0


def test_an_upload_that_is_neither_csv_nor_ods_is_refused(client, awards_admin):
    client.force_login(awards_admin)
    upload = SimpleUploadedFile("directory.xlsx", SAMPLE_CSV.read_bytes())
    response = client.post(reverse("regulator:imports"), {"file": upload})
    assert response.status_code == 200
    assert "The selected file must be a CSV or ODS file" in response.content.decode()
    assert DirectoryImport.objects.count() == 0


def test_a_file_named_ods_that_is_not_a_spreadsheet_is_refused():
    job = run_import(b"not a zip file at all", "directory.ods")
    assert (job.state, _problems(job)) == ("failed", [(0, "", "The file is not an ODS spreadsheet")])


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_written():
    rows = [
        row(location_id="1-100000001"),
        row(location_id="1-100000002", published="31/02/2025"),
        row(location_id="1-100000003", rating="Brilliant"),
        row(location_id="1-100000001", name="Twice Listed"),
        row(location_id="1-100000004", name=""),
        row(location_id="1-100000005", published=""),
        row(location_id="1-100000006", status="Paused"),
    ]
    job = run_import(csv_bytes(rows))
    assert job.state == "failed"
    assert _problems(job) == [
        (3, "Publication Date", "'31/02/2025' is not a date: use DD/MM/YYYY"),
        (
            4,
            "Location Latest Overall Rating",
            "'Brilliant' is not a rating (Outstanding, Good, Requires improvement, Inadequate)",
        ),
        (5, "Location ID", "Location 1-100000001 is also on row 2"),
        (6, "Location Name", "Enter the location's name"),
        (7, "Publication Date", "A rating needs the date it was published"),
        (8, "Location Status", "'paused' is not a registration status (Active or Deactivated)"),
    ]
    assert job.error_count == 6
    assert Location.objects.count() == 0


def test_the_failed_import_page_lists_the_problems(client, awards_admin):
    job = run_import(csv_bytes([row(published="yesterday")]))
    client.force_login(awards_admin)
    page = client.get(reverse("regulator:import_job", args=[job.pk])).content.decode()
    assert "Nothing was imported" in page
    assert "&#x27;yesterday&#x27; is not a date: use DD/MM/YYYY" in page


def test_a_failed_import_leaves_the_previous_directory_in_use():
    from regulator.matching import latest_import

    good = run_import(csv_bytes([row()]))
    run_import(csv_bytes([row(rating="Brilliant")]))
    assert latest_import() == good
