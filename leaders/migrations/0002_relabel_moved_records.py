from django.db import migrations

# The models that moved here (leaders 0001), by the app they came from.
MOVED = {"courses": ["leaderprofile", "completion"], "accreditation": ["dassappointment", "issuedcredential"]}


def relabel(apps, *, to_leaders: bool):
    """Content types (and so permissions) and audit records name a model by its
    app: they follow the models, so the audit log still finds a completion's
    history under "leaders.completion"."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    for old_app, models in MOVED.items():
        for model in models:
            source, target = (old_app, "leaders") if to_leaders else ("leaders", old_app)
            if not ContentType.objects.filter(app_label=target, model=model).exists():
                ContentType.objects.filter(app_label=source, model=model).update(app_label=target)
            AuditEvent.objects.filter(object_type=f"{source}.{model}").update(object_type=f"{target}.{model}")


class Migration(migrations.Migration):
    """Existing records that name the moved models by their old app are relabelled."""

    dependencies = [
        ("leaders", "0001_initial"),
        ("accounts", "0002_cache_fallback_table"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: relabel(apps, to_leaders=True),
            lambda apps, schema_editor: relabel(apps, to_leaders=False),
        ),
    ]
