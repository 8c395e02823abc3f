"""Setting up a panel (issue 19): members and nominations picked from lists
with a search that works without JavaScript, and the grid of who holds what."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from judging import domain
from judging.models import Assignment, ConflictDeclaration, PanelMember

from ..factories import make_eligible, make_judge, make_user

pytestmark = pytest.mark.django_db


def checkbox_labels(html) -> list[str]:
    return [re.sub(r"\s+", " ", label).strip() for label in re.findall(r'__label" for="[^"]+">([^<]+)</label>', html)]


def test_the_judge_list_offers_active_judges_not_on_the_panel_with_sector_and_lived_experience(client, admin, panel):
    make_judge("ayo@example.org", sector="voluntary", lived="unpaid_carer", full_name="Ayo Bello")
    make_judge("gone@example.org", sector="public", full_name="Gone Judge", is_active=False)
    make_user(email="notajudge@example.org", full_name="Not A Judge")
    client.force_login(admin)

    response = client.get(reverse("judging:choose_panel_members", args=[panel.pk]))

    assert response.status_code == 200
    labels = checkbox_labels(response.content.decode())
    # The four members are not offered again; the inactive judge and the non-judge never are.
    assert labels == ["Ayo Bello (ayo@example.org) – Voluntary, lived experience of care"]


def test_the_search_box_narrows_the_judge_list_without_javascript(client, admin, panel):
    make_judge("ayo@example.org", sector="voluntary", full_name="Ayo Bello")
    make_judge("kim@example.org", sector="public", full_name="Kim Lee")
    client.force_login(admin)
    url = reverse("judging:choose_panel_members", args=[panel.pk])

    html = client.get(url, {"q": "kim"}).content.decode()

    assert [label.split(" (")[0] for label in checkbox_labels(html)] == ["Kim Lee"]
    assert 'method="get"' in html and 'name="q"' in html and 'value="kim"' in html
    nothing = client.get(url, {"q": "nobody-matches"}).content.decode()
    assert "No judge who is not on the panel matches “nobody-matches”." in nothing


def test_judges_chosen_from_the_list_join_the_panel_all_or_none(client, admin, panel):
    ayo = make_judge("ayo@example.org", sector="voluntary", full_name="Ayo Bello")
    kim = make_judge("kim@example.org", sector="public", full_name="Kim Lee")
    gone = make_judge("gone@example.org", is_active=False)
    client.force_login(admin)
    url = reverse("judging:add_panel_member", args=[panel.pk])

    refused = client.post(url, {"member-judges": [str(ayo.pk), str(gone.pk)]})

    assert refused.status_code == 200
    assert "Select judges from the list: one of those chosen can no longer be added" in refused.content.decode()
    assert not PanelMember.objects.filter(panel=panel, judge__in=[ayo, gone]).exists()

    empty = client.post(url, {})
    assert empty.status_code == 200
    assert "Select at least one judge to add to the panel" in empty.content.decode()

    done = client.post(url, {"member-judges": [str(ayo.pk), str(kim.pk)]})

    assert done["Location"] == reverse("judging:panel", args=[panel.pk])
    assert set(PanelMember.objects.filter(panel=panel).values_list("judge__email", flat=True)) >= {
        "ayo@example.org",
        "kim@example.org",
    }
    assert sorted(e.after["judge"] for e in AuditEvent.objects.filter(action="panel.member_added", actor=admin)) == [
        "ayo@example.org",
        "kim@example.org",
    ]


def test_the_domain_refuses_an_inactive_judge_even_if_asked_directly(admin, panel):
    gone = make_judge("gone@example.org", is_active=False)
    with pytest.raises(Exception, match="is not an active judge"):
        domain.add_panel_members(admin, panel, [gone])
    assert not PanelMember.objects.filter(judge=gone).exists()


def test_the_judges_page_lists_active_judges_only(client, admin, judges):
    make_judge("gone@example.org", is_active=False)
    client.force_login(admin)
    response = client.get(reverse("judging:judges"))
    emails = [person.email for person in response.context["page"]]
    assert emails == sorted(j.email for j in judges)


def test_the_assignment_change_picks_from_eligible_nominations_of_the_category_with_search(
    client, admin, category, judges, panel
):
    first, second = make_eligible(category, 2)
    type(first).objects.filter(pk=second.pk).update(state="shortlisted")
    client.force_login(admin)
    url = reverse("judging:choose_assignment", args=[panel.pk])

    html = client.get(url).content.decode()

    assert first.reference in html and second.reference not in html
    assert client.get(url, {"q": "no-such"}).content.decode().count(first.reference) == 0

    changed = client.post(
        reverse("judging:override_assignment", args=[panel.pk]),
        {
            "override-nomination": str(first.pk),
            "override-judge": str(judges[3].pk),
            "override-change": "add",
            "override-reason": "Expert in home care",
        },
    )
    assert changed["Location"] == reverse("judging:panel", args=[panel.pk])
    assert Assignment.objects.get(nomination=first, judge=judges[3]).override_reason == "Expert in home care"

    refused = client.post(
        reverse("judging:override_assignment", args=[panel.pk]),
        {
            "override-nomination": str(second.pk),
            "override-judge": str(judges[3].pk),
            "override-change": "add",
            "override-reason": "Typed",
        },
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["nomination"] == [
        "Select a nomination from the list: that one is no longer eligible"
    ]
    assert refused.context["form"]["reason"].value() == "Typed"


def test_the_grid_shows_who_holds_what_with_each_scorecard_state_and_conflicts(client, admin, category, judges, panel):
    nomination = make_eligible(category, 1)[0]
    chair, j2, j3, j4 = judges
    Assignment.objects.create(nomination=nomination, judge=j2)
    Assignment.objects.create(nomination=nomination, judge=j3, submitted_at=timezone.now())
    ConflictDeclaration.objects.create(judge=j4, organisation=nomination.organisation, kind="personal")
    client.force_login(admin)

    grid = client.get(reverse("judging:panel", args=[panel.pk])).context["grid"]

    members = [m.email for m in client.get(reverse("judging:panel", args=[panel.pk])).context["members"]]
    cells = dict(zip(members, [cell["text"] for cell in grid[0]["cells"]], strict=True))
    assert grid[0]["nomination"] == nomination
    assert cells == {
        chair.email: "–",
        j2.email: "Not submitted",
        j3.email: "Submitted",
        j4.email: "Conflict",
    }

    # The chair sees who holds what, but not conflicts of interest (awards.disclosure).
    client.force_login(chair)
    grid = client.get(reverse("judging:panel", args=[panel.pk])).context["grid"]
    assert sorted(cell["text"] for cell in grid[0]["cells"]) == ["Not submitted", "Submitted", "–", "–"]


def test_panel_and_picker_pages_make_the_same_queries_for_one_row_and_several(
    client, admin, category, panel, django_assert_num_queries
):
    client.force_login(admin)
    panel_url = reverse("judging:panel", args=[panel.pk])
    members_url = reverse("judging:choose_panel_members", args=[panel.pk])
    assignment_url = reverse("judging:choose_assignment", args=[panel.pk])

    def counts():
        result = []
        for url in (panel_url, members_url, assignment_url):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    make_eligible(category, 1, prefix="One")
    domain.auto_assign(admin, category)
    make_judge("one@example.org", sector="public")
    one = counts()

    make_eligible(category, 4, prefix="More")
    domain.auto_assign(admin, category)
    for n in range(4):
        make_judge(f"more{n}@example.org", sector="private", lived="uses_services")
    several = counts()

    assert one == several
    with django_assert_num_queries(one[0]):
        client.get(panel_url)


def test_bad_input_to_the_lists_gets_a_clear_answer_and_writes_nothing(client, admin, category, panel):
    make_eligible(category, 1)
    client.force_login(admin)
    for url in (
        reverse("judging:choose_panel_members", args=[panel.pk]),
        reverse("judging:choose_assignment", args=[panel.pk]),
    ):
        assert client.get(url, {"q": "a\x00b"}).status_code == 400  # refused by the request middleware
        assert client.get(url, {"q": "x" * 500}).status_code == 200
    refused = client.post(reverse("judging:add_panel_member", args=[panel.pk]), {"member-judges": ["abc"]})
    assert refused.status_code == 200
    assert "Select judges from the list" in refused.content.decode()
    refused = client.post(
        reverse("judging:override_assignment", args=[panel.pk]),
        {"override-nomination": "abc", "override-judge": "²", "override-change": "add", "override-reason": "x"},
    )
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"nomination", "judge"}
    assert PanelMember.objects.filter(panel=panel).count() == 4
    assert not Assignment.objects.exists()
