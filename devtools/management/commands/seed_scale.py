import time

from django.core.management.base import BaseCommand, CommandError

from courses.models import Course
from devtools import scale


class Command(BaseCommand):
    help = "Fill an empty database with large, repeatable data for the benchmark (PostgreSQL recommended)."

    def add_arguments(self, parser):
        defaults = scale.Sizes()
        for name in ("nominations", "categories", "judges", "courses", "accreditations", "leaders", "appointments"):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed gives the same data")

    def handle(self, *args, **options):
        if Course.objects.filter(external_id__startswith="SCALE-").exists():
            raise CommandError("This database already has scale data: use a fresh database")
        sizes = scale.Sizes(**{name: options[name] for name in scale.Sizes.__dataclass_fields__})
        progress = scale.Progress(self.stderr._out)
        counts = scale.seed(sizes, options["seed"], progress)
        elapsed = time.monotonic() - progress.started
        self.stdout.write(self.style.SUCCESS(f"Scale data loaded in {elapsed:.1f} s: {counts}"))
