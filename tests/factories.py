import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.utils import timezone

from accounts.enums import MembershipRole, OrganisationKind, Region, Sector
from accounts.models import Membership, Organisation, RoleGrant, User

PASSWORD = "correct-horse-battery"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Care Organisation {n}")
    sector = Sector.PRIVATE
    region = Region.LONDON
    is_care_provider = True


def make_user(*, roles=(), mfa=None, organisation=None, org_role=MembershipRole.MEMBER, **kwargs) -> User:
    """A verified user with site roles; MFA is set up by default when a role needs it."""
    user = UserFactory(**kwargs)
    for role in roles:
        RoleGrant.objects.create(user=user, role=role, granted_at=timezone.now())
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=org_role)
    user.__dict__.pop("access", None)
    if mfa is None:
        mfa = user.needs_mfa
    if mfa:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)})
    return user


def make_provider(name=None, *, sector=Sector.PRIVATE, region=Region.LONDON, org_role=MembershipRole.ADMIN, **kw):
    organisation = OrganisationFactory(
        **({"name": name} if name else {}),
        sector=sector,
        region=region,
    )
    organisation.kinds = [OrganisationKind.CARE_PROVIDER]
    organisation.save()
    user = make_user(organisation=organisation, org_role=org_role, **kw)
    return user, organisation


# Awards ---------------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(kind="png", *, size=(4, 3), exif=None) -> bytes:
    """A real image (publication makes a copy from its pixels); `exif` is a
    PIL.Image.Exif to embed, as a phone's camera would."""
    import io

    from PIL import Image

    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    options = {"exif": exif} if exif is not None else {}
    image.save(out, "PNG" if kind == "png" else "JPEG", **options)
    return out.getvalue()


PNG_BYTES = image_bytes("png")
JPEG_BYTES = image_bytes("jpeg")
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def docx_bytes() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def make_cycle(*, opens=None, closes=None, year=None, programme=None, **kwargs):
    from datetime import timedelta

    from django.utils import timezone

    from awards.builders import build_cycle
    from awards.models import Programme

    opens = opens or timezone.now() - timedelta(days=10)
    closes = closes or timezone.now() + timedelta(days=30)
    programme = programme or Programme.objects.get_or_create(name="Social Care Accolades", reference_prefix="SCA")[0]
    return build_cycle(programme, opens=opens, closes=closes, year=year, **kwargs)


def make_category(cycle, name="Care Home Service of the Year", *, questions=((("Why is it outstanding?", 50),)), **kw):
    from awards.enums import Stage
    from awards.models import Category, Criterion, Question

    category = Category.objects.create(cycle=cycle, name=name, description=f"About {name}", **kw)
    for order, (text, limit) in enumerate(questions):
        Question.objects.create(category=category, text=text, word_limit=limit, order=order)
    Criterion.objects.create(category=category, name="Person-centred care", weight=3, max_score=10)
    Criterion.objects.create(category=category, name="Outcomes", weight=2, max_score=10)
    Criterion.objects.create(category=category, stage=Stage.SITE_VISIT, name="What we saw", weight=1)
    return category


def make_nomination(category, organisation, user, *, complete=True, state=None):
    """A draft (complete enough to submit when `complete`), or a row in `state`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards import domain
    from awards.models import Nomination

    nomination = Nomination.objects.create(
        cycle=category.cycle, category=category, organisation=organisation, created_by=user
    )
    if complete:
        nomination.service_name = f"{organisation.name} – Rose House"
        nomination.service_address = "1 High Street\nTown"
        nomination.service_regulator_number = "1-123456789"
        nomination.user_statement = "They listen to me."
        nomination.user_statement_by = "A resident"
        nomination.user_statement_consent = True
        nomination.consent_to_publish = True
        nomination.save()
        domain.save_answers(user, nomination, {q.pk: "Because people come first." for q in category.questions.all()})
        domain.add_evidence(user, nomination, SimpleUploadedFile("report.pdf", MINIMAL_PDF))
    if state:
        Nomination.objects.filter(pk=nomination.pk).update(state=state, reference=f"SCA-{nomination.pk:05d}")
        nomination.refresh_from_db()
    return nomination


# Judging ----------------------------------------------------------------------


def make_judge(email, *, sector="private", lived="none", **kwargs):
    from accounts.enums import SiteRole
    from judging.models import JudgeProfile

    judge = make_user(email=email, roles=[SiteRole.JUDGE], **kwargs)
    JudgeProfile.objects.create(user=judge, sector_background=sector, lived_experience=lived)
    return judge


def make_panel(category, judges, *, chair=None, active=True):
    from judging.models import Panel, PanelMember

    panel = Panel.objects.create(category=category, chair=chair or judges[0], state="active" if active else "draft")
    for judge in judges:
        PanelMember.objects.create(panel=panel, judge=judge)
    return panel


def make_judging_world():
    """A cycle with one category and an active panel of four judges from four
    sectors (two with lived experience of care, the first the chair), and an
    awards administrator."""
    from accounts.enums import SiteRole

    cycle = make_cycle()
    category = make_category(cycle)
    judges = [
        make_judge("chair@example.org", sector="public"),
        make_judge("j2@example.org", sector="private", lived="uses_services"),
        make_judge("j3@example.org", sector="voluntary"),
        make_judge("j4@example.org", sector="community", lived="unpaid_carer"),
    ]
    panel = make_panel(category, judges)
    admin = make_user(email="admin@example.org", roles=[SiteRole.AWARDS_ADMIN])
    return {"cycle": cycle, "category": category, "judges": judges, "panel": panel, "admin": admin}


def visit_details(start):
    """What an administrator enters to schedule a two-hour visit starting at `start`."""
    from datetime import timedelta

    return {
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "address": "1 High Street",
        "access_notes": "Step-free entrance at the side",
        "provider_contact_name": "Jo Bloggs",
        "provider_contact_email": "jo@provider.example",
        "provider_contact_phone": "",
    }


def make_eligible(category, count, *, prefix="Provider"):
    """`count` eligible nominations from different organisations."""
    from awards.models import Nomination

    nominations = []
    for n in range(count):
        user, organisation = make_provider(f"{prefix} {category.pk}-{n}")
        nomination = make_nomination(category, organisation, user, complete=False, state="eligible")
        Nomination.objects.filter(pk=nomination.pk).update(
            reference=f"SCA-{nomination.pk:06d}", service_name=f"{organisation.name} House"
        )
        nomination.refresh_from_db()
        nominations.append(nomination)
    return nominations


# Courses and accreditation ---------------------------------------------------------


def make_course_provider(name="Leadership Learning Partnership", **kwargs):
    from accounts.enums import MembershipRole, OrganisationKind

    organisation = OrganisationFactory(name=name, sector="private", region="london")
    organisation.kinds = [OrganisationKind.COURSE_PROVIDER]
    organisation.save()
    user = make_user(organisation=organisation, org_role=MembershipRole.ADMIN, **kwargs)
    return user, organisation


def make_course(
    provider,
    title="Leading person-centred care",
    *,
    levels=("practice-leaders",),
    domains=("leadership",),
    state="listed",
    **fields,
):
    from decimal import Decimal

    from courses.domain import refresh_search_document
    from courses.models import Course, FrameworkDomain, FrameworkLevel

    values = {
        "summary": f"{title}: a programme for leaders in social care.",
        "delivery_mode": "blended",
        "duration_hours": Decimal(30),
        "cost": Decimal(500),
        "designed_for_social_care": True,
    }
    values.update(fields)
    course = Course.objects.create(provider=provider, title=title, state=state, **values)
    course.levels.set(FrameworkLevel.objects.filter(slug__in=levels))
    course.domains.set(FrameworkDomain.objects.filter(slug__in=domains))
    refresh_search_document([course.pk])
    return course


def make_accreditation_people():
    """A course provider with a course, an assessor and another member of academy staff."""
    from accounts.enums import SiteRole

    provider_user, provider = make_course_provider()
    course = make_course(provider)
    assessor = make_user(email="assessor@academy.example", roles=[SiteRole.ACADEMY_STAFF])
    other_staff = make_user(email="other@academy.example", roles=[SiteRole.ACADEMY_STAFF])
    return {"user": provider_user, "course": course, "assessor": assessor, "other_staff": other_staff}


def ensure_reference_data():
    import importlib

    from accreditation.models import Criterion
    from courses.models import FrameworkDomain, FrameworkLevel

    framework = importlib.import_module("courses.migrations.0002_framework_defaults_and_search_index")
    criteria = importlib.import_module("accreditation.migrations.0002_default_criteria")
    for slug, name, description, order in framework.LEVELS:
        FrameworkLevel.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    for slug, name, description, order in framework.DOMAINS:
        FrameworkDomain.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    for order, (title, guidance) in enumerate(criteria.CRITERIA):
        Criterion.objects.get_or_create(title=title, defaults={"guidance": guidance, "order": order})
