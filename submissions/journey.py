"""The response journey's progress, kept server-side in the session and keyed by call.

Each step keeps the form data exactly as posted (valid or not), so Back and Change links never lose
answers; a step counts as done only while its stored data still passes its form. Nothing here writes
to the database: submissions.services.submission_create does that, once, at the end.
"""

import uuid
from dataclasses import dataclass, field

from django.utils.datastructures import MultiValueDict

from .uploads import PendingFile

SESSION_KEY = "respond_journeys"
SUBMITTED_KEY = "respond_submitted"

ABOUT = "about"
ANSWERS = "answers"
FILES = "files"
PUBLICATION = "publication"

# Posted names that are not answers.
NOT_DATA = {"csrfmiddlewaretoken", "action"}


@dataclass
class JourneyData:
    """A whole journey, validated: what submission_create stores."""

    token: uuid.UUID
    respondent_type: str
    organisation_name: str = ""
    name: str = ""
    email: str = ""
    answers: dict = field(default_factory=dict)  # question pk -> text, or list of choices
    ideas: list = field(default_factory=list)  # [{"title": ..., "body": ...}]
    files: list = field(default_factory=list)  # [PendingFile]
    publication: str = ""
    consented: bool = False


class Journey:
    def __init__(self, session, call):
        self.session = session
        self.call = call
        self.key = str(call.pk)
        state = session.get(SESSION_KEY, {}).get(self.key)
        if state is None:
            state = {"token": str(uuid.uuid4()), "steps": {}, "files": [], "idea_slots": 1, "honeypot": False}
            self.state = state
            self.save()
        else:
            self.state = state

    @property
    def token(self):
        return uuid.UUID(self.state["token"])

    def save(self):
        journeys = dict(self.session.get(SESSION_KEY, {}))
        journeys[self.key] = self.state
        self.session[SESSION_KEY] = journeys

    def steps(self, has_questions):
        steps = [ABOUT]
        if has_questions or self.call.is_ideas:
            steps.append(ANSWERS)
        if self.call.accepts_attachments:
            steps.append(FILES)
        steps.append(PUBLICATION)
        return steps

    # Step data

    def data(self, step):
        """The step's data as last posted, as a MultiValueDict a form can be bound to; None if never posted."""
        stored = self.state["steps"].get(step)
        return None if stored is None else MultiValueDict(stored)

    def set_data(self, step, post):
        self.state["steps"][step] = {k: v for k, v in post.lists() if k not in NOT_DATA}
        self.save()

    def initial(self, step, form_class_fields):
        """Initial values for an unbound form, from the stored data: lists stay lists only for multi-valued fields."""
        stored = self.state["steps"].get(step) or {}
        initial = {}
        for name, values in stored.items():
            multiple = form_class_fields.get(name)
            initial[name] = values if multiple else (values[-1] if values else "")
        return initial

    # Ideas

    @property
    def idea_slots(self):
        return self.state.get("idea_slots", 1)

    @idea_slots.setter
    def idea_slots(self, value):
        self.state["idea_slots"] = max(1, value)
        self.save()

    def remove_idea(self, number):
        """Drop idea `number` from the stored answers and close the gap, so the later ideas move up."""
        stored = self.state["steps"].get(ANSWERS) or {}
        slots = self.idea_slots
        for i in range(number, slots):
            for part in ("title", "body"):
                stored[f"idea_{part}_{i}"] = stored.get(f"idea_{part}_{i + 1}", [""])
        for part in ("title", "body"):
            stored.pop(f"idea_{part}_{slots}", None)
        self.state["steps"][ANSWERS] = stored
        self.idea_slots = slots - 1

    # Files

    @property
    def files(self):
        return [PendingFile(**f) for f in self.state.get("files", [])]

    def add_file(self, pending):
        self.state["files"] = [*self.state.get("files", []), pending.as_dict()]
        self.save()

    def remove_file(self, file_id):
        """Forget the file; return it so its stored copy can be deleted, or None if it is not ours."""
        for f in self.files:
            if f.id == file_id:
                self.state["files"] = [d for d in self.state["files"] if d["id"] != file_id]
                self.save()
                return f
        return None

    # Spam

    @property
    def honeypot(self):
        return self.state.get("honeypot", False)

    def mark_honeypot(self):
        self.state["honeypot"] = True
        self.save()

    # The end

    def finish(self, reference):
        """Forget the journey (the next visit starts afresh) and remember the reference for the confirmation page."""
        journeys = dict(self.session.get(SESSION_KEY, {}))
        journeys.pop(self.key, None)
        self.session[SESSION_KEY] = journeys
        remember_reference(self.session, self.call, reference)

    def discard(self):
        journeys = dict(self.session.get(SESSION_KEY, {}))
        journeys.pop(self.key, None)
        self.session[SESSION_KEY] = journeys


def remember_reference(session, call, reference):
    submitted = dict(session.get(SUBMITTED_KEY, {}))
    submitted[str(call.pk)] = reference
    session[SUBMITTED_KEY] = submitted


def submitted_reference(session, call):
    return session.get(SUBMITTED_KEY, {}).get(str(call.pk))
