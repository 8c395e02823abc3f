"""What the leaders' views share."""

from accounts.views import permission_required

manage_required = permission_required("leaders.manage")
