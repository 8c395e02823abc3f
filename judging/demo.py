"""Demo judging data: panels for the open cycle with work for the demo judges,
and last year's cycle judged end to end with published winners."""

import random
from datetime import timedelta

from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.enums import Sector, SiteRole
from accounts.models import RoleGrant, User
from awards.builders import build_cycle
from awards.enums import NominationState, Stage
from awards.models import Category, Criterion, Cycle, Nomination, Programme, Question

from . import award_credentials
from .assignment import NominationToAssign, plan_assignments
from .enums import Award, LivedExperience, PanelState
from .models import (
    Assignment,
    CalibrationExample,
    CalibrationScore,
    CriterionScore,
    FinalResult,
    JudgeProfile,
    JudgingSettings,
    Panel,
    PanelMember,
    Publication,
    ShortlistEntry,
    SiteVisit,
)

EXTRA_JUDGES = [
    ("amira.judge@demo.test", "Amira Hassan", Sector.VOLUNTARY, LivedExperience.UNPAID_CARER),
    ("ben.judge@demo.test", "Ben Carter", Sector.PRIVATE, LivedExperience.NONE),
    ("carol.judge@demo.test", "Carol Jones", Sector.COMMUNITY, LivedExperience.USES_SERVICES),
]
PROFILES = {
    "chair@demo.test": (Sector.PUBLIC, LivedExperience.NONE),
    "judge@demo.test": (Sector.PRIVATE, LivedExperience.USES_SERVICES),
}
# The demo's lived-experience judge who scores with the criteria in easy read.
EASY_READ_JUDGE = "judge@demo.test"


def _judges() -> list[User]:
    now = timezone.now()
    for email, name, _, _ in EXTRA_JUDGES:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            RoleGrant.objects.create(user=user, role=SiteRole.JUDGE, granted_at=now)
    profiles = {**PROFILES, **{email: (sector, lived) for email, _, sector, lived in EXTRA_JUDGES}}
    judges = []
    for email, (sector, lived) in profiles.items():
        user = User.objects.get(email=email)
        JudgeProfile.objects.get_or_create(user=user, defaults={"sector_background": sector, "lived_experience": lived})
        judges.append(user)
    return judges


def _panel(category, judges, chair) -> Panel:
    panel, created = Panel.objects.get_or_create(
        category=category, defaults={"chair": chair, "state": PanelState.ACTIVE, "activated_at": timezone.now()}
    )
    if created:
        PanelMember.objects.bulk_create(PanelMember(panel=panel, judge=judge) for judge in judges)
    return panel


def _assign(category, judges):
    nominations = Nomination.objects.filter(category=category, state=NominationState.ELIGIBLE)
    plan = plan_assignments(
        [NominationToAssign(n.pk, n.organisation_id) for n in nominations],
        [j.pk for j in judges],
        set(),
        category.judges_per_nomination,
    )
    Assignment.objects.bulk_create(
        Assignment(nomination_id=nid, judge_id=judge) for nid, chosen in plan.new.items() for judge in chosen
    )


def _score(assignment, rng, submitted_at):
    criteria = assignment.nomination.category.criteria.filter(stage=assignment.stage)
    CriterionScore.objects.bulk_create(
        CriterionScore(
            assignment=assignment,
            criterion=c,
            score=rng.randint(max(0, c.max_score // 2 - 1), c.max_score),
            comment=rng.choice(
                [
                    "Clear examples of people shaping their own care.",
                    "Strong evidence; the statement from a resident was moving.",
                    "Good practice, but the outcomes could be measured better.",
                    "Impressive involvement of families and carers.",
                ]
            ),
        )
        for c in criteria
    )
    assignment.submitted_at = submitted_at
    assignment.save(update_fields=["submitted_at"])


def seed_judging(cycle: Cycle) -> Cycle:
    judges = _judges()
    JudgeProfile.objects.filter(user__email=EASY_READ_JUDGE).update(prefers_easy_read=True)
    chair = User.objects.get(email="chair@demo.test")
    for category in cycle.categories.all():
        _panel(category, judges, chair)
    first = cycle.categories.order_by("order").first()
    if first and not Assignment.objects.filter(nomination__category=first).exists():
        Nomination.objects.filter(category=first, state=NominationState.SUBMITTED).update(
            state=NominationState.ELIGIBLE
        )
        _assign(first, judges)
    if first:
        _seed_calibration(first, judges)
    JudgingSettings.objects.get_or_create(cycle=cycle, defaults={"lived_experience_divergence_threshold": 15})
    past = seed_past_cycle(cycle.programme, judges, chair)
    _seed_accessible_participation([cycle, past])
    return past


# The demo judge with lived experience of care: access needs shared with the
# administrator and visit hosts, and a supporter recorded on scorecards.
ACCESS_NEEDS_JUDGE = "judge@demo.test"


def _seed_accessible_participation(cycles):
    """Access needs (consented to the administrator and hosts) for the
    lived-experience demo judge, and their supporter on one scorecard per
    cycle: a draft in the open cycle, a submitted one last year, which the
    chair sees on the ranking. Idempotent."""
    from .enums import AccessNeed, SupportKind
    from .models import ScoringSupport

    JudgeProfile.objects.filter(user__email=ACCESS_NEEDS_JUDGE).update(
        access_need_kinds=[AccessNeed.EASY_READ, AccessNeed.STEP_FREE, AccessNeed.EXTRA_TIME, AccessNeed.SUPPORTER],
        access_needs="My supporter, Sam, comes with me to visits. A short break every hour, please.",
        share_access_needs_with_admin=True,
        share_access_needs_with_hosts=True,
        access_consent_changed_at=timezone.now(),
    )
    for cycle in cycles:
        assignment = (
            Assignment.objects.filter(judge__email=ACCESS_NEEDS_JUDGE, nomination__cycle=cycle, stage=Stage.WRITTEN)
            .order_by("pk")
            .first()
        )
        if assignment is not None:
            ScoringSupport.objects.get_or_create(
                assignment=assignment,
                defaults={
                    "supporter_name": "Sam Okafor",
                    "kinds": [SupportKind.READ_ALOUD, SupportKind.WROTE_SCORES],
                    "description": "Sam read each answer aloud and wrote down my scores and comments as I said them.",
                },
            )


CALIBRATION_EXAMPLES = [
    (
        "Example A: a home that plans meals with residents",
        "Residents meet each month with the cook to plan the menu. People who need support to eat choose where "
        "and with whom they eat. The home can show three changes residents asked for this year.",
    ),
    (
        "Example B: a home care service with new rotas",
        "The service changed its rotas so that people see the same two care workers each week. It says people "
        "are happier but has asked nobody yet; staff turnover fell from 40% to 25%.",
    ),
]
# Each judge's lean on the examples (score above or below the middle), so the
# chair's calibration table has something to show; judge@demo.test is left
# to score the examples themselves.
CALIBRATION_LEAN = {"chair@demo.test": 0, "amira.judge@demo.test": 2, "ben.judge@demo.test": -2}


def _seed_calibration(category, judges):
    """Two shared example entries for the first category, scored by most of its judges."""
    admin = User.objects.filter(email="admin@demo.test").first()
    criteria = list(category.criteria.filter(stage=Stage.WRITTEN))
    now = timezone.now()
    for index, (title, text) in enumerate(CALIBRATION_EXAMPLES):
        example, _ = CalibrationExample.objects.get_or_create(
            category=category, title=title, defaults={"entry_text": text, "created_by": admin}
        )
        for judge in judges:
            lean = CALIBRATION_LEAN.get(judge.email)
            if lean is None or CalibrationScore.objects.filter(example=example, judge=judge).exists():
                continue
            CalibrationScore.objects.bulk_create(
                CalibrationScore(
                    example=example,
                    judge=judge,
                    criterion=c,
                    score=min(c.max_score, max(0, c.max_score // 2 + lean - index)),
                    recorded_at=now,
                )
                for c in criteria
            )


def seed_past_cycle(programme: Programme, judges, chair) -> Cycle:
    """Last year's cycle, judged to the end, with results announced a month ago."""
    now = timezone.now()
    announced = (now - timedelta(days=30)).replace(hour=19, minute=0, second=0, microsecond=0)
    past = Cycle.objects.filter(programme=programme, results_approved_at__isnull=False).order_by("-year").first()
    if past is not None:
        return past
    year = announced.year - (1 if Cycle.objects.filter(programme=programme, year=announced.year).exists() else 0)
    past = build_cycle(
        programme,
        opens=announced - timedelta(days=240),
        closes=announced - timedelta(days=180),
        year=year,
        after_close={
            "scoring_deadline": timedelta(days=30),
            "shortlist_published": timedelta(days=50),
            "site_visits_start": timedelta(days=60),
            "site_visits_end": timedelta(days=90),
            "final_panel": timedelta(days=120),
            "winners_announced": timedelta(days=180),
        },
    )
    category = Category.objects.create(
        cycle=past,
        name="Care Home Service of the Year",
        description="A care home where people live the lives they choose.",
    )
    question = Question.objects.create(category=category, text="What makes your service outstanding?", word_limit=500)
    Criterion.objects.create(category=category, name="Person-centred care", weight=3)
    Criterion.objects.create(category=category, name="Involvement", weight=2)
    Criterion.objects.create(category=category, stage=Stage.SITE_VISIT, name="What people told us", weight=1)
    panel = _panel(category, judges, chair)
    from accounts.models import Organisation
    from awards.demo import DEMO_PROVIDERS

    organisations = list(Organisation.objects.filter(name__in=[name for name, _, _ in DEMO_PROVIDERS])[:4])
    rng = random.Random(2026)
    nominations = []
    for index, organisation in enumerate(organisations, start=1):
        nomination = Nomination.objects.create(
            cycle=past,
            category=category,
            organisation=organisation,
            state=NominationState.ELIGIBLE,
            reference=f"{past.reference_code}-{index:05d}",
            service_name=f"{organisation.name.split(' ')[0]} House",
            service_address="2 Church Road",
            consent_to_publish=True,
            user_statement="I am listened to here.",
            user_statement_by="A resident",
            user_statement_consent=True,
            submitted_at=past.nominations_close - timedelta(days=2),
        )
        nomination.answers.create(question=question, text="Residents plan daily life with staff.")
        nominations.append(nomination)
    _assign(category, judges)
    for assignment in Assignment.objects.filter(nomination__category=category):
        _score(assignment, rng, past.scoring_deadline - timedelta(days=3))
    shortlisted, not_shortlisted = nominations[:3], nominations[3:]
    ShortlistEntry.objects.bulk_create(ShortlistEntry(nomination=n, shortlisted=n in shortlisted) for n in nominations)
    Nomination.objects.filter(pk__in=[n.pk for n in not_shortlisted]).update(state=NominationState.NOT_SHORTLISTED)
    lived = [j for j in judges if j.judge_profile.lived_experience != LivedExperience.NONE]
    others = [j for j in judges if j not in lived]
    for nomination in shortlisted:
        visit = SiteVisit.objects.create(
            nomination=nomination,
            starts_at=past.site_visits_start + timedelta(days=shortlisted.index(nomination) * 3, hours=10),
            ends_at=past.site_visits_start + timedelta(days=shortlisted.index(nomination) * 3, hours=12),
            address=nomination.service_address,
            provider_contact_name="Registered manager",
            provider_contact_email="manager@provider.example",
            what_was_seen="A calm, welcoming home; residents were busy with activities they had chosen.",
            spoke_to_people_using_service=True,
            spoke_to_staff=True,
            who_was_spoken_to="Three residents, a daughter visiting her mother, two care workers.",
            report_submitted_at=past.site_visits_end - timedelta(days=5),
            report_by=lived[0],
        )
        visit.judges.set([lived[0], others[0]])
        for judge in (lived[0], others[0]):
            assignment = Assignment.objects.create(nomination=nomination, judge=judge, stage=Stage.SITE_VISIT)
            _score(assignment, rng, past.site_visits_end - timedelta(days=4))
    awards = [
        (
            Award.WINNER,
            NominationState.WINNER,
            "A home where residents run the residents' committee and interview every new member of staff.",
        ),
        (
            Award.HIGHLY_COMMENDED,
            NominationState.HIGHLY_COMMENDED,
            "Outstanding support for people living with dementia and their families.",
        ),
        (Award.COMMENDED, NominationState.COMMENDED, "A strong culture of listening, shown in every conversation."),
    ]
    for nomination, (award, state, citation) in zip(shortlisted, awards, strict=True):
        FinalResult.objects.create(
            nomination=nomination,
            award=award,
            final_score=80 - 5 * shortlisted.index(nomination),
            citation=citation,
            rationale="Agreed unanimously by the panel.",
            decided_by=chair,
        )
        Nomination.objects.filter(pk=nomination.pk).update(state=state)
    Panel.objects.filter(pk=panel.pk).update(
        state=PanelState.SIGNED_OFF,
        signed_off_at=past.final_panel,
        signed_off_by=chair,
        shortlist_decided_at=past.shortlist_published - timedelta(days=2),
        shortlist_published_at=past.shortlist_published,
        shortlist_rationale="The top three by normalised score",
    )
    admin = User.objects.filter(email="awards@demo.test").first()
    approved_at = past.final_panel + timedelta(days=1)
    Publication.objects.create(cycle=past, approved_by=admin, approved_at=approved_at, entrants_notified_at=announced)
    Cycle.objects.filter(pk=past.pk).update(results_approved_at=approved_at)
    past.results_approved_at = approved_at
    award_credentials.issue_for_cycle(past)
    return past
