"""Accreditation by keyboard alone at 320 px: the provider types answers,
uploads evidence and presses each button in turn without losing anything,
then submits through the confirmation; the assessor chooses an outcome per
criterion and presses "Record decision" first, and the outcomes are kept.
Every page fits 320 px without scrolling sideways and has no axe violation."""

import re

import pytest

from accreditation.models import Application, Criterion

from ..factories import MINIMAL_PDF, PASSWORD, TOTP_SECRET, make_course, make_course_provider, make_user
from .browser import assert_accessible, choose, enter_authenticator_code, press, select, type_into, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320


def sign_in(page, live_server, email, *, mfa=False):
    """Signs in by keyboard; wherever the service then lands is not this test's concern."""
    page.goto(live_server.url + "/accounts/login/")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign In"))
    if mfa:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        enter_authenticator_code(page, page.get_by_label("Code"), TOTP_SECRET)
    assert "/accounts/" not in page.url


def check_page(page, name):
    """No sideways scrolling at 320 px, and no axe violation."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide at {WIDTH} px"
    assert_accessible(page, name)


def answer_field(page, number, criterion):
    return page.get_by_label(f"{number}. {criterion.title}")


def values(page, criteria):
    return [answer_field(page, n, c).input_value() for n, c in enumerate(criteria, start=1)]


def test_provider_keeps_everything_typed_whichever_button_and_confirms_the_submission(live_server, page, tmp_path):
    page.set_viewport_size({"width": WIDTH, "height": 900})
    _, provider = make_course_provider(email="helen@llp.example")
    make_course(provider, "Leading person-centred care")
    make_course(provider, "Coaching for registered managers")
    criteria = list(Criterion.objects.filter(active=True))
    handbook = tmp_path / "handbook.pdf"
    handbook.write_bytes(MINIMAL_PDF)

    sign_in(page, live_server, "helen@llp.example")
    page.goto(live_server.url + "/accreditation/")
    check_page(page, "accreditation-journey-01-provider-home")
    type_into(page, page.get_by_label("Search your courses by title"), "person-centred")
    press(page, page.get_by_role("button", name="Search"))
    assert "1 course matching ‘person-centred’ can apply." in page.locator("main").inner_text()
    check_page(page, "accreditation-journey-02-search")
    press(page, page.get_by_role("button", name="Apply for Leading person-centred care"))
    page.wait_for_url(re.compile(r"/accreditation/applications/\d+/$"))
    check_page(page, "accreditation-journey-03-application")

    # Answers typed, then "Upload file": the file is stored and every answer stays.
    typed = [f"We meet {c.title.lower()} through mentoring." for c in criteria]
    for number, (criterion, text) in enumerate(zip(criteria[:2], typed, strict=False), start=1):
        type_into(page, answer_field(page, number, criterion), text)
    select(page, page.get_by_label("Which criterion does the file support?"), criteria[0].title)
    upload(page, page.get_by_label("Upload a file of evidence"), handbook)
    press(page, page.get_by_role("button", name="Upload file"))
    assert "handbook.pdf has been uploaded." in page.locator(".govuk-notification-banner").inner_text()
    assert values(page, criteria) == typed[:2] + [""] * (len(criteria) - 2)
    assert "handbook.pdf" in page.locator("#evidence + ul").inner_text()
    check_page(page, "accreditation-journey-04-uploaded")

    # "Save answers" keeps them too.
    type_into(page, answer_field(page, 3, criteria[2]), typed[2])
    press(page, page.get_by_role("button", name="Save answers"))
    assert values(page, criteria) == typed[:3] + [""] * (len(criteria) - 3)

    # "Submit application" with criteria unanswered: each is named, nothing typed is lost.
    type_into(page, answer_field(page, 4, criteria[3]), typed[3])
    press(page, page.get_by_role("button", name="Submit application"))
    summary = page.locator(".govuk-error-summary")
    links = summary.get_by_role("link").all_inner_texts()
    assert links == [f"Answer ‘{c.title}’ before submitting" for c in criteria[4:]]
    assert values(page, criteria) == typed[:4] + [""] * (len(criteria) - 4)
    check_page(page, "accreditation-journey-05-unanswered")
    press(page, summary.get_by_role("link").first, navigates=False)
    page.wait_for_function("document.activeElement && document.activeElement.id.startsWith('id_criterion_')")

    for number, (criterion, text) in enumerate(zip(criteria, typed, strict=True), start=1):
        if number > 4:
            type_into(page, answer_field(page, number, criterion), text)
    press(page, page.get_by_role("button", name="Submit application"))
    page.wait_for_url(re.compile(r"/submit/confirm/$"))
    main = page.locator("main").inner_text()
    assert "Are you sure you want to submit the application for Leading person-centred care?" in main
    assert "helen@llp.example" in main
    check_page(page, "accreditation-journey-06-confirm")
    # Cancel, and everything typed is still there.
    press(page, page.get_by_role("link", name="Cancel and go back to your answers"))
    assert values(page, criteria) == typed
    press(page, page.get_by_role("button", name="Submit application"))
    press(page, page.get_by_role("button", name="Confirm and submit"))
    assert "submitted to the Skills Academy" in page.locator(".govuk-notification-banner").inner_text()
    check_page(page, "accreditation-journey-07-submitted")
    application = Application.objects.get()
    assert (application.state, application.round) == ("submitted", 1)
    assert {a.criterion_id: a.text for a in application.answers.all()} == {
        c.pk: text for c, text in zip(criteria, typed, strict=True)
    }


def test_assessor_records_the_decision_first_and_keeps_each_outcome(live_server, page):
    from accreditation import domain

    page.set_viewport_size({"width": WIDTH, "height": 900})
    provider_user, provider = make_course_provider(email="helen@llp.example")
    course = make_course(provider, "Leading person-centred care")
    make_user(email="assessor@academy.example", roles=["academy_staff"], full_name="Gareth Evans")
    criteria = list(Criterion.objects.filter(active=True))
    application = domain.start_application(provider_user, course)
    domain.save_answers(provider_user, application, {c.pk: f"We meet {c.title}." for c in criteria})
    domain.submit_application(provider_user, application)
    outcomes = ["met", "partly_met", "not_met"]
    chosen = {c.pk: outcomes[i % 3] for i, c in enumerate(criteria)}

    sign_in(page, live_server, "assessor@academy.example", mfa=True)
    page.goto(live_server.url + "/accreditation/staff/")
    assert "waiting 0 days" in page.locator("main").inner_text()
    check_page(page, "accreditation-journey-09-queue")
    press(page, page.get_by_role("link", name="Leading person-centred care"))
    select(page, page.get_by_label("Assessor"), "Gareth Evans")
    press(page, page.get_by_role("button", name="Assign assessor"))
    check_page(page, "accreditation-journey-10-assess")

    for criterion in criteria:
        choose(page, page.locator(f"input[name=outcome_{criterion.pk}][value={chosen[criterion.pk]}]"))
    # "Record decision" before "Save assessment", refusing without reasons:
    # the decision is refused, the outcomes are kept.
    choose(page, page.get_by_label("Refused", exact=True))
    press(page, page.get_by_role("button", name="Record decision and send letter"))
    assert "Give the reasons for refusing accreditation" in page.locator(".govuk-error-summary").inner_text()
    for criterion in criteria:
        assert page.locator(f"input[name=outcome_{criterion.pk}][value={chosen[criterion.pk]}]").is_checked()
    check_page(page, "accreditation-journey-11-decision-refused")

    choose(page, page.get_by_label("Accredited", exact=True))
    press(page, page.get_by_role("button", name="Record decision and send letter"))
    page.wait_for_url(re.compile(r"/confirm/$"))
    main = page.locator("main").inner_text()
    assert "Are you sure you want to record ‘Accredited’ for Leading person-centred care?" in main
    assert "helen@llp.example" in main
    check_page(page, "accreditation-journey-12-confirm-decision")
    press(page, page.get_by_role("button", name="Confirm and send the decision letter"))
    assert "decision has been recorded" in page.locator(".govuk-notification-banner").inner_text()
    check_page(page, "accreditation-journey-13-decided")
    application.refresh_from_db()
    assert application.state == "accredited"
    saved = {a.criterion_id: a.outcome for a in application.rounds.get().assessments.all()}
    assert saved == chosen

    page.goto(live_server.url + f"/accreditation/staff/accreditations/{application.accreditation.pk}/")
    check_page(page, "accreditation-journey-14-status")
    choose(page, page.get_by_label("Suspend"))
    type_into(page, page.get_by_label("Reason"), "Complaint under investigation.")
    press(page, page.get_by_role("button", name="Change status"))
    assert "Are you sure you want to suspend accreditation" in page.locator("h1").inner_text()
    check_page(page, "accreditation-journey-15-confirm-suspension")
    press(page, page.get_by_role("button", name="Confirm: suspend the accreditation"))
    assert "has been updated" in page.locator(".govuk-notification-banner").inner_text()
    application.accreditation.refresh_from_db()
    assert application.accreditation.state == "suspended"
