"""Demo leaders: Directors of Adult Social Services at five councils, one in
each compliance state, and a leader with a portfolio."""

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.enums import OrganisationKind, Sector
from accounts.models import Organisation, User
from courses.models import Course

from .domain import refresh_leader
from .enums import AppointmentKind, CompletionState
from .models import Completion, DassAppointment, LeaderProfile

LOCAL_AUTHORITIES = [
    ("Northshire County Council", "east_midlands"),
    ("Eastborough Council", "east_of_england"),
    ("Westmere Borough Council", "north_west"),
    ("Southdale City Council", "south_east"),
    ("Riverton Metropolitan Council", "yorkshire"),
]

DASS_LEADERS = [
    # email, name, authority index, years since appointment, completion: None | "verified" | "awaiting"
    ("leader@demo.test", "Chris Walker", 0, 2.3, "awaiting"),
    ("dass.verified@demo.test", "Nadia Rahman", 1, 1.5, "verified"),
    ("dass.ontrack@demo.test", "Owen Price", 2, 0.4, None),
    ("dass.duesoon@demo.test", "Fiona Grant", 3, 2.5, None),
    ("dass.overdue@demo.test", "Peter Lowe", 4, 3.6, None),
    ("dass.interim@demo.test", "Sara Ali", 2, 0.1, None),
]


def seed_leaders():
    if DassAppointment.objects.exists():
        return
    today = timezone.localdate()
    authorities = []
    for name, region in LOCAL_AUTHORITIES:
        organisation, created = Organisation.objects.get_or_create(
            name=name, defaults={"sector": Sector.PUBLIC, "region": region}
        )
        if created or not organisation.is_local_authority:
            organisation.kinds = list({*organisation.kinds, OrganisationKind.LOCAL_AUTHORITY})
            organisation.save()
        authorities.append(organisation)
    accredited = [c for c in Course.objects.filter(external_id__startswith="DEMO-").order_by("pk") if c.is_accredited()]
    staff = User.objects.filter(email="academy@demo.test").first()
    for email, name, authority, years, completion in DASS_LEADERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        LeaderProfile.objects.get_or_create(
            user=user,
            defaults={
                "job_title": "Director of Adult Social Services",
                "employer": authorities[authority],
                "sector": Sector.PUBLIC,
            },
        )
        appointed = today - timedelta(days=int(years * 365))
        DassAppointment.objects.create(
            leader=user,
            local_authority=authorities[authority],
            appointed_on=appointed,
            deadline=appointed,
            kind=AppointmentKind.INTERIM if "interim" in email else AppointmentKind.SUBSTANTIVE,
            recorded_by=staff,
        )
        if completion and accredited:
            course = accredited[0]
            Completion.objects.create(
                leader=user,
                course=course,
                completed_on=max(course.accredited_from, today - timedelta(days=10)),
                state=CompletionState.VERIFIED if completion == "verified" else CompletionState.SELF_DECLARED,
                decided_by=staff if completion == "verified" else None,
                decided_at=timezone.now() if completion == "verified" else None,
            )
        if email == "leader@demo.test":
            Completion.objects.create(
                leader=user,
                course_title="Introduction to strategic leadership",
                provider_name="Open University",
                completed_on=date(2019, 6, 30),
                state=CompletionState.VERIFIED,
                decided_by=staff,
                decided_at=timezone.now(),
            )
        refresh_leader(user)
