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

from .assignment import NominationToAssign, plan_assignments
from .enums import Award, LivedExperience, PanelState
from .models import (
    Assignment,
    CriterionScore,
    FinalResult,
    JudgeProfile,
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
    chair = User.objects.get(email="chair@demo.test")
    for category in cycle.categories.all():
        _panel(category, judges, chair)
    first = cycle.categories.order_by("order").first()
    if first and not Assignment.objects.filter(nomination__category=first).exists():
        Nomination.objects.filter(category=first, state=NominationState.SUBMITTED).update(
            state=NominationState.ELIGIBLE
        )
        _assign(first, judges)
    return seed_past_cycle(cycle.programme, judges, chair)


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
    return past
