from django import template
from django.utils.html import format_html

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


def _tag(state, label):
    # Built here rather than from an included template: lists show one a row.
    return format_html('<strong class="govuk-tag {}">{}</strong>', STATE_COLOURS.get(state, ""), label)


@register.simple_tag
def state_tag(nomination):
    return _tag(nomination.state, nomination.get_state_display())


@register.simple_tag
def entrant_state_tag(nomination):
    """For provider pages: awards stay hidden until the results are announced."""
    from awards.enums import NominationState

    state = nomination.entrant_state()
    return _tag(state, NominationState(state).label)


@register.filter
def filesize(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
