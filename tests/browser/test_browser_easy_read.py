"""Score descriptors and easy read, by keyboard: an awards administrator
describes each score of a criterion and writes its easy-read version; a judge
with lived experience chooses easy read in their profile and scores with the
easy-read text, what each score means read with the score box, and the
standard wording one key press away. Screenshots of each page are saved in
tests/browser/screenshots/easy-read-*.png."""

import re

import pytest

from accounts.enums import SiteRole
from awards.models import Criterion
from judging.models import Assignment, JudgeProfile

from ..factories import (
    PASSWORD,
    TOTP_SECRET,
    make_category,
    make_cycle,
    make_eligible,
    make_judge,
    make_panel,
    make_user,
)
from .browser import (
    check_and_screenshot,
    choose,
    press,
    sign_in_with_code,
    tab_to,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    check_and_screenshot(page, f"easy-read-{name}")


def sign_in(page, live_server, email):
    sign_in_with_code(page, live_server, email, PASSWORD, TOTP_SECRET)


def banner(page):
    return page.locator(".govuk-notification-banner").inner_text()


def test_descriptors_and_easy_read_from_set_up_to_scoring(live_server, page):
    category = make_category(make_cycle())
    make_user(email="admin@awards.example", roles=[SiteRole.AWARDS_ADMIN])
    chair = make_judge("chair@panel.example", sector="public")
    judge = make_judge("judge@panel.example", sector="private", lived="uses_services")
    make_panel(category, [chair, judge], chair=chair)
    nomination = make_eligible(category, 1)[0]
    assignment = Assignment.objects.create(nomination=nomination, judge=judge)
    criterion = category.criteria.get(name="Person-centred care")

    # The administrator describes every score and writes the easy-read version.
    sign_in(page, live_server, "admin@awards.example")
    page.goto(live_server.url + f"/awards/manage/categories/{category.pk}/")
    press(page, page.get_by_role("link", name="Edit Person-centred care"))
    type_into(page, page.get_by_label("What each score means (optional)"), "0: Not shown\n1-5: Some\n7-10: Strong")
    type_into(page, page.get_by_label("Easy-read name (optional)"), "Care that fits each person")
    press(page, page.get_by_role("button", name="Save criterion"))
    check(page, "criterion-error")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Describe every score from 0 to 10: 6 has no description" in summary
    press(page, page.get_by_role("link", name=re.compile("6 has no description")), navigates=False)
    assert page.evaluate("document.activeElement.id") == "id_score_descriptors"  # the summary leads to the box
    type_into(page, page.get_by_label("What each score means (optional)"), "0: Not shown\n1-6: Some\n7-10: Strong")
    type_into(page, page.get_by_label("Easy-read guidance"), "Does the service plan care with each person?")
    press(page, page.get_by_role("button", name="Save criterion"))
    assert "The criterion has been saved." in banner(page)
    check(page, "category")
    criterion.refresh_from_db()
    assert criterion.score_descriptors == [
        {"low": 0, "high": 0, "text": "Not shown"},
        {"low": 1, "high": 6, "text": "Some"},
        {"low": 7, "high": 10, "text": "Strong"},
    ]
    page.goto(live_server.url + f"/awards/manage/criteria/{criterion.pk}/")
    check(page, "criterion-edit")

    # The judge chooses easy read in their profile.
    sign_in(page, live_server, "judge@panel.example")
    page.goto(live_server.url + "/judging/profile/")
    choose(page, page.get_by_label("Show me the criteria in easy read when I score"))
    check(page, "profile")
    press(page, page.get_by_role("button", name="Save profile"))
    assert JudgeProfile.objects.get(user=judge).prefers_easy_read is True

    # The scoring page speaks easy read; the standard wording is one key away.
    page.goto(live_server.url + f"/judging/assignments/{assignment.pk}/")
    box = page.get_by_label("Score for Care that fits each person (0 to 10)")
    assert box.get_attribute("aria-describedby").split() == [
        f"id_score_{criterion.pk}-hint",
        f"id_score_{criterion.pk}-levels",
    ]
    hint = page.locator(f"#id_score_{criterion.pk}-hint").inner_text()
    assert hint == "Does the service plan care with each person?"
    levels = page.locator(f"#id_score_{criterion.pk}-levels").inner_text()
    assert "1 to 6: Some" in levels and "7 to 10: Strong" in levels
    summary = page.locator("summary", has_text="Show the standard wording")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    details = page.locator("details", has=summary)
    assert details.get_attribute("open") is not None
    assert "Person-centred care" in details.inner_text()
    font_size = box.evaluate("el => getComputedStyle(el.closest('.govuk-form-group').querySelector('label')).fontSize")
    assert float(font_size.removesuffix("px")) >= 24  # larger type
    check(page, "score")
    tab_to(page, box)
    page.keyboard.type("7")
    press(page, page.get_by_role("button", name="Save draft"))
    assert "Your draft has been saved." in banner(page)
    assert dict(assignment.scores.values_list("criterion_id", "score"))[criterion.pk] == 7
    assert Criterion.objects.get(pk=criterion.pk).easy_read_guidance == "Does the service plan care with each person?"
