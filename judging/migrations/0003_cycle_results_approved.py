from django.db import migrations


def copy_approvals(apps, schema_editor):
    """Cycles whose results were approved before the cycle itself recorded it."""
    Publication = apps.get_model("judging", "Publication")
    Cycle = apps.get_model("awards", "Cycle")
    for cycle_id, approved_at in Publication.objects.values_list("cycle_id", "approved_at"):
        Cycle.objects.filter(pk=cycle_id).update(results_approved_at=approved_at)


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0002_panel_scores_changed_at"),
        ("awards", "0002_publication_and_approval"),
    ]

    operations = [migrations.RunPython(copy_approvals, migrations.RunPython.noop)]
