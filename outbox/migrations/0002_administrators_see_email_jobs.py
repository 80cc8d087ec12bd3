"""Administrators have every permission (submissions' roles migration): the outbox's too."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("outbox")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrators = Group.objects.filter(name="Administrators").first()
    if administrators is not None:
        administrators.permissions.add(*Permission.objects.filter(content_type__app_label="outbox"))


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("submissions", "0005_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
