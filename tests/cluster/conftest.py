"""The cluster of the cluster test, started for one test and stopped after it.

PostgreSQL is the test's own database (pytest-django's, committed: the test
is transactional), Redis is database 13 (emptied before and after: cache and
broker), S3 is `rclone serve s3` on a temporary folder and SMTP an aiosmtpd
recorder. Two gunicorn web nodes, two Celery workers and one beat run as
separate processes; the test starts the second beat itself.
"""

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from django.db import connection

from .services import (
    Process,
    S3Server,
    SmtpRecorder,
    cluster_env,
    free_port,
    start_beat,
    start_web,
    start_worker,
    wait_for_log,
    wait_for_web,
)

REDIS_URL = "redis://127.0.0.1:6379/13"
# The outbox sweep every few seconds instead of every minute: recovery is
# then seen within the test. Added to the database schedule, as an operator
# would add a job in the admin.
OUTBOX_SWEEP_EVERY = 2


@dataclass
class Cluster:
    logs: Path
    env: dict
    smtp: SmtpRecorder
    s3: S3Server
    web_ports: list[int]
    webs: list[Process]
    workers: list[Process]
    beats: list[Process] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    ready_after: float = 0.0

    @property
    def site_url(self) -> str:
        return self.env["SITE_URL"]

    def start_beat(self) -> Process:
        beat = start_beat(f"beat-{len(self.beats) + 1}", self.env, self.logs)
        self.beats.append(beat)
        return beat


def schedule_every(name: str, task: str, seconds: int, args=()) -> None:
    import json

    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name=name, task=task, interval=every, args=json.dumps(list(args)))


@pytest.fixture
def cluster(transactional_db, tmp_path):
    started = time.monotonic()
    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    logs = tmp_path / "logs"
    logs.mkdir()
    database = connection.settings_dict
    database_url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    schedule_every("cluster-outbox-sweep", "notifications.tasks.send_pending_emails", OUTBOX_SWEEP_EVERY)
    with contextlib.ExitStack() as stack:
        stack.callback(broker.flushdb)
        smtp = SmtpRecorder()
        stack.callback(smtp.stop)
        s3 = S3Server(tmp_path / "s3", logs)
        stack.callback(s3.process.stop)
        web_ports = [free_port(), free_port()]
        env = cluster_env(
            database_url=database_url,
            redis_url=REDIS_URL,
            smtp_port=smtp.port,
            s3=s3,
            var_dir=tmp_path / "var",
            site_url=f"http://127.0.0.1:{web_ports[0]}",
        )
        webs = [start_web(f"web-{n + 1}", port, env, logs) for n, port in enumerate(web_ports)]
        workers = [start_worker(f"worker-{name}", env, logs) for name in ("a", "b")]
        built = Cluster(logs, env, smtp, s3, web_ports, webs, workers, started=started)
        for process in [*webs, *workers]:
            stack.callback(process.stop)
        # Stopped first (callbacks run last in, first out): no beat outlives the workers.
        stack.callback(lambda: [beat.stop() for beat in built.beats])
        built.start_beat()
        for process, port in zip(webs, web_ports, strict=True):
            wait_for_web(process, port)
        for worker in workers:
            wait_for_log(worker, " ready.")
        wait_for_log(built.beats[0], "beat: Starting")
        built.ready_after = time.monotonic() - started
        yield built
