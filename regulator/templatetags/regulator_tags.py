"""The regulator panel on an awards administrator's nomination page."""

from django import template

from ..forms import OverrideForm
from ..matching import verdicts

register = template.Library()


@register.inclusion_tag("regulator/includes/nomination_panel.html", takes_context=True)
def regulator_panel(context, nomination):
    """The matched location, its rating and date, the category rule's outcome
    with its reasons, changes flagged and overrides: for administrators only."""
    user = context["request"].user
    if not user.has_perm("regulator.manage"):
        return {"shown": False}
    return {
        "shown": True,
        "nomination": nomination,
        "verdict": verdicts([nomination])[nomination.pk],
        "override_form": OverrideForm(),
        "may_override": user.has_perm("regulator.override", nomination),
        "csrf_token": context.get("csrf_token"),
    }
