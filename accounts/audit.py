from django.db.models import Q
from django.utils import timezone

from .models import AuditEvent
from .rules import is_academy_staff, is_awards_admin, is_site_staff


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
AREAS_BY_ROLE = [
    (is_awards_admin, ("awards.", "judging.")),
    (is_academy_staff, ("courses.", "accreditation.", "leaders.")),
]


def visible_events(user):
    """The audit events `user` may read; site staff read them all."""
    events = AuditEvent.objects.select_related("actor")
    if is_site_staff(user):
        return events
    prefixes = [p for holds_role, areas in AREAS_BY_ROLE if holds_role(user) for p in areas]
    if not prefixes:
        return events.none()
    condition = Q()
    for prefix in (*SHARED_AREAS, *prefixes):
        condition |= Q(object_type__startswith=prefix)
    return events.filter(condition)
