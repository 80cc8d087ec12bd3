"""ClosureNotice now belongs to core (core/migrations/0001): forget it here without touching its table.

On a new database the old content type may exist beside the new one (roles were granted while both did): grants
move to the new one's permissions and the old content type goes.
"""

from django.db import migrations


def fold_old_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old = ContentType.objects.filter(app_label="pages", model="closurenotice").first()
    new = ContentType.objects.filter(app_label="core", model="closurenotice").first()
    if old is None or new is None:
        return
    for permission in Permission.objects.filter(content_type=old):
        replacement = Permission.objects.filter(content_type=new, codename=permission.codename).first()
        if replacement is not None:
            for group in permission.group_set.all():
                group.permissions.add(replacement)
            for user in permission.user_set.all():
                user.user_permissions.add(replacement)
    old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("pages", "0002_search_indexes"),
        ("core", "0001_closure_notice_from_pages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ClosureNotice")],
            database_operations=[],
        ),
        migrations.RunPython(fold_old_content_type, migrations.RunPython.noop),
    ]
