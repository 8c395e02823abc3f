"""Keeps existing nominations valid: their old yes/no consent answers become
consent records "given by the person", with the uses they allowed then.

- The statement: agreed to its use (user_statement_consent) meant the judges
  could read it; it was never published, so no other use is given.
- Images: an image whose people agreed (people_consent) was published, and
  given to the media partner, only where the entrant consented to
  publication (consent_to_publish); so those uses follow that answer.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Nomination = apps.get_model("awards", "Nomination")
    Consent = apps.get_model("awards", "Consent")
    statements = Nomination.objects.filter(user_statement_consent=True).exclude(consents__subject="statement")
    Consent.objects.bulk_create(
        Consent(
            nomination_id=nomination.pk,
            subject="statement",
            basis="person",
            for_judges=True,
            recorded_by_id=nomination.created_by_id,
            recorded_at=nomination.submitted_at or nomination.updated_at,
        )
        for nomination in statements.iterator()
    )
    images = Nomination.objects.filter(evidence__people_consent=True).exclude(consents__subject="images").distinct()
    Consent.objects.bulk_create(
        Consent(
            nomination_id=nomination.pk,
            subject="images",
            basis="person",
            for_judges=True,
            for_publication=bool(nomination.consent_to_publish),
            for_media=bool(nomination.consent_to_publish),
            recorded_by_id=nomination.created_by_id,
            recorded_at=nomination.submitted_at or nomination.updated_at,
        )
        for nomination in images.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0005_consent_capacity")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
