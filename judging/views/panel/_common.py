"""What every administrator and chair view shares."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.views import permission_required

from ...models import Panel

manage_required = permission_required("judging.manage")


def _panel_for(user, pk) -> Panel:
    """Administrators and the panel's chair; 404 for anyone else."""
    panel = get_object_or_404(Panel.objects.select_related("category__cycle__programme", "chair"), pk=pk)
    if not user.is_authenticated or not user.has_perm("judging.view_panel", panel):
        raise Http404
    return panel
