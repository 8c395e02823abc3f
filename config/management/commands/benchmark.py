from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from awards.models import Cycle
from config import benchmark
from judging.models import Assignment


class Command(BaseCommand):
    help = "Measure the key pages, ranking, reminder sweeps, exports and throughput on the scale data."

    def add_arguments(self, parser):
        parser.add_argument("--repeats", type=int, default=30, help="Requests per page (median and p95 of these)")
        parser.add_argument("--throughput-seconds", type=int, default=10, help="0 skips the gunicorn load test")
        parser.add_argument("--output", default="bench/results.json")

    def handle(self, *args, **options):
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
            "appointments": User.objects.filter(dass_appointments__isnull=False).count(),
        }
        results = benchmark.run(
            data, repeats=options["repeats"], throughput_seconds=options["throughput_seconds"], stream=self.stdout
        )
        benchmark.write(results, options["output"])
        self.stdout.write(self.style.SUCCESS(f"Results written to {options['output']}"))
