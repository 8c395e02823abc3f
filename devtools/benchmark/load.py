"""Heavier loads: exports as background jobs (the progress page, the build,
memory; memory also in a fresh process) and throughput under a real gunicorn."""

import gc
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from unittest import mock

from django.db import connection
from django.test import override_settings
from django.urls import reverse

from accounts.testing import sign_in_fully

from ._common import ROOT, _user

EXPORTS = [
    ("nominations CSV", "admin_email", "awards:manage_nominations", "csv"),
    ("nominations XLSX", "admin_email", "awards:manage_nominations", "xlsx"),
    ("DASS CSV", "staff_email", "leaders:dashboard", "csv"),
    ("DASS XLSX", "staff_email", "leaders:dashboard", "xlsx"),
]


def exports(client, data, rows_wanted, repeats=5):
    """Each staff export as a background job (core.export_jobs), whatever
    the data's size: the time from asking for it to the job's progress page
    (the export link's redirect and the page), the job's build as a worker
    runs it, the peak of Python's own allocations while building (a second
    job) and how far a fresh process's resident memory rises while it
    builds (a third job)."""
    from core.export_jobs import run
    from core.models import ExportJob
    from core.tasks import run_export

    results = {}
    with (
        override_settings(EXPORT_BACKGROUND_ROWS=0),
        # Queued only: each job is built below, where it is timed on its own.
        mock.patch("core.export_jobs._hand_to_worker") as handed,
        # The job queues an email when ready; sending it is the workers' job.
        mock.patch("notifications.mail.hand_to_worker"),
    ):
        for name, who, list_url, fmt in EXPORTS:
            user = _user(data[who])
            sign_in_fully(client, user)
            url = reverse(list_url) + f"?export={fmt}"
            handed.reset_mock()
            first_page = []
            for _ in range(max(repeats, 3)):  # one job to build, one to trace, one for the fresh process
                started = time.perf_counter()
                first_page.append(_progress_page(client, url))
                first_page[-1] = time.perf_counter() - started
            jobs = [call.args[0] for call in handed.call_args_list]
            gc.collect()
            started = time.perf_counter()
            run_export.apply(args=[jobs[0]])
            build = time.perf_counter() - started
            built = ExportJob.objects.get(pk=jobs[0])
            if built.state != ExportJob.STATES.DONE:
                raise RuntimeError(f"{name}: the export job ended {built.state}")
            # Python's own peak in a second build: tracing allocations slows it down.
            gc.collect()
            tracemalloc.start()
            run(jobs[1])
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            first_page.sort()
            results[name] = {
                "progress_page_median_s": round(statistics.median(first_page), 3),
                "progress_page_p95_s": round(first_page[min(len(first_page) - 1, int(len(first_page) * 0.95))], 3),
                "build_seconds": round(build, 2),
                "peak_python_mb": round(peak / 1e6, 1),
                "peak_rss_growth_mb": _rss_growth_in_fresh_process(jobs[2]),
                "rows": built.row_count,
                "bytes": built.file.size,
            }
            for job in ExportJob.objects.filter(pk__in=jobs):
                if job.file:
                    job.file.delete(save=False)
            ExportJob.objects.filter(pk__in=jobs).delete()
    results["rows"] = rows_wanted
    return results


def _progress_page(client, url) -> None:
    """Asks for the export and follows its redirect to the job's page."""
    response = client.get(url)
    if response.status_code != 302 or "/exports/" not in response["Location"]:
        raise RuntimeError(f"{url}: {response.status_code} {response.get('Location', '')}, not a job's page")
    page = client.get(response["Location"])
    if page.status_code != 200:
        raise RuntimeError(f"{response['Location']}: {page.status_code}")


def _rss_growth_in_fresh_process(job_id) -> float | None:
    """How far a fresh process's resident memory rises while it builds the
    job's file: memory of C libraries (the database driver's buffers,
    compression) included. In this process it would show nothing, since
    the memory earlier work freed is reused. Linux only; None elsewhere."""
    if not Path("/proc/self/clear_refs").exists():
        return None
    database = connection.settings_dict["NAME"]  # under the test runner, the test database
    probe = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", "benchmark", "--measure-export-job", str(job_id), database],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(probe.stdout.strip().splitlines()[-1])["rss_growth_mb"]


def measure_export_job_memory(job_id, database) -> float:
    """Run in the fresh process, as a worker would: loads what building
    needs with a query, then builds the job's file and returns the rise of
    resident memory in MB."""
    from core import exports as _exports  # noqa: F401 - the writers, loaded as in a worker
    from core.export_jobs import run
    from core.models import ExportJob

    connection.settings_dict["NAME"] = database
    ExportJob.objects.filter(pk=job_id).exists()
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
    before = _status_kb("VmRSS")
    with mock.patch("notifications.mail.hand_to_worker"):
        if not run(int(job_id)):
            raise RuntimeError(f"Export job {job_id} was not built")
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
