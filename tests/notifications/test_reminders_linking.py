"""send_once and send_digest_once link each ledger row they claim to the email
queued for it, in one UPDATE a batch: the row's email is the one sent to its
recipient, a row already in the ledger keeps its email, and the queries a
batch takes do not grow with the reminders in it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import reminders
from notifications.models import OutboundEmail, Reminder
from notifications.reminders import Due, ReminderKind, send_digest_once, send_once

from ..factories import make_user

LINK = ReminderKind("test_link", "Test link", "reminder_test_link")
TEMPLATES = {
    "reminder_test_link_subject.txt": "For {{ person.email }} ({{ milestone }})",
    "reminder_test_link_body.txt": "Reminder {{ milestone }}{% for i in new_ids %} {{ i }}{% endfor %}.",
    "reminder_test_link_body.html": "<p>Reminder {{ milestone }}.</p>",
}


@pytest.fixture(autouse=True)
def link_templates(tmp_path, settings):
    (tmp_path / "email").mkdir()
    for name, text in TEMPLATES.items():
        (tmp_path / "email" / name).write_text(text)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def people(count):
    return [make_user(email=f"person{n}@example.org") for n in range(count)]


def due_for(persons, milestone="7d"):
    return [Due(person.pk, person.email, milestone, {}, person) for person in persons]


@pytest.mark.django_db
def test_each_ledger_row_is_linked_to_the_email_sent_to_its_recipient(monkeypatch):
    monkeypatch.setattr(reminders, "SEND_BATCH", 2)  # three batches
    persons = people(5)
    assert send_once(LINK, due_for(persons[:1])) == 1
    first = Reminder.objects.get()

    assert send_once(LINK, due_for(persons)) == 4

    rows = Reminder.objects.select_related("email").order_by("object_id")
    assert [(row.recipient_email, row.email.to, row.email.subject) for row in rows] == [
        (person.email, person.email, f"For {person.email} (7d)") for person in persons
    ]
    assert Reminder.objects.get(pk=first.pk).email_id == first.email_id  # kept its own email
    assert OutboundEmail.objects.count() == 5
    assert send_once(LINK, due_for(persons)) == 0


@pytest.mark.django_db
def test_a_batch_takes_the_same_queries_whatever_its_size():
    def queries_for(persons, milestone):
        with CaptureQueriesContext(connection) as queries:
            assert send_once(LINK, due_for(persons, milestone)) == len(persons)
        return len(queries)

    persons = people(12)
    assert queries_for(persons[:2], "7d") == queries_for(persons, "2d")


@pytest.mark.django_db
def test_a_digest_links_every_new_item_to_its_one_email():
    person = make_user(email="digest@example.org")
    assert send_digest_once(kind=LINK, recipient=person, items=[(1, "new"), (2, "new")], context={}) == 2
    assert send_digest_once(kind=LINK, recipient=person, items=[(2, "new"), (3, "new")], context={}) == 1

    rows = Reminder.objects.select_related("email").order_by("object_id")
    first, second = OutboundEmail.objects.order_by("pk")
    assert [(row.object_id, row.email_id) for row in rows] == [(1, first.pk), (2, first.pk), (3, second.pk)]
    assert (first.text_body, second.text_body) == ("Reminder  1 2.\n", "Reminder  3.\n")
