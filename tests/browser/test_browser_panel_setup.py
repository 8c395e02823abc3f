"""Issue 19, by keyboard only: an administrator sets up a panel from lists
with search, reads the assignment grid, changes an assignment and removes a
member (confirming first, their scorecard handed over); the chair reads the
ranking on a phone and decides the shortlist; the administrator publishes it
through its confirmation page. Every page passes axe; at 320 px nothing
scrolls sideways."""

import re

import pytest

from accounts.enums import SiteRole
from judging import domain
from judging.models import Assignment, Panel, PanelMember

from ..factories import (
    make_category,
    make_cycle,
    make_eligible,
    make_judge,
    make_panel,
    make_user,
)
from .browser import assert_accessible, choose, press, type_into
from .test_browser_judging import sign_in_with_mfa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits(page, width, name):
    """At `width` px the page does not scroll sideways."""
    page.set_viewport_size({"width": width, "height": 900})
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: {scroll} px wide at {width} px"
    assert_accessible(page, f"{name}-{width}px")
    page.set_viewport_size({"width": 1280, "height": 900})


def banner(page) -> str:
    return page.locator(".govuk-notification-banner").inner_text()


def test_panel_set_up_from_lists_grid_removal_and_shortlist_published_after_confirming(live_server, page):
    cycle = make_cycle()
    category = make_category(cycle)
    chair = make_judge("chair@panel.example", sector="public", full_name="Chris Chair")
    second = make_judge("second@panel.example", sector="private", lived="uses_services", full_name="Sam Second")
    third = make_judge("third@panel.example", sector="voluntary", full_name="Tess Third")
    make_judge("ayo@panel.example", sector="community", lived="unpaid_carer", full_name="Ayo Bello")
    make_judge("kim@panel.example", sector="public", full_name="Kim Lee")
    make_user(email="admin@panel.example", full_name="Ada Admin", roles=[SiteRole.AWARDS_ADMIN])
    panel = make_panel(category, [chair, second, third], chair=chair)
    first_entry, second_entry = sorted(make_eligible(category, 2), key=lambda n: n.reference)
    Assignment.objects.create(nomination=first_entry, judge=second)
    Assignment.objects.create(nomination=first_entry, judge=third)
    Assignment.objects.create(nomination=second_entry, judge=second)

    sign_in_with_mfa(page, live_server, "admin@panel.example", "panel-01-admin")
    page.goto(live_server.url + f"/judging/panels/{panel.pk}/")
    assert_accessible(page, "panel-02-panel")

    # Members are picked from a list of active judges, narrowed by a search that needs no JavaScript.
    press(page, page.get_by_role("link", name="Add judges to the panel"))
    assert_accessible(page, "panel-03-choose-members")
    listed = page.locator("main").inner_text()
    assert "Ayo Bello (ayo@panel.example) – Community or user-led, lived experience of care" in listed
    assert "Kim Lee (kim@panel.example) – Public, no lived experience of care" in listed
    type_into(page, page.get_by_label("Search by name or email address"), "ayo")
    press(page, page.get_by_role("button", name="Search judges"))
    assert "Kim Lee" not in page.locator("main").inner_text()
    choose(page, page.get_by_label(re.compile("^Ayo Bello")))
    press(page, page.get_by_role("button", name="Add to panel"))
    assert "Added to the panel: Ayo Bello." in banner(page)
    ayo = PanelMember.objects.get(panel=panel, judge__email="ayo@panel.example").judge

    # An assignment by hand: the nomination picked from the eligible ones (searched by
    # reference), the judge from the panel.
    press(page, page.get_by_role("link", name="Change an assignment by hand"))
    type_into(page, page.get_by_label("Search by reference or service name"), second_entry.reference)
    press(page, page.get_by_role("button", name="Search nominations"))
    assert first_entry.reference not in page.locator("main").inner_text()
    assert_accessible(page, "panel-04-choose-assignment")
    choose(page, page.get_by_label(re.compile(f"^{second_entry.reference}")))
    choose(page, page.get_by_label(re.compile("^Ayo Bello")))
    choose(page, page.get_by_label("Assign this judge"))
    type_into(page, page.get_by_label("Reason for the change"), "Lived experience of home care")
    press(page, page.get_by_role("button", name="Change assignment"))
    assert "The assignment has been changed." in banner(page)
    assert Assignment.objects.filter(nomination=second_entry, judge=ayo, state="active").exists()

    # The grid says who holds which nomination, and each scorecard's state.
    grid = page.locator("table.app-assignment-grid")
    assert "Who holds which nomination" in grid.inner_text()
    first_row = grid.locator("tbody tr").filter(has_text=first_entry.reference).inner_text()
    assert first_row.count("Not submitted") == 2
    assert_fits(page, 320, "panel-05-grid")

    # Removing a member asks first, says what happens, and hands their scorecard over.
    press(page, page.get_by_role("link", name="Remove Tess Third from the panel"))
    assert_accessible(page, "panel-06-remove-confirm")
    text = page.locator("main").inner_text()
    assert f"Their 1 unsubmitted scorecard ({first_entry.reference} (written stage))" in text
    assert "Who will be emailed" in text
    press(page, page.get_by_role("button", name="Confirm: remove Tess Third"))
    assert "Select the member who takes over their scorecards" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "panel-07-remove-error")
    assert_fits(page, 320, "panel-07a-remove-error")
    choose(page, page.get_by_label(re.compile("^Ayo Bello")))
    press(page, page.get_by_role("button", name="Confirm: remove Tess Third"))
    assert "Tess Third has left the panel. Ayo Bello takes over 1 scorecard." in banner(page)
    assert not PanelMember.objects.filter(panel=panel, judge=third).exists()
    assert Assignment.objects.filter(nomination=first_entry, judge=ayo, state="active").exists()
    assert_accessible(page, "panel-08-removed")
    assert_fits(page, 320, "panel-08a-panel")

    # Every scorecard is in: the chair reads the ranking on a phone and decides the shortlist.
    for assignment in Assignment.objects.filter(state="active", submitted_at__isnull=True):
        criteria = category.criteria.filter(stage=assignment.stage)
        value = 8 if assignment.nomination == first_entry else 5
        domain.save_scores(assignment.judge, assignment, {c.pk: (value, "Seen") for c in criteria}, submit=True)
    # The administrator's session is kept for later: signing in again could fall in
    # the same 30-second step, whose code the service rightly refuses a second time.
    administrator = page.context.cookies()
    page.context.clear_cookies()
    sign_in_with_mfa(page, live_server, "chair@panel.example", "panel-09-chair")
    page.goto(live_server.url + f"/judging/panels/{panel.pk}/results/")
    assert_fits(page, 375, "panel-10-ranking")
    assert_fits(page, 320, "panel-10a-ranking")
    press(page, page.get_by_role("link", name="Decide the shortlist"))
    choose(page, page.get_by_label("The top nominations by normalised score"))
    press(page, page.get_by_role("button", name="Save shortlist"))
    assert "The shortlist has been decided." in banner(page)

    # The administrator publishes it through the confirmation page, which says who is emailed.
    page.context.clear_cookies()
    page.context.add_cookies(administrator)
    page.goto(live_server.url + f"/judging/panels/{panel.pk}/results/")
    press(page, page.get_by_role("button", name="Publish shortlist and tell providers"))
    assert_accessible(page, "panel-12-publish-confirm")
    text = page.locator("main").inner_text()
    assert "2 people at 2 providers" in text
    press(page, page.get_by_role("button", name=re.compile("^Confirm: publish")))
    assert_accessible(page, "panel-13-publish-error")
    assert "give the reason for publishing it earlier" in page.locator(".govuk-error-summary").inner_text()
    type_into(page, page.get_by_label(re.compile("why publish it before then")), "The ceremony moved forward")
    press(page, page.get_by_role("button", name=re.compile("^Confirm: publish")))
    assert "The shortlist has been published and providers told." in banner(page)
    assert Panel.objects.get(pk=panel.pk).shortlist_published_at is not None
    assert_fits(page, 320, "panel-14-published")
