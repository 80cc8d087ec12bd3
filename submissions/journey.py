"""The response journey's progress, kept server-side in the session and keyed by call.

Anyone can post anything to a step, and the session is written to the database and the cache on every change, so
what it holds is kept small and plain:
- a step is stored only once its form is valid, and then only the fields the form declares, as the form cleaned them
  (each within its limit). A refused answer is shown back from the POST itself, never stored, so the last valid
  answers stay: Back and Change never lose them;
- nothing is written until there is something to keep: a visit that only reads, or a first step refused, creates no
  session. The journey's token is made then too.
A step counts as done only while its stored data still passes its form. Nothing here writes to the database:
submissions.services.responses.submission_create does that, once, at the end.
"""

import uuid
from dataclasses import dataclass, field

from django import forms
from django.utils.datastructures import MultiValueDict

from .forms import HONEYPOT_FIELD
from .uploads import PendingFile

SESSION_KEY = "respond_journeys"
SUBMITTED_KEY = "respond_submitted"
# Journeys this session sent, remembered per call so that Submit pressed again shows their confirmation. The Submit
# rate limit keeps a session well under this; the oldest are forgotten first.
SENT_KEPT = 20

ABOUT = "about"
ANSWERS = "answers"
FILES = "files"
PUBLICATION = "publication"


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


def stored_values(form):
    """A valid form's declared fields as the form cleaned them, as lists of strings it can be bound to again.

    Cleaned, not as posted: a valid answer can still arrive with megabytes of spaces around it. Never the honeypot
    (only the fact that it was filled is kept) and never a file (those go to private storage).
    """
    values = {}
    for name, form_field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == HONEYPOT_FIELD or isinstance(form_field, forms.FileField):
            continue
        if isinstance(form_field, forms.MultipleChoiceField):
            values[name] = list(dict.fromkeys(value or []))  # each offered choice once, however often it was sent
        elif isinstance(form_field, forms.BooleanField):
            if value:
                values[name] = ["on"]
        elif value not in (None, ""):
            values[name] = [str(value)]
    return values


def without_idea(data, number, slots):
    """Form data (a dict or QueryDict of lists) with idea `number` taken out and the later ideas moved up."""
    data = {name: list(values) for name, values in data.lists()} if hasattr(data, "lists") else dict(data)
    for i in range(number, slots):
        for part in ("title", "body"):
            data[f"idea_{part}_{i}"] = data.get(f"idea_{part}_{i + 1}", [""])
    for part in ("title", "body"):
        data.pop(f"idea_{part}_{slots}", None)
    return MultiValueDict(data)


class Journey:
    def __init__(self, session, call):
        self.session = session
        self.call = call
        self.key = str(call.pk)
        # Read only: the journey enters the session when it first has something to keep (see _started).
        self.state = session.get(SESSION_KEY, {}).get(self.key)

    def _started(self):
        if self.state is None:
            self.state = {"token": str(uuid.uuid4()), "steps": {}, "files": [], "idea_slots": 1, "honeypot": False}
        return self.state

    def _get(self, name, default):
        return (self.state or {}).get(name, default)

    @property
    def token(self):
        """The journey's token, or None while it has nothing stored (nothing can be sent yet)."""
        return uuid.UUID(self.state["token"]) if self.state else None

    def save(self):
        journeys = dict(self.session.get(SESSION_KEY, {}))
        journeys[self.key] = self._started()
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
        """The step's data as last stored, as a MultiValueDict a form can be bound to; None if never stored."""
        stored = self._get("steps", {}).get(step)
        return None if stored is None else MultiValueDict(stored)

    def save_step(self, step, form):
        """Keep a valid form's answers (see stored_values); a form that is not valid is never kept."""
        if not form.is_valid():
            raise ValueError(f"Only a valid form is kept in the session, not {type(form).__name__} with errors")
        self._started()["steps"][step] = stored_values(form)
        self.save()

    def initial(self, step, form_class_fields):
        """Initial values for an unbound form, from the stored data: lists stay lists only for multi-valued fields."""
        stored = self._get("steps", {}).get(step) or {}
        initial = {}
        for name, values in stored.items():
            multiple = form_class_fields.get(name)
            initial[name] = values if multiple else (values[-1] if values else "")
        return initial

    # Ideas

    @property
    def idea_slots(self):
        return self._get("idea_slots", 1)

    @idea_slots.setter
    def idea_slots(self, value):
        self._started()["idea_slots"] = max(1, value)
        self.save()

    def remove_idea(self, number):
        """Drop idea `number` from the stored answers and close the gap, so the later ideas move up."""
        slots = self.idea_slots
        stored = self._get("steps", {}).get(ANSWERS)
        if stored is not None:
            self.state["steps"][ANSWERS] = dict(without_idea(stored, number, slots).lists())
        self.idea_slots = slots - 1

    # Files

    @property
    def files(self):
        return [PendingFile(**f) for f in self._get("files", [])]

    def add_file(self, pending):
        state = self._started()
        state["files"] = [*state.get("files", []), pending.as_dict()]
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
        return self._get("honeypot", False)

    def mark_honeypot(self):
        self._started()["honeypot"] = True
        self.save()

    # The end

    def finish(self, reference):
        """Forget the journey (the next visit starts afresh); remember it was sent from here, for the confirmation."""
        token = self.token
        self.discard()
        remember_sent(self.session, self.call, token, reference)

    def discard(self):
        if self.key in self.session.get(SESSION_KEY, {}):
            journeys = dict(self.session[SESSION_KEY])
            journeys.pop(self.key)
            self.session[SESSION_KEY] = journeys
        self.state = None


def pending_bytes(session):
    """The bytes of every file this session has uploaded and not yet sent, across all its journeys."""
    journeys = session.get(SESSION_KEY, {}).values()
    return sum(f.get("size", 0) for state in journeys for f in state.get("files", []))


def _sent(session, call):
    """[[token, reference], ...] of the journeys this session sent to the call, oldest first."""
    sent = session.get(SUBMITTED_KEY, {}).get(str(call.pk))
    if isinstance(sent, str):  # kept before tokens were: the reference alone, which no token can match
        return [["", sent]]
    return [list(pair) for pair in sent or []]


def remember_sent(session, call, token, reference):
    """Record that this session sent journey `token`; its reference becomes the one the confirmation shows."""
    sent = [pair for pair in _sent(session, call) if pair[0] != str(token)]
    sent.append([str(token), reference])
    submitted = dict(session.get(SUBMITTED_KEY, {}))
    submitted[str(call.pk)] = sent[-SENT_KEPT:]
    session[SUBMITTED_KEY] = submitted


def sent_here(session, call, token):
    """The reference of journey `token` if this session sent it, else None: another session's token shows nothing."""
    for sent_token, reference in _sent(session, call):
        if token is not None and sent_token == str(token):
            return reference
    return None


def submitted_reference(session, call):
    """The reference of the response this session sent to the call most recently, or None."""
    sent = _sent(session, call)
    return sent[-1][1] if sent else None
