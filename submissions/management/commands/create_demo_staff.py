"""Create a demo moderator and a demo content editor, each in their group, with passwords nobody else chose."""

import getpass
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEMO_STAFF = [
    ("demo-moderator", "Moderators", "Demo", "Moderator"),
    ("demo-editor", "Content editors", "Demo", "Editor"),
]


class Command(BaseCommand):
    help = (
        "Create a demo moderator (demo-moderator) and a demo content editor (demo-editor). "
        "Asks for each password, or makes a strong one with --generate and prints it once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate", action="store_true", help="Generate a strong random password for each and print it."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Set a new password for a demo account that already exists."
        )

    def handle(self, *args, generate=False, reset=False, **options):
        missing = [group for _, group, _, _ in DEMO_STAFF if not Group.objects.filter(name=group).exists()]
        if missing:
            raise CommandError(f"The group(s) {', '.join(missing)} do not exist. Run `manage.py migrate` first.")
        User = get_user_model()
        for username, group_name, first_name, last_name in DEMO_STAFF:
            user = User.objects.filter(username=username).first()
            if user is not None and not reset:
                self.stdout.write(
                    f"{username} already exists; its password is unchanged (use --reset to set a new one)."
                )
                continue
            candidate = user or User(username=username, first_name=first_name, last_name=last_name)
            password = self._generate() if generate else self._ask(username, candidate)
            with transaction.atomic():
                candidate.is_staff = True
                candidate.is_superuser = False
                candidate.is_active = True
                candidate.set_password(password)
                candidate.save()
                candidate.groups.set([Group.objects.get(name=group_name)])
            verb = "Reset" if user is not None else "Created"
            self.stdout.write(self.style.SUCCESS(f"{verb} {username} in the group {group_name}."))
            if generate:
                self.stdout.write(f"  Password for {username}: {password}")
        if generate:
            self.stdout.write("Keep these passwords somewhere safe: they are not shown again.")

    def _generate(self):
        return secrets.token_urlsafe(18)

    def _ask(self, username, user):
        for _ in range(3):
            try:
                password = getpass.getpass(f"Password for {username}: ")
                again = getpass.getpass(f"Password for {username} (again): ")
            except EOFError as exc:
                raise CommandError("No password given. Run it in a terminal, or use --generate.") from exc
            if password != again:
                self.stderr.write("The passwords do not match. Try again.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password
        raise CommandError("No acceptable password after 3 tries; nothing was changed for this account.")
