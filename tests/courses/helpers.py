"""CSV files for the course import tests (also used by tests/core/test_faults.py)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from courses import importer


def csv_file(rows, header=importer.COLUMNS, name="courses.csv"):
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"))


def row(external_id, title="Leading care", **overrides):
    values = {
        "external_id": external_id,
        "provider": "Leadership Learning Partnership",
        "title": title,
        "summary": "A programme.",
        "levels": "practice-leaders; service-leaders",
        "domains": "leadership",
        "delivery_mode": "blended",
        "duration_hours": "30",
        "cost": "£1,200",
        "region": "national",
        "open_to_sectors": "public; private",
        "designed_for_social_care": "yes",
        "url": "https://example.org/c",
        "state": "listed",
    }
    values.update(overrides)
    return [values[c] for c in importer.COLUMNS]
