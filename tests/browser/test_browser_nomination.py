"""A provider drafts a nomination, uploads evidence, checks answers and submits."""

import re

import pytest

from ..factories import MINIMAL_PDF, PASSWORD, image_bytes, make_category, make_cycle, make_provider
from .browser import assert_accessible, choose, press, type_into, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page, "nomination-00-sign-in")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign In"))
    page.wait_for_url(re.compile(r"/$"))  # "Your home"


def test_provider_drafts_uploads_checks_and_submits(live_server, page, tmp_path):
    cycle = make_cycle()
    make_category(cycle, "Care Home Service of the Year", questions=[("Why is it outstanding?", 20)])
    user, organisation = make_provider("Riverside Care", email="jo@riverside.example")

    sign_in(page, live_server, "jo@riverside.example")
    press(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Nominations"))
    assert_accessible(page, "nomination-01-dashboard")
    press(page, page.get_by_role("button", name="Start a nomination"))
    assert_accessible(page, "nomination-02-start")
    choose(page, page.get_by_label(re.compile("Care Home Service of the Year")))
    press(page, page.get_by_role("button", name="Start nomination"))

    page.wait_for_url(re.compile(r"/awards/nominations/\d+/$"))
    assert_accessible(page, "nomination-03-task-list")

    press(page, page.get_by_role("link", name="Nominated service"))
    assert_accessible(page, "nomination-04-service")
    type_into(page, page.get_by_label("Name of the service"), "Rose House")
    type_into(page, page.get_by_label("Address of the service"), "1 High Street\nPreston")
    press(page, page.get_by_role("button", name="Save and return to the task list"))

    press(page, page.get_by_role("link", name="Answers to the category's questions"))
    answer = page.get_by_label("1. Why is it outstanding?")
    type_into(page, answer, " ".join(["word"] * 25))
    # The live word count tells the person before the server does.
    page.wait_for_function("document.querySelector('.govuk-character-count__status').innerText.includes('too many')")
    assert "5 words too many" in page.locator(".govuk-character-count__status").inner_text()
    press(page, page.get_by_role("button", name="Save and return to the task list"))
    assert_accessible(page, "nomination-05-answers-error")
    assert "must be 20 words or fewer – you have 25 words" in page.locator(".govuk-error-summary").inner_text()
    type_into(page, page.get_by_label("1. Why is it outstanding?"), "Residents plan the menu and interview new staff.")
    press(page, page.get_by_role("button", name="Save and return to the task list"))

    press(page, page.get_by_role("link", name="Statement from a person who uses the service"))
    assert_accessible(page, "nomination-06-statement")
    type_into(page, page.get_by_label("Statement from a person who uses the service"), "I feel at home here.")
    type_into(page, page.get_by_label("Who gave the statement"), "A resident")
    choose(page, page.get_by_label("The person agreed to their statement being used in this nomination"))
    press(page, page.get_by_role("button", name="Save and return to the task list"))

    press(page, page.get_by_role("link", name="Consent to publish"))
    assert_accessible(page, "nomination-07-consent")
    choose(page, page.get_by_label("Yes"))
    press(page, page.get_by_role("button", name="Save and return to the task list"))

    press(page, page.get_by_role("link", name="Evidence"))
    assert_accessible(page, "nomination-08-evidence")
    evidence = tmp_path / "inspection-report.pdf"
    evidence.write_bytes(MINIMAL_PDF)
    upload(page, page.get_by_label("Upload a file"), str(evidence))
    press(page, page.get_by_role("button", name="Upload file"))
    assert "inspection-report.pdf has been uploaded" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "nomination-09-evidence-uploaded")
    photo = tmp_path / "garden.jpg"
    photo.write_bytes(image_bytes("jpeg", size=(60, 40)))
    upload(page, page.get_by_label("Upload a file"), str(photo))
    type_into(page, page.get_by_label("What does this file show? (optional)"), "Residents planting bulbs")
    press(page, page.get_by_role("button", name="Upload file"))
    press(page, page.get_by_role("link", name="Return to the task list"))

    # Which images may be published if it wins: a caption and people's consent are needed.
    press(page, page.get_by_role("link", name="Choose which images may be published if your nomination wins"))
    assert_accessible(page, "nomination-09a-images")
    choose(page, page.get_by_label("Publish image 1 (garden.jpg) if the nomination wins"))
    press(page, page.get_by_role("button", name="Save your choices"))
    assert_accessible(page, "nomination-09b-images-error")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter a public caption for image 1" in summary
    assert page.get_by_label("Publish image 1 (garden.jpg) if the nomination wins").is_checked()
    type_into(page, page.get_by_label("Public caption for image 1"), "Residents planting spring bulbs")
    choose(page, page.get_by_label("Everyone who can be recognised in image 1 agreed to its publication"))
    press(page, page.get_by_role("button", name="Save your choices"))
    assert "Your choices have been saved." in page.locator(".govuk-notification-banner").inner_text()

    assert page.locator(".govuk-task-list__status").all_inner_texts() == ["Completed"] * 5
    press(page, page.get_by_role("button", name="Check your answers and submit"))
    assert_accessible(page, "nomination-10-check-answers")
    assert "Rose House" in page.locator("main").inner_text()
    press(page, page.get_by_role("button", name="Submit nomination"))

    page.wait_for_url(re.compile(r"/submitted/$"))
    assert_accessible(page, "nomination-11-submitted")
    panel = page.locator(".govuk-panel").inner_text()
    assert "Nomination submitted" in panel
    assert re.search(r"SCA\d\d-00001", panel)
