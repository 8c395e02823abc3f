"""People and organisations."""

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
