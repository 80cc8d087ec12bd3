"""Moderators and administrators may export responses (the export_submission permission)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Moderators", "Administrators"]


def grant_export(apps, schema_editor):
    # Permissions are normally created after all migrations run; the grant needs this one now.
    app_config = apps.get_app_config("submissions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    export = Permission.objects.get(content_type__app_label="submissions", codename="export_submission")
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(export)


def revoke_export(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    export = Permission.objects.filter(content_type__app_label="submissions", codename="export_submission").first()
    if export is not None:
        for group in Group.objects.filter(name="Moderators"):
            group.permissions.remove(export)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("submissions", "0005_roles"),
    ]

    operations = [migrations.RunPython(grant_export, revoke_export)]
