"""Large, realistic, repeatable data for the benchmark (`manage.py seed_scale`).

Everything is made with bulk inserts from a seeded random generator, so the
same sizes and seed give the same data. It writes straight to the tables:
this is test data, not a record of anyone's actions, so no audit rows or
emails are produced.

- base: the sizes, the progress bar, bulk inserts
- accounts: organisations, their contacts, the staff
- awards: the cycle, categories, questions, criteria, nominations
- judging: judges, panels, assignments and scores, results, site visits
- courses: the course register and its accreditations
- leaders: leaders, completions, DASS appointments

The parts are seeded in this order from the one generator: another order would
give other data for the same seed.
"""

import random

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from .accounts import seed_people
from .awards import seed_awards
from .base import BATCH, PASSWORD, WORDS, Progress, Sizes
from .courses import seed_courses
from .judging import seed_judging
from .leaders import seed_leaders

__all__ = ["BATCH", "PASSWORD", "WORDS", "Progress", "Sizes", "seed"]


def seed(sizes: Sizes, seed_value: int = 2026, progress: Progress | None = None) -> dict:
    rng = random.Random(seed_value)
    progress = progress or Progress()
    now = timezone.now()
    today = timezone.localdate()
    password = make_password(PASSWORD)
    with transaction.atomic():
        counts = _seed(sizes, rng, progress, now, today, password)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


def _seed(sizes, rng, progress, now, today, password):
    people = seed_people(sizes, rng, progress, now, password)
    entries = seed_awards(sizes, rng, progress, now, people)
    judging = seed_judging(sizes, rng, progress, now, password, people, entries)
    register = seed_courses(sizes, rng, progress, now, today, people)
    leaders = seed_leaders(sizes, rng, progress, now, today, password, people, register)
    return {
        "cycle": entries.cycle.pk,
        "nominations": len(entries.nominations),
        "categories": len(entries.categories),
        "judges": len(judging.judges),
        "assignments": len(judging.assignments),
        "courses": len(register.courses),
        "accreditations": len(register.accreditations),
        "leaders": len(leaders.leaders),
        "appointments": len(leaders.appointments),
        "completions": len(leaders.completions),
        "contact_email": people.contacts[0].email,
        "judge_email": judging.assignments[0].judge.email if judging.assignments else "",
        "leader_email": leaders.leaders[0].email,
        "admin_email": people.admin.email,
        "staff_email": people.staff.email,
    }
