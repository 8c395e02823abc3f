"""What each judge may see, in one place."""

from .enums import AssignmentState
from .models import Assignment


def assignments_for_judge(user):
    """A judge sees only the nominations assigned to them and not taken off
    them (a declared conflict removes the assignment)."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.filter(judge=user, state=AssignmentState.ACTIVE)
