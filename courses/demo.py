"""About fifty realistic demo courses across providers, levels and domains."""

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.enums import OrganisationKind, Region, Sector
from accounts.models import Organisation

from .domain import refresh_search_document
from .models import NATIONAL, Course, CourseState, DeliveryMode, FrameworkDomain, FrameworkLevel

PROVIDERS = [
    ("Leadership Learning Partnership", Sector.PRIVATE, Region.LONDON),
    ("University of the Pennines", Sector.PUBLIC, Region.NORTH_EAST),
    ("Care Leaders Network", Sector.VOLUNTARY, Region.WEST_MIDLANDS),
    ("Northern College of Social Care", Sector.PUBLIC, Region.YORKSHIRE),
    ("Peer Leadership Collective", Sector.COMMUNITY, Region.SOUTH_WEST),
]

TOPICS = [
    ("Leading person-centred care", "practice-leaders", ["leadership"]),
    ("First steps in leadership", "future-leaders", ["leadership", "management"]),
    ("Registered manager development programme", "practice-leaders", ["management", "leadership"]),
    ("Leading services through change", "service-leaders", ["leadership"]),
    ("Commissioning for outcomes", "service-leaders", ["commissioning"]),
    ("Strategic commissioning across a place", "system-leaders", ["commissioning", "leadership"]),
    ("Directors' leadership programme", "system-leaders", ["leadership"]),
    ("Finance and performance for care managers", "service-leaders", ["management"]),
    ("Coaching skills for team leaders", "future-leaders", ["leadership"]),
    ("Co-production in practice", "practice-leaders", ["leadership", "commissioning"]),
    ("Quality and safeguarding leadership", "practice-leaders", ["management"]),
]

SUMMARIES = [
    "Builds the confidence to lead teams that put people who use services in control of their care, with "
    "action learning sets and a workplace project.",
    "Blends online modules with face-to-face workshops run with people who use services and carers. Learners "
    "complete a portfolio of evidence assessed against the leadership framework.",
    "A practical programme for leaders in residential, home care and community services, covering workforce, "
    "quality, money and partnership working.",
]


def seed_courses(now=None) -> list[Course]:
    courses = _seed_courses(now)
    # seed_demo runs in one transaction and seeds accreditations after the
    # courses: the first open-data dump is made once it commits, and only
    # when there is none yet (courses.open_data.publish_first).
    transaction.on_commit(_first_open_data, robust=True)
    return courses


def _first_open_data():
    from . import open_data

    open_data.publish_first()


def _seed_courses(now=None) -> list[Course]:
    rng = random.Random(20261122)
    now = now or timezone.now()
    levels = {level.slug: level for level in FrameworkLevel.objects.all()}
    domains = {d.slug: d for d in FrameworkDomain.objects.all()}
    providers = []
    for name, sector, region in PROVIDERS:
        organisation, created = Organisation.objects.get_or_create(
            name=name, defaults={"sector": sector, "region": region}
        )
        if created:
            organisation.kinds = [OrganisationKind.COURSE_PROVIDER]
            organisation.save()
        providers.append(organisation)
    if Course.objects.filter(external_id__startswith="DEMO-").exists():
        return list(Course.objects.filter(external_id__startswith="DEMO-"))
    courses = []
    number = 0
    for provider in providers:
        for title, level, domain_slugs in rng.sample(TOPICS, 10):
            number += 1
            course = Course.objects.create(
                provider=provider,
                external_id=f"DEMO-{number:03d}",
                title=title if number <= len(TOPICS) else f"{title} ({provider.name.split(' ')[0]})",
                summary=rng.choice(SUMMARIES),
                delivery_mode=rng.choice(DeliveryMode.values),
                duration_hours=Decimal(rng.choice([6, 12, 24, 36, 60, 90, 120])),
                cost=Decimal(rng.choice([0, 150, 450, 950, 1800, 3200])),
                region=rng.choice([NATIONAL, NATIONAL, provider.region]),
                designed_for_social_care=rng.random() < 0.75,
                url=f"https://courses.example.org/{number}",
                state=CourseState.DRAFT if number % 12 == 0 else CourseState.LISTED,
                listed_at=now,
            )
            course.sectors = list(Sector.values) if rng.random() < 0.7 else [Sector.PUBLIC, Sector.VOLUNTARY]
            course.save()
            course.levels.set([levels[level]] + ([levels["service-leaders"]] if rng.random() < 0.2 else []))
            course.domains.set([domains[d] for d in domain_slugs])
            courses.append(course)
    refresh_search_document([c.pk for c in courses])
    return courses
