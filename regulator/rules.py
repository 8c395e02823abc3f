"""Who may do what with the regulator's directory (django-rules predicates).

The directory import, category rating rules, the ratings of entries and the
overrides are the awards administrators'. Providers reach the directory only
through the prefill of their own draft's service details (awards' edit
permission)."""

import rules

from accounts.rules import is_awards_admin

rules.add_perm("regulator.manage", is_awards_admin)
rules.add_perm("regulator.override", is_awards_admin)
