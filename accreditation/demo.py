"""Demo accreditations: current, with conditions, suspended, expired, plus
applications waiting for assessment and one returned for more information."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from courses.models import Course, CourseState

from .domain import add_years, sync_course
from .models import (
    Accreditation,
    Application,
    ApplicationState,
    Assessment,
    Condition,
    Criterion,
    Outcome,
    Period,
    PeriodStatus,
    Round,
)


def _application(course, state, assessor, provider_user, submitted):
    application = Application.objects.create(
        course=course, created_by=provider_user, assessor=assessor, state=state, round=1, submitted_at=submitted
    )
    criteria = list(Criterion.objects.filter(active=True))
    for criterion in criteria:
        application.answers.create(
            criterion=criterion,
            text=f"How {course.title} meets “{criterion.title}”: "
            "mapped outcomes, co-delivery with people who use services, evaluation data.",
        )
    Round.objects.create(
        application=application,
        number=1,
        submitted_at=submitted,
        answers={
            str(c.pk): {"criterion": c.title, "answer": "See the course handbook.", "files": []} for c in criteria
        },
    )
    return application


def _accredit(application, start, assessor, *, conditions=()):
    current = application.rounds.get(number=1)
    for criterion in Criterion.objects.filter(active=True):
        Assessment.objects.create(round=current, criterion=criterion, outcome=Outcome.MET, comment="Clearly met.")
    application.decided_at = timezone.now()
    application.decided_by = assessor
    application.save()
    accreditation = Accreditation.objects.create(
        course=application.course,
        application=application,
        number=f"NSA-{start.year}-{application.pk:05d}",
        valid_from=start,
        valid_to=add_years(start, 3),
    )
    Period.objects.create(
        course=application.course,
        accreditation=accreditation,
        status=PeriodStatus.ACTIVE,
        starts_on=accreditation.valid_from,
        ends_on=accreditation.valid_to,
    )
    for text, due in conditions:
        Condition.objects.create(accreditation=accreditation, text=text, due_on=due)
    return accreditation


def seed_accreditation():
    if Accreditation.objects.exists():
        return
    today = timezone.localdate()
    assessor = User.objects.filter(email="academy@demo.test").first()
    courses = list(
        Course.objects.filter(external_id__startswith="DEMO-", state=CourseState.LISTED, designed_for_social_care=True)
        .select_related("provider")
        .order_by("pk")
    )
    if len(courses) < 20 or assessor is None:
        return
    for index, course in enumerate(courses[:16]):
        provider_user = User.objects.filter(memberships__organisation=course.provider).first()
        application = _application(
            course, ApplicationState.ACCREDITED, assessor, provider_user, timezone.now() - timedelta(days=400)
        )
        start = today - timedelta(days=30 * (index + 1))
        conditions = (
            [("Publish the evaluation of the first two cohorts", today + timedelta(days=60))] if index % 5 == 0 else []
        )
        if conditions:
            application.state = ApplicationState.ACCREDITED_WITH_CONDITIONS
        _accredit(application, start, assessor, conditions=conditions)
        sync_course(course, today)
    # An accreditation that expired last month.
    expired = courses[16]
    application = _application(
        expired, ApplicationState.ACCREDITED, assessor, None, timezone.now() - timedelta(days=1200)
    )
    _accredit(application, today - timedelta(days=3 * 365 + 40), assessor)
    sync_course(expired, today)
    # Waiting for assessment, and returned for more information.
    _application(
        courses[17],
        ApplicationState.SUBMITTED,
        assessor,
        User.objects.filter(memberships__organisation=courses[17].provider).first(),
        timezone.now(),
    )
    returned = _application(
        courses[18],
        ApplicationState.RETURNED,
        assessor,
        User.objects.filter(memberships__organisation=courses[18].provider).first(),
        timezone.now() - timedelta(days=10),
    )
    returned.rounds.filter(number=1).update(
        returned_at=timezone.now() - timedelta(days=5), return_comments="Please add the evaluation report for 2025."
    )


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
    from datetime import date

    from allauth.account.models import EmailAddress

    from accounts.demo import DEMO_PASSWORD
    from accounts.enums import OrganisationKind, Sector
    from accounts.models import Organisation
    from courses.models import Completion, CompletionState, LeaderProfile

    from .leaders import refresh_leader
    from .models import AppointmentKind, DassAppointment

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
