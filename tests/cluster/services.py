"""The servers of the cluster test, each a real process (or thread) on
loopback with a free port: `rclone serve s3`, an aiosmtpd SMTP server that
records every message, gunicorn web nodes and Celery workers and beats
configured only by environment variables, as in production.

Every wait polls for a sign that something happened (a port answers, a line
in a log) until a generous deadline: a busy machine only makes it later.
"""

import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from email.parser import BytesHeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RCLONE = shutil.which("rclone") or str(Path(sys.executable).parent / "rclone")
# Waits end at this deadline only when something is broken.
DEADLINE = 240
POLL = 0.1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, what: str, deadline: float = DEADLINE, diagnose=lambda: ""):
    """Polls `condition` until it returns something true; fails after `deadline` seconds."""
    ends = time.monotonic() + deadline
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > ends:
            raise AssertionError(f"gave up after {deadline} s waiting for {what}\n{diagnose()}")
        time.sleep(POLL)


def port_answers(port: int) -> bool:
    with socket.socket() as check:
        return check.connect_ex(("127.0.0.1", port)) == 0


class Process:
    """A child process whose output goes to a log file the test can read."""

    def __init__(self, name: str, command: list[str], env: dict, logs: Path):
        self.name = name
        self.log = logs / f"{name}.log"
        self._out = self.log.open("wb")
        self.popen = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def count(self, text: str) -> int:
        return self.output().count(text)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill_hard(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, as when a machine dies."""
        os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=DEADLINE)

    def stop(self) -> None:
        if self.alive():
            self.popen.terminate()
            try:
                self.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=DEADLINE)
        self._out.close()


class SmtpRecorder:
    """A real SMTP server (aiosmtpd, in a thread) keeping every message it
    accepts: when (monotonic clock), its Message-ID and its recipients."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command otherwise
        self.port = free_port()
        self.messages: list[tuple[float, str, tuple[str, ...]]] = []
        self._lock = threading.Lock()
        recorder = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                headers = BytesHeaderParser().parsebytes(envelope.original_content or envelope.content)
                with recorder._lock:
                    recorder.messages.append(
                        (time.monotonic(), str(headers.get("Message-ID", "")).strip(), tuple(envelope.rcpt_tos))
                    )
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, ready_timeout=DEADLINE)
        self.controller.start()

    def snapshot(self) -> list[tuple[float, str, tuple[str, ...]]]:
        with self._lock:
            return list(self.messages)

    def message_ids(self) -> list[str]:
        return [message_id for _, message_id, _ in self.snapshot()]

    def stop(self) -> None:
        self.controller.stop()


class S3Server:
    """`rclone serve s3` on a folder: the bucket is a folder beneath it."""

    KEY, SECRET, BUCKET = "clusterkey", "clustersecret", "care-private"

    def __init__(self, root: Path, logs: Path):
        self.port = free_port()
        (root / self.BUCKET).mkdir(parents=True)
        self.bucket = root / self.BUCKET
        command = [RCLONE, "serve", "s3", str(root), "--addr", f"127.0.0.1:{self.port}"]
        command += ["--auth-key", f"{self.KEY},{self.SECRET}", "--force-path-style"]
        command += ["--vfs-cache-mode", "off", "--config", "/dev/null"]
        self.process = Process("rclone", command, dict(os.environ), logs)
        wait_until(lambda: port_answers(self.port), "rclone serve s3", diagnose=self.process.output)

    def env(self) -> dict:
        return {
            "AWS_STORAGE_BUCKET_NAME": self.BUCKET,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.port}",
            "AWS_ACCESS_KEY_ID": self.KEY,
            "AWS_SECRET_ACCESS_KEY": self.SECRET,
            "AWS_S3_REGION_NAME": "us-east-1",
        }


def cluster_env(*, database_url: str, redis_url: str, smtp_port: int, s3: S3Server, var_dir: Path, site_url: str):
    """Production settings (config.settings) configured by environment only:
    PostgreSQL, Redis for cache and broker, SMTP, S3. The outbox's claim
    timeout and sweep grace are shortened so that recovery from a killed
    worker is seen within the test."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_", "CELERY_"))}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "cluster",
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "VAR_DIR": str(var_dir),
        "SITE_URL": site_url,
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "OUTBOX_CLAIM_TIMEOUT_SECONDS": "20",
        "OUTBOX_SWEEP_GRACE_SECONDS": "5",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "4",
        **s3.env(),
    }


def start_web(name: str, port: int, env: dict, logs: Path) -> Process:
    """gunicorn with the production config file; its access log counts the requests it served."""
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", str(logs / f"{name}.access.log")]
    return Process(name, command, env, logs)


def wait_for_web(process: Process, port: int) -> None:
    def answers():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    wait_until(answers, f"{process.name} to answer", diagnose=process.output)


def start_worker(name: str, env: dict, logs: Path) -> Process:
    """One Celery worker process (solo pool: the process that is killed is the one sending)."""
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"]
    command += ["--hostname", f"{name}@%h", "--loglevel", "INFO"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    return Process(name, command, env, logs)


def start_beat(name: str, env: dict, logs: Path) -> Process:
    command = [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO"]
    command += ["--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"]
    return Process(name, command, env, logs)


def wait_for_log(process: Process, text: str, times: int = 1) -> None:
    def seen():
        if not process.alive():
            raise AssertionError(f"{process.name} exited:\n{process.output()}")
        return process.count(text) >= times

    wait_until(seen, f"{text!r} in {process.name}'s log", diagnose=process.output)


def access_log_lines(logs: Path, name: str) -> int:
    path = logs / f"{name}.access.log"
    return len(path.read_text().splitlines()) if path.exists() else 0
