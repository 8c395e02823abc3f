"""A demo programme with a cycle open now, categories and entries from every sector."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from accounts.enums import OrganisationKind, Region, Sector
from accounts.models import Organisation

from .builders import build_cycle
from .enums import NominationState, Stage
from .models import Answer, Category, Criterion, Cycle, EvidenceFile, Nomination, Programme, Question

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

CATEGORIES = [
    {
        "name": "Care Home Service of the Year",
        "description": "A residential or nursing care home where people live the lives they choose, with care "
        "shaped around them.",
        "sectors": [],
        "questions": [
            ("What makes your service outstanding for the people who live there?", 500),
            ("How do residents and their families shape the way the home is run?", 400),
            ("What evidence shows the difference you make?", 300),
        ],
    },
    {
        "name": "Excellence in Home Care",
        "description": "A home care or supported living service that helps people stay independent in their "
        "own homes and communities.",
        "sectors": [],
        "questions": [
            ("How does your service support people to live the life they want at home?", 500),
            ("How do you recruit, support and keep good care workers?", 400),
        ],
    },
    {
        "name": "Community Support Innovation",
        "description": "A new idea, service or partnership that improves support in the community, including "
        "prevention and early help.",
        "sectors": [],
        "questions": [
            ("What is the innovation and what problem does it solve?", 400),
            ("Who was involved in designing it, including people who use services?", 300),
            ("What has changed as a result, and how do you know?", 300),
        ],
    },
    {
        "name": "User-Led Organisation of the Year",
        "description": "An organisation run and controlled by people who use care services, or by unpaid "
        "carers, that makes a difference to its members and community.",
        "sectors": [Sector.COMMUNITY, Sector.VOLUNTARY],
        "questions": [
            ("How are people who use services in control of your organisation?", 500),
            ("What difference have you made in the last year?", 400),
        ],
    },
]

WRITTEN_CRITERIA = [
    ("Person-centred care", "Care is shaped around each person's wishes, strengths and history.", 3),
    ("Involvement", "People who use the service and their families shape how it is run.", 3),
    ("Outcomes and evidence", "The entry shows what changed for people, with evidence.", 2),
    ("Workforce and leadership", "Staff are supported, trained and well led.", 2),
]
VISIT_CRITERIA = [
    ("What we saw", "Daily life in the service matches the written entry.", 3),
    ("What people told us", "People who use the service, carers and staff describe its value.", 3),
]

# What each score (0 to 10) means, and each criterion in easy read: short
# sentences, everyday words. Written by the awards team; the standard
# wording above stays as it is.
SCORE_DESCRIPTORS = [
    {"low": 0, "high": 0, "text": "Not shown: the entry gives no evidence of this."},
    {"low": 1, "high": 3, "text": "Weak: a few claims with little or no evidence."},
    {"low": 4, "high": 6, "text": "Good: clear examples, with some evidence of the difference made."},
    {"low": 7, "high": 8, "text": "Very good: strong examples and evidence across the service."},
    {"low": 9, "high": 10, "text": "Outstanding: an example for others, with convincing evidence."},
]
EASY_READ = {
    "Person-centred care": (
        "Care that fits each person",
        "Does the service ask people what they want? Does it plan care with them? Look for real examples.",
    ),
    "Involvement": (
        "People have a say",
        "Do people who use the service help decide how it is run? Do their families? Look for what changed.",
    ),
    "Outcomes and evidence": (
        "What got better",
        "What is better for people now? How does the service know? Look for facts, numbers or stories.",
    ),
    "Workforce and leadership": (
        "Staff and managers",
        "Are staff trained and supported? Do managers lead well? Look for examples.",
    ),
    "What we saw": (
        "What you saw on the visit",
        "Is daily life like the entry said? Think about what you saw and heard.",
    ),
    "What people told us": (
        "What people told you",
        "What did people, carers and staff say about the service? Was it good for them?",
    ),
}


def describe_criteria(cycle) -> None:
    """Gives the demo criteria their score descriptors and easy-read version
    where they have none yet (safe to run again; never overwrites edits)."""
    for criterion in Criterion.objects.filter(category__cycle=cycle, name__in=EASY_READ):
        changed = []
        if not criterion.score_descriptors and criterion.max_score == 10:
            criterion.score_descriptors = SCORE_DESCRIPTORS
            changed.append("score_descriptors")
        if not criterion.easy_read_name:
            criterion.easy_read_name, criterion.easy_read_guidance = EASY_READ[criterion.name]
            changed += ["easy_read_name", "easy_read_guidance"]
        if changed:
            criterion.save(update_fields=changed)


DEMO_PROVIDERS = [
    ("Oakwood Lodge Care Home", Sector.PRIVATE, Region.SOUTH_EAST),
    ("Brightside Home Care Ltd", Sector.PRIVATE, Region.WEST_MIDLANDS),
    ("Harbour View Nursing Home", Sector.PRIVATE, Region.SOUTH_WEST),
    ("Kingsmead Care Group", Sector.PRIVATE, Region.LONDON),
    ("Elm Tree Supported Living", Sector.PRIVATE, Region.EAST_MIDLANDS),
    ("St Anne's Community Trust", Sector.VOLUNTARY, Region.NORTH_EAST),
    ("Carers Together North", Sector.VOLUNTARY, Region.NORTH_WEST),
    ("Westshire County Council Care Services", Sector.PUBLIC, Region.WEST_MIDLANDS),
    ("Peer Power Collective", Sector.COMMUNITY, Region.LONDON),
]


def seed_awards(now=None) -> Cycle:
    now = now or timezone.now()
    programme, _ = Programme.objects.get_or_create(
        name="Social Care Accolades",
        defaults={
            "reference_prefix": "SCA",
            "description": "The national awards that celebrate excellence in social care across every sector.",
        },
    )
    close = (now + timedelta(days=45)).replace(hour=17, minute=0, second=0, microsecond=0)
    cycle = Cycle.objects.filter(programme=programme, year=close.year).first()
    if cycle is not None:
        describe_criteria(cycle)
        seed_consents(cycle, now)
        return cycle
    cycle = build_cycle(
        programme,
        opens=(now - timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0),
        closes=close,
        after_close={
            "scoring_deadline": timedelta(days=35),
            "shortlist_published": timedelta(days=49),
            "site_visits_start": timedelta(days=56),
            "site_visits_end": timedelta(days=84),
            "final_panel": timedelta(days=98),
            "winners_announced": timedelta(days=112, hours=2),
        },
        sector_balance_margin=10,
    )
    categories = []
    for order, spec in enumerate(CATEGORIES):
        category = Category.objects.create(
            cycle=cycle,
            name=spec["name"],
            description=spec["description"],
            eligible_sectors=spec["sectors"],
            eligible_kinds=[OrganisationKind.CARE_PROVIDER],
            order=order,
        )
        for q_order, (text, limit) in enumerate(spec["questions"]):
            Question.objects.create(category=category, text=text, word_limit=limit, order=q_order)
        for c_order, (name, guidance, weight) in enumerate(WRITTEN_CRITERIA):
            Criterion.objects.create(
                category=category,
                stage=Stage.WRITTEN,
                name=name,
                guidance=guidance,
                weight=weight,
                order=c_order,
            )
        for c_order, (name, guidance, weight) in enumerate(VISIT_CRITERIA):
            Criterion.objects.create(
                category=category,
                stage=Stage.SITE_VISIT,
                name=name,
                guidance=guidance,
                weight=weight,
                order=c_order,
            )
        categories.append(category)
    describe_criteria(cycle)

    providers = list(
        Organisation.objects.filter(is_care_provider=True).exclude(name__in=[n for n, _, _ in DEMO_PROVIDERS])
    )
    for name, sector, region in DEMO_PROVIDERS:
        organisation, created = Organisation.objects.get_or_create(
            name=name, defaults={"sector": sector, "region": region}
        )
        if created:
            organisation.kinds = [OrganisationKind.CARE_PROVIDER]
            organisation.save()
        providers.append(organisation)

    for index, organisation in enumerate(providers):
        eligible = [c for c in categories if not c.eligibility_problem(organisation)]
        category = eligible[index % len(eligible)]
        _entered_nomination(cycle, category, organisation, now, f"{organisation.name.split(' ')[0]} Service")
    riverside = Organisation.objects.filter(name="Riverside Care Homes Ltd").first()
    if riverside:
        Nomination.objects.create(
            cycle=cycle,
            category=categories[1],
            organisation=riverside,
            created_by=riverside.memberships.first().user if riverside.memberships.exists() else None,
            service_name="Riverside Home Support",
        )
    seed_consents(cycle, now)
    return cycle


# How the people in the demo entries consented: each way the Mental Capacity
# Act allows, each with its own uses, and one withdrawn.
DEMO_CONSENTS = [
    ("statement", {"basis": "person", "for_publication": True, "for_media": True}),
    ("statement", {"basis": "supported", "supporter": "Her key worker, Dan Okoro", "for_publication": True}),
    ("statement", {"basis": "attorney", "attorney": "Ruth Hale (his daughter)"}),
    (
        "images",
        {
            "basis": "best_interests",
            "consulted": "His brother, his key worker and an independent advocate (IMCA)",
            "decided_by": "Grace Mensah, registered manager",
            "for_publication": True,
        },
    ),
    ("statement", {"basis": "person", "withdrawal_reason": "She would rather it was not used"}),
]


def seed_consents(cycle, now) -> None:
    """Consent records for the first entries of the cycle, made once: a
    second run finds them and leaves them (judging may since have moved the
    entries on)."""
    from .models import Consent

    if Consent.objects.filter(nomination__cycle=cycle).exists():
        return
    entries = list(cycle.nominations.filter(submitted_at__isnull=False).order_by("pk")[: len(DEMO_CONSENTS)])
    for nomination, (subject, fields) in zip(entries, DEMO_CONSENTS, strict=False):
        withdrawn = "withdrawal_reason" in fields
        Consent.objects.get_or_create(
            nomination=nomination,
            subject=subject,
            defaults={
                **fields,
                "for_judges": True,
                "recorded_by": nomination.created_by,
                "recorded_at": now - timedelta(days=10),
                "withdrawn_at": now - timedelta(days=1) if withdrawn else None,
                "withdrawn_by": nomination.created_by if withdrawn else None,
            },
        )


def _entered_nomination(cycle, category, organisation, now, service_name):
    Cycle.objects.filter(pk=cycle.pk).update(reference_counter=F("reference_counter") + 1)
    counter = Cycle.objects.values_list("reference_counter", flat=True).get(pk=cycle.pk)
    creator = organisation.memberships.select_related("user").first()
    nomination = Nomination.objects.create(
        cycle=cycle,
        category=category,
        organisation=organisation,
        created_by=creator.user if creator else None,
        state=NominationState.SUBMITTED,
        reference=f"{cycle.reference_code}-{counter:05d}",
        service_name=service_name,
        service_address=f"1 High Street\n{organisation.get_region_display()}",
        service_regulator_number=f"1-{100000000 + counter}",
        user_statement="The staff know me and listen to what I want. I feel at home here.",
        user_statement_by="A person who uses the service",
        user_statement_consent=True,
        consent_to_publish=True,
        submitted_at=now - timedelta(days=3),
    )
    for question in category.questions.all():
        Answer.objects.create(
            nomination=nomination,
            question=question,
            text=f"{service_name} puts people first. We asked the people we support what matters to them and "
            "changed how we work as a result: flexible visit times, shared meals and a residents' committee "
            "that interviews new staff.",
        )
    evidence = EvidenceFile(
        nomination=nomination,
        original_name="feedback-summary.pdf",
        kind="pdf",
        mimetype="application/pdf",
        size=len(MINIMAL_PDF),
        description="Summary of feedback from people who use the service",
    )
    evidence.file.save(f"evidence/{cycle.pk}/demo-{nomination.pk}.pdf", ContentFile(MINIMAL_PDF), save=False)
    evidence.save()
    return nomination
