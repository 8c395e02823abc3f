"""Demo accreditations: current, with conditions, suspended, expired, plus
applications waiting for assessment and one returned for more information."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from courses.models import Course, CourseState

from . import credentials
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
    credentials.issue(assessor, accreditation, application.decided_at)
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
