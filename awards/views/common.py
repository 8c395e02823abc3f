from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import AuditEvent

from ..queries import nominations_for_provider, nominations_visible_to


def visible_nomination(user, pk, *, members_only=False):
    """The nomination if this user may see it; 404 otherwise, so ids reveal nothing."""
    queryset = nominations_for_provider(user) if members_only else nominations_visible_to(user)
    return get_object_or_404(
        queryset.select_related("cycle__programme", "category", "organisation", "created_by"), pk=pk
    )


def nomination_timeline(nomination):
    """Audit entries of this nomination, oldest first: its history for people."""
    return (
        AuditEvent.objects.filter(object_type="awards.nomination", object_id=str(nomination.pk))
        .select_related("actor")
        .order_by("at", "pk")
    )


def require_perm(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise Http404
