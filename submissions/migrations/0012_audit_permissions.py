"""The export audit and the moderators' keep decisions came after the roles were made: give them to the roles.

Administrators read both (and every permission, as the roles migration gave them); moderators read the keep
decisions of the responses they moderate. Nobody may change or delete an audit row.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Administrators": [("exportrecord", "view"), ("personaldatakept", "view")],
    "Moderators": [("personaldatakept", "view")],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("submissions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for model, action in grants:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="submissions", content_type__model=model, codename=f"{action}_{model}"
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("submissions", "0011_submission_channel"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
