"""The benchmark behind `manage.py benchmark` (see bench/README.md).

Pages are requested through Django's test client as the people who use them,
after the scale data is loaded; each page's time is also given as a ratio to
a baseline view measured in the same run (one trivial query, a minimal
template), so the figures compare across machines.
"""

import gc
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)


def measure(client, url, repeats, uncached=False):
    """Median and p95 of `repeats` requests; `uncached` empties the cache
    before each one, to time the real work behind a cached public page."""
    from django.core.cache import cache

    def get():
        if uncached:
            cache.clear()
        return client.get(url)

    get()  # warm connections
    with CaptureQueriesContext(connection) as queries:
        response = get()
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    # Count now: every request clears the connection's query log.
    query_count = len(queries)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = get()
        times.append(time.perf_counter() - started)
    times.sort()
    return {
        "status": response.status_code,
        "queries": query_count,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))] * 1000, 1),
    }


def pages(data):
    """(name, user email or None, url) for every key page, using the scale data."""
    from accreditation.models import DassAppointment
    from awards.models import Nomination
    from judging.models import Assignment, Panel

    judge_assignment = Assignment.objects.filter(judge__email=data["judge_email"]).order_by("pk").first()
    panel = Panel.objects.filter(category__cycle=data["cycle"]).order_by("pk").first()
    leader_with_completions = (
        DassAppointment.objects.filter(qualifying_completion__isnull=False)
        .values_list("leader__email", flat=True)
        .first()
    )
    nomination = Nomination.objects.filter(cycle=data["cycle"]).exclude(reference="").order_by("pk").first()
    return [
        ("baseline", None, reverse("baseline")),
        ("provider dashboard", data["contact_email"], reverse("awards:dashboard")),
        ("staff nomination list", data["admin_email"], reverse("awards:manage_nominations")),
        ("staff nomination detail", data["admin_email"], reverse("awards:manage_nomination", args=[nomination.pk])),
        ("judge's assigned list", data["judge_email"], reverse("judging:home")),
        ("scoring page", data["judge_email"], reverse("judging:score", args=[judge_assignment.pk])),
        ("ranking page", panel.chair.email, reverse("judging:results", args=[panel.pk])),
        ("public winners page", None, reverse("winners:cycle", args=[data["cycle"]])),
        ("register search, two facets", None, reverse("courses:register") + "?level=practice-leaders&mode=online"),
        (
            "register full text + facets",
            None,
            reverse("courses:register") + "?q=dementia+care&level=service-leaders&mode=blended",
        ),
        ("accreditation staff list", data["staff_email"], reverse("accreditation:staff")),
        ("DASS dashboard", data["staff_email"], reverse("leaders:dashboard")),
        ("leader's portfolio", leader_with_completions, reverse("leaders:portfolio")),
    ]


def ranking(data):
    from awards.models import Category
    from judging.results import category_results, compute

    started = time.perf_counter()
    rows = sum(len(category_results(c, "written", 25)) for c in Category.objects.filter(cycle=data["cycle"]))
    from_database = time.perf_counter() - started
    rng = random.Random(1)
    criteria = [(i, rng.randint(1, 5), 10) for i in range(1, 7)]
    scores = [
        (n, j, c, rng.randint(0, 10)) for n in range(20_000) for j in rng.sample(range(600), 3) for c, _, _ in criteria
    ]
    started = time.perf_counter()
    compute([(n, f"R{n:06d}") for n in range(20_000)], criteria, scores, threshold=25)
    return {
        "database_all_categories_s": round(from_database, 3),
        "database_rows": rows,
        "pure_20000x3x6_s": round(time.perf_counter() - started, 3),
    }


def sweeps():
    from unittest import mock

    from django.db import reset_queries

    from accreditation import reminders as accreditation_reminders
    from awards import reminders as awards_reminders
    from judging import reminders as judging_reminders

    results = {}
    for name, sweep in [
        ("nomination close", awards_reminders.sweep_nomination_close),
        ("scoring deadline", judging_reminders.sweep_scoring_deadline),
        ("site visits", judging_reminders.sweep_site_visits),
        ("accreditation expiry", accreditation_reminders.sweep_accreditation_expiry),
        ("conditions", accreditation_reminders.sweep_conditions),
        ("DASS deadlines", accreditation_reminders.sweep_dass_deadlines),
        ("verification digest", accreditation_reminders.sweep_verification_digest),
    ]:
        row = {}
        for run in ("first", "second"):
            reset_queries()
            # The sweep queues emails; handing them to workers is not its cost.
            with mock.patch("notifications.mail.hand_to_worker"), CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                sent = sweep()
                elapsed = time.perf_counter() - started
            row[run] = {
                "seconds": round(elapsed, 3),
                "queries": len(queries),
                "sent": sent,
                "select_queries": sum(1 for q in queries if q["sql"].lstrip().upper().startswith("SELECT")),
            }
        results[name] = row
    return results


def exports(client, data, rows_wanted):
    """Time and peak Python memory while consuming each export, streamed."""
    results = {}
    for name, user, url in [
        ("nominations CSV", data["admin_email"], reverse("awards:manage_nominations") + "?export=csv"),
        ("nominations XLSX", data["admin_email"], reverse("awards:manage_nominations") + "?export=xlsx"),
        ("DASS CSV", data["staff_email"], reverse("leaders:dashboard") + "?export=csv"),
        ("DASS XLSX", data["staff_email"], reverse("leaders:dashboard") + "?export=xlsx"),
    ]:
        client.force_login(_user(user))
        started = time.perf_counter()
        size = _consume(client, url, name)
        elapsed = time.perf_counter() - started
        # Peak memory in a second pass: tracing allocations slows Python down.
        gc.collect()
        tracemalloc.start()
        _consume(client, url, name)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results[name] = {"seconds": round(elapsed, 2), "peak_mb": round(peak / 1e6, 1), "bytes": size}
    results["rows"] = rows_wanted
    return results


def _consume(client, url, name) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{name}: {response.status_code} {response.get('Location', '')}")
    return sum(len(chunk) for chunk in response.streaming_content)


def _user(email):
    from accounts.models import User

    return User.objects.get(email=email)


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


def run(data, *, repeats=30, throughput_seconds=10, stream=sys.stdout):
    import logging

    logging.getLogger("celery").setLevel(logging.WARNING)
    client = Client()
    users = {}
    results = {"pages": {}}
    for name, email, url in pages(data):
        if email:
            users.setdefault(email, _user(email))
            client.force_login(users[email])
        else:
            client.logout()
        results["pages"][name] = measure(client, url, repeats)
        if email is None and name != "baseline":
            results["pages"][f"{name} (uncached)"] = measure(client, url, repeats, uncached=True)
    baseline = results["pages"]["baseline"]
    for row in results["pages"].values():
        row["median_ratio"] = round(row["median_ms"] / baseline["median_ms"], 1) if baseline["median_ms"] else None
        row["p95_ratio"] = round(row["p95_ms"] / baseline["p95_ms"], 1) if baseline["p95_ms"] else None
    results["ranking"] = ranking(data)
    results["sweeps"] = sweeps()
    results["exports"] = exports(client, data, data.get("appointments"))
    if throughput_seconds:
        results["throughput"] = throughput(
            [
                ("baseline", reverse("baseline")),
                ("register search", reverse("courses:register") + "?level=practice-leaders&mode=online"),
                ("winners page", reverse("winners:cycle", args=[data["cycle"]])),
            ],
            seconds=throughput_seconds,
        )
    print_table(results, stream)
    return results


def print_table(results, stream):
    stream.write(f"\n{'page':<32}{'status':>7}{'queries':>9}{'median ms':>11}{'p95 ms':>9}{'p95 ×base':>11}\n")
    for name, row in results["pages"].items():
        stream.write(
            f"{name:<32}{row['status']:>7}{row['queries']:>9}{row['median_ms']:>11}{row['p95_ms']:>9}"
            f"{row['p95_ratio']:>11}\n"
        )
    stream.write(f"\nranking: {results['ranking']}\n")
    for name, row in results["sweeps"].items():
        stream.write(f"sweep {name:<22} first {row['first']}  second {row['second']}\n")
    for name, row in results["exports"].items():
        stream.write(f"export {name}: {row}\n")
    for name, row in results.get("throughput", {}).items():
        stream.write(f"throughput {name}: {row}\n")


def write(results, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2))
