from django.db import migrations

CRITERIA = [
    ("Designed for social care", "The course is designed for leaders of social care services, using social care examples and settings."),
    ("Mapped to the leadership framework", "Learning outcomes are mapped to the framework's levels and domains."),
    ("People who use services involved", "People who use services and carers help design and deliver the course."),
    ("Learning is assessed", "How learners show what they have learned, and how that is checked."),
    ("Quality assurance and evaluation", "How the course is evaluated and improved, with evidence from past learners."),
    ("Open and accessible", "Who can take part, costs, reasonable adjustments and support for learners."),
]


def add(apps, schema_editor):
    Criterion = apps.get_model("accreditation", "Criterion")
    for order, (title, guidance) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(title=title, defaults={"guidance": guidance, "order": order})


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
