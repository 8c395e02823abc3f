"""A trigram index on organisations' names for the register search on the
scale data (bench/README.md): search words are matched against providers'
names by pg_trgm word similarity (courses.search), which read every
organisation (5,000 on the scale data) for each of the page's queries.

PostgreSQL only: on SQLite (the local default) this step does nothing."""

from django.db import migrations


def add_name_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS courses_organisation_name_trgm "
            "ON accounts_organisation USING gin (name gin_trgm_ops)"
        )


def drop_name_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS courses_organisation_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_search_typos_imports_by_providers"),
        ("accounts", "0002_cache_fallback_table"),
    ]

    operations = [migrations.RunPython(add_name_trigram_index, drop_name_trigram_index)]
