"""CycleRules becomes JudgingSettings: "rules" means who may do what (each
app's rules.py). The table is renamed with its rows kept."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0002_publication_and_approval"),
        ("judging", "0004_lifecycle_rules"),
    ]

    operations = [
        migrations.RenameModel(old_name="CycleRules", new_name="JudgingSettings"),
        migrations.AlterField(
            model_name="judgingsettings",
            name="cycle",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="judging_settings", to="awards.cycle"
            ),
        ),
    ]
