"""Measuring: each key page's queries and times, the ranking, the reminder sweeps,
and how much data there is."""

import gc
import random
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ._common import LAYOUT_ONLY, SIGNED_IN_BASELINE


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
