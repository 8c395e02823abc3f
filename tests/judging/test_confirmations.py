"""Irreversible chair and administrator actions ask first (issue 19): a GET
page says what will happen and who will be emailed, with Confirm (a POST to
the action's own URL) and Cancel."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging import domain
from judging.enums import PanelState
from judging.models import Panel, Publication
from notifications.models import OutboundEmail

from ..factories import make_eligible
from .helpers import run_written_stage
from .test_judging_lifecycle import to_finalists

pytestmark = pytest.mark.django_db


def form_actions(html) -> list[str]:
    return re.findall(r'<form[^>]*\smethod="post"[^>]*\saction="([^"]+)"', html)


@pytest.fixture
def decided(world, category, judges):
    nominations = make_eligible(category, 2)
    run_written_stage(world, nominations, {nominations[0].reference: 8, nominations[1].reference: 6})
    domain.decide_shortlist(judges[0], category, nomination_ids=[nominations[0].pk], rationale="The strongest outcomes")
    return nominations


def test_publishing_the_shortlist_is_confirmed_on_a_page_that_counts_who_is_emailed(
    client, admin, category, panel, decided
):
    client.force_login(admin)
    results = client.get(reverse("judging:results", args=[panel.pk])).content.decode()
    confirm = reverse("judging:confirm_publish_shortlist", args=[panel.pk])
    publish = reverse("judging:publish_shortlist", args=[panel.pk])
    assert f'href="{confirm}"' in results and publish not in form_actions(results)

    page = client.get(confirm)

    html = page.content.decode()
    assert page.status_code == 200
    assert "1 of the 2 eligible nominations become shortlisted" in html
    assert "<strong>2 people at 2 providers</strong>" in html
    assert form_actions(html) == [publish]
    assert f'href="{reverse("judging:results", args=[panel.pk])}">Cancel</a>' in html
    assert client.get(publish).status_code == 405

    refused = client.post(publish, {})
    assert refused.status_code == 200
    (error,) = refused.context["form"].errors["early_reason"]
    assert error.startswith("The shortlist is due to be published at ")
    assert error.endswith(": give the reason for publishing it earlier")
    assert Panel.objects.get(pk=panel.pk).shortlist_published_at is None
    assert not OutboundEmail.objects.filter(template="shortlist_published").exists()

    done = client.post(publish, {"early_reason": "The ceremony moved forward"})

    assert done["Location"] == reverse("judging:results", args=[panel.pk]) + "?stage=written"
    assert Panel.objects.get(pk=panel.pk).shortlist_published_at is not None
    assert OutboundEmail.objects.filter(template="shortlist_published").count() == 2
    again = client.get(confirm)
    assert again["Location"] == reverse("judging:results", args=[panel.pk])


def test_the_chair_cannot_publish_the_shortlist(client, panel, decided):
    client.force_login(panel.chair)
    assert client.get(reverse("judging:confirm_publish_shortlist", args=[panel.pk])).status_code == 403
    refused = client.post(
        reverse("judging:publish_shortlist", args=[panel.pk]), {"early_reason": "The ceremony moved forward"}
    )
    assert refused.status_code == 403
    assert Panel.objects.get(pk=panel.pk).shortlist_published_at is None


def test_signing_off_is_confirmed_by_the_chair_on_a_page_listing_the_decisions(client, world, admin, judges, panel):
    (finalist,) = to_finalists(world)
    chair = judges[0]
    confirm = reverse("judging:confirm_sign_off", args=[panel.pk])
    sign_off = reverse("judging:sign_off", args=[panel.pk])
    client.force_login(chair)

    waiting = client.get(confirm).content.decode()
    assert "1 finalist has no award decision yet" in waiting
    assert sign_off not in form_actions(waiting)

    domain.record_final_result(chair, finalist, award="winner", citation="Residents lead", rationale="Clear")
    final = client.get(reverse("judging:final", args=[panel.pk])).content.decode()
    assert f'href="{confirm}"' in final and sign_off not in form_actions(final)
    page = client.get(confirm)
    html = page.content.decode()
    assert page.status_code == 200
    assert finalist.reference in html and "Winner" in html
    assert "These decisions become final" in html
    assert form_actions(html) == [sign_off]

    done = client.post(sign_off)

    assert done["Location"] == reverse("judging:final", args=[panel.pk])
    assert Panel.objects.get(pk=panel.pk).state == PanelState.SIGNED_OFF
    assert client.get(confirm)["Location"] == reverse("judging:final", args=[panel.pk])

    # An administrator does not take an unconflicted chair's decision.
    client.force_login(admin)
    assert client.get(confirm).status_code == 403


def test_approving_results_is_confirmed_on_a_page_saying_when_entrants_are_emailed(
    client, world, admin, cycle, judges, panel
):
    (finalist,) = to_finalists(world)
    confirm = reverse("judging:confirm_approve_results", args=[cycle.pk])
    approve = reverse("judging:approve_results", args=[cycle.pk])
    client.force_login(admin)

    unsigned = client.get(confirm).content.decode()
    assert f"Not signed off: {panel.category.name}." in unsigned
    assert approve not in form_actions(unsigned)

    domain.record_final_result(judges[0], finalist, award="winner", citation="Residents lead", rationale="Clear")
    domain.sign_off(judges[0], panel)
    cycle_page = client.get(reverse("judging:cycle_panels", args=[cycle.pk])).content.decode()
    assert f'href="{confirm}"' in cycle_page and approve not in form_actions(cycle_page)
    page = client.get(confirm)
    html = page.content.decode()
    assert page.status_code == 200
    assert "winner 1, highly commended 0, commended 0, no award 0" in html
    assert "every entrant is emailed that its result and feedback are available: 1 nomination" in html
    assert form_actions(html) == [approve]

    refused = client.post(approve, {})
    assert refused.status_code == 200
    (error,) = refused.context["form"].errors["early_reason"]
    assert error.startswith("The final panel meets at ")
    assert error.endswith(": give the reason for approving the results before then")
    assert not Publication.objects.filter(cycle=cycle).exists()

    done = client.post(approve, {"early_reason": "The final panel met early"})

    assert done["Location"] == reverse("judging:cycle_panels", args=[cycle.pk])
    assert Publication.objects.get(cycle=cycle).approved_by == admin
    assert client.get(confirm)["Location"] == reverse("judging:cycle_panels", args=[cycle.pk])


def test_the_sign_off_confirmation_makes_the_same_queries_for_one_finalist_and_several(
    client, category, panel, django_assert_num_queries
):
    from awards.models import Nomination

    client.force_login(panel.chair)
    url = reverse("judging:confirm_sign_off", args=[panel.pk])
    Nomination.objects.filter(pk__in=[n.pk for n in make_eligible(category, 1, prefix="One")]).update(state="finalist")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    Nomination.objects.filter(pk__in=[n.pk for n in make_eligible(category, 3, prefix="More")]).update(state="finalist")
    with django_assert_num_queries(len(one)):
        html = client.get(url).content.decode()
    assert html.count("Not decided yet") == 4
    assert "4 finalists have no award decision yet" in html
