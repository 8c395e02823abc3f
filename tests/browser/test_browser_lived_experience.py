"""Lived-experience voice and calibration, by keyboard: an awards
administrator adds a calibration example; a judge with lived experience
scores it from their judging home; the chair reads how far each judge sits
from the panel, sees the lived-experience column on the ranking, and records
a final decision that says how the lived-experience judges' view was
considered. Screenshots of each page are saved in
tests/browser/screenshots/lived-experience-*.png."""

import re

import pytest

from awards.models import Nomination
from judging.domain import calibration
from judging.models import CalibrationExample, CalibrationScore, FinalResult, JudgingSettings

from ..factories import PASSWORD, TOTP_SECRET, make_judging_world
from ..judging.lived_experience_helpers import every_judge_scores_every_entry, score_split
from .browser import (
    check_and_screenshot,
    choose,
    press,
    sign_in_with_code,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    check_and_screenshot(page, f"lived-experience-{name}")


def sign_in(page, live_server, email):
    sign_in_with_code(page, live_server, email, PASSWORD, TOTP_SECRET)


def banner(page):
    return page.locator(".govuk-notification-banner").inner_text()


def test_calibration_and_the_lived_experience_column_by_keyboard(live_server, page):
    world = make_judging_world()
    category, panel, judges = world["category"], world["panel"], world["judges"]
    chair, lived_judge = judges[0], judges[1]

    # The administrator adds an example entry; an empty form is refused with a summary.
    sign_in(page, live_server, world["admin"].email)
    page.goto(live_server.url + f"/judging/panels/{panel.pk}/calibration/")
    press(page, page.get_by_role("button", name="Add example entry"))
    check(page, "calibration-add-error")
    assert "Enter title of the example" in page.locator(".govuk-error-summary").inner_text()
    type_into(page, page.get_by_label("Title of the example"), "Example A: menus planned with residents")
    type_into(page, page.get_by_label("The example entry"), "Residents plan the menu with the cook each month.")
    press(page, page.get_by_role("button", name="Add example entry"))
    assert "The example entry has been added." in banner(page)
    check(page, "calibration-admin")
    example = CalibrationExample.objects.get()

    # A judge with lived experience scores it from their judging home.
    sign_in(page, live_server, lived_judge.email)
    page.goto(live_server.url + "/judging/")
    press(page, page.get_by_role("link", name="score the calibration examples"))
    check(page, "calibration-examples")
    press(page, page.get_by_role("link", name="Example A: menus planned with residents"))
    criteria = calibration.calibration_criteria(category)
    press(page, page.get_by_role("button", name="Save calibration scores"))
    check(page, "calibration-score-error")
    for criterion in criteria:
        type_into(page, page.get_by_label(f"Score for {criterion.name} (0 to {criterion.max_score})"), "8")
    check(page, "calibration-score")
    press(page, page.get_by_role("button", name="Save calibration scores"))
    assert "Your calibration scores for Example A" in banner(page)
    assert set(CalibrationScore.objects.filter(judge=lived_judge).values_list("score", flat=True)) == {8}
    for judge, value in ((chair, 6), (judges[2], 4)):
        calibration.record_calibration_scores(judge, example, {c.pk: value for c in criteria})

    # Real scoring: the lived-experience judges see the first entry very differently.
    nominations = every_judge_scores_every_entry(world, 2)
    score_split(nominations, lived=[3, 9], others=[9, 3])
    Nomination.objects.filter(pk=nominations[0].pk).update(state="finalist")
    JudgingSettings.objects.create(cycle=world["cycle"], lived_experience_divergence_threshold=20)

    # The chair reads the ranking with the lived-experience column, then the calibration table.
    sign_in(page, live_server, chair.email)
    page.goto(live_server.url + f"/judging/panels/{panel.pk}/results/")
    assert page.get_by_role("columnheader", name="Lived-experience judges").count() == 1
    assert page.locator("main").inner_text().count("Differs by 30.0") == 2
    check(page, "ranking")
    press(page, page.get_by_role("link", name=re.compile("See how each judge sits against the panel")))
    table = page.locator("table").inner_text()
    assert "+20.0" in table and "-20.0" in table and "Has not scored an example yet" in table
    check(page, "calibration-table")

    # The final decision must say how the lived-experience judges' view was considered.
    page.goto(live_server.url + f"/judging/panels/{panel.pk}/final/")
    assert "More than 20 points apart" in page.locator("main").inner_text()
    choose(page, page.get_by_label("Winner"))
    type_into(page, page.get_by_label("Citation (published with the award)"), "Residents plan their own days.")
    type_into(page, page.get_by_label("The panel's rationale (not published)"), "Strongest on every criterion.")
    press(page, page.get_by_role("button", name=re.compile("Save decision")))
    check(page, "final-error")
    assert "Say how the lived-experience judges' view was considered" in page.locator("main").inner_text()
    type_into(
        page,
        page.get_by_label("How the lived-experience judges' view was considered (not published)"),
        "We discussed their concern about menus; the visit showed residents lead them.",
    )
    press(page, page.get_by_role("button", name=re.compile("Save decision")))
    assert "The decision for" in banner(page)
    check(page, "final")
    result = FinalResult.objects.get()
    assert result.lived_experience_consideration.startswith("We discussed their concern")
