"""Heavier loads: exports (time and memory, streamed; memory also in a fresh
process) and throughput under a real gunicorn."""

import gc
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.testing import sign_in_fully

from ._common import ROOT, _consume, _user


def exports(client, data, rows_wanted):
    """Time and peak memory while consuming each export, streamed."""
    results = {}
    for name, user, url in [
        ("nominations CSV", data["admin_email"], reverse("awards:manage_nominations") + "?export=csv"),
        ("nominations XLSX", data["admin_email"], reverse("awards:manage_nominations") + "?export=xlsx"),
        ("DASS CSV", data["staff_email"], reverse("leaders:dashboard") + "?export=csv"),
        ("DASS XLSX", data["staff_email"], reverse("leaders:dashboard") + "?export=xlsx"),
    ]:
        sign_in_fully(client, _user(user))
        started = time.perf_counter()
        size = _consume(client, url)
        elapsed = time.perf_counter() - started
        # Python's own peak in a second pass: tracing allocations slows it down.
        gc.collect()
        tracemalloc.start()
        _consume(client, url)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results[name] = {
            "seconds": round(elapsed, 2),
            "peak_python_mb": round(peak / 1e6, 1),
            "peak_rss_growth_mb": _rss_growth_in_fresh_process(user, url),
            "bytes": size,
        }
    results["rows"] = rows_wanted
    return results


def _rss_growth_in_fresh_process(email, url) -> float | None:
    """How far a fresh process's resident memory rises while it serves the
    export: memory of C libraries (the database driver's buffers,
    compression) included. In this process it would show nothing, since
    the memory earlier work freed is reused. Linux only; None elsewhere."""
    if not Path("/proc/self/clear_refs").exists():
        return None
    database = connection.settings_dict["NAME"]  # under the test runner, the test database
    probe = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", "benchmark", "--measure-export", email, url, database],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(probe.stdout.strip().splitlines()[-1])["rss_growth_mb"]


def measure_export_memory(email, url, database) -> float:
    """Run in the fresh process: signs in, warms up with a small page, then
    consumes the export and returns the rise of resident memory in MB."""
    connection.settings_dict["NAME"] = database
    client = Client()
    sign_in_fully(client, _user(email))
    client.get(reverse("baseline"))
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
    before = _status_kb("VmRSS")
    _consume(client, url)
    return round((_status_kb("VmHWM") - before) / 1000, 1)


def _status_kb(field) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise OSError(field)


def throughput(urls, seconds=10, concurrency=4):
    """Requests per second from a real gunicorn (2 workers) on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
    }
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    import urllib.request

    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{urls[0][1]}", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        results = {}
        for name, path in urls:
            count = [0]
            errors = [0]
            stop = time.monotonic() + seconds

            def load(path=path, count=count, errors=errors, stop=stop):
                while time.monotonic() < stop:
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as reply:
                            reply.read()
                        count[0] += 1
                    except OSError:
                        errors[0] += 1

            threads = [threading.Thread(target=load) for _ in range(concurrency)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            results[name] = {"requests_per_second": round(count[0] / seconds, 1), "errors": errors[0]}
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
