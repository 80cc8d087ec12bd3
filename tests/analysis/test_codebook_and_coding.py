"""The codebook (one level of sub-themes, names unique per call, colours from an accessible palette) and coding
(one row per item and theme, who and when; bulk apply and remove)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from analysis import palette
from analysis.models import Coding, Theme
from analysis.services.codebook import theme_create, theme_merge
from analysis.services.coding import coding_apply, coding_remove
from tests.factories import AnswerFactory, IdeaFactory, SubmissionFactory

from .factories import ThemeFactory, analyst, closed_ideas_call, code

pytestmark = pytest.mark.django_db


def test_every_palette_colour_reads_at_4_5_to_1_against_white_and_the_database_takes_no_other():
    assert all(palette.contrast_with_white(value) >= 4.5 for _, _, value in palette.PALETTE)
    theme = ThemeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.filter(pk=theme.pk).update(colour="yellow")


def test_theme_names_are_unique_in_a_call_whatever_their_case_but_may_repeat_across_calls():
    theme = ThemeFactory(name="Stability")
    ThemeFactory(name="Stability")  # another call

    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(call=theme.call, name="STABILITY")
    with pytest.raises(ValidationError, match="already has a theme"):
        theme_create(call=theme.call, name="stability", actor=None)


def test_sub_themes_go_one_level_deep_only():
    top = ThemeFactory(name="Stability")
    sub = theme_create(call=top.call, name="Same social worker", actor=None, parent=top)
    assert sub.colour == top.colour, "a sub-theme takes its parent's colour unless told otherwise"

    with pytest.raises(ValidationError, match="themes go one level deep only"):
        theme_create(call=top.call, name="Deeper", actor=None, parent=sub)
    top.parent = ThemeFactory(call=top.call)
    with pytest.raises(ValidationError, match="has sub-themes of its own"):
        top.full_clean()


def test_a_parent_from_another_call_is_refused():
    with pytest.raises(ValidationError, match="same call"):
        theme_create(call=ThemeFactory().call, name="Elsewhere", actor=None, parent=ThemeFactory())


def test_the_database_keeps_one_coding_per_item_and_theme_and_each_coding_names_its_item():
    idea = IdeaFactory()
    theme = ThemeFactory(call=idea.submission.call)
    code(theme, idea=idea)

    with pytest.raises(IntegrityError), transaction.atomic():
        code(theme, idea=idea)
    with pytest.raises(IntegrityError), transaction.atomic():
        Coding.objects.create(theme=theme, kind="idea", submission=idea.submission)  # an idea coding with no idea
    code(theme, submission=idea.submission)  # the whole response is another item
    with pytest.raises(IntegrityError), transaction.atomic():
        code(theme, submission=idea.submission)


def test_applying_again_keeps_the_first_coder_and_time_and_counts_only_new_items():
    call = closed_ideas_call()
    ideas = [IdeaFactory(submission=SubmissionFactory(call=call), position=1) for _ in range(3)]
    theme = ThemeFactory(call=call)
    first, second = analyst("first"), analyst("second")
    items = [(idea.pk, idea.submission_id) for idea in ideas]

    with time_machine.travel(datetime.datetime(2021, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        assert coding_apply(theme=theme, kind="idea", items=items[:2], coder=first) == 2
    assert coding_apply(theme=theme, kind="idea", items=items, coder=second) == 1

    codings = {coding.idea_id: coding for coding in Coding.objects.all()}
    assert codings[ideas[0].pk].coder == first
    assert codings[ideas[0].pk].created_at == datetime.datetime(2021, 6, 1, 9, tzinfo=datetime.UTC)
    assert codings[ideas[2].pk].coder == second
    assert coding_remove(theme=theme, kind="idea", item_ids=[ideas[0].pk]) == 1
    assert set(codings) - {ideas[0].pk} == set(Coding.objects.values_list("idea_id", flat=True))


def test_merging_themes_moves_their_items_once_and_their_sub_themes():
    call = closed_ideas_call()
    idea, other = IdeaFactory(submission__call=call), IdeaFactory(submission__call=call)
    keep, fold = ThemeFactory(call=call, name="Keep"), ThemeFactory(call=call, name="Fold")
    child = ThemeFactory(call=call, name="Child", parent=fold)
    code(keep, idea=idea)
    code(fold, idea=idea)
    code(fold, idea=other)

    assert theme_merge(source=fold, target=keep) == 1

    assert not Theme.objects.filter(pk=fold.pk).exists()
    assert sorted(Coding.objects.filter(theme=keep).values_list("idea_id", flat=True)) == sorted([idea.pk, other.pk])
    child.refresh_from_db()
    assert child.parent == keep


def test_answers_and_whole_responses_are_coded_like_ideas():
    answer = AnswerFactory(text="More time with the same worker.")
    theme = ThemeFactory(call=answer.submission.call)

    coding_apply(theme=theme, kind="answer", items=[(answer.pk, answer.submission_id)], coder=None)
    coding_apply(theme=theme, kind="response", items=[(answer.submission_id, answer.submission_id)], coder=None)

    assert sorted(Coding.objects.values_list("kind", flat=True)) == ["answer", "response"]
    assert set(Coding.objects.values_list("submission_id", flat=True)) == {answer.submission_id}
