"""One view per action: each form on the judging pages posts to a URL of its
own (no hidden `action` field), a state change is POST only, and a form that
fails comes back on its page with what was typed."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from awards.models import Nomination
from judging import domain
from judging.enums import PanelState, VisitState
from judging.models import Assignment, FinalResult, Panel, SiteVisit, TieBreak

from ..factories import make_eligible, make_judge, visit_details
from .test_judging_lifecycle import score_everything, to_finalists

pytestmark = pytest.mark.django_db


def form_actions(html) -> list[str]:
    return re.findall(r'<form[^>]*\smethod="post"[^>]*\saction="([^"]+)"', html)


def test_the_panel_page_has_a_url_per_action_and_keeps_what_was_typed(client, admin, judges, panel):
    chair, second, *_ = judges
    client.force_login(admin)
    html = client.get(reverse("judging:panel", args=[panel.pk])).content.decode()
    assert 'name="action"' not in html
    actions = form_actions(html)
    assert reverse("judging:set_panel_chair", args=[panel.pk, second.pk]) in actions
    assert reverse("judging:assign_judges", args=[panel.pk]) in actions
    assert len(actions) == len(set(actions))
    # Adding members and changing an assignment have pages of their own (lists to pick from).
    assert f'href="{reverse("judging:choose_panel_members", args=[panel.pk])}"' in html
    assert f'href="{reverse("judging:choose_assignment", args=[panel.pk])}"' in html

    make_judge("candidate@example.org")
    refused = client.post(reverse("judging:add_panel_member", args=[panel.pk]), {"member-judges": ["999999"]})
    assert refused.status_code == 200
    assert "Select judges from the list" in refused.content.decode()
    # The page shown again still posts its form to its own view.
    assert form_actions(refused.content.decode()) == [reverse("judging:add_panel_member", args=[panel.pk])]

    url = reverse("judging:set_panel_chair", args=[panel.pk, second.pk])
    assert client.get(url).status_code == 405
    assert client.post(url)["Location"] == reverse("judging:panel", args=[panel.pk])
    assert Panel.objects.get(pk=panel.pk).chair == second

    # Changing a panel is an administrator's: its chair reads the page, and is refused the change.
    client.force_login(second)
    assert client.get(reverse("judging:panel", args=[panel.pk])).status_code == 200
    assert client.post(reverse("judging:assign_judges", args=[panel.pk])).status_code == 403
    assert client.post(reverse("judging:set_panel_chair", args=[panel.pk, chair.pk])).status_code == 403


def test_an_override_the_domain_refuses_comes_back_with_the_reason_typed(client, admin, category, panel):
    nomination = make_eligible(category, 1)[0]
    Nomination.objects.filter(pk=nomination.pk).update(state="shortlisted")
    client.force_login(admin)
    j4 = panel.memberships.get(judge__email="j4@example.org").judge
    response = client.post(
        reverse("judging:override_assignment", args=[panel.pk]),
        {
            "override-nomination": str(nomination.pk),
            "override-judge": str(j4.pk),
            "override-change": "add",
            "override-reason": "Expert in home care",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["reason"].value() == "Expert in home care"
    # Only eligible nominations are listed to pick from: a shortlisted one is refused by the form.
    assert form.errors["nomination"] == ["Select a nomination from the list: that one is no longer eligible"]


def test_a_casting_decision_posts_to_its_own_url_and_a_refusal_keeps_the_ranking_page_working(
    client, admin, category, panel, monkeypatch
):
    monkeypatch.setattr("judging.views.panel.ranking.RANKING_PAGE_SIZE", 1)
    first, second = sorted(make_eligible(category, 2), key=lambda n: n.reference)
    domain.auto_assign(admin, category)
    Assignment.objects.filter(judge=panel.chair).delete()  # a chair who scores nothing here
    client.force_login(panel.chair)
    results = reverse("judging:results", args=[panel.pk])
    tie_break = reverse("judging:tie_break", args=[panel.pk])
    html = client.get(results).content.decode()
    assert 'name="action"' not in html
    assert f"{tie_break}?stage=written&amp;page=1" in form_actions(html)

    refused = client.post(f"{tie_break}?stage=written&page=1", {"tie-preferred": str(first.pk), "tie-reason": "Typed"})
    assert refused.status_code == 200
    assert refused.context["tie_form"]["reason"].value() == "Typed"
    assert refused.context["tie_form"]["preferred"].value() == str(first.pk)
    body = refused.content.decode()
    # Shown again at the casting decision's URL, the page's links still lead to the ranking.
    assert f'href="{results}?stage=written&amp;page=2"' in body
    assert 'href="?' not in body
    assert client.get(tie_break).status_code == 405

    done = client.post(
        f"{tie_break}?stage=written",
        {"tie-preferred": str(second.pk), "tie-over": str(first.pk), "tie-reason": "Stronger outcomes"},
    )
    assert done["Location"] == f"{results}?stage=written"
    assert TieBreak.objects.get().preferred == second


def test_final_decisions_and_sign_off_post_to_their_own_urls(client, world, judges, panel):
    (finalist,) = to_finalists(world)
    score_everything(world)  # the site-visit scores too: a judge who has not submitted theirs sees no finalist
    chair = judges[0]
    client.force_login(chair)
    final = reverse("judging:final", args=[panel.pk])
    decide = reverse("judging:record_final_result", args=[panel.pk, finalist.pk])
    sign_off = reverse("judging:sign_off", args=[panel.pk])
    html = client.get(final).content.decode()
    assert 'name="nomination"' not in html and 'name="action"' not in html
    # Signing off is confirmed first: the final page links to the confirmation, which posts to sign_off.
    assert decide in form_actions(html) and sign_off not in form_actions(html)
    confirm = client.get(reverse("judging:confirm_sign_off", args=[panel.pk])).content.decode()
    assert 'name="action"' not in confirm

    prefix = f"n{finalist.pk}"
    refused = client.post(decide, {f"{prefix}-award": "winner", f"{prefix}-rationale": "Clear on every criterion"})
    assert refused.status_code == 200
    assert "Write a citation for the award" in refused.content.decode()
    (row,) = refused.context["rows"]
    assert row[3]["rationale"].value() == "Clear on every criterion"
    assert not FinalResult.objects.exists()

    done = client.post(
        decide,
        {f"{prefix}-award": "winner", f"{prefix}-citation": "Residents lead", f"{prefix}-rationale": "Clear"},
    )
    assert done["Location"] == final
    assert FinalResult.objects.get(nomination=finalist).award == "winner"
    assert client.get(sign_off).status_code == 405
    assert client.post(sign_off)["Location"] == final
    assert Panel.objects.get(pk=panel.pk).state == PanelState.SIGNED_OFF


def test_cancelling_a_visit_has_its_own_url_and_a_missing_reason_keeps_the_page(
    client, world, admin, category, cycle, judges, panel
):
    nomination = make_eligible(category, 1)[0]
    domain.auto_assign(admin, category)
    score_everything(world)
    domain.decide_shortlist(judges[0], category, nomination_ids=None, rationale="")
    domain.publish_shortlist(admin, category, early_reason="The test cycle runs early")
    start = cycle.site_visits_start + timedelta(hours=10)
    visit = domain.schedule_visit(admin, nomination, judges[:2], **visit_details(start))
    client.force_login(admin)
    edit = reverse("judging:visit_edit", args=[nomination.pk, visit.pk])
    cancel = reverse("judging:visit_cancel", args=[nomination.pk, visit.pk])
    assert form_actions(client.get(edit).content.decode()) == [edit, cancel]

    refused = client.post(cancel, {"cancel-reason": ""})
    assert refused.status_code == 200
    assert "Enter the reason" in refused.content.decode()
    assert form_actions(refused.content.decode()) == [edit, cancel]
    assert SiteVisit.objects.get(pk=visit.pk).state == VisitState.SCHEDULED

    done = client.post(cancel, {"cancel-reason": "The home has an outbreak"})
    assert done["Location"] == reverse("judging:visits", args=[panel.pk])
    assert SiteVisit.objects.get(pk=visit.pk).state == VisitState.CANCELLED
