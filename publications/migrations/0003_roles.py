"""Content editors run publications as they run pages and posts; administrators have every permission."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")
MODELS = ("publication", "attachment")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("publications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="publications",
        content_type__model__in=MODELS,
        codename__in=[f"{action}_{model}" for action in CRUD for model in MODELS],
    )
    for group in Group.objects.filter(name__in=["Content editors", "Administrators"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="publications")
    for group in Group.objects.filter(name__in=["Content editors", "Administrators"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0002_search_index"),
        ("submissions", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
