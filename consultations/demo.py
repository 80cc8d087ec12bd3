"""Demo calls: the review's Call for Advice, Call for Evidence and Call for Ideas, in our own words.

`load_demo_content` calls load(). By default the dates are moved so that today the Call for Ideas is
open and the two earlier calls have closed; with historical=True they are the real 2021 dates.
Dates come from today's date (never the exact time), so two runs on the same day give the same rows.
"""

import datetime
import zoneinfo

from django.utils import timezone

from .models import Call, Question, ReviewPhase
from .services import call_sync
from .templatetags.calls_tags import uk_datetime

LONDON = zoneinfo.ZoneInfo("Europe/London")
NINE_AM = datetime.time(9)
FIVE_PM = datetime.time(17)

# The real dates, 2021. Advice and Evidence ran about four and six weeks; Ideas six weeks to mid-December.
IDEAS_OPENED = datetime.date(2021, 11, 4)
# Without --historical the Call for Ideas opened this many days ago (and has about a month left).
IDEAS_OPEN_FOR_DAYS = 10

ADVICE = {
    "slug": "call-for-advice",
    "opens": datetime.date(2021, 1, 15),
    "closes": datetime.date(2021, 2, 12),
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
            "There are no right or wrong answers. Answer in your own words, as much or as little as you like. "
            "Only the first question must be answered."
        ),
        "accepts_attachments": False,
        "responses_may_be_published": True,
    },
    "questions": [
        {
            "prompt": "If you could change one thing about children's social care, what would it be, and why?",
            "hint": "It can be something big or something small.",
            "required": True,
            "answer_type": Question.AnswerType.LONG_TEXT,
            "word_limit": 500,
            "choices": "",
        },
        {
            "prompt": "What works well now and should be kept?",
            "hint": "",
            "required": False,
            "answer_type": Question.AnswerType.LONG_TEXT,
            "word_limit": 500,
            "choices": "",
        },
        {
            "prompt": "Who should the review make sure it listens to?",
            "hint": "For example, a group of people whose voices are often missed.",
            "required": False,
            "answer_type": Question.AnswerType.LONG_TEXT,
            "word_limit": 300,
            "choices": "",
        },
        {
            "prompt": "Is there anything else you want the reviewer to know?",
            "hint": "",
            "required": False,
            "answer_type": Question.AnswerType.LONG_TEXT,
            "word_limit": 500,
            "choices": "",
        },
    ],
    "outcome": (
        "About 930 people sent us their advice: children and young people, parents and other family members, "
        "carers, and people who work with children and families.\n\n"
        "Again and again people told us that relationships matter most, and that help too often comes late. "
        "Many said they had not felt listened to.\n\n"
        "Your advice decided what the review looked at first, and it shaped the Case for Change, which we "
        "published in June 2021."
    ),
}

EVIDENCE = {
    "slug": "call-for-evidence",
    "opens": datetime.date(2021, 3, 9),
    "closes": datetime.date(2021, 4, 20),
    "fields": {
        "kind": Call.Kind.EVIDENCE,
        "title": "Call for Evidence",
        "phase": ReviewPhase.DIAGNOSIS,
        "summary": "Point the review to research, data and evaluations that show how well children's social care "
        "gives children safety, stability and love.",
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
        {
            "prompt": "What does the evidence show about how well children are kept safe and given stable, "
            "loving relationships?",
            "hint": "Summarise the main findings and say where they come from.",
            "required": True,
            "answer_type": Question.AnswerType.LONG_TEXT,
            "word_limit": 1000,
            "choices": "",
        },
        {
            "prompt": "Which ways of working have good evidence that they improve children's lives?",
            "hint": "",
            "required": False,
            "answer_type": Question.AnswerType.LONG_TEXT,
            "word_limit": 1000,
            "choices": "",
        },
        {
            "prompt": "Where is the evidence weak or missing?",
            "hint": "",
            "required": False,
            "answer_type": Question.AnswerType.LONG_TEXT,
            "word_limit": 500,
            "choices": "",
        },
    ],
    "outcome": (
        "About 200 responses reached us, most of them from researchers, universities, charities and local "
        "authorities, many with reports and data attached.\n\n"
        "Together with the advice we had already received, they formed the evidence review behind the Case "
        "for Change, and showed us where too little is known, which helped us choose what to look at next."
    ),
}

IDEAS = {
    "slug": "call-for-ideas",
    "opens": IDEAS_OPENED,
    "closes": datetime.date(2021, 12, 15),
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
            "The review has spent this year finding out what is wrong. Now we want to know how to put it "
            "right.\n\n"
            "Finding problems is the easy part; finding answers that work is hard, and good ideas can come "
            "from anyone. This is the last open call before we write our recommendations, so big ideas and "
            "small ones are both welcome."
        ),
        "accepts_attachments": False,
        "idea_word_limit": 250,
        "max_ideas": 10,
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
        {
            "prompt": "Have you seen any of your ideas tried already? What happened?",
            "hint": "",
            "required": False,
            "answer_type": Question.AnswerType.LONG_TEXT,
            "word_limit": 250,
            "choices": "",
        },
    ],
    # Only shown once the call has closed, that is with --historical.
    "outcome": (
        "About 600 people sent us just under 1,000 ideas, from families, young people, people working in "
        "the system and organisations of every size.\n\n"
        "We read every one while writing the final report. We published the ideas with the name of the "
        "person who sent them, unless they asked to stay anonymous. We held back a small number that "
        "said too much about the person who sent them or about someone else."
    ),
}

DEMO_CALLS = [ADVICE, EVIDENCE, IDEAS]


def _at(day, time):
    """An aware datetime at this wall-clock time in London on this day (GMT or BST as the day requires)."""
    return datetime.datetime.combine(day, time, tzinfo=LONDON)


def demo_dates(today, historical=False):
    """{slug: (opens_at, closes_at)}: the 2021 dates, or moved so the Call for Ideas opened 10 days before today."""
    shift = datetime.timedelta(0)
    if not historical:
        shift = (today - datetime.timedelta(days=IDEAS_OPEN_FOR_DAYS)) - IDEAS_OPENED
    return {
        spec["slug"]: (_at(spec["opens"] + shift, NINE_AM), _at(spec["closes"] + shift, FIVE_PM)) for spec in DEMO_CALLS
    }


def load(stdout, historical=False):
    """Create or update the three demo calls and their questions. Safe to run again."""
    today = timezone.localdate()
    dates = demo_dates(today, historical=historical)
    for spec in DEMO_CALLS:
        opens_at, closes_at = dates[spec["slug"]]
        fields = {**spec["fields"], "opens_at": opens_at, "closes_at": closes_at}
        # An outcome only once the call has closed: an open call cannot say what we heard.
        fields["outcome"] = spec["outcome"] if closes_at <= timezone.now() else ""
        call, state = call_sync(slug=spec["slug"], fields=fields, questions=spec["questions"])
        when = "closed" if call.is_closed() else f"{call.status().label.lower()}, closes"
        stdout.write(f"{call.title}: {state} ({when} at {uk_datetime(closes_at)})\n")
