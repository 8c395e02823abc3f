"""Who may see what of the site's own pages (django-rules permissions), and
which sections of "Your home" each person is shown: one for every role they
hold (people can hold several)."""

import rules

from accounts.enums import OrganisationKind
from accounts.rules import is_academy_staff, is_awards_admin, is_judge, is_site_staff

rules.add_perm("pages.see_health_detail", is_site_staff)


@rules.predicate
def works_for_care_provider(user):
    return user.is_authenticated and OrganisationKind.CARE_PROVIDER in user.organisation_kinds


@rules.predicate
def works_for_course_provider(user):
    return user.is_authenticated and OrganisationKind.COURSE_PROVIDER in user.organisation_kinds


@rules.predicate
def chairs_a_panel(user):
    from judging.enums import PanelState
    from judging.models import Panel

    return user.is_authenticated and Panel.objects.filter(chair=user).exclude(state=PanelState.SIGNED_OFF).exists()


@rules.predicate
def keeps_a_portfolio(user):
    """A leader: has a leader profile, a completion or a DASS appointment."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from leaders.models import Completion, DassAppointment, LeaderProfile

    if not user.is_authenticated:
        return False
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(
            Exists(LeaderProfile.objects.filter(user=OuterRef("pk")))
            | Exists(Completion.objects.filter(leader=OuterRef("pk")))
            | Exists(DassAppointment.objects.filter(leader=OuterRef("pk")))
        )
        .exists()
    )


# The sections of "Your home", in the order shown, each with who sees it.
HOME_SECTIONS = [
    ("provider", works_for_care_provider),
    ("judge", is_judge),
    ("chair", chairs_a_panel),
    ("awards_admin", is_awards_admin),
    ("academy_staff", is_academy_staff),
    ("course_provider", works_for_course_provider),
    ("leader", keeps_a_portfolio),
]


def home_sections(user) -> list[str]:
    """The sections of "Your home" this person sees."""
    return [name for name, holds in HOME_SECTIONS if holds(user)]
