"""Factories and helpers for the analysis tests (the shared ones are in tests/factories.py)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from analysis.models import Coding, Theme, WhatWeHeard
from consultations.models import Call
from tests.factories import CallFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    description = "What belongs here."


class WhatWeHeardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WhatWeHeard

    call = factory.SubFactory(CallFactory)
    title = "What we heard"
    summary = "What children, families and workers told the review."
    body = "We read **every** response.\n\n## Themes\n\nStability came up again and again."
    published = True


def closed_ideas_call(**kwargs):
    """A Call for Ideas that closed yesterday."""
    now = timezone.now()
    defaults = {
        "kind": Call.Kind.IDEAS,
        "title": "Call for Ideas",
        "slug": "call-for-ideas",
        "opens_at": now - datetime.timedelta(days=60),
        "closes_at": now - datetime.timedelta(days=1),
    }
    return CallFactory(**{**defaults, **kwargs})


def code(theme, *, idea=None, answer=None, submission=None, coder=None):
    """One coding row, as the services would write it."""
    if idea is not None:
        return Coding.objects.create(theme=theme, kind="idea", idea=idea, submission=idea.submission, coder=coder)
    if answer is not None:
        return Coding.objects.create(
            theme=theme, kind="answer", answer=answer, submission=answer.submission, coder=coder
        )
    return Coding.objects.create(theme=theme, kind="response", submission=submission, coder=coder)


def analyst(username="analyst"):
    user = get_user_model().objects.create_user(username=username, password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Analysts"))
    return user
