"""Course providers, courses, accreditation people and the framework reference data."""

from accounts.enums import MembershipRole, OrganisationKind

from .accounts import OrganisationFactory, make_user


def make_course_provider(name="Leadership Learning Partnership", **kwargs):

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
