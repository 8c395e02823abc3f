"""Who may do what in judging (django-rules predicates)."""

import rules

from accounts.rules import is_awards_admin, is_judge, is_media_partner


@rules.predicate
def chairs_panel(user, panel):
    return user.is_authenticated and panel is not None and panel.chair_id == user.pk


rules.add_perm("judging.manage", is_awards_admin)
rules.add_perm("judging.judge", is_judge)
rules.add_perm("judging.view_panel", is_awards_admin | chairs_panel)
rules.add_perm("judging.press_pack", is_media_partner | is_awards_admin)
