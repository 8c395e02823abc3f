"""The leadership framework's default levels and domains, and on PostgreSQL a
GIN index for full-text search of the register."""

from django.db import migrations

LEVELS = [
    ("future-leaders", "Future leaders and first leadership role", "People stepping into, or preparing for, their first leadership role.", 0),
    ("practice-leaders", "Practice leaders", "Leaders of frontline practice: senior practitioners, team leaders, registered managers.", 1),
    ("service-leaders", "Service leaders", "Leaders of whole services or several teams.", 2),
    ("system-leaders", "System leaders", "Leaders across organisations and places, including Directors of Adult Social Services.", 3),
]
DOMAINS = [
    ("leadership", "Leadership", "Setting direction, values and culture; leading change with people who use services.", 0),
    ("commissioning", "Commissioning", "Understanding needs and shaping, buying and reviewing services.", 1),
    ("management", "Management", "Running services well: people, money, quality and risk.", 2),
]


def add_defaults(apps, schema_editor):
    FrameworkLevel = apps.get_model("courses", "FrameworkLevel")
    FrameworkDomain = apps.get_model("courses", "FrameworkDomain")
    for slug, name, description, order in LEVELS:
        FrameworkLevel.objects.get_or_create(slug=slug, defaults={"name": name, "description": description, "order": order})
    for slug, name, description, order in DOMAINS:
        FrameworkDomain.objects.get_or_create(slug=slug, defaults={"name": name, "description": description, "order": order})


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS courses_course_search_gin ON courses_course USING gin (search_document)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS courses_course_search_gin")


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
