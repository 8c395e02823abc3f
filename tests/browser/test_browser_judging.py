"""A judge signs in with two-factor authentication, scores a nomination and
submits; the panel chair records the award and signs off."""

import re
import time

import pytest

from awards.models import Nomination
from judging.models import Assignment

from ..factories import PASSWORD, TOTP_SECRET, make_category, make_cycle, make_eligible, make_judge, make_panel
from .browser import assert_accessible, choose, enter_authenticator_code, press, tab_to, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_mfa(page, live_server, email, name):
    page.goto(live_server.url + "/accounts/login/")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign In"))
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert_accessible(page, f"{name}-two-factor")
    enter_authenticator_code(page, page.get_by_label("Code"), TOTP_SECRET)
    page.wait_for_url(re.compile(r"/$"))  # "Your home"


def test_judge_scores_by_keyboard_and_chair_signs_off(live_server, page):
    cycle = make_cycle()
    category = make_category(cycle)
    chair = make_judge("chair@panel.example", sector="public")
    judge = make_judge("judge@panel.example", sector="private", lived="uses_services")
    third = make_judge("third@panel.example", sector="voluntary")
    make_panel(category, [chair, judge, third], chair=chair)
    nomination = make_eligible(category, 1)[0]
    assignment = Assignment.objects.create(nomination=nomination, judge=judge)

    sign_in_with_mfa(page, live_server, "judge@panel.example", "judging-01")

    # Idle for 28 and a half minutes: the page warns, and the keyboard keeps the session.
    from django.contrib.sessions.backends.db import SessionStore

    page.clock.install()
    page.reload()
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key)
    # The server's clock, counted from now: the last request it noted (it
    # notes one a minute at most) may be many busy seconds old, and the
    # warning must say "2 minutes", not seconds...
    session["last_seen_at"] = time.time() - 28.5 * 60
    session.save()
    page.clock.fast_forward("28:30")  # ...and the page's
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    dialog.wait_for()
    assert_accessible(page, "judging-01a-sign-out-warning")
    assert "1 minutes" in dialog.inner_text() or "2 minutes" in dialog.inner_text()
    page.keyboard.press("Enter")  # the dialog's button has the focus
    dialog.wait_for(state="hidden")
    assert SessionStore(session_key)["last_seen_at"] > session["last_seen_at"] + 60

    press(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Judging", exact=True))
    assert_accessible(page, "judging-02-home")
    assert "0 of 1 submitted" in page.locator("main").inner_text()
    press(page, page.get_by_role("link", name=nomination.reference))
    assert_accessible(page, "judging-03-score")

    criteria = list(category.criteria.filter(stage="written"))
    # Keyboard only: Tab to each score, type it, then submit with Enter.
    tab_to(page, page.locator(f"#id_score_{criteria[0].pk}"))
    page.keyboard.type("8")
    page.keyboard.press("Tab")
    page.keyboard.type("Residents lead the home's committee.")
    tab_to(page, page.locator(f"#id_score_{criteria[1].pk}"))
    page.keyboard.type("7")
    tab_to(page, page.get_by_role("button", name="Submit scores"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/confirm/$"))  # the check page: scores saved, not yet submitted
    assert_accessible(page, "judging-04-check-scores")
    assert "Residents lead the home's committee." in page.locator("main").inner_text()
    press(page, page.get_by_role("button", name="Confirm and submit scores"))
    page.wait_for_url(re.compile(r"/judging/$"))
    assert_accessible(page, "judging-04-submitted")
    assert "1 of 1 submitted" in page.locator("main").inner_text()
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert dict(assignment.scores.values_list("criterion__name", "score")) == {"Person-centred care": 8, "Outcomes": 7}

    # The chair reads the ranking, decides the shortlist and reopens the judge's scores.
    page.context.clear_cookies()
    sign_in_with_mfa(page, live_server, "chair@panel.example", "judging-05-chair")
    page.goto(live_server.url + f"/judging/panels/{category.panel.pk}/results/")
    assert_accessible(page, "judging-05a-ranking")
    assert "No nominations are tied on score." in page.locator("main").inner_text()
    press(page, page.get_by_role("link", name="Decide the shortlist"))
    assert_accessible(page, "judging-05b-shortlist")
    choose(page, page.get_by_label("The top nominations by normalised score"))
    press(page, page.get_by_role("button", name="Save shortlist"))
    assert "The shortlist has been decided." in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "judging-05c-shortlist-decided")
    press(page, page.get_by_role("link", name=re.compile(f"Reopen the scores of .* for {nomination.reference}")))
    press(page, page.get_by_role("button", name="Reopen scores"))
    assert_accessible(page, "judging-05d-reopen-refused")
    assert "Enter the reason for reopening the scores" in page.locator(".govuk-error-summary").inner_text()
    type_into(page, page.get_by_label("Why are the scores being reopened?"), "Evidence file was missed.")
    press(page, page.get_by_role("button", name="Reopen scores"))
    assert "have been reopened" in page.locator(".govuk-notification-banner").inner_text()
    assignment.refresh_from_db()
    assert assignment.submitted_at is None

    # Shortlist published and site visit done: the chair records the award for the finalist and signs off.
    from django.utils import timezone as tz

    Nomination.objects.filter(pk=nomination.pk).update(state="finalist")
    type(category.panel).objects.filter(pk=category.panel.pk).update(shortlist_published_at=tz.now())
    page.goto(live_server.url + f"/judging/panels/{category.panel.pk}/final/")
    assert_accessible(page, "judging-06-final")
    choose(page, page.get_by_label("Winner"))
    type_into(page, page.get_by_label("Citation (published with the award)"), "Residents run this home.")
    type_into(page, page.get_by_label("The panel's rationale (not published)"), "Clear winner on every criterion.")
    press(page, page.get_by_role("button", name=re.compile("Save decision")))
    assert_accessible(page, "judging-07-decided")
    press(page, page.get_by_role("button", name="Sign off the panel's decisions"))
    press(page, page.get_by_role("button", name="Confirm: sign off the decisions"))  # issue 19: confirmed first
    assert "signed off" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "judging-08-signed-off")
    category.panel.refresh_from_db()
    assert category.panel.state == "signed_off"

    # Approved and announced: the public winners page shows the image the entrant chose, with its caption.
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from accounts.enums import SiteRole
    from awards import domain as awards
    from awards.models import Cycle, EvidenceFile
    from judging import domain as judging

    from ..factories import image_bytes, make_user

    Nomination.objects.filter(pk=nomination.pk).update(consent_to_publish=True)
    photo = EvidenceFile(nomination=nomination, original_name="garden.png", kind="png", mimetype="image/png", size=99)
    photo.file.save("evidence/browser-garden.png", ContentFile(image_bytes("png", size=(60, 40))), save=True)
    awards.set_image_publication(
        nomination.created_by, photo, publish=True, caption="Residents in the garden", people_consent=True
    )
    admin = make_user(email="admin@panel.example", roles=[SiteRole.AWARDS_ADMIN])
    judging.approve_results(admin, cycle, early_reason="The test cycle runs early")
    Cycle.objects.filter(pk=cycle.pk).update(winners_announced=timezone.now() - timedelta(minutes=1))
    page.context.clear_cookies()
    page.goto(live_server.url + f"/winners/{cycle.pk}/")
    assert_accessible(page, "judging-09-winners")
    assert page.get_by_role("img", name="Residents in the garden").is_visible()
    assert "Residents run this home." in page.locator("main").inner_text()

    # A mistake comes to light: the administrator withdraws the results and reopens the panel, saying why.
    sign_in_with_mfa(page, live_server, "admin@panel.example", "judging-10")
    page.goto(live_server.url + f"/judging/manage/cycles/{cycle.pk}/withdraw/")
    assert_accessible(page, "judging-10a-withdraw-results")
    press(page, page.get_by_role("button", name="Withdraw the results"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page, "judging-10b-withdraw-results-error")
    type_into(page, page.locator("textarea"), "A score was typed against the wrong entry.")
    press(page, page.get_by_role("button", name="Withdraw the results"))
    assert Cycle.objects.get(pk=cycle.pk).results_approved_at is None
    page.goto(live_server.url + f"/judging/panels/{category.panel.pk}/reopen/")
    assert_accessible(page, "judging-11-reopen-panel")
    type_into(page, page.locator("textarea"), "Correct the mistyped score.")
    press(page, page.get_by_role("button", name="Reopen the panel"))
    category.panel.refresh_from_db()
    assert category.panel.state == "active"
    assert_accessible(page, "judging-12-reopened")
