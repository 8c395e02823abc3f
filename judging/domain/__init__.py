"""Every judging change goes through these functions: permission, state,
audit record and email in one transaction.

- _common: the cycle's rules, marking a ranking stale, who took a chair's decision
- judges: invitations, profiles, conflicts of interest (standing down)
- panels: composition, members, the chair, activation, assignment and overrides
- scoring: scorecards, reopening them, casting decisions on ties
- shortlist: deciding and publishing the shortlist
- visits: site visits and their reports
- access: judges' access needs and consents, assisted scoring
- final: final scores, award decisions, no award, sign-off
- publication: approval, the embargo, telling entrants, withdrawal, reopening a panel
"""

from ..results import category_results
from ._common import CONFLICT_REASON, judging_settings_for
from .access import host_access_needs, save_access_needs, save_scoring_support, visible_access_needs
from .final import (
    final_scores,
    final_scores_with_lived_experience,
    record_final_result,
    record_no_award,
    sign_off,
    sign_off_problems,
)
from .judges import accept_invitation, declare_conflict, invite_judge, save_profile
from .panels import (
    activate_panel,
    add_panel_member,
    add_panel_members,
    auto_assign,
    composition_problems,
    open_panels,
    override_assignment,
    remove_panel_member,
    save_judging_settings,
    set_chair,
)
from .publication import (
    AWARD_STATES,
    approve_results,
    notify_entrants_of_results,
    record_press_pack_download,
    reopen_panel,
    request_press_pack,
    results_are_public,
    withdraw_results,
)
from .scoring import record_tie_break, reopen_scores, save_scores
from .shortlist import decide_shortlist, outstanding_scorecards, publish_shortlist
from .visits import cancel_visit, reschedule_visit, schedule_visit, submit_visit_report, visit_problems

__all__ = [
    "AWARD_STATES",
    "CONFLICT_REASON",
    "accept_invitation",
    "activate_panel",
    "add_panel_member",
    "add_panel_members",
    "approve_results",
    "auto_assign",
    "cancel_visit",
    "category_results",
    "composition_problems",
    "open_panels",
    "decide_shortlist",
    "declare_conflict",
    "final_scores",
    "final_scores_with_lived_experience",
    "invite_judge",
    "notify_entrants_of_results",
    "record_press_pack_download",
    "request_press_pack",
    "outstanding_scorecards",
    "override_assignment",
    "publish_shortlist",
    "record_final_result",
    "record_no_award",
    "record_tie_break",
    "remove_panel_member",
    "save_judging_settings",
    "reopen_panel",
    "reopen_scores",
    "reschedule_visit",
    "results_are_public",
    "judging_settings_for",
    "host_access_needs",
    "save_access_needs",
    "save_scoring_support",
    "visible_access_needs",
    "save_profile",
    "save_scores",
    "schedule_visit",
    "set_chair",
    "sign_off",
    "sign_off_problems",
    "submit_visit_report",
    "visit_problems",
    "withdraw_results",
]
