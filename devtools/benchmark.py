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

from accounts.testing import sign_in_fully

ROOT = Path(settings.BASE_DIR)
SIGNED_IN_BASELINE = "baseline, signed in"
# Not a target: a page with the whole layout (header, navigation, footer) and
# no data of its own, to show how much of the 3x budget the layout alone takes.
LAYOUT_ONLY = "layout only, signed in"


def measure(client, url, repeats, uncached=False):
    """Median and p95 of `repeats` requests; `uncached` empties the cache
    before each one, to time the real work behind a cached public page."""
    from django.core.cache import cache

    def get():
        if uncached:
            cache.clear()
        return client.get(url)

    get()  # warm connections
    gc.collect()  # a collection left over from earlier work would land in this page's figures
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
    from awards.models import Nomination
    from judging.models import Assignment, Panel
    from leaders.models import DassAppointment

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
        # The same view for a signed-in person: what every signed-in page pays
        # before its own work (the session and the user are loaded).
        (SIGNED_IN_BASELINE, data["staff_email"], reverse("baseline")),
        (LAYOUT_ONLY, data["staff_email"], reverse("cookies")),
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


def sweeps(data):
    """Each sweep run twice at an instant when its reminders fall due on the
    scale data: `first` queues everything due (the ledger is empty), `second`
    must queue nothing."""
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from accreditation import reminders as accreditation_reminders
    from awards import reminders as awards_reminders
    from awards.models import Cycle
    from judging import reminders as judging_reminders
    from leaders import reminders as leaders_reminders

    cycle = Cycle.objects.get(pk=data["cycle"])
    now = timezone.now()
    results = {}
    for name, sweep, at in [
        ("nomination close", awards_reminders.sweep_nomination_close, cycle.nominations_close - timedelta(days=3)),
        ("scoring deadline", judging_reminders.sweep_scoring_deadline, cycle.scoring_deadline - timedelta(days=2)),
        ("site visits", judging_reminders.sweep_site_visits, cycle.site_visits_start - timedelta(days=1)),
        ("accreditation expiry", accreditation_reminders.sweep_accreditation_expiry, now),
        ("conditions", accreditation_reminders.sweep_conditions, now),
        ("DASS deadlines", leaders_reminders.sweep_dass_deadlines, now),
        ("verification digest", leaders_reminders.sweep_verification_digest, now),
    ]:
        row = {"at": at.isoformat(timespec="minutes")}
        for run in ("first", "second"):
            # The sweep queues emails; handing them to workers is not its cost.
            with mock.patch("notifications.mail.hand_to_worker"), CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                sent = sweep(now=at)
                elapsed = time.perf_counter() - started
            row[run] = {"seconds": round(elapsed, 3), "queries": len(queries), "sent": sent}
        results[name] = row
    return results


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


def _consume(client, url) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.get('Location', '')}")
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


def run(
    data, *, repeats=50, throughput_seconds=10, stream=sys.stdout, progress=sys.stderr, pages_only=False, smaller=None
):
    """Everything the benchmark measures. `smaller`: the results of a
    pages-only run on a smaller database, to show what grows with the data."""
    import logging

    logging.getLogger("celery").setLevel(logging.WARNING)
    client = Client()
    users = {}
    results = {"sizes": sizes(), "pages": {}}
    for name, email, url in pages(data):
        progress.write(f"page: {name}\n")
        if email:
            users.setdefault(email, _user(email))
            sign_in_fully(client, users[email])
        else:
            client.logout()
        results["pages"][name] = {"signed_in": bool(email), **measure(client, url, repeats)}
        if email is None and name != "baseline":
            results["pages"][f"{name} (uncached)"] = {
                "signed_in": False,
                **measure(client, url, repeats, uncached=True),
            }
    anonymous, signed_in = results["pages"]["baseline"], results["pages"][SIGNED_IN_BASELINE]
    for row in results["pages"].values():
        # Each page against the baseline requested the same way (signed in or not).
        baseline = signed_in if row["signed_in"] else anonymous
        row["median_ratio"] = round(row["median_ms"] / baseline["median_ms"], 1)
        row["p95_ratio"] = round(row["p95_ms"] / baseline["p95_ms"], 1)
        row["p95_ratio_to_anonymous_baseline"] = round(row["p95_ms"] / anonymous["p95_ms"], 1)
    if smaller:
        results["sizes_smaller"] = smaller["sizes"]
        for name, row in results["pages"].items():
            if name in smaller["pages"]:
                row["queries_smaller"] = smaller["pages"][name]["queries"]
                row["p95_ms_smaller"] = smaller["pages"][name]["p95_ms"]
    if pages_only:
        print_pages(results, stream)
        return results
    progress.write("ranking\n")
    results["ranking"] = ranking(data)
    progress.write("reminder sweeps\n")
    results["sweeps"] = sweeps(data)
    progress.write("exports\n")
    results["exports"] = exports(client, data, data.get("appointments"))
    if throughput_seconds:
        progress.write("throughput under gunicorn\n")
        results["throughput"] = throughput(
            [
                ("baseline", reverse("baseline")),
                ("register search", reverse("courses:register") + "?level=practice-leaders&mode=online"),
                ("winners page", reverse("winners:cycle", args=[data["cycle"]])),
            ],
            seconds=throughput_seconds,
        )
    results["targets"] = targets(results)
    print_table(results, stream)
    return results


def sizes() -> dict:
    """How much data the pages were measured on."""
    from awards.models import Nomination
    from courses.models import Course
    from leaders.models import DassAppointment

    return {
        "nominations": Nomination.objects.count(),
        "courses": Course.objects.count(),
        "dass_appointments": DassAppointment.objects.count(),
    }


def targets(results) -> list[dict]:
    """Each target of the benchmark with the measured figure and whether it is met."""
    pages_measured = {
        name: row for name, row in results["pages"].items() if not name.startswith("baseline") and name != LAYOUT_ONLY
    }
    served = {name: row for name, row in pages_measured.items() if not name.endswith("(uncached)")}
    worst_queries = max(served.items(), key=lambda item: item[1]["queries"])
    worst_ratio = max(served.items(), key=lambda item: item[1]["p95_ratio"])
    slowest_sweep = max(
        ((name, run, row[run]["seconds"]) for name, row in results["sweeps"].items() for run in ("first", "second")),
        key=lambda item: item[2],
    )
    exports_measured = {name: row for name, row in results["exports"].items() if isinstance(row, dict)}
    worst_memory = max(
        exports_measured.items(),
        key=lambda item: max(item[1]["peak_python_mb"], item[1]["peak_rss_growth_mb"] or 0),
    )
    memory = max(worst_memory[1]["peak_python_mb"], worst_memory[1]["peak_rss_growth_mb"] or 0)
    ranking_seconds = max(results["ranking"]["database_all_categories_s"], results["ranking"]["pure_20000x3x6_s"])
    rows = [
        (
            "queries per page ≤ 15",
            f"{worst_queries[0]}: {worst_queries[1]['queries']}",
            worst_queries[1]["queries"] <= 15,
        ),
        (
            "p95 ≤ 3× baseline",
            f"{worst_ratio[0]}: {worst_ratio[1]['p95_ratio']}× "
            f"(layout alone: {results['pages'][LAYOUT_ONLY]['p95_ratio']}×)",
            worst_ratio[1]["p95_ratio"] <= 3,
        ),
        ("ranking ≤ 2 s", f"{ranking_seconds} s", ranking_seconds <= 2),
        ("each sweep ≤ 5 s", f"{slowest_sweep[0]} ({slowest_sweep[1]}): {slowest_sweep[2]} s", slowest_sweep[2] <= 5),
        ("exports stream, < 50 MB extra", f"{worst_memory[0]}: {memory} MB", memory < 50),
    ]
    if "sizes_smaller" in results:
        grown = [name for name, row in served.items() if row.get("queries_smaller", row["queries"]) != row["queries"]]
        factor = results["sizes"]["nominations"] / max(1, results["sizes_smaller"]["nominations"])
        rows.insert(
            1,
            (
                f"same queries on {factor:.0f}× less data",
                ", ".join(grown) or "every page the same",
                not grown,
            ),
        )
    return [{"target": target, "measured": measured, "met": met} for target, measured, met in rows]


def print_pages(results, stream):
    stream.write(f"\n{results['sizes']}\n")
    smaller = "sizes_smaller" in results
    stream.write(
        f"{'page':<40}{'status':>7}{'queries':>9}{'median ms':>11}{'p95 ms':>9}{'p95 ×base':>11}{'×anon base':>12}"
        + (f"{'queries, less data':>20}{'p95, less data':>16}" if smaller else "")
        + "\n"
    )
    for name, row in results["pages"].items():
        stream.write(
            f"{name:<40}{row['status']:>7}{row['queries']:>9}{row['median_ms']:>11}{row['p95_ms']:>9}"
            f"{row['p95_ratio']:>11}{row['p95_ratio_to_anonymous_baseline']:>12}"
            + (f"{row.get('queries_smaller', ''):>20}{row.get('p95_ms_smaller', ''):>16}" if smaller else "")
            + "\n"
        )


def print_table(results, stream):
    print_pages(results, stream)
    stream.write(f"\nranking: {results['ranking']}\n")
    for name, row in results["sweeps"].items():
        stream.write(f"sweep {name:<22} at {row['at']}  first {row['first']}  second {row['second']}\n")
    for name, row in results["exports"].items():
        stream.write(f"export {name}: {row}\n")
    for name, row in results.get("throughput", {}).items():
        stream.write(f"throughput {name}: {row}\n")
    stream.write("\n")
    for row in results["targets"]:
        stream.write(f"{'met ' if row['met'] else 'MISSED'}  {row['target']:<32} {row['measured']}\n")


def write(results, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2))
