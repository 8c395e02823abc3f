"""What every part of the scale data uses: the sizes, the progress bar, bulk
inserts in batches, and an admin user for each organisation."""

import sys
import time
from dataclasses import dataclass

from accounts.enums import MembershipRole
from accounts.models import Membership, User

BATCH = 5000
PASSWORD = "scale-password-2026"
WORDS = (
    "leading",
    "care",
    "dementia",
    "commissioning",
    "coaching",
    "quality",
    "safeguarding",
    "finance",
    "strategy",
    "wellbeing",
    "community",
    "practice",
    "people",
    "homes",
    "support",
    "inclusion",
    "carers",
    "outcomes",
    "partnership",
)


@dataclass
class Sizes:
    nominations: int = 20_000
    categories: int = 40
    judges: int = 600
    courses: int = 10_000
    accreditations: int = 10_000
    leaders: int = 50_000
    appointments: int = 100_000


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.started = time.monotonic()

    def step(self, label, done, total):
        width = 30
        filled = int(width * done / total) if total else width
        self.stream.write(
            f"\r{label:<28} [{'#' * filled}{'.' * (width - filled)}] {done:>7}/{total:<7} "
            f"{time.monotonic() - self.started:6.1f}s"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _bulk(model, rows, progress, label, total=None):
    rows = list(rows)
    total = total or len(rows)
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
        progress.step(label, min(start + BATCH, len(rows)), total)
    return rows


def _organisation_admins(organisations, prefix, name, password, progress, label):
    """One admin user for each organisation: <prefix><n>@scale.example."""
    people = _bulk(
        User,
        (
            User(email=f"{prefix}{n}@scale.example", full_name=f"{name} {n}", password=password)
            for n in range(len(organisations))
        ),
        progress,
        label,
    )
    _bulk(
        Membership,
        (
            Membership(user=u, organisation=o, role=MembershipRole.ADMIN)
            for u, o in zip(people, organisations, strict=True)
        ),
        progress,
        f"{label}' memberships",
    )
    return people
