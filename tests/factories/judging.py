"""Judges, panels and the shared judging world."""

from .accounts import make_provider, make_user
from .awards import make_category, make_cycle, make_nomination


def make_judge(email, *, sector="private", lived="none", **kwargs):
    from accounts.enums import SiteRole
    from judging.models import JudgeProfile

    judge = make_user(email=email, roles=[SiteRole.JUDGE], **kwargs)
    JudgeProfile.objects.create(user=judge, sector_background=sector, lived_experience=lived)
    return judge


def make_panel(category, judges, *, chair=None, active=True):
    from judging.models import Panel, PanelMember

    panel = Panel.objects.create(category=category, chair=chair or judges[0], state="active" if active else "draft")
    for judge in judges:
        PanelMember.objects.create(panel=panel, judge=judge)
    return panel


def make_judging_world():
    """A cycle with one category and an active panel of four judges from four
    sectors (two with lived experience of care, the first the chair), and an
    awards administrator."""
    from accounts.enums import SiteRole

    cycle = make_cycle()
    category = make_category(cycle)
    judges = [
        make_judge("chair@example.org", sector="public"),
        make_judge("j2@example.org", sector="private", lived="uses_services"),
        make_judge("j3@example.org", sector="voluntary"),
        make_judge("j4@example.org", sector="community", lived="unpaid_carer"),
    ]
    panel = make_panel(category, judges)
    admin = make_user(email="admin@example.org", roles=[SiteRole.AWARDS_ADMIN])
    return {"cycle": cycle, "category": category, "judges": judges, "panel": panel, "admin": admin}


def visit_details(start):
    """What an administrator enters to schedule a two-hour visit starting at `start`."""
    from datetime import timedelta

    return {
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "address": "1 High Street",
        "access_notes": "Step-free entrance at the side",
        "provider_contact_name": "Jo Bloggs",
        "provider_contact_email": "jo@provider.example",
        "provider_contact_phone": "",
    }


def make_eligible(category, count, *, prefix="Provider"):
    """`count` eligible nominations from different organisations."""
    from awards.models import Nomination

    nominations = []
    for n in range(count):
        user, organisation = make_provider(f"{prefix} {category.pk}-{n}")
        nomination = make_nomination(category, organisation, user, complete=False, state="eligible")
        Nomination.objects.filter(pk=nomination.pk).update(
            reference=f"SCA-{nomination.pk:06d}", service_name=f"{organisation.name} House"
        )
        nomination.refresh_from_db()
        nominations.append(nomination)
    return nominations


# Courses and accreditation ---------------------------------------------------------
