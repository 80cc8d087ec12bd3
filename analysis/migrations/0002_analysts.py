"""The Analysts role: code responses and read them for analysis, keep the codebook, run suggested themes and write
What we heard; never moderate, and never see a respondent's name, email or organisation.

So the group has every permission of the analysis app and none of submissions': the analysis screens show the text
of responses without personal fields, and the responses list and moderation screen stay closed to it. Administrators,
who hold every permission, get the analysis app's too (they were given all those that existed when they were made).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ANALYSTS = "Analysts"
ADMINISTRATORS = "Administrators"


def create_analysts(apps, schema_editor):
    # Permissions are normally created after all migrations run; the group needs them now.
    app_config = apps.get_app_config("analysis")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="analysis"))
    analysts, _ = Group.objects.get_or_create(name=ANALYSTS)
    analysts.permissions.set(permissions)
    administrators = Group.objects.filter(name=ADMINISTRATORS).first()
    if administrators is not None:
        administrators.permissions.add(*permissions)


def remove_analysts(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=ANALYSTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("submissions", "0005_roles"),
        ("analysis", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_analysts, remove_analysts)]
