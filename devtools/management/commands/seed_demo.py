from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, seed_people
from accreditation.demo import seed_accreditation
from awards.demo import seed_awards
from courses.demo import seed_courses
from judging.demo import seed_judging
from leaders.demo import seed_leaders
from regulator.demo import seed_regulator


class Command(BaseCommand):
    help = "Load demo organisations, one user per role and a demo award cycle (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        people = seed_people()
        cycle = seed_awards()
        past = seed_judging(cycle)
        courses = seed_courses()
        seed_accreditation()
        seed_leaders()
        seed_regulator(cycle)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Award cycle open for nominations: {cycle} (closes {cycle.nominations_close:%d %B %Y})")
        self.stdout.write(f"Judged cycle with published winners: {past}")
        self.stdout.write(f"Courses in the register: {len(courses)}")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
        self.stdout.write("Accounts with a setup key need two-factor authentication: add the key to an")
        self.stdout.write("authenticator app, or print a code with:")
        self.stdout.write("  .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('KEY').now())\"")
        for person in people:
            line = f"  {person['email']:<22} {person['roles'] or 'provider / leader'}"
            if person["totp"]:
                line += f"  setup key {person['totp']}"
            self.stdout.write(line)
