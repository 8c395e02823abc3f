"""Plain-text emails are not HTML: names and titles arrive as typed."""

from accounts.models import User
from awards.models import Nomination
from notifications.mail import render_email


def test_subject_and_text_keep_apostrophes_and_ampersands_while_html_escapes_them():
    person = User(email="siobhan@example.org", full_name="Siobhán O'Brien")
    nomination = Nomination(reference="SCA-00001", service_name="Rose & Thistle <House>")
    subject, text, html = render_email("nomination_withdrawn", {"person": person, "nomination": nomination})
    assert text.startswith("Dear Siobhán O'Brien,\n")
    assert "&#x27;" not in subject + text and "&amp;" not in subject + text
    assert "O&#x27;Brien" in html
    assert "of Rose & Thistle <House> for" in text
