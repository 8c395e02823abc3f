import argparse
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from awards.models import Cycle
from devtools import benchmark
from judging.models import Assignment
from leaders.models import DassAppointment


class Command(BaseCommand):
    help = "Measure the key pages, ranking, reminder sweeps, exports and throughput on the scale data."

    def add_arguments(self, parser):
        parser.add_argument("--repeats", type=int, default=50, help="Requests per page (median and p95 of these)")
        parser.add_argument("--throughput-seconds", type=int, default=10, help="0 skips the gunicorn load test")
        parser.add_argument("--output", default="bench/results.json")
        parser.add_argument(
            "--pages-only", action="store_true", help="Only the pages (for a smaller database to compare with)"
        )
        parser.add_argument(
            "--compare",
            metavar="RESULTS",
            help="Results of --pages-only on a smaller database: each page's queries and p95 beside these",
        )
        # Used by the benchmark itself to measure an export job's memory in a fresh process.
        parser.add_argument("--measure-export-job", nargs=2, metavar=("JOB", "DATABASE"), help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["measure_export_job"]:
            self.stdout.write(
                json.dumps({"rss_growth_mb": benchmark.measure_export_job_memory(*options["measure_export_job"])})
            )
            return
        cycle = Cycle.objects.filter(programme__name="Scale Accolades").order_by("-pk").first()
        if cycle is None:
            raise CommandError("No scale data: run manage.py seed_scale first")
        assignment = Assignment.objects.filter(nomination__cycle=cycle).order_by("pk").first()
        data = {
            "cycle": cycle.pk,
            "contact_email": "contact0@scale.example",
            "judge_email": assignment.judge.email,
            "admin_email": "admin@scale.example",
            "staff_email": "staff@scale.example",
            "appointments": DassAppointment.objects.filter(ended_on__isnull=True).count(),
        }
        smaller = None
        if options["compare"]:
            smaller = json.loads(Path(options["compare"]).read_text())
        results = benchmark.run(
            data,
            repeats=options["repeats"],
            throughput_seconds=options["throughput_seconds"],
            stream=self.stdout,
            pages_only=options["pages_only"],
            smaller=smaller,
        )
        benchmark.write(results, options["output"])
        self.stdout.write(self.style.SUCCESS(f"Results written to {options['output']}"))
