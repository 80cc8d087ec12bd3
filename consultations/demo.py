"""Demo calls: the review's Call for Advice, Call for Evidence and Call for Ideas, in our own words, and the Story
that dates everything the demo shows.

`load_demo_content` shows the review as it was on one day. By default that is ten days into the Call for Ideas,
moved to today: every date of the review (calls, posts, pages) moves by the same number of days, so the Call for
Ideas is open, the earlier calls closed in the weeks before, and nothing after that day exists yet. With
--archived it is the site after the review ended: the real dates, 2021 to 2023, and everything published.
Dates come from today's date (never the exact time), so two runs on the same day give the same rows.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from .models import Call, Question, ReviewPhase
from .services import call_sync
from .templatetags.calls_tags import format_uk_date, uk_datetime

LONDON = zoneinfo.ZoneInfo("Europe/London")
NINE_AM = datetime.time(9)
FIVE_PM = datetime.time(17)

# The review's real dates.
ADVICE_OPENS = datetime.date(2021, 1, 15)
BOARD_APPLICATIONS_CLOSE = datetime.date(2021, 2, 5)
ADVICE_CLOSES = datetime.date(2021, 2, 12)
EVIDENCE_OPENS = datetime.date(2021, 3, 9)
EVIDENCE_CLOSES = datetime.date(2021, 4, 20)
CASE_FOR_CHANGE = datetime.date(2021, 6, 17)
IDEAS_OPENS = datetime.date(2021, 11, 4)
IDEAS_CLOSES = datetime.date(2021, 12, 15)
FINAL_REPORT = datetime.date(2022, 5, 23)
GOVERNMENT_RESPONSE = datetime.date(2023, 2, 2)
SITE_CLOSES = datetime.date(2023, 3, 10)
# By default the demo shows the day the Call for Ideas had been open this many days (about a month left).
IDEAS_OPEN_FOR_DAYS = 10


@dataclass(frozen=True)
class Story:
    """The day the demo shows, and how far the review's real dates move to put that day on today.

    `day` is a real date of the review (14 November 2021 by default; today when archived): what happened
    after it does not exist yet. Every real date shows as date(real).
    """

    archived: bool
    day: datetime.date
    shift: datetime.timedelta

    @classmethod
    def on(cls, today, *, archived=False):
        if archived:
            return cls(archived=True, day=today, shift=datetime.timedelta(0))
        day = IDEAS_OPENS + datetime.timedelta(days=IDEAS_OPEN_FOR_DAYS)
        return cls(archived=False, day=day, shift=today - day)

    def has_happened(self, real_date):
        return real_date <= self.day

    def date(self, real_date):
        return real_date + self.shift

    def at(self, real_date, time=NINE_AM):
        """An aware datetime at this wall-clock time in London on the (moved) day: GMT or BST as the day requires."""
        return datetime.datetime.combine(self.date(real_date), time, tzinfo=LONDON)

    def day_text(self, real_date):
        """ "15 December 2021" (or the moved day)."""
        return format_uk_date(self.date(real_date))

    def month_text(self, real_date):
        """ "December 2021" (or the moved month)."""
        return f"{self.date(real_date):%B %Y}"

    def moment_text(self, real_date, time):
        """ "5pm on 15 December 2021" (or the moved day)."""
        return uk_datetime(self.at(real_date, time))


IDEA_WORD_LIMIT = 250
MAX_IDEAS = 10


def advice(s):
    return {
        "slug": "call-for-advice",
        "opens": ADVICE_OPENS,
        "closes": ADVICE_CLOSES,
        "fields": {
            "kind": Call.Kind.ADVICE,
            "title": "Call for Advice",
            "phase": ReviewPhase.DIAGNOSIS,
            "summary": "Tell the reviewer what the review should look at first, and what would make the biggest "
            "difference to children and families.",
            "audience": (
                "Everyone with something to say about children's social care, and most of all:\n\n"
                "- children and young people who have had a social worker, or who live or have lived in care\n"
                "- parents, families and carers, including kinship carers and foster carers\n"
                "- people who work with children and families, such as social workers, teachers, "
                "health visitors and youth workers"
            ),
            "body": (
                "The review has just started. Before it decides where to look, the lead reviewer wants your "
                "advice: what is going wrong, what is going right, and what should change.\n\n"
                "There are no right or wrong answers. Answer in your own words, as much or as little as you "
                "like. Only the first question must be answered."
            ),
            "accepts_attachments": False,
            "responses_may_be_published": True,
        },
        "questions": [
            _long(
                "If you could change one thing about children's social care, what would it be, and why?",
                500,
                hint="It can be something big or something small.",
                required=True,
            ),
            _long("What works well now and should be kept?", 500),
            _long(
                "Who should the review make sure it listens to?",
                300,
                hint="For example, a group of people whose voices are often missed.",
            ),
            _long("Is there anything else you want the reviewer to know?", 500),
        ],  # fmt: skip
        "outcome": (
            "About 930 people sent us their advice: children and young people, parents and other family "
            "members, carers, and people who work with children and families.\n\n"
            "Again and again people told us that relationships matter most, and that help too often comes late. "
            "Many said they had not felt listened to.\n\n"
            "Your advice decided what the review looked at first, and it shaped the Case for Change, which we "
            f"published in {s.month_text(CASE_FOR_CHANGE)}."
        ),
    }


def evidence(s):
    return {
        "slug": "call-for-evidence",
        "opens": EVIDENCE_OPENS,
        "closes": EVIDENCE_CLOSES,
        "fields": {
            "kind": Call.Kind.EVIDENCE,
            "title": "Call for Evidence",
            "phase": ReviewPhase.DIAGNOSIS,
            "summary": "Point the review to research, data and evaluations that show how well children's social "
            "care gives children safety, stability and love.",
            "audience": (
                "This call is mainly for people who produce or hold evidence:\n\n"
                "- researchers and universities\n"
                "- charities, think tanks and professional bodies\n"
                "- local authorities and other organisations that have evaluated their own work\n\n"
                "Anyone else is welcome to answer too. If you would rather tell us about your own experience, "
                "the Call for Advice is the better place."
            ),
            "body": (
                "The review begins with a look at what is already known. We are asking for research and "
                "analysis that helps answer one big question: how well does the system now give children the "
                "love, stability and safety they need?\n\n"
                "Tell us where the evidence is strong, where it is weak and where it is missing. You can attach "
                "reports, papers and data."
            ),
            "accepts_attachments": True,
            "responses_may_be_published": True,
        },
        "questions": [
            {
                "prompt": "What kind of evidence are you sending?",
                "hint": "",
                "required": True,
                "answer_type": Question.AnswerType.ONE_CHOICE,
                "word_limit": None,
                "choices": "Published research\nAn evaluation of a service or programme\nData or statistics\n"
                "Something else",
            },
            _long(
                "What does the evidence show about how well children are kept safe and given stable, loving "
                "relationships?",
                1000,
                hint="Summarise the main findings and say where they come from.",
                required=True,
            ),
            _long("Which ways of working have good evidence that they improve children's lives?", 1000),
            _long("Where is the evidence weak or missing?", 500),
        ],  # fmt: skip
        "outcome": (
            "About 200 responses reached us, most of them from researchers, universities, charities and local "
            "authorities, many with reports and data attached.\n\n"
            "Together with the advice we had already received, they formed the evidence review behind the Case "
            "for Change, and showed us where too little is known, which helped us choose what to look at next."
        ),
    }


def ideas(s):
    return {
        "slug": "call-for-ideas",
        "opens": IDEAS_OPENS,
        "closes": IDEAS_CLOSES,
        "fields": {
            "kind": Call.Kind.IDEAS,
            "title": "Call for Ideas",
            "phase": ReviewPhase.DEVELOPMENT,
            "summary": "Share your ideas for changing children's social care, from a small fix that could help "
            "next month to a big change that could take years.",
            "audience": (
                "Everyone. We want ideas from:\n\n"
                "- children and young people, and adults who grew up in care\n"
                "- parents, families and carers\n"
                "- social workers and everyone else who works with children and families\n"
                "- charities and organisations that have been thinking about solutions"
            ),
            "body": (
                "The review has spent most of a year finding out what is wrong. Now we want to know how to put "
                "it right.\n\n"
                "Finding problems is the easy part; finding answers that work is hard, and good ideas can come "
                "from anyone. This is the last open call before we write our recommendations, so big ideas and "
                "small ones are both welcome."
            ),
            "accepts_attachments": False,
            "idea_word_limit": IDEA_WORD_LIMIT,
            "max_ideas": MAX_IDEAS,
            "responses_may_be_published": True,
        },
        "questions": [
            {
                "prompt": "Which parts of children's social care are your ideas about?",
                "hint": "Select all that apply.",
                "required": False,
                "answer_type": Question.AnswerType.MANY_CHOICES,
                "word_limit": None,
                "choices": "Help for families before things reach a crisis\nKeeping children safe\n"
                "Children in care and care leavers\nFamily and friends who care for children\n"
                "Social workers and other staff\nSomething else",
            },
            _long("Have you seen any of your ideas tried already? What happened?", 250),
        ],
        # Shown only once the call has closed.
        "outcome": (
            "About 600 people sent us just under 1,000 ideas, from families, young people, people working in "
            "the system and organisations of every size.\n\n"
            "We read every one while writing the final report. We published the ideas with the name of the "
            "person who sent them, unless they asked to stay anonymous. We held back a small number that "
            "said too much about the person who sent them or about someone else."
        ),
    }


def _long(prompt, word_limit, *, hint="", required=False):
    return {
        "prompt": prompt,
        "hint": hint,
        "required": required,
        "answer_type": Question.AnswerType.LONG_TEXT,
        "word_limit": word_limit,
        "choices": "",
    }


def demo_calls(story):
    return [advice(story), evidence(story), ideas(story)]


def demo_dates(story):
    """{slug: (opens_at, closes_at)}: each call opens at 9am and closes at 5pm, London time, on its (moved) days."""
    return {
        spec["slug"]: (story.at(spec["opens"], NINE_AM), story.at(spec["closes"], FIVE_PM))
        for spec in demo_calls(story)
    }


def load(stdout, story):
    """Create or update the three demo calls and their questions to match the story's day. Safe to run again."""
    dates = demo_dates(story)
    for spec in demo_calls(story):
        opens_at, closes_at = dates[spec["slug"]]
        fields = {**spec["fields"], "opens_at": opens_at, "closes_at": closes_at}
        # An outcome only once the call has closed: an open call cannot say what we heard.
        fields["outcome"] = spec["outcome"] if closes_at <= timezone.now() else ""
        call, state = call_sync(slug=spec["slug"], fields=fields, questions=spec["questions"])
        # Last changed when it opened, or when it closed and said what we heard; not the moment the demo ran.
        as_of = closes_at if fields["outcome"] else opens_at
        if Call.objects.filter(pk=call.pk).exclude(updated_at=as_of).update(updated_at=as_of) and state == "unchanged":
            state = "updated"
        when = "closed" if call.is_closed() else f"{call.status().label.lower()}, closes"
        stdout.write(f"{call.title}: {state} ({when} at {uk_datetime(closes_at)})\n")
