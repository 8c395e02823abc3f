"""A small cycle for the equity report's tests: entries in known states from
known sectors and regions, and a regulator directory with known ratings."""

from datetime import date, timedelta

from django.utils import timezone

from accounts.enums import Region, Sector
from awards.enums import NominationState as S
from awards.models import Nomination
from regulator.enums import ImportState, Rating, RegistrationStatus
from regulator.models import DirectoryImport, Location, NominationRegulatorMatch
from tests.factories import OrganisationFactory, make_category, make_cycle


def directory(rows, *, finished_at=None):
    """A finished import; rows: (location id, provider name, rating, registered)."""
    job = DirectoryImport.objects.create(
        original_name="directory.csv", state=ImportState.DONE, finished_at=finished_at or timezone.now()
    )
    Location.objects.bulk_create(
        Location(
            directory_import=job,
            location_id=location_id,
            name=f"Service {location_id}",
            provider_name=provider,
            overall_rating=rating,
            rating_published=date(2025, 1, 1),
            registration_status=RegistrationStatus.REGISTERED if registered else RegistrationStatus.DEREGISTERED,
        )
        for location_id, provider, rating, registered in rows
    )
    return job


def entry(category, organisation, state, number=""):
    counter = Nomination.objects.count() + 1
    return Nomination.objects.create(
        cycle=category.cycle,
        category=category,
        organisation=organisation,
        state=state,
        reference=f"SCA-{counter:05d}",
        service_name=f"Service {counter}",
        service_regulator_number=number,
        submitted_at=timezone.now() - timedelta(days=1),
    )


def build(**cycle_kwargs):
    """Four care providers on the platform (private London ×2, voluntary North East,
    public London) and one course provider (not a care provider, not counted).

    Entries: a private London winner (1-001, Good, of a provider with 3
    locations), a private London finalist (1-002, Outstanding, one location),
    an eligible voluntary entry (1-003: the re-check saw it Inadequate, the
    directory now says Good), a submitted public entry with an unknown
    number, a draft and a withdrawn entry (neither counts)."""
    cycle = make_cycle(**cycle_kwargs)
    category = make_category(cycle)
    private_a = OrganisationFactory(name="Acorn Care", sector=Sector.PRIVATE, region=Region.LONDON)
    private_b = OrganisationFactory(name="Birch Care", sector=Sector.PRIVATE, region=Region.LONDON)
    voluntary = OrganisationFactory(name="Cedar Trust", sector=Sector.VOLUNTARY, region=Region.NORTH_EAST)
    public = OrganisationFactory(name="Dale Council Care", sector=Sector.PUBLIC, region=Region.LONDON)
    OrganisationFactory(name="Elm Training", is_care_provider=False, sector=Sector.COMMUNITY)
    job = directory(
        [
            ("1-001", "Acorn Group", Rating.GOOD, True),
            ("1-010", "Acorn Group", Rating.GOOD, True),
            ("1-011", "Acorn Group", Rating.REQUIRES_IMPROVEMENT, True),
            ("1-012", "Acorn Group", Rating.INADEQUATE, False),
            ("1-002", "Birch Ltd", Rating.OUTSTANDING, True),
            ("1-003", "Cedar Trust", Rating.GOOD, True),
            ("1-020", "", Rating.NONE, True),
        ]
    )
    winner = entry(category, private_a, S.WINNER, "1-001")
    finalist = entry(category, private_b, S.FINALIST, " 1-002 ")
    eligible = entry(category, voluntary, S.ELIGIBLE, "1-003")
    NominationRegulatorMatch.objects.create(
        nomination=eligible,
        location=job.locations.get(location_id="1-003"),
        number_seen="1-003",
        rating_seen=Rating.INADEQUATE,
        registered_seen=True,
        checked_at=timezone.now(),
    )
    submitted = entry(category, public, S.SUBMITTED, "9-999")
    entry(category, public, S.DRAFT, "1-001")
    entry(category, public, S.WITHDRAWN, "1-001")
    return {
        "cycle": cycle,
        "category": category,
        "job": job,
        "winner": winner,
        "finalist": finalist,
        "eligible": eligible,
        "submitted": submitted,
    }


def counts(report, dimension_key, stage):
    dimension = next(d for d in report.dimensions if d.key == dimension_key)
    return {row.key: row.cells[stage].count for row in dimension.rows if row.cells[stage].count}


def baseline(report, dimension_key):
    dimension = next(d for d in report.dimensions if d.key == dimension_key)
    return {row.key: row.baseline for row in dimension.rows if row.baseline}
