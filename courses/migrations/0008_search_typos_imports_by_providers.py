"""Register search that forgives typos (PostgreSQL's pg_trgm, with a trigram
index on titles), providers' names and regions in the search document, a
natural-sort collation for titles ("Module 2" before "Module 10"), and imports
by course providers with their full list of problems.

The extension, collation, index and search documents are PostgreSQL only: on
SQLite (the local default) these steps do nothing and search falls back to
plain matching (courses.search)."""

import django.db.models.deletion
from django.contrib.postgres.operations import CreateCollation, TrigramExtension
from django.db import migrations, models

def add_title_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS courses_course_title_trgm ON courses_course USING gin (title gin_trgm_ops)"
        )


def drop_title_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS courses_course_title_trgm")


def refresh_search_documents(apps, schema_editor):
    """Adds the provider's name and the region's name to every course's document
    (courses.domain.search_vector does the same for each course saved)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from accounts.enums import Region

    labels = {"national": "National (anywhere in the UK)"} | {value: str(label) for value, label in Region.choices}
    cases = " ".join("WHEN %s THEN %s" for _ in labels)
    params = [item for pair in labels.items() for item in pair]
    schema_editor.execute(
        "UPDATE courses_course c SET search_document = "
        "setweight(to_tsvector('english', COALESCE(c.title, '')), 'A') || "
        "setweight(to_tsvector('english', COALESCE(o.name, '')), 'B') || "
        "setweight(to_tsvector('english', COALESCE(c.summary, '')), 'B') || "
        f"setweight(to_tsvector('english', CASE c.region {cases} ELSE '' END), 'C') "
        "FROM accounts_organisation o WHERE o.id = c.provider_id",
        params,
    )


def count_stored_errors(apps, schema_editor):
    ImportJob = apps.get_model("courses", "ImportJob")
    for job in ImportJob.objects.exclude(errors=[]):
        job.error_count = len(job.errors)
        job.save(update_fields=["error_count"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_cache_fallback_table"),
        ("courses", "0007_leaders_moved_out"),
    ]

    operations = [
        TrigramExtension(),
        CreateCollation("natural_sort", provider="icu", locale="und-u-kn-true"),
        migrations.RunPython(add_title_trigram_index, drop_title_trigram_index),
        migrations.RunPython(refresh_search_documents, migrations.RunPython.noop),
        migrations.AddField(
            model_name="course",
            name="import_job",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="courses",
                to="courses.importjob",
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="error_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="importjob",
            name="errors_file",
            field=models.FileField(blank=True, max_length=300, upload_to=""),
        ),
        migrations.AddField(
            model_name="importjob",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.RunPython(count_stored_errors, migrations.RunPython.noop),
    ]
