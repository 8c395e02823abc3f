from django.core.management import call_command
from django.db import migrations


def create_table(apps, schema_editor):
    """The database cache that carries on when Redis cannot be reached
    (core.caching): created whatever the cache settings are now, so that
    setting REDIS_URL later needs no further step."""
    call_command("createcachetable", "cache_fallback", database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name('cache_fallback')}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_table, drop_table)]
