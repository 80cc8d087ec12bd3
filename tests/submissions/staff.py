"""Staff users in the roles the data migration creates, for the moderation and roles tests."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


def staff_user(group_name=None, *, username=None, email="", superuser=False):
    """A staff member in one role's group (the groups come from the roles migration)."""
    username = username or (group_name or "admin").lower().replace(" ", "-")
    User = get_user_model()
    user = User.objects.create_user(
        username=username, email=email, password="a-long-test-password", is_staff=True, is_superuser=superuser
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user
