"""State changes for organisations, memberships and site roles.

Each function checks permission and state, writes the change and its audit
record in one transaction, and queues any email to go after commit.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from core.permissions import require
from core.states import move
from notifications.mail import queue_email

from . import audit
from .enums import JOIN_REQUEST_TRANSITIONS, JoinRequestState, MembershipRole, SiteRole
from .models import JoinRequest, Membership, Organisation, RoleGrant, User


@transaction.atomic
def create_organisation(user: User, *, name, sector, region, kinds, regulator_number="") -> Organisation:
    if not kinds:
        raise DomainError("Select at least one kind of organisation")
    organisation = Organisation(
        name=name.strip(), sector=sector, region=region, regulator_number=regulator_number.strip(), created_by=user
    )
    organisation.kinds = kinds
    organisation.save()
    Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.ADMIN)
    audit.record(
        actor=user,
        action="organisation.created",
        obj=organisation,
        after={"name": organisation.name, "sector": sector, "region": region, "kinds": list(kinds)},
    )
    return organisation


@transaction.atomic
def request_to_join(user: User, organisation: Organisation, message: str = "") -> JoinRequest:
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise DomainError(f"You are already a member of {organisation.name}")
    if JoinRequest.objects.filter(user=user, organisation=organisation, state=JoinRequestState.PENDING).exists():
        raise DomainError(f"You have already asked to join {organisation.name}")
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(user=user, organisation=organisation, message=message.strip())
    except IntegrityError:  # a second tab submitted at the same moment
        raise DomainError(f"You have already asked to join {organisation.name}") from None
    audit.record(actor=user, action="join_request.created", obj=join_request, after={"state": join_request.state})
    admins = User.objects.filter(
        memberships__organisation=organisation, memberships__role=MembershipRole.ADMIN, is_active=True
    )
    for admin in admins:
        queue_email(
            to=admin.email,
            recipient=admin,
            template="join_request_received",
            context={"organisation": organisation, "requester": user, "message": join_request.message},
        )
    return join_request


@transaction.atomic
def decide_join_request(actor: User, join_request: JoinRequest, *, approve: bool, reason: str = "") -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_for_update().select_related("organisation", "user").get(pk=join_request.pk)
    )
    require(actor, "accounts.manage_organisation", join_request.organisation)
    if join_request.state != JoinRequestState.PENDING:
        raise DomainError("This request has already been decided")
    if not approve and not reason.strip():
        raise DomainError("Enter a reason for refusing the request")
    before = join_request.state
    move(join_request, JoinRequestState.APPROVED if approve else JoinRequestState.REFUSED, JOIN_REQUEST_TRANSITIONS)
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.reason = reason.strip()
    join_request.save()
    if approve:
        Membership.objects.get_or_create(
            user=join_request.user, organisation=join_request.organisation, defaults={"role": MembershipRole.MEMBER}
        )
    audit.record(
        actor=actor,
        action="join_request.decided",
        obj=join_request,
        before={"state": before},
        after={"state": join_request.state},
        reason=join_request.reason,
    )
    queue_email(
        to=join_request.user.email,
        recipient=join_request.user,
        template="join_request_decided",
        context={"join_request": join_request, "organisation": join_request.organisation},
    )
    return join_request


@transaction.atomic
def withdraw_join_request(user: User, join_request: JoinRequest) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    require(user, "accounts.withdraw_join_request", join_request)
    if join_request.state != JoinRequestState.PENDING:
        raise DomainError("This request has already been decided")
    move(join_request, JoinRequestState.WITHDRAWN, JOIN_REQUEST_TRANSITIONS)
    join_request.save(update_fields=["state"])
    audit.record(
        actor=user,
        action="join_request.withdrawn",
        obj=join_request,
        before={"state": JoinRequestState.PENDING},
        after={"state": join_request.state},
    )
    return join_request


@transaction.atomic
def change_member_role(actor: User, membership: Membership, role: str) -> Membership:
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    require(actor, "accounts.manage_organisation", membership.organisation)
    if role not in MembershipRole.values:
        raise DomainError("Select a role")
    if membership.role == role:
        return membership
    # Lock every admin row so two admins demoting each other cannot both succeed.
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation=membership.organisation, role=MembershipRole.ADMIN)
        .values_list("pk", flat=True)
    )
    if membership.role == MembershipRole.ADMIN and admins == [membership.pk]:
        raise DomainError("An organisation needs at least one admin: make someone else an admin first")
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        actor=actor, action="membership.role_changed", obj=membership, before={"role": before}, after={"role": role}
    )
    return membership


@transaction.atomic
def grant_role(actor: User, user: User, role: str) -> RoleGrant:
    require(actor, "accounts.grant_roles")
    return record_role_grant(actor, user, role)


def record_role_grant(granted_by, user: User, role: str) -> RoleGrant:
    """Grants a role the caller has already authorised (a staff member's
    decision, or an accepted judge invitation); audited as granted_by's act."""
    if role not in SiteRole.values:
        raise DomainError("Select a role")
    if RoleGrant.objects.filter(user=user, role=role, revoked_at__isnull=True).exists():
        raise DomainError(f"{user.email} already has the role {SiteRole(role).label}")
    grant = RoleGrant.objects.create(user=user, role=role, granted_by=granted_by, granted_at=timezone.now())
    audit.record(actor=granted_by, action="role.granted", obj=grant, after={"user": user.email, "role": role})
    user.__dict__.pop("access", None)
    return grant


@transaction.atomic
def revoke_role(actor: User, grant: RoleGrant) -> RoleGrant:
    grant = RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
    require(actor, "accounts.grant_roles")
    if grant.revoked_at is not None:
        raise DomainError("This role has already been removed")
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action="role.revoked",
        obj=grant,
        before={"user": grant.user.email, "role": grant.role, "active": True},
        after={"active": False},
    )
    return grant
