"""Demo content for the public pages: FAQs, news and blogs, content pages and the closure notice.

Written in our own words from the facts of the original site. `load_demo_content` calls load(); running it
twice changes nothing (rows are matched on their slug and saved only when a field differs).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone

from core.models import ClosureNotice

from .models import FAQ, Page, Post

LONDON = zoneinfo.ZoneInfo("Europe/London")
ARCHIVE_URL = "https://webarchive.nationalarchives.gov.uk/ukgwa/*/https://childrenssocialcare.independent-review.uk/"
CLOSURE_DAYS = 60

LEAD_REVIEWER = ("Josh MacAlister", "Lead reviewer")
HEAD_OF_TEAM = ("Shazia Hussain", "Head of the review team")
REVIEW_TEAM = ("The review team", "")


def _london(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


def upsert(model, slug, fields):
    """Create the row, or update only the fields that differ, so an unchanged row keeps its updated_at.

    (QuerySet.update_or_create() would save every time and so move updated_at on each run.)
    """
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        model.objects.create(slug=slug, **fields)
        return "created"
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(obj, name, fields[name])
    obj.save(update_fields=[*changed, "updated_at"])
    return "updated"


FAQS = [
    (
        "what-the-review-looks-at",
        "What does the review look at?",
        "All of it: the help, safeguarding, protection and care that children's social care gives, and the way "
        "a child comes into that system and leaves it again. That includes the early help some families get "
        "before a social worker is involved.\n\n"
        "So the review covers every step a child might take, from a first referral, through being a child in "
        "need or on a child protection plan, to being looked after by a local authority.\n\n"
        "The lead reviewer's first thoughts on where to focus were shaped by the answers to the Call for Advice. "
        "You can read the scope in full in the [terms of reference](/terms-of-reference/).",
    ),
    (
        "who-supports-the-reviewer",
        "Who helps the lead reviewer?",
        "A small team supports him. Most of its members are civil servants with different backgrounds and "
        "skills, but the team works independently of government.\n\n"
        "He is also advised by an Experts by Experience Board of people who know children's social care "
        "from the inside, and by two expert groups on evidence and on design.",
    ),
    (
        "why-an-experts-by-experience-board",
        "Why is there an Experts by Experience Board?",
        "Because the people who have lived it know best how to reach others like them. The board advises "
        "the review on how to hear from children, young people, adults and families with experience of "
        "care, and it checks the review's findings and ideas as they take shape.\n\n"
        "Setting up the board was the first thing the review did, on purpose, so that it could help plan "
        "everything that came after.",
    ),
    (
        "how-the-board-was-chosen",
        "How were board members chosen?",
        "More than a thousand people applied. Every application was read against the criteria published "
        "when applications opened, after they closed on 5 February 2021.\n\n"
        "The panel did not see applicants' names, where they lived, their ethnicity or any disability. "
        "It did know whether someone had been in care or had a social worker themselves, or was a parent, "
        "foster carer or kinship carer, so that the board would mix recent and older experience with "
        "the experience of families.\n\n"
        "Many strong applicants could not be offered a place. There have been plenty of other ways to take "
        "part since: see [Get involved](/get-involved/).",
    ),
    (
        "who-selected-board-members",
        "Who made the choice?",
        "The lead reviewer, Josh MacAlister, appointed the board. Shazia Hussain, who leads the review team, "
        "and Jenny Molloy, an author with her own experience of care, helped him read the applications. "
        "Duncan Dunlop, who used to run Who Cares? Scotland, joined the interview panel.",
    ),
    (
        "hearing-from-people-with-lived-experience",
        "How does the review hear from people who have lived experience of social care?",
        "Their voices come first. The Experts by Experience Board helped plan how to hear from them: "
        "workshops and events run by the review and by groups people already trust, surveys, one-to-one "
        "conversations and the review's open calls, which anyone could answer.",
    ),
    (
        "hearing-from-people-who-support-children",
        "How does the review hear from people who work with children?",
        "Through a planned programme of conversations with social workers, carers, teachers, health "
        "workers, the police, charities and others. Membership bodies and networks helped by hosting "
        "sessions. If your organisation wanted to host one, the review team asked you to get in touch by "
        "email.",
    ),
    (
        "call-for-advice-responses",
        "What happens to answers to the Call for Advice?",
        "The review team reads every answer. The advice shaped the review's first plans, and the call "
        "stayed open for a while so that more people could still send theirs. News posts in the spring of "
        "2021 explained what people told us and what we changed because of it.",
    ),
    (
        "who-the-call-for-evidence-is-for",
        "Who is the Call for Evidence for?",
        "Anyone can answer it, but it is meant most of all for researchers and for people who run services "
        "and have measured how well they work.",
    ),
    (
        "evidence-and-design-groups",
        "How were the evidence group and the design group put together?",
        "The lead reviewer invited their members directly, to bring a wide mix of views and knowledge and "
        "to test the review's thinking. Unlike the Experts by Experience Board, these places were not "
        "advertised, because each needed a particular kind of expertise that only a few people have, "
        "such as a family court judge or an academic in a specific field.\n\n"
        "Some members of the Experts by Experience Board sit on both groups, so the board keeps sight of "
        "all the review's work.",
    ),
    (
        "what-works-centre-role",
        "What does What Works for Children's Social Care do for the review?",
        "It is the review's evidence partner. The centre, an independent charity, writes and commissions "
        "summaries of existing research, quick reviews and new analysis for the review. Its wider aim is "
        "to help practitioners and decision makers use good evidence, so that children and families get "
        "better help.",
    ),
    (
        "why-partner-with-what-works",
        "Why work with What Works for Children's Social Care?",
        "The review wants its recommendations to rest on evidence of what actually helps. As the what works "
        "centre for this field, the charity is well placed to provide that evidence and to bring in other "
        "what works centres where they can help.",
    ),
]

POSTS = [
    {
        "slug": "what-the-call-for-advice-told-us",
        "title": "What the Call for Advice told us",
        "kind": Post.Kind.NEWS,
        "published_at": _london(2021, 4, 20),
        "author": REVIEW_TEAM,
        "summary": "About 930 people answered the Call for Advice. Here is what they said first, and how it is "
        "changing the review's plans.",
        "body": "In January 2021, as the review began, the lead reviewer asked for advice on what the review "
        "should look at and how it should work. About 930 people answered.\n\n"
        "## Who answered\n\n"
        "Answers came from three main groups:\n\n"
        "- families, including parents, foster carers and kinship carers\n"
        "- children and young people, and adults who were in care when they were young\n"
        "- people who work in and around children's social care\n\n"
        "## What we heard first\n\n"
        "Many people asked the review to look at the whole journey a family takes, not only the moment a "
        "child goes into care. Many asked us to listen to children and families directly, not only to "
        "organisations speaking for them. And many told us that the help they got depended too much on "
        "where they lived.\n\n"
        "## What changes\n\n"
        "We are giving more time to early help for families, and the Experts by Experience Board is "
        "planning how we hear from people who have not spoken to a review before. We will say more about "
        "the themes in the Case for Change this summer.",
    },
    {
        "slug": "summer-plans-for-listening",
        "title": "Our plans for listening this summer",
        "kind": Post.Kind.BLOG,
        "published_at": _london(2021, 6, 24),
        "author": HEAD_OF_TEAM,
        "summary": "Now the Case for Change is out, the head of the review team explains how we will hear "
        "your views on it over the summer.",
        "body": "Last week we published the Case for Change: our account of what is going wrong in "
        "children's social care. We hope it starts an honest conversation about how every child can grow up "
        "safe, stable and loved.\n\n"
        "## Who we are\n\n"
        "I lead the team that supports the lead reviewer. We are civil servants, but we work apart from the "
        "department so that the advice we give him is objective.\n\n"
        "## What happens next\n\n"
        "Publishing early means people can tell us where we are right and where we are wrong, and that "
        "has already started. Next we move from problems towards solutions, and that still means listening, "
        "most of all to people with lived experience.\n\n"
        "This summer you can expect:\n\n"
        "- open events for people with lived experience, some run by people with lived experience themselves\n"
        "- sessions hosted by charities and local groups people already know and trust, which helps us reach "
        "people who are rarely heard\n"
        "- online surveys, and conversations one to one, for anyone who would rather not join a group\n"
        "- sessions for social workers and other staff, run with councils and trade unions, and polls run "
        "with What Works for Children's Social Care\n\n"
        "Later in the summer we will start looking closely at a few local areas, to understand what the "
        "whole experience of social care is like for families there.\n\n"
        "You can register your interest on the [Get involved](/get-involved/) page. We hope to hear from you.",
    },
    {
        "slug": "call-for-ideas-is-open",
        "title": "The Call for Ideas is open: tell us what would work",
        "kind": Post.Kind.BLOG,
        "published_at": _london(2021, 11, 4),
        "author": LEAD_REVIEWER,
        "summary": "We have spent a year understanding the problems. Now we want your solutions, big or small, "
        "until 15 December.",
        "body": "From the start I have wanted this review to be shaped by the people it is about.\n\n"
        "## Where we have got to\n\n"
        "The review has four phases. In the first, **Diagnosis**, the Call for Advice in January and the Call "
        "for Evidence in March, along with many conversations with people who know social care from the "
        "inside, led to the Case for Change in June.\n\n"
        "In the second, **Discovery**, you told us what the Case for Change got wrong or left out. More than "
        "2,000 people took part in events, workshops and focus groups, many of them run by charities and "
        "groups, and we looked in depth at ten local areas.\n\n"
        "## Now we need ideas\n\n"
        "We are now in the third phase, **Development**. Naming problems is the easy part; finding answers "
        "that will work is much harder, whoever you are.\n\n"
        "So today we open the Call for Ideas. Send us any idea that would make things better for children "
        "and families, from a change to the whole system to a small fix that could help next month. Each "
        "idea can be up to 250 words, and you can send as many as you like.\n\n"
        "The call closes at 5pm on 15 December 2021. It is the last open call of the review: in the final "
        "phase, **Delivery**, we will be quieter while we write the final report.",
    },
    {
        "slug": "thank-you-for-your-ideas",
        "title": "Thank you for your ideas",
        "kind": Post.Kind.NEWS,
        "published_at": _london(2021, 12, 21),
        "author": REVIEW_TEAM,
        "summary": "The Call for Ideas has closed. About 600 people sent us almost 1,000 ideas.",
        "body": "The Call for Ideas closed at 5pm on 15 December. Thank you to everyone who took the time to "
        "send an idea.\n\n"
        "About 600 people sent us just under 1,000 ideas. They came from young people and parents, from "
        "foster and kinship carers, from social workers and from organisations large and small.\n\n"
        "## What happens to your ideas\n\n"
        "The review team is reading every one, and they will feed into the recommendations in the final "
        "report. We plan to publish ideas with the name of the person who sent them, unless they asked to "
        "stay anonymous. Every idea is checked first, and we will not publish any that would reveal "
        "private details about the sender or about someone else.",
    },
    {
        "slug": "final-report-published",
        "title": "The final report is published",
        "kind": Post.Kind.NEWS,
        "published_at": _london(2022, 5, 23),
        "author": REVIEW_TEAM,
        "summary": "The review's final report and its recommendations to the government are out today.",
        "body": "Today the review published its final report. It sets out what needs to change in children's "
        "social care in England and how to get there.\n\n"
        "The report draws on everything people shared with us: the three open calls, the feedback on the "
        "Case for Change, hundreds of meetings and the work of the Experts by Experience Board.\n\n"
        "An accessible version of the report was published at the same time.",
    },
    {
        "slug": "government-response",
        "title": "The government has responded to the review",
        "kind": Post.Kind.NEWS,
        "published_at": _london(2023, 2, 2),
        "author": REVIEW_TEAM,
        "summary": "The government has published its plan for children's social care in answer to the review.",
        "body": "Stable Homes, Built on Love came out on 2 February 2023. It is the government's strategy for "
        "children's social care, and it asks for views on the plans in it.\n\n"
        "It answers this review's recommendations. It also answers the national review into the murders of "
        "Arthur Labinjo-Hughes and Star Hobson, and the Competition and Markets Authority's study of "
        "children's social care placements.\n\n"
        "The review's work is now done, and this website will close. A copy will be kept by the National "
        "Archives.",
    },
]


def page_data(contact_email):
    return [
        {
            "slug": "about",
            "title": "About the review",
            "nav_location": Page.NavLocation.HEADER,
            "nav_label": "About",
            "nav_order": 1,
            "summary": "What the Independent Review of Children's Social Care was, who led it and what it produced.",
            "body": "The Independent Review of Children's Social Care looked at how children and families who "
            "need help from social care are supported in England, and how that help could be better.\n\n"
            "The government had promised such a review in its manifesto. The review began in early 2021 and "
            "from the first day it put the voices of children, young people and adults with experience of "
            "social care or of being looked after at its centre.\n\n"
            "## Who led it\n\n"
            "Josh MacAlister led the review independently. He was a teacher before he set up Frontline, a "
            "social work charity. Three groups supported him:\n\n"
            "- the Experts by Experience Board, which helped him hear from children and families with many "
            "different experiences\n"
            "- the evidence group, which brought researchers and experts together so the review used the "
            "best evidence\n"
            "- the design group, which brought in people from the public services that already work to "
            "keep children safe and settled\n\n"
            "## What it produced\n\n"
            "The review set out the problems in the Case for Change in June 2021 and published its final "
            "report, with an accessible version, on 23 May 2022. It also published a study of what the "
            "current system costs children, families and the public purse, and an analysis of the costs "
            "and benefits of its recommendations.\n\n"
            "## What happened next\n\n"
            "The government answered the review on 2 February 2023 with Stable Homes, Built on Love: a "
            "strategy for children's social care, put out for consultation.",
        },
        {
            "slug": "get-involved",
            "title": "Get involved",
            "nav_location": Page.NavLocation.HEADER,
            "nav_label": "",
            "nav_order": 2,
            "summary": "The ways you could take part in the review: its open calls, events and email updates.",
            "body": "The review wanted to hear from as many people as possible, in the way that suited them. "
            "Its three calls, listed below, were open to anyone: the Call for Advice asked what the review should "
            "look at, the Call for Evidence asked mainly researchers and services what works, and the Call for "
            "Ideas asked for solutions, big or small.\n\n"
            "## Other ways to take part\n\n"
            "There were events, workshops and conversations for people with lived experience, planned with "
            "the Experts by Experience Board, and sessions for people who work with children, often hosted "
            "by the groups and membership bodies they already belong to.\n\n"
            "## Get in touch\n\n"
            f"Email the review team at [{contact_email}](mailto:{contact_email}).",
        },
        {
            "slug": "terms-of-reference",
            "title": "Terms of reference",
            "nav_location": Page.NavLocation.NONE,
            "nav_label": "",
            "nav_order": 0,
            "summary": "What the review covered, and the questions it asked.",
            "body": "## The big question\n\n"
            "How can we make sure children and young people grow up in loving, stable and safe homes, and "
            "that the system gives them and their families the help they need?\n\n"
            "## Scope\n\n"
            "The review covers the whole of children's social care in England: support for families, "
            "safeguarding, child protection and care, and how children come into and leave that system. "
            "It includes the parts of early help that aim to stop problems growing.\n\n"
            "It looks at every stage, including:\n\n"
            "- referral and assessment\n"
            "- children in need and child protection plans\n"
            "- children who are looked after, and young people leaving care\n\n"
            "## How it works\n\n"
            "The lead reviewer is independent of government. He is supported by a team of civil servants "
            "who work apart from their department, by the Experts by Experience Board and by the evidence "
            "and design groups. The review publishes what it finds.",
        },
        {
            "slug": "privacy",
            "title": "Privacy notice",
            "nav_location": Page.NavLocation.FOOTER,
            "nav_label": "",
            "nav_order": 1,
            "summary": "What personal information the review collects, why, and how long it keeps it.",
            "body": "This notice explains what we do with personal information you give the review.\n\n"
            "## What we collect\n\n"
            "- your answers when you respond to a call, and any files you attach\n"
            "- your name, and your email address if you give it, so we can send you a receipt\n"
            "- whether you answer as a young person, a parent or carer, a professional or an organisation\n"
            "- your email address if you sign up for updates\n\n"
            "## Why we collect it\n\n"
            "To understand what people think and to write the review's recommendations. We use your email "
            "address only to send what you asked for.\n\n"
            "## Publishing answers\n\n"
            "Staff read every answer before anything is published. We publish only with your permission, "
            "and we remove anything that could identify you or someone else.\n\n"
            "## How long we keep it\n\n"
            "We keep names and contact details only as long as the review needs them. Each call says how "
            "long that is. You can unsubscribe from updates at any time, using the link in every email.\n\n"
            "## Your rights\n\n"
            "You can ask to see the information we hold about you, to correct it or to delete it. "
            f"Email [{contact_email}](mailto:{contact_email}). You can also complain to the Information "
            "Commissioner's Office.",
        },
        {
            "slug": "accessibility",
            "title": "Accessibility statement",
            "nav_location": Page.NavLocation.FOOTER,
            "nav_label": "",
            "nav_order": 2,
            "summary": "How accessible this website is, and how to tell us about a problem.",
            "body": "We want as many people as possible to be able to use this website. You should be able to:\n\n"
            "- zoom in up to 400% without text spilling off the screen\n"
            "- move around the whole site using only a keyboard\n"
            "- use the site with a screen reader or speech recognition software\n"
            "- use every page, including the response forms, with JavaScript turned off\n\n"
            "The site is built with the GOV.UK Design System and aims to meet the Web Content Accessibility "
            "Guidelines version 2.2 at level AA.\n\n"
            "## Known problems\n\n"
            "Some documents that people attached to their responses are PDFs we did not write, and they may "
            "not work well with assistive technology.\n\n"
            "## Tell us about a problem\n\n"
            f"If you find a problem or need something in a different format, email [{contact_email}]"
            f"(mailto:{contact_email}). If you are not happy with our answer, contact the Equality Advisory "
            "and Support Service.",
        },
        {
            "slug": "cookies",
            "title": "Cookies",
            "nav_location": Page.NavLocation.FOOTER,
            "nav_label": "",
            "nav_order": 3,
            "summary": "The cookies this website uses.",
            "body": "We only use cookies that the website needs to work. We do not use cookies to measure visits "
            "or for advertising, so there is nothing to accept or reject.\n\n"
            "| Name | What it does | When it expires |\n"
            "| --- | --- | --- |\n"
            "| csrftoken | Stops other websites sending forms in your name | After 1 year |\n"
            "| sessionid | Remembers your answers while you fill in a response, and keeps staff signed in "
            "| After 8 hours |\n",
        },
        {
            "slug": "contact",
            "title": "Contact the review",
            "nav_location": Page.NavLocation.FOOTER,
            "nav_label": "Contact",
            "nav_order": 4,
            "summary": "How to get in touch with the review team, and where to find support.",
            "body": f"Email the review team at [{contact_email}](mailto:{contact_email}).\n\n"
            "We cannot give advice about a particular child or family.\n\n"
            "## If you need support\n\n"
            "If you are worried about a child, you can call the NSPCC helpline free on 0808 800 5000. "
            "Children and young people can call Childline free on 0800 1111.\n\n"
            "If a child is in danger right now, call 999.",
        },
    ]


CLOSURE_MESSAGE = (
    "The review has finished. It published its final report in May 2022, and on 2 February 2023 the "
    "government published its response. This website will close soon, but you will still be able to read "
    "what it published in a copy kept by the National Archives."
)


def load(stdout, closure_days=CLOSURE_DAYS):
    tally = {}

    def note(kind, outcome):
        tally.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += 1

    for position, (slug, question, answer) in enumerate(FAQS, start=1):
        note("FAQs", upsert(FAQ, slug, {"question": question, "answer": answer, "position": position * 10}))

    for post in POSTS:
        author_name, author_role = post["author"]
        fields = {key: post[key] for key in ("title", "kind", "summary", "body", "published_at")}
        fields |= {"author_name": author_name, "author_role": author_role, "status": Post.Status.PUBLISHED}
        note("posts", upsert(Post, post["slug"], fields))

    for page in page_data(settings.CONTACT_EMAIL):
        note("pages", upsert(Page, page.pop("slug"), page))

    # One active notice at most; an existing one is left alone so that a second run keeps its date.
    if ClosureNotice.objects.active().exists():
        note("closure notice", "unchanged")
    else:
        ClosureNotice.objects.create(
            message=CLOSURE_MESSAGE,
            closes_at=timezone.now() + datetime.timedelta(days=closure_days),
            archive_url=ARCHIVE_URL,
            is_active=True,
        )
        note("closure notice", "created")

    for kind, counts in tally.items():
        stdout.write(f"{kind}: " + ", ".join(f"{n} {outcome}" for outcome, n in counts.items()))
