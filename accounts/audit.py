from django.utils import timezone

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
