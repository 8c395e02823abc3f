from dataclasses import dataclass

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Q
from django.utils.functional import cached_property

from .enums import JoinRequestState, MembershipRole, OrganisationKind, Region, Sector, SiteRole


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person: the email address is the login."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField("full name", max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def greeting(self) -> str:
        """How every email to the person opens: 'Dear Jo Bloggs', or 'Hello'
        for someone who has not given a name (never their email address)."""
        return f"Dear {self.full_name}" if self.full_name.strip() else "Hello"

    @cached_property
    def access(self) -> "Access":
        """Site roles held now, TOTP, kinds of organisation: loaded once per request."""
        return Access.load(self.pk)

    @property
    def site_roles(self) -> frozenset[str]:
        return self.access.site_roles

    @property
    def has_totp(self) -> bool:
        return self.access.has_totp

    @property
    def organisation_kinds(self) -> frozenset[str]:
        """Kinds (care provider, course provider, ...) of the person's organisations."""
        return self.access.organisation_kinds

    def has_site_role(self, role: str) -> bool:
        return role in self.site_roles

    def has_perm(self, perm, obj=None) -> bool:
        """The service's own permissions (the rules predicates) are decided by
        those predicates alone, from recorded role grants and memberships:
        Django's superuser flag, which otherwise answers yes to everything,
        grants none of them. It still opens the Django admin's model pages."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def needs_mfa(self) -> bool:
        """Judges and staff must use two-factor authentication."""
        return self.is_staff or bool(self.site_roles & SiteRole.requiring_mfa())


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    region = models.CharField(max_length=30, choices=Region.choices)
    is_care_provider = models.BooleanField("care provider", default=False)
    is_course_provider = models.BooleanField("course provider", default=False)
    is_local_authority = models.BooleanField("local authority", default=False)
    is_academy = models.BooleanField("academy", default=False)
    regulator_number = models.CharField(
        "regulator registration number",
        max_length=40,
        blank=True,
        help_text="For example a Care Quality Commission provider ID",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["sector", "region"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self):
        return self.name

    KIND_FIELDS = {
        OrganisationKind.CARE_PROVIDER: "is_care_provider",
        OrganisationKind.COURSE_PROVIDER: "is_course_provider",
        OrganisationKind.LOCAL_AUTHORITY: "is_local_authority",
        OrganisationKind.ACADEMY: "is_academy",
    }

    @property
    def kinds(self) -> list[str]:
        return [kind for kind, field in self.KIND_FIELDS.items() if getattr(self, field)]

    @kinds.setter
    def kinds(self, values):
        for kind, field in self.KIND_FIELDS.items():
            setattr(self, field, kind in values)

    @property
    def kind_labels(self) -> list[str]:
        return [OrganisationKind(kind).label for kind in self.kinds]

    @classmethod
    def kind_filter(cls, kind: str) -> Q:
        return Q(**{cls.KIND_FIELDS[OrganisationKind(kind)]: True})


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]
        ordering = ["organisation__name"]

    def __str__(self):
        return f"{self.user} in {self.organisation} ({self.get_role_display()})"


class JoinRequest(models.Model):
    # Templates name states through this, never by their stored strings:
    # {% if joinrequest.state == joinrequest.STATES.X %}
    STATES = JoinRequestState

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(blank=True, max_length=1000)
    state = models.CharField(max_length=20, choices=JoinRequestState.choices, default=JoinRequestState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(state="pending"),
                name="one_pending_join_request",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} asks to join {self.organisation}"


class RoleGrant(models.Model):
    """A site-wide role held by a user, with who granted and revoked it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=30, choices=SiteRole.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField()
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(revoked_at__isnull=True), name="one_active_grant_per_role"
            )
        ]
        ordering = ["-granted_at"]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}"

    @property
    def is_active(self):
        return self.revoked_at is None


class AuditEvent(models.Model):
    """Append-only record of every state change: who, when, what, before and after.

    Written by the domain functions in the same transaction as the change.
    Rows are never updated or deleted by the application.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit records cannot be deleted")

    DESCRIPTIONS = {
        "nomination.started": "Nomination started",
        "nomination.submitted": "Submitted",
        "nomination.eligible": "Found eligible",
        "nomination.ineligible": "Found not eligible",
        "nomination.withdrawn": "Withdrawn",
        "nomination.extension_granted": "Extension granted",
        "evidence.added": "Evidence added",
        "evidence.removed": "Evidence removed",
    }

    @property
    def description(self) -> str:
        """The action in words, for timelines shown to people."""
        if self.action in self.DESCRIPTIONS:
            return self.DESCRIPTIONS[self.action]
        return self.action.rsplit(".", 1)[-1].replace("_", " ").capitalize()


@dataclass(frozen=True)
class Access:
    """What every signed-in request asks of its person: the permission checks,
    the two-factor middleware and the navigation all need it.

    One hand-written query instead of three ORM queries, because it runs on
    every page and building ORM queries costs more than running these."""

    site_roles: frozenset[str]
    has_totp: bool
    organisation_kinds: frozenset[str]

    @classmethod
    def load(cls, user_id) -> "Access":
        if user_id is None:
            return cls(frozenset(), False, frozenset())
        sql, params = _access_query(user_id)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return cls(
            site_roles=frozenset(value for what, value in rows if what == "role"),
            has_totp=any(what == "totp" for what, _ in rows),
            organisation_kinds=frozenset(value for what, value in rows if what == "kind"),
        )


def _access_query(user_id):
    from allauth.mfa.models import Authenticator

    # Only our own table and column names are put into the text; values are parameters.
    grants, authenticators = RoleGrant._meta.db_table, Authenticator._meta.db_table
    memberships, organisations = Membership._meta.db_table, Organisation._meta.db_table
    parts = [
        f"SELECT 'role', role FROM {grants} WHERE user_id = %s AND revoked_at IS NULL",  # noqa: S608
        f"SELECT 'totp', type FROM {authenticators} WHERE user_id = %s AND type = %s",  # noqa: S608
    ]
    params = [user_id, user_id, Authenticator.Type.TOTP.value]
    for kind, field in Organisation.KIND_FIELDS.items():
        parts.append(
            f"SELECT 'kind', '{kind.value}' FROM {memberships} m JOIN {organisations} o "  # noqa: S608
            f"ON o.id = m.organisation_id WHERE m.user_id = %s AND o.{field} = %s"
        )
        params += [user_id, True]
    return " UNION ALL ".join(parts), params
