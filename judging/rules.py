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


@rules.predicate
def is_own_profile(user, profile):
    return user.is_authenticated and profile is not None and profile.user_id == user.pk


@rules.predicate
def access_needs_shared_with_admin(user, profile):
    """The judge consented to share their access needs with the awards
    administrator (and has not withdrawn it): nothing is shown otherwise."""
    return profile is not None and profile.share_access_needs_with_admin and profile.has_access_needs


@rules.predicate
def scorecard_not_submitted(user, assignment):
    """A submitted scorecard is locked, with everything recorded on it, until the chair reopens it."""
    return assignment.submitted_at is None


@rules.predicate
def chairs_assignment_category(user, assignment):
    return is_chair_for(user, assignment.nomination.category)


@rules.predicate
def on_example_panel(user, example):
    """Sits on the panel of the calibration example's category, while it is not signed off."""
    from .enums import PanelState
    from .models import PanelMember

    return (
        user.is_authenticated
        and PanelMember.objects.filter(panel__category_id=example.category_id, judge=user)
        .exclude(panel__state=PanelState.SIGNED_OFF)
        .exists()
    )


rules.add_perm("judging.manage", is_awards_admin)
rules.add_perm("judging.judge", is_judge)
rules.add_perm("judging.view_panel", is_awards_admin | chairs_panel)
rules.add_perm("judging.change_panel_members", is_awards_admin & panel_not_signed_off)
rules.add_perm("judging.press_pack", is_media_partner | is_awards_admin)
rules.add_perm("judging.score", holds_assignment)
rules.add_perm("judging.report_visit", on_visit_team)
# Calibration (judging.domain.calibration): administrators write the shared
# example entries; the panel's judges score them; the chair and
# administrators see how far each judge sits from the panel.
rules.add_perm("judging.add_calibration_example", is_awards_admin)
rules.add_perm("judging.calibrate", is_judge & on_example_panel)
rules.add_perm("judging.view_calibration", is_awards_admin | chairs_panel)
# A judge's access needs (a JudgeProfile): the judge, and the awards
# administrator while the judge consents. Hosts hear through the visit email only.
rules.add_perm("judging.see_access_needs", is_own_profile | (is_awards_admin & access_needs_shared_with_admin))
# Assisted scoring (a judge's Assignment): recorded by its judge until submitted;
# seen by its judge, the panel chair and the awards administrator. The supporter has no account.
rules.add_perm("judging.record_scoring_support", holds_assignment & scorecard_not_submitted)
rules.add_perm("judging.see_scoring_support", holds_assignment | chairs_assignment_category | is_awards_admin)


def may_tell_hosts_access_needs(profile) -> bool:
    """Whether a visit's host (the provider organisation) is told a visiting
    judge's access needs: only with the judge's consent to share with hosts,
    which takes effect on the next email from the moment it is withdrawn."""
    return profile is not None and profile.share_access_needs_with_hosts and profile.has_access_needs


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
