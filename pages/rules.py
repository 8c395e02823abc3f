"""Who may see what of the site's own pages (django-rules permissions)."""

import rules

from accounts.rules import is_site_staff

rules.add_perm("pages.see_health_detail", is_site_staff)
