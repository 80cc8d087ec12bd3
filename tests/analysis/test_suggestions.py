"""Suggested themes: planted topics come back together, the same data gives the same suggestions, too little data
is said plainly, the job runs through the outbox worker with progress, and staff accept, rename, merge or drop."""

import datetime
import io
import json
import os
import random
import subprocess
import sys

import pytest
import time_machine
from django.core.management import CommandError, call_command

from analysis import clustering
from analysis.clustering import Document, NotEnoughText, suggest_themes
from analysis.models import Coding, Suggestion, SuggestionRun, Theme
from analysis.services import suggestions as service
from outbox.models import EmailJob
from outbox.services import email_jobs_run
from tests.factories import IdeaFactory, QuestionFactory, SubmissionFactory

from .factories import ThemeFactory, analyst, closed_ideas_call


def _words(text):
    return text.split()


# Five topics, each with words of its own, and noise that shares none of them; every text also carries words
# common to all (the way every idea to a call repeats "children", "care", "should"), which must not matter.
TOPICS = {
    "housing": _words("housing flat tenancy rent landlord council accommodation homeless deposit bills"),
    "school": _words("school teacher exams classroom education tutor homework college exclusion grades"),
    "health": _words("mental health counselling therapy anxiety depression camhs waiting wellbeing trauma"),
    "workers": _words("social worker caseload turnover visits relationship trust changed consistent manager"),
    "family": _words("family siblings contact grandparents kinship relatives brother sister parents reunite"),
}
COMMON = _words("children care should would really better more young people system")
NOISE = _words("yes no maybe thanks hello okay fine sure great whatever")


def planted(per_topic=24, noise=10, seed=7):
    rng = random.Random(seed)
    documents, truth = [], {}
    for topic, words in TOPICS.items():
        for _ in range(per_topic):
            text = rng.choices(words, k=rng.randint(5, 10)) + rng.sample(COMMON, 5)
            rng.shuffle(text)
            documents.append(Document("idea", len(documents) + 1, " ".join(text)))
            truth[len(documents)] = topic
    for _ in range(noise):
        documents.append(Document("answer", len(documents) + 1, " ".join(rng.sample(NOISE, 3) + rng.sample(COMMON, 4))))
        truth[len(documents)] = "noise"
    return documents, truth


def purity(themes, truth):
    """For each planted topic: the share of its items in the theme that holds most of them, and that theme's share
    of its own members from the topic; the smaller of the two, worst topic first."""
    scores = {}
    for topic in TOPICS:
        size = sum(1 for label in truth.values() if label == topic)
        best = max(themes, key=lambda t: sum(truth[i] == topic for i in t.idea_ids + t.answer_ids))
        members = best.idea_ids + best.answer_ids
        together = sum(truth[i] == topic for i in members)
        scores[topic] = min(together / size, together / len(members))
    return scores


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_planted_topics_come_back_together_with_purity_of_at_least_0_8(seed):
    documents, truth = planted(seed=seed)

    themes = suggest_themes(documents, count=6, boilerplate=COMMON)

    scores = purity(themes, truth)
    assert min(scores.values()) >= 0.8, scores
    for topic, words in TOPICS.items():
        vocabulary = {part for word in words for part in word.split()}
        assert any(set(" ".join(theme.top_words).split()) <= vocabulary for theme in themes), topic
    words = {word for theme in themes for term in theme.top_words for word in term.split()}
    assert not words & set(COMMON), "the call's own words are left out"


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_without_a_count_the_data_chooses_between_5_and_30_and_still_keeps_topics_together(seed):
    documents, truth = planted(seed=seed)

    themes = suggest_themes(documents, boilerplate=COMMON)

    assert 5 <= len(themes) <= 30
    assert min(purity(themes, truth).values()) >= 0.8


def test_the_same_data_gives_the_same_suggestions():
    documents, _ = planted()

    first = [theme.as_json() for theme in suggest_themes(documents, boilerplate=COMMON)]
    again = [theme.as_json() for theme in suggest_themes(list(documents), boilerplate=COMMON)]

    assert first == again


@pytest.mark.parametrize("count", [0, 1, 3])
def test_too_few_items_are_said_plainly_not_failed_on(count):
    documents = [Document("idea", n, f"Idea number {n} about foster care") for n in range(count)]

    with pytest.raises(NotEnoughText, match=f"only {count} (idea or answer|ideas or answers)"):
        suggest_themes(documents)


def test_texts_that_share_no_words_are_said_plainly_too():
    documents = [
        Document("idea", n, word) for n, word in enumerate(_words("apple pear plum fig kiwi lime lemon date nut oat"))
    ]

    with pytest.raises(NotEnoughText, match="share too few words"):
        suggest_themes(documents)


# Against the database: the command, the job, and what staff do with suggestions


def planted_call():
    call = closed_ideas_call(idea_word_limit=100)
    QuestionFactory(call=call, prompt="What should change for children in care?")
    documents, truth = planted()
    ids = {}
    for document in documents:
        submission = SubmissionFactory(call=call)
        idea = IdeaFactory(submission=submission, position=1, title=document.text.split()[0], body=document.text)
        ids[idea.pk] = truth[document.id]
    return call, ids


@pytest.mark.django_db
def test_the_command_prints_only_json_of_themes_with_their_ideas_and_answers():
    call, _ = planted_call()
    out = io.StringIO()

    call_command("suggest_themes", call.slug, "--count", "6", "--json", stdout=out)

    data = json.loads(out.getvalue())
    assert set(data) == {"themes"} and len(data["themes"]) == 6
    for theme in data["themes"]:
        assert set(theme) == {"label", "top_words", "idea_ids", "answer_ids"}
        assert isinstance(theme["label"], str) and all(isinstance(word, str) for word in theme["top_words"])
        assert all(isinstance(pk, int) for pk in theme["idea_ids"]) and theme["answer_ids"] == []


@pytest.mark.django_db
def test_the_command_says_plainly_when_a_call_has_too_little_to_group():
    call = closed_ideas_call()
    IdeaFactory(submission=SubmissionFactory(call=call), position=1)
    out = io.StringIO()

    call_command("suggest_themes", call.slug, stdout=out)

    assert "only 1 idea or answer with text to group" in out.getvalue()
    with pytest.raises(CommandError, match="No call has the slug"):
        call_command("suggest_themes", "nope")


@pytest.mark.django_db
def test_a_run_asked_for_in_the_admin_is_done_by_the_job_worker_with_progress_and_its_suggestions_kept(client):
    call, truth = planted_call()
    client.force_login(analyst())
    path = f"/admin/analysis/theme/call/{call.pk}/suggestions/"

    response = client.post(path, {"action": "start", "count": "6"})
    assert response.status_code == 302
    run = SuggestionRun.objects.get()
    assert run.status == SuggestionRun.Status.QUEUED
    assert EmailJob.objects.get().kind == service.SUGGEST_THEMES
    assert "0% done" in client.get(path).content.decode()

    stages = []
    original = clustering._suggest

    def watching(*args):
        report = args[-1]
        args = (*args[:-1], lambda percent, stage: (stages.append(percent), report(percent, stage)))
        return original(*args)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(clustering, "_suggest", watching)
        assert email_jobs_run(worker="test") == 1

    run.refresh_from_db()
    assert run.status == SuggestionRun.Status.DONE and run.progress == 100
    assert stages == sorted(stages) and len(stages) >= 3
    assert run.suggestions.count() == 6
    assert EmailJob.objects.get().status == EmailJob.Status.DONE
    html = client.get(path).content.decode()
    assert "Suggested 6 themes from 130 ideas and answers" in html


@pytest.mark.django_db
def test_a_run_on_too_little_is_done_with_the_reason_not_failed():
    call = closed_ideas_call()
    run = service.suggestion_run_request(call=call, actor=None)

    email_jobs_run(worker="test")

    run.refresh_from_db()
    assert run.status == SuggestionRun.Status.DONE
    assert "only 0 ideas or answers" in run.message


@pytest.mark.django_db
def test_accepting_a_suggestion_adds_the_theme_and_codes_its_members_in_one_step(client):
    call, truth = planted_call()
    run = service.suggestion_run_request(call=call, actor=None, count=6)
    service.suggestion_run_execute(run=run)
    suggestion = max(run.suggestions.all(), key=lambda s: s.size)
    user = analyst()
    client.force_login(user)

    client.post(
        f"/admin/analysis/theme/call/{call.pk}/suggestions/",
        {"action": f"accept:{suggestion.pk}", f"label-{suggestion.pk}": "Where young people live"},
    )

    theme = Theme.objects.get(call=call, name="Where young people live")
    coded = set(Coding.objects.filter(theme=theme).values_list("idea_id", flat=True))
    assert coded == set(suggestion.idea_ids)
    assert set(Coding.objects.values_list("coder", flat=True)) == {user.pk}
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.ACCEPTED and suggestion.theme == theme


@pytest.mark.django_db
def test_accepting_under_an_existing_name_codes_into_that_theme():
    call, _ = planted_call()
    existing = ThemeFactory(call=call, name="Housing")
    run = service.suggestion_run_request(call=call, actor=None, count=6)
    service.suggestion_run_execute(run=run)
    suggestion = run.suggestions.first()

    theme, coded = service.suggestion_accept(suggestion=suggestion, actor=None, name="housing")

    assert theme == existing and coded == suggestion.size


@pytest.mark.django_db
def test_suggestions_are_renamed_merged_and_dropped(client):
    call, _ = planted_call()
    run = service.suggestion_run_request(call=call, actor=None, count=6)
    service.suggestion_run_execute(run=run)
    first, second, third = list(run.suggestions.all())[:3]
    client.force_login(analyst())
    path = f"/admin/analysis/theme/call/{call.pk}/suggestions/"

    client.post(path, {"action": f"rename:{first.pk}", f"label-{first.pk}": "Homes"})
    client.post(path, {"action": "merge", "merge": [first.pk, second.pk]})
    client.post(path, {"action": f"drop:{third.pk}"})

    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert first.label == "Homes" and first.state == Suggestion.State.OPEN
    assert set(first.idea_ids) >= set(second.idea_ids) and second.state == Suggestion.State.MERGED
    assert third.state == Suggestion.State.DROPPED
    response = client.post(path, {"action": f"drop:{third.pk}"}, follow=True)
    assert "has already been dropped" in response.content.decode()


@pytest.mark.django_db
def test_a_long_run_renews_its_job_lease_so_no_other_worker_takes_it_over(monkeypatch):
    from analysis import jobs
    from outbox.services import email_job_claim

    call, _ = planted_call()
    run = service.suggestion_run_request(call=call, actor=None, count=6)
    job = email_job_claim(worker="worker-a")
    leased_until = job.locked_until
    monkeypatch.setattr(jobs, "RENEW_EVERY", 0)

    with time_machine.travel(leased_until - datetime.timedelta(seconds=5), tick=False):
        jobs.suggestion_run_send(job=job)

    job.refresh_from_db()
    assert job.locked_until > leased_until, "renewed while clustering"
    run.refresh_from_db()
    assert run.status == SuggestionRun.Status.DONE


@pytest.mark.django_db
def test_a_run_that_breaks_is_marked_failed_for_staff_and_not_retried(monkeypatch):
    call, _ = planted_call()
    run = service.suggestion_run_request(call=call, actor=None)

    def broken(**kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(service, "themes_suggest", broken)
    email_jobs_run(worker="test")

    run.refresh_from_db()
    assert run.status == SuggestionRun.Status.FAILED and "out of memory" in run.message
    assert EmailJob.objects.get().status == EmailJob.Status.DONE


def test_web_workers_start_without_loading_scikit_learn():
    # Every gunicorn worker starts the site; only the suggestions job and command group anything (8 s and 130 MB
    # of imports on a busy machine, paid again each time a worker is recycled).
    code = "import sys, django; django.setup(); print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "review_site.settings.test"}
    started = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert started.stdout.strip() == "[]"
