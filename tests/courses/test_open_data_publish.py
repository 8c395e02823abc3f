"""Making the dump: a daily Celery beat job, idempotent, written whole before
it replaces the previous dump, and a constant number of queries whatever the
number of courses."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage, default_storage

from config.celery import beat_schedule
from courses import open_data, tasks
from courses.models import Course

from ..conftest import count_queries
from ..factories import make_course, make_course_provider
from .open_data_world import csv_rows, folders, json_doc, stored

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def provider():
    return make_course_provider("Leadership Learning Partnership")[1]


def test_the_dump_is_a_daily_beat_job_after_the_accreditation_refresh():
    from celery.schedules import crontab

    entry = beat_schedule()["publish-open-data-each-day"]
    assert entry == {"task": "courses.tasks.publish_open_data", "schedule": crontab(hour=0, minute=30)}
    refresh = beat_schedule()["refresh-course-accreditation-each-day"]["schedule"]
    assert (refresh.hour, refresh.minute) == ({0}, {5})
    assert tasks.publish_open_data.name == "courses.tasks.publish_open_data"


def test_the_task_publishes_the_dump(provider):
    make_course(provider, "Leading person-centred care")
    with time_machine.travel(NOON, tick=False):
        tasks.publish_open_data.delay()
    manifest = open_data.current()
    assert manifest["generated_at"] == "2026-12-03T12:00:00+00:00"
    assert [r["title"] for r in csv_rows(stored(manifest, "register.csv"))] == ["Leading person-centred care"]
    assert sorted(manifest["files"]) == sorted(open_data.files())


def test_running_again_with_nothing_changed_changes_nothing(provider):
    make_course(provider, "Leading person-centred care")
    with time_machine.travel(NOON, tick=False):
        first = open_data.publish()
    before = {name: stored(first, name) for name in open_data.files()}
    listing = folders()
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        tasks.publish_open_data.delay()
        again = open_data.publish()
    assert folders() == listing == [first["folder"]]
    assert again == first == open_data.current()
    assert {name: stored(again, name) for name in open_data.files()} == before


def test_a_new_dump_replaces_the_current_one_and_the_previous_is_kept_until_the_next(provider):
    course = make_course(provider, "Leading person-centred care")
    dumps = []
    for hour, title in enumerate(["First title", "Second title", "Third title"]):
        Course.objects.filter(pk=course.pk).update(title=title)
        with time_machine.travel(NOON + timedelta(hours=hour), tick=False):
            dumps.append(open_data.publish())
        assert open_data.current()["folder"] == dumps[-1]["folder"]
        assert csv_rows(stored(open_data.current(), "register.csv"))[0]["title"] == title
    # The current dump and the one before it; the first has gone.
    assert folders() == [dumps[1]["folder"], dumps[2]["folder"]]
    open_data.forget_current()
    assert open_data.current()["folder"] == dumps[2]["folder"]


def test_a_dump_that_fails_half_way_leaves_the_current_one_in_place(provider, monkeypatch):
    course = make_course(provider, "Leading person-centred care")
    with time_machine.travel(NOON, tick=False):
        current = open_data.publish()
    Course.objects.filter(pk=course.pk).update(title="A new title")
    saved = []
    original = FileSystemStorage.save

    def failing_save(storage, name, content, **kwargs):
        if name.endswith("accreditations.json"):
            raise OSError("The disk is full")
        saved.append(name)
        return original(storage, name, content, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", failing_save)
    with time_machine.travel(NOON + timedelta(hours=1), tick=False), pytest.raises(OSError, match="disk is full"):
        open_data.publish()
    assert len(saved) == 3  # register.csv, register.json, accreditations.csv were written, then removed
    assert folders() == [current["folder"]]
    open_data.forget_current()
    assert open_data.current()["folder"] == current["folder"]
    assert csv_rows(stored(open_data.current(), "register.csv"))[0]["title"] == "Leading person-centred care"


def test_an_unfinished_dump_is_never_served(provider):
    make_course(provider, "Leading person-centred care")
    with time_machine.travel(NOON, tick=False):
        current = open_data.publish()
    # A newer folder without its manifest: a dump still being written.
    default_storage.save(f"{open_data.ROOT}/99990101T000000000000Z-ffffffff/register.csv", _bytes(b"partial"))
    open_data.forget_current()
    assert open_data.current()["folder"] == current["folder"]


def _bytes(data):
    from django.core.files.base import ContentFile

    return ContentFile(data)


def _courses(provider, count):
    for number in range(count):
        course = make_course(
            provider,
            f"Course {number}",
            levels=["practice-leaders", "service-leaders"],
            domains=["leadership"],
            cost=Decimal(number),
        )
        if number % 2:
            Course.objects.filter(pk=course.pk).update(
                accreditation_status="accredited", accreditation_number=f"NSA-2026-{number:05d}"
            )


def test_the_dump_makes_the_same_number_of_queries_for_one_course_or_many(provider):
    from accreditation.models import Accreditation, Application, Condition

    def accredit_all():
        for course in Course.objects.filter(accreditations__isnull=True):
            application = Application.objects.create(course=course, state="accredited")
            accreditation = Accreditation.objects.create(
                course=course,
                application=application,
                number=f"NSA-2026-{course.pk:05d}",
                valid_from=NOON.date(),
                valid_to=NOON.date() + timedelta(days=30),
            )
            Condition.objects.create(accreditation=accreditation, text="Evaluate", due_on=NOON.date())

    _courses(provider, 1)
    accredit_all()
    with time_machine.travel(NOON, tick=False):
        one = count_queries(open_data.publish)
        assert len(json_doc(stored(open_data.current(), "register.json"))["rows"]) == 1
    _courses(make_course_provider("University of the Pennines")[1], 12)
    accredit_all()
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        many = count_queries(open_data.publish)
        assert len(json_doc(stored(open_data.current(), "accreditations.json"))["rows"]) == 13
    assert one == many
    assert many <= 12


def test_a_first_dump_only_when_there_is_none(provider):
    make_course(provider, "Leading person-centred care")
    with time_machine.travel(NOON, tick=False):
        first = open_data.publish_first()
    Course.objects.update(title="Changed since")
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        assert open_data.publish_first()["folder"] == first["folder"]
    assert folders() == [first["folder"]]
