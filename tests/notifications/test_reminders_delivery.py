"""Delivery guarantees: concurrent sweeps, retries and abandoned claims never
duplicate or lose an email; a real Celery worker on Redis delivers by SMTP;
a broker that is down never blocks a request."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from awards import reminders as awards_reminders
from notifications import sending
from notifications.models import EmailState, OutboundEmail, Reminder

from ..factories import make_category, make_cycle, make_nomination, make_provider

ROOT = Path(__file__).resolve().parent.parent.parent
LONDON = ZoneInfo("Europe/London")
CLOSE = datetime(2027, 3, 1, 17, 0, tzinfo=LONDON)
SWEEP_DAY = datetime(2027, 2, 15, 9, 0, tzinfo=LONDON)


def make_drafts(count):
    cycle = make_cycle(opens=CLOSE - timedelta(days=60), closes=CLOSE)
    category = make_category(cycle)
    for n in range(count):
        user, organisation = make_provider(f"Provider {n}", email=f"p{n}@example.org")
        make_nomination(category, organisation, user, complete=False)


# Waits on threads, workers and servers end at these deadlines only when
# something is broken; a busy machine finishes well inside them.
DEADLINE = 180


def run_in_threads(target, count):
    barrier = threading.Barrier(count)
    errors = []

    def run():
        try:
            barrier.wait(timeout=DEADLINE)
            target()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE)
    assert not any(thread.is_alive() for thread in threads), f"a sweep was still running after {DEADLINE} s"
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_email_exactly_once():
    make_drafts(20)
    with time_machine.travel(SWEEP_DAY, tick=False):
        run_in_threads(awards_reminders.sweep_nomination_close, 4)
        run_in_threads(awards_reminders.sweep_nomination_close, 4)
    per_person = Counter(m.to[0] for m in mail.outbox)
    duplicates = sum(n - 1 for n in per_person.values() if n > 1)
    lost = 20 - len(per_person)
    print(f"\nconcurrent sweeps: {len(mail.outbox)} emails, duplicates {duplicates}, lost {lost}")
    assert (duplicates, lost) == (0, 0)
    assert Reminder.objects.count() == 20
    assert OutboundEmail.objects.filter(state=EmailState.SENT).count() == 20


@pytest.mark.django_db(transaction=True)
def test_concurrent_outbox_sweeps_send_each_queued_email_once(monkeypatch):
    from notifications import tasks

    monkeypatch.setattr(tasks.send_email, "delay", lambda *a: (_ for _ in ()).throw(ConnectionError("down")))
    make_drafts(15)
    with time_machine.travel(SWEEP_DAY, tick=False):
        awards_reminders.sweep_nomination_close()
    assert mail.outbox == [] and OutboundEmail.objects.filter(state=EmailState.QUEUED).count() == 15
    later = SWEEP_DAY + sending.SWEEP_GRACE + timedelta(seconds=5)
    run_in_threads(lambda: sending.send_pending_emails(now=later), 4)
    per_person = Counter(m.to[0] for m in mail.outbox)
    assert (len(per_person), max(per_person.values())) == (15, 1)


@pytest.mark.django_db
def test_a_retry_after_a_failure_sends_once(monkeypatch, run_on_commit):
    make_drafts(1)
    calls = {"n": 0}
    real_send = sending.EmailMultiAlternatives.send

    def flaky(self, fail_silently=False):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("SMTP timed out")
        return real_send(self, fail_silently)

    monkeypatch.setattr(sending.EmailMultiAlternatives, "send", flaky)
    with run_on_commit(), time_machine.travel(SWEEP_DAY, tick=False):
        awards_reminders.sweep_nomination_close()
    email = OutboundEmail.objects.get()
    assert (email.state, email.attempts, len(mail.outbox)) == (EmailState.QUEUED, 1, 0)
    later = SWEEP_DAY + sending.SWEEP_GRACE + timedelta(seconds=5)
    assert sending.send_pending_emails(now=later) == 1
    assert sending.send_pending_emails(now=later) == 0
    with time_machine.travel(SWEEP_DAY, tick=False):
        assert awards_reminders.sweep_nomination_close() == 0  # the ledger already has it
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_claim_abandoned_mid_send_is_picked_up_once(monkeypatch, run_on_commit):
    from notifications import tasks

    monkeypatch.setattr(tasks.send_email, "delay", lambda *a: None)  # the worker died after the claim
    make_drafts(1)
    with time_machine.travel(SWEEP_DAY, tick=False):
        awards_reminders.sweep_nomination_close()
    email = OutboundEmail.objects.get()
    assert sending.claim(email.pk, now=SWEEP_DAY)  # claimed, then the worker was killed
    assert sending.send_pending_emails(now=SWEEP_DAY + timedelta(minutes=1)) == 0  # a fresh claim is left alone
    after_timeout = SWEEP_DAY + sending.CLAIM_TIMEOUT + timedelta(seconds=1)
    assert sending.send_pending_emails(now=after_timeout) == 1
    assert sending.send_pending_emails(now=after_timeout) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_broker_down_never_blocks_submission_and_the_email_follows(client, settings, run_on_commit, monkeypatch):
    """A real publish to a broker port where nothing listens."""
    from config.celery import app
    from notifications import mail as outbox

    # What a broker that is down could block is the hand-over: time that, not
    # the whole request (whose rendering and queries only a busy machine slows).
    handing_over = []
    hand_to_worker = outbox.hand_to_worker

    def timed_hand_to_worker(email_id):
        started = time.monotonic()
        try:
            hand_to_worker(email_id)
        finally:
            handing_over.append(time.monotonic() - started)

    monkeypatch.setattr(outbox, "hand_to_worker", timed_hand_to_worker)
    cycle = make_cycle()
    category = make_category(cycle)
    user, organisation = make_provider("Riverside Care")
    nomination = make_nomination(category, organisation, user)
    client.force_login(user)
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    app._pool = None
    try:
        with run_on_commit():
            response = client.post(reverse("awards:check_answers", args=[nomination.pk]))
    finally:
        app.conf.update(task_always_eager=True, broker_url=settings.CELERY_BROKER_URL)
        app._pool = None
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == "submitted"
    assert handing_over and sum(handing_over) < 10
    email = OutboundEmail.objects.get(template="nomination_submitted")
    assert email.state == EmailState.QUEUED and mail.outbox == []
    # The broker is back: the next outbox sweep sends it.
    assert sending.send_pending_emails(now=timezone.now() + sending.SWEEP_GRACE + timedelta(seconds=1)) == 1
    assert [m.subject for m in mail.outbox] == [email.subject]


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore:task_always_eager has no effect on send_task")
def test_a_real_celery_worker_on_redis_delivers_reminders_by_smtp(tmp_path):
    from aiosmtpd.controller import Controller

    from config.celery import app

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, ready_timeout=DEADLINE)
    controller.start()
    today = timezone.localdate()
    close = datetime.combine(today + timedelta(days=3), datetime.min.time(), tzinfo=LONDON).replace(hour=17)
    cycle = make_cycle(opens=close - timedelta(days=30), closes=close)
    category = make_category(cycle)
    for n in range(3):
        user, organisation = make_provider(f"Worker Provider {n}", email=f"w{n}@example.org")
        make_nomination(category, organisation, user, complete=False)
    broker = "redis://127.0.0.1:6379/14"
    # Empty the broker's database before the worker declares its queue there.
    with app.connection_for_write(broker) as conn:
        conn.default_channel.client.flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"postgres://postgres:postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "VAR_DIR": str(tmp_path),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--hostname",
            "delivery-test@%h",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # The worker's log, read as it comes (a full pipe would stall the worker),
    # says when it consumes and when each email task has finished; the end of
    # the log, that it has exited.
    output = []
    ready = threading.Event()
    finished = threading.Event()
    consuming = []

    def read_output():
        sent = 0
        for line in worker.stdout:
            output.append(line)
            if re.search(r"delivery-test@\S+ ready\.", line):
                consuming.append(True)
                ready.set()
            if re.search(r"Task notifications\.tasks\.send_email\[\S+\] succeeded", line):
                sent += 1
                if sent == 3:
                    finished.set()
        ready.set()
        finished.set()

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    try:
        ready.wait(DEADLINE)
        assert consuming, "the worker did not start:\n" + "".join(output)
        with app.connection_for_write(broker) as conn:
            app.send_task("notifications.tasks.run_sweep", args=["reminders-nomination-close"], connection=conn)
        finished.wait(DEADLINE)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        reader.join(timeout=DEADLINE)
        controller.stop()
    output = "".join(output)
    assert sorted(r[0][0] for r in received) == ["w0@example.org", "w1@example.org", "w2@example.org"], output
    assert all("closes" in content for _, content in received)
    assert Reminder.objects.filter(milestone="3d").count() == 3
    assert OutboundEmail.objects.filter(state=EmailState.SENT).count() == 3
