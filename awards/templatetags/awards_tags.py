from django import template

register = template.Library()

STATE_COLOURS = {
    "draft": "govuk-tag--grey",
    "submitted": "govuk-tag--blue",
    "eligible": "govuk-tag--turquoise",
    "ineligible": "govuk-tag--red",
    "shortlisted": "govuk-tag--purple",
    "not_shortlisted": "govuk-tag--grey",
    "finalist": "govuk-tag--pink",
    "winner": "govuk-tag--green",
    "highly_commended": "govuk-tag--green",
    "commended": "govuk-tag--green",
    "withdrawn": "govuk-tag--orange",
}


@register.inclusion_tag("awards/includes/state_tag.html")
def state_tag(nomination):
    return {"label": nomination.get_state_display(), "colour": STATE_COLOURS.get(nomination.state, "")}


@register.inclusion_tag("awards/includes/state_tag.html")
def entrant_state_tag(nomination):
    """For provider pages: awards stay hidden until the results are announced."""
    from awards.enums import NominationState

    state = nomination.entrant_state()
    return {"label": NominationState(state).label, "colour": STATE_COLOURS.get(state, "")}


@register.filter
def filesize(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
