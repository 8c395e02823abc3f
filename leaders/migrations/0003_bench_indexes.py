from django.db import migrations


class Migration(migrations.Migration):
    """Indexes for the DASS dashboard on the scale data (bench/README.md).

    The check for authorities with two current substantive directors reads
    only substantive appointments (a few hundred among 100,000, most being
    interim cover): a partial index finds them without reading the table.
    Database-only: the models declare no partial indexes of their own."""

    dependencies = [("leaders", "0002_relabel_moved_records")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS leaders_dass_substantive ON accreditation_dassappointment "
            "(local_authority_id, leader_id) WHERE kind = 'substantive'",
            "DROP INDEX IF EXISTS leaders_dass_substantive",
        ),
    ]
