"""The benchmark and the scale data on tiny sizes, so neither can silently break."""

import json

import pytest
from django.core.management import call_command

from awards.models import Nomination
from core.models import ExportJob
from courses.models import Course

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_scale_and_benchmark_on_tiny_sizes(tmp_path, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command(
        "seed_scale",
        nominations=60,
        categories=3,
        judges=12,
        courses=40,
        accreditations=20,
        leaders=30,
        appointments=50,
        seed=7,
    )
    assert Nomination.objects.count() == 60
    assert Course.objects.filter(external_id__startswith="SCALE-").count() == 40
    smaller, output = tmp_path / "small.json", tmp_path / "results.json"
    call_command("benchmark", repeats=1, pages_only=True, output=str(smaller))
    assert "sweeps" not in json.loads(smaller.read_text())
    call_command("benchmark", repeats=2, throughput_seconds=0, output=str(output), compare=str(smaller))
    results = json.loads(output.read_text())
    assert {n: r["status"] for n, r in results["pages"].items() if r["status"] != 200} == {}
    assert set(results["pages"]) >= {
        "baseline",
        "baseline, signed in",
        "layout only, signed in",
        "provider dashboard",
        "staff nomination list",
        "judge's assigned list",
        "scoring page",
        "ranking page",
        "public winners page",
        "register search, two facets",
        "accreditation staff list",
        "DASS dashboard",
        "leader's portfolio",
    }
    # Session, user, the person's roles and two-factor set-up (every signed-in
    # page reads them for the session limits), SELECT 1.
    assert results["pages"]["baseline, signed in"]["queries"] == 4
    assert results["pages"]["baseline"]["queries"] == 1
    p95_target = next(row for row in results["targets"] if row["target"] == "signed-in p95 ≤ 20× base")
    assert "layout alone" in p95_target["measured"]
    assert "layout only, signed in" not in p95_target["measured"]
    assert set(p95_target) == {"target", "measured", "met", "median", "p95"}
    for name, sweep in results["sweeps"].items():
        assert sweep["second"]["sent"] == 0, name
    # The tiny data still has something due for the sweeps that run at a cycle's milestones.
    assert results["sweeps"]["nomination close"]["first"]["sent"] > 0
    assert results["sweeps"]["scoring deadline"]["first"]["sent"] > 0
    assert results["sweeps"]["site visits"]["first"]["sent"] > 0
    # Every export is timed as a background job, however few its rows.
    assert set(results["exports"]) == {"nominations CSV", "nominations XLSX", "DASS CSV", "DASS XLSX", "rows"}
    assert results["exports"]["nominations CSV"]["rows"] == 60
    assert results["exports"]["DASS CSV"]["bytes"] > 0
    assert results["exports"]["DASS XLSX"]["progress_page_median_s"] > 0
    assert results["exports"]["DASS XLSX"]["build_seconds"] > 0
    # Built in a fresh process on the test database.
    assert results["exports"]["DASS CSV"]["peak_rss_growth_mb"] is not None
    # The benchmark's jobs and their files are removed afterwards.
    assert not ExportJob.objects.exists()
    assert results["pages"]["ranking page"]["queries_smaller"] == results["pages"]["ranking page"]["queries"]
    assert [row["target"] for row in results["targets"]] == [
        "signed-in median ≤ 10× base",
        "signed-in p95 ≤ 20× base",
        "public page ≤ 15× anon base",
        "same queries on 1× less data",
        "each sweep's first run ≤ 5 s",
        "ranking all categories ≤ 1 s",
        "export's progress page ≤ 1 s",
        "export build < 50 MB extra",
    ]


def test_seed_scale_refuses_a_second_run():
    from django.core.management.base import CommandError

    call_command(
        "seed_scale", nominations=10, categories=2, judges=6, courses=5, accreditations=5, leaders=5, appointments=5
    )
    with pytest.raises(CommandError, match="already has scale data"):
        call_command(
            "seed_scale", nominations=10, categories=2, judges=6, courses=5, accreditations=5, leaders=5, appointments=5
        )
