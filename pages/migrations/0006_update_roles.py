"""Content editors write and send updates to subscribers (they already run the posts those updates announce);
administrators have every permission."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    *(f"{action}_subscriberupdate" for action in ("add", "change", "delete", "view")),
    "send_subscriberupdate",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Permission.objects.filter(content_type__app_label="pages", codename__in=CODENAMES)
    for group in Group.objects.filter(name="Content editors"):
        group.permissions.add(*editors)
    every = Permission.objects.filter(
        content_type__app_label="pages",
        content_type__model__in=["subscriberupdate", "updatedelivery", "updatetestemail"],
    )
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.add(*every)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="pages",
        content_type__model__in=["subscriberupdate", "updatedelivery", "updatetestemail"],
    )
    for group in Group.objects.filter(name__in=["Content editors", "Administrators"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0005_subscriber_updates"),
        ("submissions", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
