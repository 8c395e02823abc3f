import rules

from accounts.rules import is_academy_staff, is_awards_admin, is_site_staff

rules.add_perm("notifications.view_ledger", is_site_staff | is_awards_admin | is_academy_staff)
