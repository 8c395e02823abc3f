"""Running the whole benchmark in order, as `manage.py benchmark` does."""

import sys

from django.test import Client
from django.urls import reverse

from accounts.testing import sign_in_fully

from ._common import SIGNED_IN_BASELINE, _user
from .load import exports, throughput
from .measuring import measure, pages, ranking, sizes, sweeps
from .reporting import print_pages, print_table, targets


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
