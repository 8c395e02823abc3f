from django.db.models import Q
from django.utils import timezone

from .enums import SiteRole
from .models import AuditEvent


def record(*, actor, action: str, obj, before=None, after=None, reason: str = "", at=None) -> AuditEvent:
    """Write one audit row; called by domain functions inside their transaction."""
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before or {},
        after=after or {},
        reason=reason,
    )


# Which records each administrator reads in the audit log: their own service's
# records and the shared account records. Academy staff have no business
# reading judges' scores, nor awards administrators accreditation decisions.
SHARED_AREAS = ("accounts.", "notifications.")
AREAS_BY_ROLE = {
    SiteRole.AWARDS_ADMIN: ("awards.", "judging."),
    SiteRole.ACADEMY_STAFF: ("courses.", "accreditation.", "leaders."),
}


def visible_events(user):
    """The audit events `user` may read; site staff read them all."""
    events = AuditEvent.objects.select_related("actor")
    if user.is_staff:
        return events
    prefixes = [p for role, areas in AREAS_BY_ROLE.items() if user.has_site_role(role) for p in areas]
    if not prefixes:
        return events.none()
    condition = Q()
    for prefix in (*SHARED_AREAS, *prefixes):
        condition |= Q(object_type__startswith=prefix)
    return events.filter(condition)
