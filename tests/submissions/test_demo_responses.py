"""Demo responses: in every state, on every call that has opened, and the same rows however often loaded."""

import io
import re

import pytest
from django.utils import timezone

from submissions import demo
from submissions.models import Submission
from tests.factories import CallFactory

from .journey_helpers import make_advice_call, make_ideas_call

pytestmark = pytest.mark.django_db


def test_demo_responses_cover_every_state_and_load_idempotently():
    advice, ideas = make_advice_call(), make_ideas_call()
    upcoming = CallFactory(opens_at=timezone.now() + timezone.timedelta(days=3))
    demo.load(io.StringIO())
    count = Submission.objects.count()
    demo.load(io.StringIO())
    assert Submission.objects.count() == count
    for call in (advice, ideas):
        statuses = set(call.submissions.values_list("status", flat=True))
        assert statuses == {"pending", "approved", "rejected", "spam"}
        assert call.submissions.filter(status="rejected").exclude(rejection_reason="").exists()
        for submission in call.submissions.all():
            assert re.fullmatch(r"[A-Z]+-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", submission.reference)
            assert call.opens_at <= submission.submitted_at <= timezone.now()
    assert advice.submissions.filter(answers__isnull=False).exists()
    assert all(s.ideas.exists() for s in ideas.submissions.all())
    assert not upcoming.submissions.exists()
    assert not Submission.objects.receipt_pending().exists()


def test_demo_respects_a_call_that_does_not_publish_responses():
    call = make_advice_call(responses_may_be_published=False)
    demo.load(io.StringIO())
    assert set(call.submissions.values_list("publication", flat=True)) == {"do_not_publish"}
