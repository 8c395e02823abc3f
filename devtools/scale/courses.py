"""Scale data: the course register and its accreditations (applications, periods
and conditions)."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from accounts.enums import Region
from accreditation.models import Accreditation, Application, Condition, Period
from courses.domain import refresh_search_document
from courses.models import Course, FrameworkDomain, FrameworkLevel

from .base import WORDS, _bulk


@dataclass
class Register:
    courses: list[Course]
    accredited: list[Course]
    accreditations: list[Accreditation]
    by_course: dict[int, Accreditation]


def seed_courses(sizes, rng, progress, now, today, people) -> Register:
    course_providers = people.course_providers
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
    return Register(courses, accredited, accreditations, by_course)
