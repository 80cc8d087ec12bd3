"""Shared by the hostile-input tests: what a visitor can store, and a good walk through the journey."""

from pages.models import Subscriber
from submissions.models import Answer, Attachment, Idea, Submission

SCRIPT = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert("
STORED_MODELS = [Submission, Answer, Idea, Attachment, Subscriber]


def private_files(path=""):
    """Every file in storages["private"] (the local folder, or this test's prefix in the bucket)."""
    from django.core.files.storage import storages

    try:
        folders, files = storages["private"].listdir(path)
    except FileNotFoundError:
        return []
    found = [f"{path}{name}" for name in files]
    for folder in folders:
        found += private_files(f"{path}{folder}/")
    return sorted(found)


def snapshot(settings):
    return {model.__name__: model.objects.count() for model in STORED_MODELS} | {"files": private_files()}


def step_url(call, step):
    return f"/calls/{call.slug}/respond/{step}/"


ABOUT_OK = {"respondent_type": "care_experienced_adult", "name": "Jo", "email": "jo@example.org"}


def answers_ok(site):
    q = site["questions"]
    return {
        "action": "continue",
        f"q_{q['long'].pk}": "More time with the same worker.",
        f"q_{q['short'].pk}": "Leeds",
        f"q_{q['one'].pk}": "18 to 25",
    }


def walk(client, site, until):
    """Complete the advice journey's steps before `until` with good answers."""
    call = site["advice"]
    steps = [
        ("about-you", ABOUT_OK),
        ("your-answers", answers_ok(site)),
        ("publishing", {"publication": "anonymous", "consent": "on"}),
    ]
    for step, data in steps:
        if step == until:
            return
        response = client.post(step_url(call, step), data)
        assert response.status_code == 302, (step, response.status_code)
