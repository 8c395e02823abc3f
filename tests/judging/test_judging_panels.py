"""Judging: panel composition and judge invitations."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import SiteRole
from accounts.models import AuditEvent
from core.errors import DomainError
from judging import domain

from ..factories import make_category, make_judge, make_panel, make_user

pytestmark = pytest.mark.django_db


def test_composition_failures_say_exactly_which_rule_fails(admin, cycle):
    category = make_category(cycle, "Second")
    lone = make_judge("lone@example.org", sector="private")
    other = make_judge("other@example.org", sector="private")
    panel = make_panel(category, [lone, other], chair=lone, active=False)
    problems = domain.composition_problems(panel)
    assert problems == [
        "The panel needs at least 3 members; it has 2",
        "The panel needs at least 1 member with lived experience of care; it has 0",
        "Members must come from at least 2 sectors; they come from 1",
    ]
    with pytest.raises(DomainError, match="at least 3 members"):
        domain.activate_panel(admin, panel)


def test_panel_without_chair_or_profile_is_refused(cycle, judges):
    category = make_category(cycle, "Third")
    no_profile = make_user(email="noprofile@example.org", roles=[SiteRole.JUDGE])
    panel = make_panel(category, judges[1:] + [no_profile], chair=judges[1], active=False)
    panel.chair = None
    panel.save()
    problems = domain.composition_problems(panel)
    assert "These members have not completed their judge profile: noprofile@example.org" in problems
    assert "The panel needs a chair" in problems


def test_invitation_makes_a_judge(client, admin, run_on_commit):
    client.force_login(admin)
    with run_on_commit():
        client.post(reverse("judging:judges"), {"email": "New.Judge@example.org"})
    link = [line for line in mail.outbox[-1].body.splitlines() if "/judging/invitations/" in line][0]
    person = make_user(email="new.judge@example.org")
    client.force_login(person)
    response = client.get(link.replace("http://testserver", ""))
    assert response["Location"] == reverse("judging:profile")
    assert person.__class__.objects.get(pk=person.pk).has_site_role(SiteRole.JUDGE)
    grant_event = AuditEvent.objects.get(action="role.granted")
    assert grant_event.actor == admin


def test_invitation_for_someone_else_is_refused(client, admin):
    invitation = domain.invite_judge(admin, "intended@example.org")
    intruder = make_user(email="intruder@example.org")
    client.force_login(intruder)
    client.get(reverse("judging:accept_invitation", args=[invitation.token]))
    assert not intruder.__class__.objects.get(pk=intruder.pk).has_site_role(SiteRole.JUDGE)
