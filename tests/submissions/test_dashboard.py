import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from submissions.dashboard import bar_chart_svg, call_summaries
from submissions.models import Submission
from tests.factories import CallFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/submissions/submission/dashboard/"
NOW = datetime.datetime(2021, 6, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("viewer", "viewer@example.org", "a-long-password-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_submission"))
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def at(days_ago, hour=12):
    return NOW - datetime.timedelta(days=days_ago) + datetime.timedelta(hours=hour - 12)


def respond(call, *, days_ago, status=Submission.Status.PENDING, **kwargs):
    kwargs.setdefault("respondent_type", Submission.RespondentType.CARE_EXPERIENCED_ADULT)
    if status == Submission.Status.REJECTED:
        kwargs.setdefault("rejection_reason", "Off topic")
    return SubmissionFactory(call=call, status=status, submitted_at=at(days_ago), **kwargs)


def section(html, title):
    """The dashboard section of the call with this title."""
    (found,) = [part for part in html.split("<section")[1:] if f">{title}</h2>" in part]
    return found


def cell(html, label):
    """The number in the table row headed `label`."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th><td>([\d,]+)</td>', html)
    assert match, f"no row for {label}"
    return int(match.group(1).replace(",", ""))


def test_dashboard_is_linked_from_the_admin_index_for_staff_who_may_see_responses(staff_client):
    response = staff_client.get(reverse("admin:index"))
    assert f'href="{DASHBOARD}"' in response.content.decode()
    assert reverse("admin:submissions_submission_dashboard") == DASHBOARD


def test_the_dashboard_s_old_address_leads_to_it(staff_client):
    response = staff_client.get("/admin/submissions/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


def test_staff_without_permission_to_see_responses_are_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("editor", password="a-long-password-1", is_staff=True))
    assert client.get(DASHBOARD).status_code == 403
    assert DASHBOARD not in client.get(reverse("admin:index")).content.decode()


def test_visitors_who_are_not_signed_in_are_sent_to_the_admin_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@time_machine.travel(NOW, tick=False)
def test_dashboard_counts_responses_by_status_and_respondent_type(staff_client):
    call = CallFactory(title="Call for Advice", opens_at=NOW - datetime.timedelta(days=20))
    respond(call, days_ago=3)
    respond(call, days_ago=1)
    respond(call, days_ago=1, status=Submission.Status.APPROVED, respondent_type=Submission.RespondentType.CARER)
    respond(call, days_ago=0, status=Submission.Status.REJECTED, respondent_type=Submission.RespondentType.CARER)
    other = CallFactory(title="Call for Evidence", opens_at=NOW - datetime.timedelta(days=20))
    respond(other, days_ago=0, status=Submission.Status.SPAM)

    html = staff_client.get(DASHBOARD).content.decode()

    advice = section(html, "Call for Advice")
    assert cell(advice, "Pending") == 2
    assert cell(advice, "Approved") == 1
    assert cell(advice, "Rejected") == 1
    assert cell(advice, "Spam") == 0
    assert cell(advice, "Foster or kinship carer") == 2
    assert cell(advice, "Care-experienced adult") == 2
    assert "Responses: <strong>4</strong>" in advice
    evidence = section(html, "Call for Evidence")
    assert cell(evidence, "Spam") == 1
    assert "Waiting for moderation across all calls: <strong>2</strong>" in html


@time_machine.travel(NOW, tick=False)
def test_dashboard_shows_the_queue_and_how_long_the_oldest_response_has_waited(staff_client):
    call = CallFactory(opens_at=NOW - datetime.timedelta(days=20))
    respond(call, days_ago=3)
    respond(call, days_ago=1)
    respond(call, days_ago=5, status=Submission.Status.APPROVED)

    html = staff_client.get(DASHBOARD).content.decode()

    # timesince keeps "3 days" on one line with a non-breaking space.
    html = html.replace("\xa0", " ")
    assert "Waiting for moderation: <strong>2</strong>; the oldest has waited <strong>3 days</strong>" in html


@time_machine.travel(NOW, tick=False)
def test_dashboard_draws_responses_per_day_as_an_accessible_svg_with_a_table_fallback(staff_client):
    call = CallFactory(title="Call for Ideas", opens_at=NOW - datetime.timedelta(days=20))
    for _ in range(3):
        respond(call, days_ago=4)
    respond(call, days_ago=1)

    html = staff_client.get(DASHBOARD).content.decode()

    chart = section(html, "Call for Ideas")
    svg = chart[chart.index("<svg") : chart.index("</svg>")]
    assert 'role="img"' in svg
    assert f'aria-labelledby="call-{call.pk}-title call-{call.pk}-desc"' in svg
    assert "<title" in svg and "<desc" in svg
    # Four days from the first response to the last, the two quiet days drawn as empty bars.
    assert svg.count("<rect") == 4
    assert "6 June 2021: 3 responses" in svg
    assert "7 June 2021: 0 responses" in svg
    assert "style=" not in html[html.index('id="content-main"') :]
    assert "<script" not in html[html.index('id="content-main"') :]
    assert cell(html, "Sunday 6 June 2021") == 3
    assert cell(html, "Wednesday 9 June 2021") == 1


def test_responses_per_day_are_counted_by_the_day_in_london():
    call = CallFactory(opens_at=datetime.datetime(2021, 6, 1, tzinfo=datetime.UTC))
    # 23:30 UTC on 9 June is 00:30 on 10 June in London (summer time).
    SubmissionFactory(call=call, submitted_at=datetime.datetime(2021, 6, 9, 23, 30, tzinfo=datetime.UTC))
    (summary,) = call_summaries()
    assert summary.per_day == {datetime.date(2021, 6, 10): 1}


def test_chart_of_a_single_day_has_one_full_height_bar():
    svg = bar_chart_svg([(datetime.date(2021, 6, 1), 7)], chart_id="c", subject="A call")
    assert svg.count("<rect") == 1
    assert 'height="192.00"' in svg
    assert "The busiest day was 1 June 2021 with 7 responses." in svg


def test_dashboard_runs_the_same_number_of_queries_however_many_responses(staff_client):
    call = CallFactory(opens_at=timezone.now() - datetime.timedelta(days=40))
    SubmissionFactory(call=call)

    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(DASHBOARD).status_code == 200

    other = CallFactory(opens_at=timezone.now() - datetime.timedelta(days=40))
    for days_ago in range(30):
        SubmissionFactory(
            call=call if days_ago % 2 else other,
            submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
            respondent_type=Submission.RespondentType.RESEARCHER if days_ago % 3 else Submission.RespondentType.FAMILY,
        )
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get(DASHBOARD).status_code == 200

    assert len(many) == len(few)
