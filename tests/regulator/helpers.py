"""Building directory files and imports for the regulator tests."""

import csv
import io
from pathlib import Path

from django.core.files.base import ContentFile

SAMPLES = Path(__file__).resolve().parents[2] / "regulator" / "samples"
SAMPLE_CSV = SAMPLES / "care_directory_sample.csv"
SAMPLE_ODS = SAMPLES / "care_directory_sample.ods"

HEADERS = [
    "Location ID",
    "Location Name",
    "Location Status",
    "Location Street Address",
    "Location Address Line 2",
    "Location City",
    "Location County",
    "Location Postal Code",
    "Location Latest Overall Rating",
    "Publication Date",
    "Provider Name",
]


def row(location_id="1-100000001", name="Bramble House", rating="Good", published="14/03/2025", status="Active"):
    return [location_id, name, status, "1 Example Road", "", "Ashford", "Kent", "TN23 1ZZ", rating, published, "P Ltd"]


def csv_bytes(rows, headers=HEADERS, encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def run_import(data: bytes, name="directory.csv", user=None):
    """Stores the file as an upload would and runs the import (as the Celery task does)."""
    from regulator import importer
    from regulator.models import DirectoryImport

    job = DirectoryImport(original_name=name, uploaded_by=user)
    job.file.save(f"regulator/test-{name}", ContentFile(data), save=False)
    job.save()
    return importer.run(job.pk)


def import_locations(*rows, user=None):
    """A completed import of these rows (regulator.tests.helpers.row)."""
    job = run_import(csv_bytes(list(rows)), user=user)
    assert job.state == "done", job.errors
    return job


def make_entry(number="1-100000001", *, state="eligible", category=None, name="Riverside Care", **cycle_kwargs):
    """An entry in `state` with this regulator number, and its category."""
    from awards.models import Nomination
    from tests.factories import make_provider
    from tests.factories.awards import make_category, make_cycle, make_nomination

    category = category or make_category(make_cycle(**cycle_kwargs))
    user, organisation = make_provider(name)
    nomination = make_nomination(category, organisation, user, complete=False, state=state)
    Nomination.objects.filter(pk=nomination.pk).update(service_regulator_number=number, service_name=f"{name} House")
    nomination.refresh_from_db()
    return nomination


def add_rule(category, minimum="good", months=None):
    from regulator.models import CategoryRatingRule

    return CategoryRatingRule.objects.create(category=category, minimum_rating=minimum, max_age_months=months)
