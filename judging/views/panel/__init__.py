"""Administrators and panel chairs: judges, panels, assignment, results, shortlist,
visits, final decisions, sign-off and publication.

One view per action: a page's forms each post to a view of their own, which
on failure shows the page again with what was typed."""

from .final import (  # noqa: F401
    approve_results,
    confirm_approve_results,
    confirm_sign_off,
    distribution,
    export,
    final,
    no_award,
    record_final_result,
    reopen_panel,
    sign_off,
    withdraw_results,
)
from .panels import (  # noqa: F401
    activate_panel,
    add_panel_member,
    assign_judges,
    choose_assignment,
    choose_panel_members,
    confirm_remove_panel_member,
    cycle_panels,
    judges,
    manage_index,
    open_panels,
    override_assignment,
    panel_detail,
    remove_panel_member,
    save_judging_settings,
    set_panel_chair,
)
from .ranking import (  # noqa: F401
    confirm_publish_shortlist,
    publish_shortlist,
    reopen_scores,
    results,
    shortlist,
    tie_break,
)
from .visits import (  # noqa: F401
    cancel_visit,
    visit_form,
    visits,
)
