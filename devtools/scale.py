"""Large, realistic, repeatable data for the benchmark (`manage.py seed_scale`).

Everything is made with bulk inserts from a seeded random generator, so the
same sizes and seed give the same data. It writes straight to the tables:
this is test data, not a record of anyone's actions, so no audit rows or
emails are produced.
"""

import random
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.enums import MembershipRole, Region, Sector, SiteRole
from accounts.models import Membership, Organisation, RoleGrant, User
from accreditation.models import Accreditation, Application, Condition, Period
from awards.enums import CriterionStage, NominationState
from awards.models import Answer, Category, Criterion, Cycle, Nomination, Programme, Question
from courses.domain import refresh_search_document
from courses.models import Course, FrameworkDomain, FrameworkLevel
from judging.enums import Stage
from judging.models import (
    Assignment,
    ConflictDeclaration,
    CriterionScore,
    FinalResult,
    JudgeProfile,
    Panel,
    PanelMember,
    Publication,
    SiteVisit,
)
from leaders.compliance import deadline_for
from leaders.enums import CompletionState
from leaders.models import Completion, DassAppointment

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
    # Organisations and their contacts.
    provider_count = max(50, sizes.nominations // 4)
    sectors = [Sector.PRIVATE] * 6 + [Sector.VOLUNTARY] * 2 + [Sector.PUBLIC] + [Sector.COMMUNITY]
    providers = _bulk(
        Organisation,
        (
            Organisation(
                name=f"Scale Care {n:05d}",
                sector=rng.choice(sectors),
                region=rng.choice(Region.values),
                is_care_provider=True,
            )
            for n in range(provider_count)
        ),
        progress,
        "care providers",
    )
    course_providers = _bulk(
        Organisation,
        (
            Organisation(
                name=f"Scale Learning {n:04d}",
                sector=rng.choice(sectors),
                region=rng.choice(Region.values),
                is_course_provider=True,
            )
            for n in range(max(20, sizes.courses // 50))
        ),
        progress,
        "course providers",
    )
    authorities = _bulk(
        Organisation,
        (
            Organisation(
                name=f"Scale Council {n:03d}",
                sector=Sector.PUBLIC,
                region=rng.choice(Region.values),
                is_local_authority=True,
            )
            for n in range(150)
        ),
        progress,
        "local authorities",
    )
    contacts = _organisation_admins(providers, "contact", "Contact", password, progress, "provider contacts")
    _organisation_admins(course_providers, "courses", "Course Admin", password, progress, "course provider admins")

    # Staff who use the administrators' pages, with two-factor authentication set up.
    admin = User.objects.create(email="admin@scale.example", full_name="Scale Admin", password=password)
    staff = User.objects.create(email="staff@scale.example", full_name="Scale Staff", password=password)
    RoleGrant.objects.create(user=admin, role=SiteRole.AWARDS_ADMIN, granted_at=now)
    RoleGrant.objects.create(user=staff, role=SiteRole.ACADEMY_STAFF, granted_at=now)

    # Awards: one open cycle with its categories, questions and criteria.
    programme, _ = Programme.objects.get_or_create(name="Scale Accolades", defaults={"reference_prefix": "SC"})
    close = now + timedelta(days=30)
    cycle = Cycle.objects.create(
        programme=programme,
        year=close.year + rng.randint(10, 60),
        nominations_open=now - timedelta(days=60),
        nominations_close=close,
        scoring_deadline=close + timedelta(days=30),
        shortlist_published=close + timedelta(days=40),
        site_visits_start=close + timedelta(days=50),
        site_visits_end=close + timedelta(days=60),
        final_panel=close + timedelta(days=70),
        winners_announced=now - timedelta(days=1),
    )
    categories = _bulk(
        Category,
        (
            Category(
                cycle=cycle,
                name=f"Scale category {n:02d}",
                slug=f"scale-{n:02d}",
                description="A category for the benchmark",
                order=n,
            )
            for n in range(sizes.categories)
        ),
        progress,
        "categories",
    )
    questions = _bulk(
        Question,
        (Question(category=c, text=f"Question {q}", word_limit=500, order=q) for c in categories for q in range(3)),
        progress,
        "questions",
    )
    criteria = _bulk(
        Criterion,
        (
            Criterion(
                category=c,
                name=f"Criterion {k}",
                weight=rng.randint(1, 5),
                max_score=10,
                order=k,
                stage=CriterionStage.WRITTEN,
            )
            for c in categories
            for k in range(6)
        ),
        progress,
        "criteria",
    )
    written = {}
    for criterion in criteria:
        written.setdefault(criterion.category_id, []).append(criterion)
    questions_by_category = {}
    for question in questions:
        questions_by_category.setdefault(question.category_id, []).append(question)

    states = [NominationState.ELIGIBLE] * 7 + [
        NominationState.SUBMITTED,
        NominationState.DRAFT,
        NominationState.INELIGIBLE,
    ]
    nominations = _bulk(
        Nomination,
        (
            Nomination(
                cycle=cycle,
                category=categories[n % len(categories)],
                organisation=providers[n % len(providers)],
                created_by=contacts[n % len(contacts)],
                state=(state := rng.choice(states)),
                reference="" if state == NominationState.DRAFT else f"SC-{n + 1:06d}",
                service_name=f"Scale Service {n}",
                service_address="1 High Street",
                consent_to_publish=True,
                user_statement="They listen to me.",
                user_statement_by="A resident",
                user_statement_consent=True,
                submitted_at=None if state == NominationState.DRAFT else now,
            )
            for n in range(sizes.nominations)
        ),
        progress,
        "nominations",
    )
    _bulk(
        Answer,
        (
            Answer(nomination=n, question=q, text=" ".join(rng.choices(WORDS, k=60)))
            for n in nominations
            for q in questions_by_category[n.category_id]
        ),
        progress,
        "answers",
    )

    # Judges, conflicts, panels, assignments and full scores.
    judges = _bulk(
        User,
        (User(email=f"judge{n}@scale.example", full_name=f"Judge {n}", password=password) for n in range(sizes.judges)),
        progress,
        "judges",
    )
    _bulk(RoleGrant, (RoleGrant(user=j, role=SiteRole.JUDGE, granted_at=now) for j in judges), progress, "judge roles")
    secret = {"secret": encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")}
    _bulk(
        Authenticator,
        (Authenticator(user=u, type=Authenticator.Type.TOTP, data=secret) for u in [admin, staff, *judges]),
        progress,
        "two-factor set-ups",
    )
    _bulk(
        JudgeProfile,
        (
            JudgeProfile(
                user=j,
                sector_background=rng.choice(Sector.values),
                lived_experience=rng.choice(["none", "none", "uses_services", "unpaid_carer"]),
            )
            for j in judges
        ),
        progress,
        "judge profiles",
    )
    conflict_pairs = {(rng.choice(judges).pk, rng.choice(providers).pk) for _ in range(sizes.judges)}
    _bulk(
        ConflictDeclaration,
        (ConflictDeclaration(judge_id=j, organisation_id=o, kind="employment") for j, o in conflict_pairs),
        progress,
        "conflicts",
    )
    per_panel = max(5, len(judges) // len(categories))
    panels = _bulk(
        Panel,
        (
            Panel(category=c, chair=judges[(i * per_panel) % len(judges)], state="active", activated_at=now)
            for i, c in enumerate(categories)
        ),
        progress,
        "panels",
    )
    panel_judges = {}
    members = []
    for i, panel in enumerate(panels):
        chosen = [judges[(i * per_panel + k) % len(judges)] for k in range(per_panel)]
        panel_judges[panel.category_id] = chosen
        members.extend(PanelMember(panel=panel, judge=j) for j in chosen)
    _bulk(PanelMember, members, progress, "panel members")
    scored = [n for n in nominations if n.state == NominationState.ELIGIBLE]
    assignments = []
    for nomination in scored:
        pool = [
            j for j in panel_judges[nomination.category_id] if (j.pk, nomination.organisation_id) not in conflict_pairs
        ]
        for judge in rng.sample(pool, min(3, len(pool))):
            # Judging in progress: every criterion scored, one scorecard in ten not yet submitted.
            submitted_at = None if rng.random() < 0.1 else now
            assignments.append(
                Assignment(nomination=nomination, judge=judge, stage=Stage.WRITTEN, submitted_at=submitted_at)
            )
    _bulk(Assignment, assignments, progress, "assignments")
    _bulk(
        CriterionScore,
        (
            CriterionScore(assignment=a, criterion=c, score=rng.randint(2, 10), comment="Good")
            for a in assignments
            for c in written[a.nomination.category_id]
        ),
        progress,
        "scores",
        total=len(assignments) * 6,
    )

    # Published results, so the public winners page has something to show.
    awards = ["winner", "highly_commended", "commended"]
    results = []
    for category in categories:
        top = [n for n in scored if n.category_id == category.pk][:3]
        results.extend(
            FinalResult(
                nomination=n, award=award, final_score=Decimal("80.00"), citation="An example.", rationale="Scale data"
            )
            for n, award in zip(top, awards, strict=False)
        )
    _bulk(FinalResult, results, progress, "final results")
    Publication.objects.create(cycle=cycle, approved_at=now, entrants_notified_at=now)
    Cycle.objects.filter(pk=cycle.pk).update(results_approved_at=now)

    # Site visits to six nominations a category, over the first ten days of the window.
    visited = []
    for category in categories:
        visited.extend([n for n in scored if n.category_id == category.pk][:6])
    visits = _bulk(
        SiteVisit,
        (
            SiteVisit(
                nomination=n,
                starts_at=(start := cycle.site_visits_start + timedelta(days=i % 10, hours=1)),
                ends_at=start + timedelta(hours=3),
                address="1 High Street",
                provider_contact_name="Registered manager",
                provider_contact_email=f"manager{n.pk}@scale.example",
            )
            for i, n in enumerate(visited)
        ),
        progress,
        "site visits",
    )
    _bulk(
        SiteVisit.judges.through,
        (
            SiteVisit.judges.through(sitevisit_id=v.pk, user_id=j.pk)
            for v, n in zip(visits, visited, strict=True)
            for j in panel_judges[n.category_id][:2]
        ),
        progress,
        "visiting judges",
    )

    # Course register and accreditations.
    levels = list(FrameworkLevel.objects.all())
    domains = list(FrameworkDomain.objects.all())
    # The first `accreditations` courses are accredited for three years from a
    # day in the last four years; the register keeps a copy on each course.
    accredited_from = [today - timedelta(days=rng.randint(0, 1400)) for _ in range(sizes.accreditations)]
    courses = _bulk(
        Course,
        (
            Course(
                provider=rng.choice(course_providers),
                external_id=f"SCALE-{n:06d}",
                title=" ".join(rng.sample(WORDS, 3)).title(),
                summary=" ".join(rng.choices(WORDS, k=40)),
                delivery_mode=rng.choice(["in_person", "online", "blended"]),
                duration_hours=Decimal(rng.randint(2, 120)),
                cost=Decimal(rng.randint(0, 3000)),
                region=rng.choice(["national", *Region.values]),
                designed_for_social_care=rng.random() < 0.7,
                state="listed",
                listed_at=now,
                **(
                    {
                        "accreditation_status": "accredited",
                        "accreditation_number": f"SC-{n + 1:07d}",
                        "accredited_from": accredited_from[n],
                        "accredited_to": accredited_from[n] + timedelta(days=3 * 365 - 1),
                    }
                    if n < len(accredited_from)
                    else {}
                ),
            )
            for n in range(sizes.courses)
        ),
        progress,
        "courses",
    )
    _bulk(
        Course.levels.through,
        (Course.levels.through(course_id=c.pk, frameworklevel_id=rng.choice(levels).pk) for c in courses),
        progress,
        "course levels",
    )
    _bulk(
        Course.domains.through,
        (Course.domains.through(course_id=c.pk, frameworkdomain_id=rng.choice(domains).pk) for c in courses),
        progress,
        "course domains",
    )
    refresh_search_document([c.pk for c in courses])
    accredited = courses[: min(sizes.accreditations, len(courses))]
    applications = _bulk(
        Application,
        (Application(course=c, state="accredited", round=1, submitted_at=now, decided_at=now) for c in accredited),
        progress,
        "applications",
    )
    accreditations = [
        Accreditation(
            course=application.course,
            application=application,
            number=application.course.accreditation_number,
            valid_from=application.course.accredited_from,
            valid_to=application.course.accredited_to,
        )
        for application in applications
    ]
    _bulk(Accreditation, accreditations, progress, "accreditations")
    _bulk(
        Period,
        (
            Period(course=a.course, accreditation=a, status="active", starts_on=a.valid_from, ends_on=a.valid_to)
            for a in accreditations
        ),
        progress,
        "accreditation periods",
    )
    _bulk(
        Condition,
        (
            Condition(
                accreditation=a, text="Add a module on safeguarding", due_on=today + timedelta(rng.randint(-10, 60))
            )
            for a in accreditations
            if rng.random() < 0.15
        ),
        progress,
        "accreditation conditions",
    )
    by_course = {a.course_id: a for a in accreditations}

    # Leaders, DASS appointments and completions.
    leaders = _bulk(
        User,
        (
            User(email=f"leader{n}@scale.example", full_name=f"Leader {n}", password=password)
            for n in range(sizes.leaders)
        ),
        progress,
        "leaders",
    )
    social_accredited = [c for c in accredited if c.designed_for_social_care]
    completions = []
    for leader in leaders:
        if rng.random() < 0.6 and social_accredited:
            course = rng.choice(social_accredited)
            accreditation = by_course[course.pk]
            span = max(1, min((today - accreditation.valid_from).days, 1000))
            completions.append(
                Completion(
                    leader=leader,
                    course=course,
                    completed_on=accreditation.valid_from + timedelta(days=rng.randint(0, span)),
                    state=rng.choice(
                        [CompletionState.VERIFIED, CompletionState.VERIFIED, CompletionState.SELF_DECLARED]
                    ),
                )
            )
    _bulk(Completion, completions, progress, "completions")
    # Recorded over the last two months, so some have waited for verification for weeks.
    for bucket, days in enumerate([3, 20, 35, 50]):
        Completion.objects.annotate(bucket=F("id") % 4).filter(bucket=bucket).update(
            created_at=now - timedelta(days=days)
        )
    first_completion = {c.leader_id: c for c in completions}
    appointments = []
    for n in range(sizes.appointments):
        leader = leaders[n % len(leaders)]
        appointed = today - timedelta(days=rng.randint(0, 5 * 365))
        completion = first_completion.get(leader.pk)
        deadline = deadline_for(appointed)
        counts = completion is not None and completion.completed_on <= deadline
        appointments.append(
            DassAppointment(
                leader=leader,
                local_authority=rng.choice(authorities),
                appointed_on=appointed,
                deadline=deadline,
                kind=rng.choice(["substantive", "substantive", "interim"]),
                qualifying_completion=completion if counts else None,
                completion_verified=bool(counts and completion.state == CompletionState.VERIFIED),
            )
        )
    _bulk(DassAppointment, appointments, progress, "DASS appointments")
    return {
        "cycle": cycle.pk,
        "nominations": len(nominations),
        "categories": len(categories),
        "judges": len(judges),
        "assignments": len(assignments),
        "courses": len(courses),
        "accreditations": len(accreditations),
        "leaders": len(leaders),
        "appointments": len(appointments),
        "completions": len(completions),
        "contact_email": contacts[0].email,
        "judge_email": assignments[0].judge.email if assignments else "",
        "leader_email": leaders[0].email,
        "admin_email": admin.email,
        "staff_email": staff.email,
    }
