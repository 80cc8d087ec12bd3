"""Create the staff roles as groups with exactly the permissions each role needs.

Moderators read and decide on responses; content editors run the public pages and calls but never see a
response or an attachment; safeguarding leads see the flagged responses and change the flag; administrators
have every permission. Make someone staff (is_staff) and put them in one group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")

ROLES = {
    "Moderators": [
        ("submissions", "submission", ("view", "change")),
        ("submissions", "answer", ("view", "change")),
        ("submissions", "idea", ("view", "change")),
        ("submissions", "attachment", ("view", "download")),
        ("submissions", "moderationevent", ("view",)),
        ("consultations", "call", ("view",)),
        ("consultations", "question", ("view",)),
    ],
    "Content editors": [
        ("pages", "page", CRUD),
        ("pages", "faq", CRUD),
        ("pages", "post", CRUD),
        ("pages", "closurenotice", CRUD),
        ("consultations", "call", CRUD),
        ("consultations", "question", CRUD),
    ],
    "Safeguarding leads": [
        ("submissions", "safeguardingqueue", ("view", "change")),
        ("submissions", "answer", ("view",)),
        ("submissions", "idea", ("view",)),
        ("submissions", "attachment", ("view", "download")),
        ("submissions", "moderationevent", ("view",)),
    ],
}
ADMINISTRATORS = "Administrators"
# Models that later moved to another app (their permissions follow the renamed content type).
MOVED = {("pages", "closurenotice"): "core"}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for app_label, model, actions in grants:
            for action in actions:
                # Where the model has moved, its new app's permission once both exist (pages.0003 folds the old).
                labels = [MOVED.get((app_label, model), app_label), app_label]
                found = Permission.objects.filter(
                    content_type__app_label__in=labels, content_type__model=model, codename=f"{action}_{model}"
                )
                permissions.append(min(found, key=lambda p: labels.index(p.content_type.app_label)))
        group.permissions.set(permissions)
    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    administrators.permissions.set(Permission.objects.all())


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[*ROLES, ADMINISTRATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("pages", "0001_initial"),
        ("consultations", "0001_initial"),
        ("submissions", "0004_receipt_last_attempt"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
