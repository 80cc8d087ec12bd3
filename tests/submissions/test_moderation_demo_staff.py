import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("create_demo_staff", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def generated_passwords(output):
    return dict(re.findall(r"Password for (\S+): (\S+)", output))


def test_generate_creates_a_moderator_and_an_editor_in_their_groups_with_strong_passwords():
    passwords = generated_passwords(run("--generate"))

    User = get_user_model()
    moderator = User.objects.get(username="demo-moderator")
    editor = User.objects.get(username="demo-editor")
    assert list(moderator.groups.values_list("name", flat=True)) == ["Moderators"]
    assert list(editor.groups.values_list("name", flat=True)) == ["Content editors"]
    assert moderator.is_staff and not moderator.is_superuser
    assert moderator.check_password(passwords["demo-moderator"])
    assert editor.check_password(passwords["demo-editor"])
    assert passwords["demo-moderator"] != passwords["demo-editor"]
    assert len(passwords["demo-moderator"]) >= 20


def test_an_existing_password_is_kept_without_reset():
    first = generated_passwords(run("--generate"))

    output = run("--generate")

    assert "already exists" in output
    assert generated_passwords(output) == {}
    assert get_user_model().objects.get(username="demo-moderator").check_password(first["demo-moderator"])


def test_reset_sets_a_new_password():
    first = generated_passwords(run("--generate"))

    second = generated_passwords(run("--generate", "--reset"))

    moderator = get_user_model().objects.get(username="demo-moderator")
    assert second["demo-moderator"] != first["demo-moderator"]
    assert moderator.check_password(second["demo-moderator"])


def test_it_asks_for_a_password_and_refuses_a_weak_one(monkeypatch):
    answers = iter(["password", "password", "correct horse battery staple", "correct horse battery staple"] * 2)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    output = run()

    assert "Created demo-moderator" in output
    assert "Password for" not in output
    assert get_user_model().objects.get(username="demo-moderator").check_password("correct horse battery staple")


def test_without_a_terminal_or_generate_it_stops_and_creates_nothing(monkeypatch):
    def no_terminal(prompt=""):
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_terminal)

    with pytest.raises(CommandError, match="--generate"):
        run()
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()
