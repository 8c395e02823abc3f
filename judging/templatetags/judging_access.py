"""Template filters for accessible participation: whether a viewer may see a
judge's access needs (judging.see_access_needs). Nothing is shown without the
judge's consent."""

from django import template

register = template.Library()


@register.filter
def access_needs_for(judge, viewer):
    """The judge's profile when the viewer may see access needs recorded on
    it, else None. Reads `judge.judge_profile`: select it with the judges."""
    profile = getattr(judge, "judge_profile", None)
    if profile is None or not profile.has_access_needs:
        return None
    return profile if viewer.has_perm("judging.see_access_needs", profile) else None
