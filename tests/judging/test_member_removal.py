"""Removing a member from a panel (issue 19): their scorecards go to another
member, with a reason for submitted ones; the chair leaves only with a new
chair named; composition still holds; a signed-off panel stays as it is."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from core.errors import DomainError
from judging import domain
from judging.enums import AssignmentState, PanelState
from judging.models import Assignment, ConflictDeclaration, Panel, PanelMember
from notifications.models import OutboundEmail

from ..factories import make_eligible, make_judge, visit_details

pytestmark = pytest.mark.django_db


@pytest.fixture
def fifth(panel):
    """A fifth member, so the panel still meets its rules without any one of the others."""
    judge = make_judge("j5@example.org", sector="voluntary", lived="uses_services", full_name="Fifth Judge")
    PanelMember.objects.create(panel=panel, judge=judge)
    return judge


def held(judge, state=AssignmentState.ACTIVE):
    return sorted(Assignment.objects.filter(judge=judge, state=state).values_list("nomination__reference", flat=True))


def test_unsubmitted_scorecards_go_to_the_member_chosen_and_everyone_concerned_is_emailed(
    admin, category, judges, panel, fifth
):
    first, second = make_eligible(category, 2)
    j2 = judges[1]
    Assignment.objects.create(nomination=first, judge=j2)
    Assignment.objects.create(nomination=second, judge=j2)

    removal = domain.remove_panel_member(admin, panel, j2, reassign_to=fifth)

    assert not PanelMember.objects.filter(panel=panel, judge=j2).exists()
    assert held(j2) == []
    assert held(fifth) == sorted([first.reference, second.reference])
    assert held(j2, AssignmentState.REMOVED) == sorted([first.reference, second.reference])
    assert [a.nomination for a in removal.unsubmitted] == sorted([first, second], key=lambda n: n.reference)
    event = AuditEvent.objects.get(action="panel.member_removed")
    assert event.before == {"judge": j2.email}
    assert event.after["reassigned_to"] == fifth.email
    assert sorted(event.after["unsubmitted"]) == sorted([first.reference, second.reference])
    emails = {e.to: e for e in OutboundEmail.objects.all()}
    assert set(emails) == {j2.email, fifth.email}
    assert emails[j2.email].subject == f"You have left the {category.name} panel"
    assert emails[fifth.email].subject == f"Scorecards handed to you: {category.name}"
    assert first.reference in emails[fifth.email].text_body


def test_submitted_scores_are_handed_over_only_with_a_reason_and_scored_again(admin, category, judges, panel, fifth):
    nomination = make_eligible(category, 1)[0]
    j2 = judges[1]
    Assignment.objects.create(nomination=nomination, judge=j2, submitted_at=timezone.now())

    with pytest.raises(DomainError, match=f"has submitted scores for {nomination.reference}: give the reason"):
        domain.remove_panel_member(admin, panel, j2, reassign_to=fifth)
    assert PanelMember.objects.filter(panel=panel, judge=j2).exists()
    assert held(j2) == [nomination.reference]

    removal = domain.remove_panel_member(admin, panel, j2, reassign_to=fifth, reason="Stepped down for health reasons")

    assert [a.nomination for a in removal.submitted] == [nomination]
    old = Assignment.objects.get(judge=j2, nomination=nomination)
    new = Assignment.objects.get(judge=fifth, nomination=nomination)
    assert (old.state, old.removed_reason) == (AssignmentState.REMOVED, "Stepped down for health reasons")
    assert (new.state, new.submitted_at, new.is_override) == (AssignmentState.ACTIVE, None, True)
    assert Panel.objects.get(pk=panel.pk).scores_changed_at is not None


def test_work_needs_someone_to_take_it_over_who_has_no_conflict(admin, category, judges, panel, fifth):
    nomination = make_eligible(category, 1)[0]
    j2 = judges[1]
    Assignment.objects.create(nomination=nomination, judge=j2)

    with pytest.raises(DomainError, match="holds 1 scorecard: choose who takes them over"):
        domain.remove_panel_member(admin, panel, j2)
    ConflictDeclaration.objects.create(judge=fifth, organisation=nomination.organisation, kind="personal")
    with pytest.raises(DomainError, match=f"has a conflict of interest with the entrant of {nomination.reference}"):
        domain.remove_panel_member(admin, panel, j2, reassign_to=fifth)
    Assignment.objects.create(nomination=nomination, judge=judges[2])
    with pytest.raises(DomainError, match=f"already scores {nomination.reference}"):
        domain.remove_panel_member(admin, panel, j2, reassign_to=judges[2])
    assert PanelMember.objects.filter(panel=panel, judge=j2).exists()
    assert held(j2) == [nomination.reference]
    assert not AuditEvent.objects.filter(action="panel.member_removed").exists()


def test_the_chair_leaves_only_with_a_new_chair_named(admin, judges, panel, fifth):
    chair = judges[0]
    with pytest.raises(DomainError, match="chairs the panel: choose the new chair"):
        domain.remove_panel_member(admin, panel, chair)

    removal = domain.remove_panel_member(admin, panel, chair, new_chair=fifth)

    panel.refresh_from_db()
    assert panel.chair == fifth == removal.new_chair
    assert AuditEvent.objects.get(action="panel.member_removed").after == {"chair": fifth.email}
    assert OutboundEmail.objects.get(to=fifth.email).subject == f"You now chair the {panel.category.name} panel"


def test_an_active_panel_must_still_meet_its_rules_and_a_signed_off_one_does_not_change(admin, judges, panel):
    domain.remove_panel_member(admin, panel, judges[1])  # one of the two members with lived experience
    with pytest.raises(DomainError, match="at least 1 member with lived experience of care; it has 0"):
        domain.remove_panel_member(admin, panel, judges[3])  # the other
    assert PanelMember.objects.filter(panel=panel).count() == 3

    Panel.objects.filter(pk=panel.pk).update(state=PanelState.SIGNED_OFF)
    panel.refresh_from_db()
    with pytest.raises(DomainError, match="The panel has signed off: its members are final"):
        domain.remove_panel_member(admin, panel, judges[2])
    assert PanelMember.objects.filter(panel=panel, judge=judges[2]).exists()


def test_removal_refused_for_composition_writes_nothing(admin, category, judges, panel):
    nomination = make_eligible(category, 1)[0]
    Assignment.objects.create(nomination=nomination, judge=judges[1])
    domain.remove_panel_member(admin, panel, judges[2])  # four members to three: still valid

    with pytest.raises(DomainError, match="The panel needs at least 3 members; it has 2"):
        domain.remove_panel_member(admin, panel, judges[1], reassign_to=judges[3])

    assert held(judges[1]) == [nomination.reference]
    assert held(judges[3]) == []
    assert PanelMember.objects.filter(panel=panel).count() == 3


def test_a_place_on_a_visit_team_goes_to_the_member_taking_over(admin, cycle, category, judges, panel, fifth):
    nomination = make_eligible(category, 1)[0]
    type(nomination).objects.filter(pk=nomination.pk).update(state="shortlisted")
    start = cycle.site_visits_start + timedelta(hours=10)
    visit = domain.schedule_visit(admin, nomination, [judges[0], judges[1]], **visit_details(start))

    removal = domain.remove_panel_member(admin, panel, judges[1], reassign_to=fifth)

    assert set(visit.judges.values_list("email", flat=True)) == {judges[0].email, fifth.email}
    assert removal.visits == [visit]
    assert OutboundEmail.objects.filter(to=judges[1].email, template="site_visit_cancelled").exists()


def test_the_confirmation_page_says_what_will_happen_and_the_post_acts(client, admin, category, judges, panel, fifth):
    nomination = make_eligible(category, 1)[0]
    j2 = judges[1]
    Assignment.objects.create(nomination=nomination, judge=j2, submitted_at=timezone.now())
    client.force_login(admin)
    confirm = reverse("judging:confirm_remove_panel_member", args=[panel.pk, j2.pk])
    act = reverse("judging:remove_panel_member", args=[panel.pk, j2.pk])

    page = client.get(confirm)

    html = page.content.decode()
    assert page.status_code == 200
    assert f'action="{act}"' in html and "Cancel" in html
    assert f"Their 1 submitted scorecard ({nomination.reference} (written stage))" in html
    assert "The panel still meets every composition rule." in html
    assert client.get(act).status_code == 405

    refused = client.post(act, {"remove-reassign_to": str(fifth.pk)})
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"] == [
        "Enter the reason for handing their submitted scores to another judge"
    ]
    assert PanelMember.objects.filter(panel=panel, judge=j2).exists()

    done = client.post(act, {"remove-reassign_to": str(fifth.pk), "remove-reason": "Left the sector"})
    assert done["Location"] == reverse("judging:panel", args=[panel.pk])
    assert held(fifth) == [nomination.reference]
    banner = client.get(done["Location"]).content.decode()
    assert f"{j2.get_full_name()} has left the panel. Fifth Judge takes over 1 scorecard." in banner


def test_the_chair_of_the_panel_cannot_remove_members(client, judges, panel):
    client.force_login(judges[0])
    assert client.get(reverse("judging:confirm_remove_panel_member", args=[panel.pk, judges[1].pk])).status_code == 403
    assert client.post(reverse("judging:remove_panel_member", args=[panel.pk, judges[1].pk])).status_code == 403
