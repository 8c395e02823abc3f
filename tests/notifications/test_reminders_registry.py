"""Each app declares its reminder kinds and its periodic jobs; the ledger, the
beat schedule and the generic sweep task are built from what they declare."""

import json
import os
import subprocess
import sys
import textwrap
from importlib import import_module
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template.loader import get_template
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app, beat_schedule
from notifications import registry, tasks
from notifications.models import Reminder

from ..factories import make_user

ROOT = Path(__file__).resolve().parent.parent.parent
RUN_SWEEP = "notifications.tasks.run_sweep"

# The schedule before apps declared their own (it was listed in settings): the
# same entries, at the same times. The sweeps now all run through run_sweep.
SCHEDULE = {
    "send-unsent-outbox-emails": ("notifications.tasks.send_pending_emails", crontab(minute="*")),
    "refresh-course-accreditation-each-day": ("accreditation.tasks.sync_courses_due_today", crontab(hour=0, minute=5)),
    "reminders-nomination-close": (RUN_SWEEP, crontab(minute=5)),
    "reminders-scoring-deadline": (RUN_SWEEP, crontab(minute=10)),
    "reminders-site-visits": (RUN_SWEEP, crontab(minute=15)),
    "reminders-accreditation-expiry": (RUN_SWEEP, crontab(minute=20)),
    "reminders-conditions": (RUN_SWEEP, crontab(minute=25)),
    "reminders-dass-deadlines": (RUN_SWEEP, crontab(minute=30)),
    "reminders-verification-digest": (RUN_SWEEP, crontab(hour=7, minute=35)),
    "reminders-new-applications": (RUN_SWEEP, crontab(hour=7, minute=40)),
    "regulator-recheck-entries": (RUN_SWEEP, crontab(hour=6, minute=20)),
    "delete-evidence-of-old-cycles": ("awards.tasks.delete_old_evidence", crontab(hour=2, minute=0)),
    "exports-expire-awards": (RUN_SWEEP, crontab(hour=3, minute=10)),
    "exports-expire-leaders": (RUN_SWEEP, crontab(hour=3, minute=15)),
    "exports-expire-judging": (RUN_SWEEP, crontab(hour=3, minute=20)),
    "publish-open-data-each-day": ("courses.tasks.publish_open_data", crontab(hour=0, minute=30)),
    "send-due-webhook-deliveries": ("webhooks.tasks.sweep_deliveries", crontab(minute="*")),
    "notify-entrants-when-results-are-announced": ("judging.tasks.notify_entrants_of_results", crontab(minute="*")),
}

# The codes the ledger has stored since it began: they must keep their meaning.
KINDS = {
    "nomination_close": "Nomination closing",
    "scoring_deadline": "Scoring deadline",
    "scoring_overdue": "Scores overdue (to the chair)",
    "site_visit": "Site visit",
    "accreditation_expiry": "Accreditation expiry",
    "condition_due": "Accreditation condition due",
    "new_applications": "New accreditation applications (to academy staff)",
    "dass_deadline": "DASS deadline",
    "dass_overdue": "DASS overdue (to academy staff)",
    "verification_digest": "Completions waiting for verification",
    "regulator_change": "Regulator change to an entry",
}


def test_the_beat_schedule_is_assembled_from_what_the_apps_declare():
    schedule = beat_schedule()
    assert {name: (entry["task"], entry["schedule"]) for name, entry in schedule.items()} == SCHEDULE
    for name, declared in registry.SWEEPS.items():
        assert schedule[name] == {"task": RUN_SWEEP, "schedule": declared.schedule, "args": [name]}
    missing = {entry["task"] for entry in schedule.values()} - set(app.tasks)
    assert not missing, f"scheduled but not registered with Celery: {missing}"


def test_config_names_no_app_job():
    config_source = "".join((ROOT / "config" / f"{name}.py").read_text() for name in ("settings", "celery"))
    for app_name in ("notifications", "awards", "judging", "accreditation", "leaders", "courses"):
        assert f"{app_name}.tasks" not in config_source and f"import {app_name}" not in config_source


# What `celery -A config beat` does as it starts: load the app's modules (the
# schedule is assembled then), then build django-celery-beat's scheduler,
# which copies the schedule into the database.
BEAT_STARTS = """
import json
from celery.apps.beat import Beat
from config.celery import app

Beat(app=app, quiet=True).init_loader()
from django_celery_beat.schedulers import DatabaseScheduler

scheduler = DatabaseScheduler(app=app)
print(json.dumps({
    "scheduled": sorted(app.conf.beat_schedule),
    "unregistered": sorted({e["task"] for e in app.conf.beat_schedule.values()} - set(app.tasks)),
    "scheduler": sorted(scheduler.schedule),
}))
"""


@pytest.mark.django_db(transaction=True)
def test_beat_copies_the_whole_schedule_into_the_database_and_updates_the_old_rows(tmp_path):
    # The row a database beat holds from before the sweeps moved to run_sweep.
    old = PeriodicTask.objects.create(
        name="reminders-nomination-close",
        task="awards.tasks.sweep_nomination_close",
        crontab=DatabaseScheduler.Entry.to_model_schedule(crontab(minute=5))[0],
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"postgres://postgres:postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "VAR_DIR": str(tmp_path),
    }
    started = subprocess.run(
        [sys.executable, "-c", BEAT_STARTS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert started.returncode == 0, started.stderr
    seen = json.loads(started.stdout.strip().splitlines()[-1])
    assert seen["scheduled"] == sorted(SCHEDULE)
    assert seen["unregistered"] == []
    assert set(SCHEDULE) <= set(seen["scheduler"])
    old.refresh_from_db()
    assert (old.task, old.args) == (RUN_SWEEP, '["reminders-nomination-close"]')
    stored = {task.name: task for task in PeriodicTask.objects.filter(name__in=SCHEDULE)}
    for name, (task, schedule) in SCHEDULE.items():
        assert (stored[name].task, stored[name].crontab) == (task, CrontabSchedule.from_schedule(schedule)), name


def test_the_kinds_keep_their_codes_and_each_has_its_emails():
    assert registry.kind_choices() == list(KINDS.items())
    for kind in registry.KINDS.values():
        assert len(kind.code) <= Reminder._meta.get_field("kind").max_length
        for part in ("subject.txt", "body.txt", "body.html"):
            get_template(f"email/{kind.template}_{part}")


def test_a_code_declared_twice_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "KINDS", dict(registry.KINDS))
    with pytest.raises(ImproperlyConfigured):
        registry.reminder_kind("site_visit", "Another app's site visit")
    with pytest.raises(ImproperlyConfigured):
        registry.reminder_kind("a_code_longer_than_the_ledger_column_holds", "Too long")


# Adding a kind: one app's reminders.py, and its email templates. Nothing else
# is edited: no enum, no migration, no task, no settings.
NEW_APP_REMINDERS = """
from celery.schedules import crontab

from accounts.models import User
from notifications.reminders import Due, reminder_kind, send_once, sweep

PING = reminder_kind("test_ping", "Test ping")


@sweep("reminders-test-ping", crontab(hour=6, minute=42))
def sweep_ping(now=None) -> int:
    people = User.objects.filter(email="pinged@example.org")
    return send_once(PING, [Due(person.pk, person.email, "once", {}, person) for person in people])
"""
NEW_APP_TEMPLATES = {
    "reminder_test_ping_subject.txt": "Ping for {{ person.email }}",
    "reminder_test_ping_body.txt": "A test reminder ({{ milestone }}).",
    "reminder_test_ping_body.html": "<p>A test reminder ({{ milestone }}).</p>",
}


@pytest.fixture
def new_app(tmp_path, monkeypatch, settings):
    """A new app's reminders.py and templates, imported as notifications'
    discovery imports every app's; the registry is restored afterwards."""
    monkeypatch.setattr(registry, "KINDS", dict(registry.KINDS))
    monkeypatch.setattr(registry, "SWEEPS", dict(registry.SWEEPS))
    package = tmp_path / "pingapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "reminders.py").write_text(textwrap.dedent(NEW_APP_REMINDERS))
    (tmp_path / "templates" / "email").mkdir(parents=True)
    for name, text in NEW_APP_TEMPLATES.items():
        (tmp_path / "templates" / "email" / name).write_text(text)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path / "templates"]}]
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        yield import_module("pingapp.reminders")
    finally:
        for name in ("pingapp.reminders", "pingapp"):
            sys.modules.pop(name, None)


@pytest.mark.django_db
def test_a_new_kind_declared_in_one_app_is_scheduled_swept_and_labelled(new_app, client, run_on_commit):
    assert beat_schedule()["reminders-test-ping"] == {
        "task": RUN_SWEEP,
        "schedule": crontab(hour=6, minute=42),
        "args": ["reminders-test-ping"],
    }
    pinged = make_user(email="pinged@example.org")
    with run_on_commit():
        assert tasks.run_sweep.delay("reminders-test-ping").get() == 1
        assert tasks.run_sweep.delay("reminders-test-ping").get() == 0  # the ledger has it
    assert [(m.to, m.subject) for m in mail.outbox] == [(["pinged@example.org"], "Ping for pinged@example.org")]
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.get_kind_display(), reminder.recipient) == ("test_ping", "Test ping", pinged)

    client.force_login(make_user(email="staff@example.org", is_staff=True))
    page = client.get(reverse("notifications:ledger"), {"kind": "test_ping"})
    assert ("test_ping", "Test ping") in page.context["kinds"]
    assert list(page.context["page"]) == [reminder]
    assert "Test ping" in page.content.decode()


@pytest.mark.django_db
def test_a_code_no_app_declares_any_more_still_shows_as_itself():
    reminder = Reminder.objects.create(
        kind="retired_kind", object_id=1, recipient_email="a@example.org", milestone="1d"
    )
    assert str(reminder) == "retired_kind (1d) to a@example.org"


LEDGER_WITH_CHOICES = [("notifications", "0003_email_holds_secret")]


@pytest.mark.django_db(transaction=True)
def test_dropping_the_kind_choices_keeps_the_ledger():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = MigrationExecutor(connection)
    executor.migrate(LEDGER_WITH_CHOICES)
    OldReminder = executor.loader.project_state(LEDGER_WITH_CHOICES).apps.get_model("notifications", "Reminder")
    old = OldReminder.objects.create(kind="site_visit", object_id=7, recipient_email="j@example.org", milestone="7d")
    assert OldReminder._meta.get_field("kind").choices  # the enum, before

    MigrationExecutor(connection).migrate(latest)

    kept = Reminder.objects.get(pk=old.pk)
    assert (kept.kind, kept.object_id, kept.recipient_email, kept.milestone) == ("site_visit", 7, "j@example.org", "7d")
    assert kept.get_kind_display() == "Site visit"
