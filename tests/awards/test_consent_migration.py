"""Migration 0006 keeps existing nominations valid: the old yes/no consent
answers become consent records "given by the person", with the uses they
allowed then, and running it again changes nothing."""

import importlib

import pytest
from django.apps import apps

from awards.models import Consent, EvidenceFile, Nomination

from .consent_world import draft_with_image

pytestmark = pytest.mark.django_db

migration = importlib.import_module("awards.migrations.0006_consent_from_old_answers")


def test_old_answers_become_records_given_by_the_person(provider, other_provider):
    published, _ = draft_with_image(provider)
    private, _ = draft_with_image(other_provider, published.category)
    Nomination.objects.filter(pk=private.pk).update(consent_to_publish=False)
    EvidenceFile.objects.filter(nomination=private).update(people_consent=False)
    silent, _ = draft_with_image(provider, published.category)
    Nomination.objects.filter(pk=silent.pk).update(user_statement_consent=False, consent_to_publish=None)

    migration.forwards(apps, None)
    migration.forwards(apps, None)

    found = {(c.nomination_id, c.subject): (c.basis, sorted(c.uses)) for c in Consent.objects.all()}
    assert found == {
        (published.pk, "statement"): ("person", ["judges"]),
        (published.pk, "images"): ("person", ["judges", "media", "publication"]),
        (private.pk, "statement"): ("person", ["judges"]),
        (silent.pk, "images"): ("person", ["judges"]),
    }
