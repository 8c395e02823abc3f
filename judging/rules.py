"""Who may do what in judging: django-rules predicates and permissions, and
the "may" checks that need more than one object. Views, domain functions and
templates ask these; nothing else in judging checks a role or a chair."""

import rules

from accounts.rules import is_awards_admin, is_judge, is_media_partner


@rules.predicate
def chairs_panel(user, panel):
    return user.is_authenticated and panel is not None and panel.chair_id == user.pk


@rules.predicate
def is_chair_for(user, category):
    """Chairs the panel of this category."""
    from .models import Panel

    return user.is_authenticated and Panel.objects.filter(category=category, chair=user).exists()


@rules.predicate
def holds_assignment(user, assignment):
    """The judge the scorecard is assigned to, while it is assigned."""
    from .enums import AssignmentState

    return user.is_authenticated and assignment.judge_id == user.pk and assignment.state == AssignmentState.ACTIVE


@rules.predicate
def panel_not_signed_off(user, panel):
    """A signed-off panel's membership is final: it changes only after an
    administrator reopens the panel (judging.domain.reopen_panel)."""
    from .enums import PanelState

    return panel is not None and panel.state != PanelState.SIGNED_OFF


@rules.predicate
def on_visit_team(user, visit):
    return user.is_authenticated and visit.judges.filter(pk=user.pk).exists()


rules.add_perm("judging.manage", is_awards_admin)
rules.add_perm("judging.judge", is_judge)
rules.add_perm("judging.view_panel", is_awards_admin | chairs_panel)
rules.add_perm("judging.change_panel_members", is_awards_admin & panel_not_signed_off)
rules.add_perm("judging.press_pack", is_media_partner | is_awards_admin)
rules.add_perm("judging.score", holds_assignment)
rules.add_perm("judging.report_visit", on_visit_team)


def chair_is_conflicted(category, nominations) -> bool:
    """Whether the category's chair has a conflict of interest (declared, or
    membership) with the organisation of any of these nominations."""
    from .models import Panel
    from .queries import conflicted_organisations

    panel = Panel.objects.filter(category=category).select_related("chair").first()
    if panel is None or panel.chair is None:
        return False
    return bool(conflicted_organisations(panel.chair, {n.organisation_id for n in nominations}))


def may_act_as_chair(user, category, nominations) -> bool:
    """May this person take the chair's decision on these nominations (a
    casting decision, a final decision, reopening scores, signing off)?

    The chair may, unless conflicted with one of them: then an awards
    administrator acts instead, and the audit record says so (DESIGN:
    conflicts; issue 15). An administrator never takes a decision that
    belongs to an unconflicted chair."""
    if not user.is_authenticated:
        return False
    conflicted = chair_is_conflicted(category, nominations)
    if is_chair_for(user, category):
        return not conflicted
    return conflicted and user.has_perm("judging.manage")


def may_decide_shortlist(user, category, nominations) -> bool:
    """The chair, unless conflicted with one of the candidates, or an awards
    administrator, who may decide the shortlist for the panel at any time."""
    if user.is_authenticated and user.has_perm("judging.manage"):
        return True
    return is_chair_for(user, category) and not chair_is_conflicted(category, nominations)
