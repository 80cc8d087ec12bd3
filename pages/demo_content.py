"""The words of the demo: FAQs, news and blogs, content pages and the closure notice, for one day of the review.

Written in our own words from the facts of the original site (never its sentences: tests/pages/test_demo_content.py
checks). Each function takes the Story (consultations.demo.Story): the day shown, and the review's real dates
moved to it. Text says only what was known on that day, and every date in it comes from the story.
"""

import datetime

from consultations import demo as calls
from consultations.demo import (
    ADVICE_OPENS,
    BOARD_APPLICATIONS_CLOSE,
    CASE_FOR_CHANGE,
    EVIDENCE_OPENS,
    FINAL_REPORT,
    GOVERNMENT_RESPONSE,
    IDEAS_CLOSES,
    IDEAS_OPENS,
)

from .demo_pages import page_data
from .models import Post

LEAD_REVIEWER = ("Josh MacAlister", "Lead reviewer")
HEAD_OF_TEAM = ("Shazia Hussain", "Head of the review team")
REVIEW_TEAM = ("The review team", "")
ARCHIVE_URL = "https://webarchive.nationalarchives.gov.uk/ukgwa/*/https://childrenssocialcare.independent-review.uk/"
# The review's page on GOV.UK: it names the government's response. The review's own documents are publications on this
# site (publications/demo.py), linked from posts and pages with [[publication:<slug>]].
GOVUK_PAGE = "https://www.gov.uk/government/groups/independent-review-of-childrens-social-care"

__all__ = ["ARCHIVE_URL", "closure_message", "faqs", "page_data", "posts"]


def faqs(s):
    """(slug, question, answer) in order."""
    ideas_faq = (
        (
            "send-an-idea",
            "Can I still send an idea?",
            f"Yes. The Call for Ideas is open until {s.moment_text(IDEAS_CLOSES, calls.FIVE_PM)}. You can send up "
            f"to {calls.MAX_IDEAS} ideas, and each can be up to {calls.IDEA_WORD_LIMIT} words long.\n\n"
            "[Send your ideas](/calls/call-for-ideas/)",
        )
        if not s.has_happened(IDEAS_CLOSES)
        else (
            "send-an-idea",
            "Can I still send an idea?",
            f"No. The Call for Ideas closed at {s.moment_text(IDEAS_CLOSES, calls.FIVE_PM)}, and the review has "
            "finished its work.\n\n"
            "You can still read [the ideas people agreed to publish](/calls/call-for-ideas/responses/).",
        )
    )
    return [
        (
            "what-the-review-looks-at",
            "What does the review look at?",
            "All of it: the help, safeguarding, protection and care that children's social care gives, and the "
            "way a child comes into that system and leaves it again. That includes the early help some families "
            "get before a social worker is involved.\n\n"
            "So the review covers every step a child might take, from a first referral, through being a child in "
            "need or on a child protection plan, to being looked after by a local authority.\n\n"
            "The lead reviewer's first thoughts on where to focus were shaped by the answers to the Call for "
            "Advice. You can read the scope in full in the [terms of reference](/terms-of-reference/).",
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
            f"when applications opened, after they closed on {s.day_text(BOARD_APPLICATIONS_CLOSE)}.\n\n"
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
            "sessions, and the review team welcomed offers from organisations that could host one.",
        ),
        (
            "call-for-advice-responses",
            "What happened to answers to the Call for Advice?",
            "The review team read every answer. The advice shaped the review's first plans, and the call stayed "
            "open for a few weeks so that more people could send theirs. The news post [What the Call for Advice "
            "told us](/news/what-the-call-for-advice-told-us/) explains what people said and what changed "
            "because of it.",
        ),
        (
            "who-the-call-for-evidence-is-for",
            "Who was the Call for Evidence for?",
            "Anyone could answer it, but it was meant most of all for researchers and for people who run "
            "services and have measured how well they work. It ran from "
            f"{s.day_text(EVIDENCE_OPENS)} to {s.day_text(calls.EVIDENCE_CLOSES)}.",
        ),
        ideas_faq,
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


def posts(s):
    """Every post the review had published by the story's day (dicts with the Post fields, dates as real dates)."""
    return [post for post in all_posts(s) if s.has_happened(post["published_on"])]


# Posts the demo once had under another address: removed so that a reload leaves no copy behind.
RETIRED_POST_SLUGS = ["summer-plans-for-listening"]


def all_posts(s):
    return [
        {
            "slug": "what-the-call-for-advice-told-us",
            "title": "What the Call for Advice told us",
            "kind": Post.Kind.NEWS,
            "published_on": calls.EVIDENCE_CLOSES,
            "author": REVIEW_TEAM,
            "summary": "About 930 people answered the Call for Advice. Here is what they said first, and how it "
            "is changing the review's plans.",
            "body": f"In {s.month_text(ADVICE_OPENS)}, as the review began, the lead reviewer asked for advice "
            "on what the review should look at and how it should work. About 930 people answered.\n\n"
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
            "planning how we hear from people who have not spoken to a review before. The Case for Change, "
            "due in the next few months, will set out the themes in full.",
        },
        {
            "slug": "case-for-change-published",
            "title": "The Case for Change is published",
            "kind": Post.Kind.NEWS,
            "published_on": CASE_FOR_CHANGE,
            "author": REVIEW_TEAM,
            "summary": "Our first big document sets out what we think is going wrong in children's social care. "
            "Tell us what we missed.",
            "body": "Today the review published the Case for Change. It describes the problems we have found so "
            "far, drawing on the Call for Advice, the Call for Evidence and many conversations with people who "
            "know children's social care from the inside.\n\n"
            "## What it says\n\n"
            "- too many families get help only once things reach a crisis\n"
            "- children in care move too often, and lose touch with people who matter to them\n"
            "- the system spends more and more on crisis and less on help that comes early\n\n"
            "## Tell us what we got wrong\n\n"
            "This is not our final word. We want to hear where it is right, where it is wrong and what it "
            "leaves out, before we start working on solutions.\n\n"
            "You can read [[publication:the-case-for-change|the Case for Change]] on this website.",
        },
        {
            "slug": "listening-after-the-case-for-change",
            "title": "How we will listen after the Case for Change",
            "kind": Post.Kind.BLOG,
            "published_on": CASE_FOR_CHANGE + datetime.timedelta(days=7),
            "author": HEAD_OF_TEAM,
            "summary": "Now the Case for Change is out, the head of the review team explains how we will hear "
            "your views on it over the coming months.",
            "body": "Last week we published the Case for Change: our account of what is going wrong in "
            "children's social care. We hope it starts an honest conversation about how every child can grow "
            "up safe, stable and loved.\n\n"
            "## Who we are\n\n"
            "I lead the team that supports the lead reviewer. We are civil servants, but we work apart from the "
            "department so that the advice we give him is objective.\n\n"
            "## What happens next\n\n"
            "Publishing early means people can tell us where we are right and where we are wrong, and that "
            "has already started. Next we move from problems towards solutions, and that still means listening, "
            "most of all to people with lived experience.\n\n"
            "Over the coming months you can expect:\n\n"
            "- open events for people with lived experience, some run by people with lived experience "
            "themselves\n"
            "- sessions hosted by charities and local groups people already know and trust, which helps us "
            "reach people who are rarely heard\n"
            "- online surveys, and conversations one to one, for anyone who would rather not join a group\n"
            "- sessions for social workers and other staff, run with councils and trade unions, and polls run "
            "with What Works for Children's Social Care\n\n"
            "After that we will look closely at a few local areas, to understand what the whole experience of "
            "social care is like for families there.\n\n"
            "You can find ways to take part on the [Get involved](/get-involved/) page. We hope to hear from "
            "you.",
        },
        {
            "slug": "call-for-ideas-is-open",
            "title": "The Call for Ideas is open: tell us what would work",
            "kind": Post.Kind.BLOG,
            "published_on": IDEAS_OPENS,
            "author": LEAD_REVIEWER,
            "summary": "We have spent most of a year understanding the problems. Now we want your solutions, big "
            f"or small, until {s.day_text(IDEAS_CLOSES)}.",
            "body": "From the start I have wanted this review to be shaped by the people it is about.\n\n"
            "## Where we have got to\n\n"
            "The review has four phases. In the first, **Diagnosis**, the Call for Advice "
            f"({s.month_text(ADVICE_OPENS)}) and the Call for Evidence ({s.month_text(EVIDENCE_OPENS)}), along "
            "with many conversations with people who know social care from the inside, led to the Case for "
            f"Change ({s.month_text(CASE_FOR_CHANGE)}).\n\n"
            "In the second, **Discovery**, you told us what the Case for Change got wrong or left out. More than "
            "2,000 people took part in events, workshops and focus groups, many of them run by charities and "
            "groups, and we looked in depth at ten local areas.\n\n"
            "## Now we need ideas\n\n"
            "We are now in the third phase, **Development**. Naming problems is the easy part; finding answers "
            "that will work is much harder, whoever you are.\n\n"
            "So today we open the Call for Ideas. Send us any idea that would make things better for children "
            "and families, from a change to the whole system to a small fix that could help next month. You "
            f"can send up to {calls.MAX_IDEAS} ideas, and each can be up to {calls.IDEA_WORD_LIMIT} words "
            "long.\n\n"
            f"The call closes at {s.moment_text(IDEAS_CLOSES, calls.FIVE_PM)}. It is the last open call of the "
            "review: in the final phase, **Delivery**, we will be quieter while we write the final report.\n\n"
            "[Send your ideas](/calls/call-for-ideas/)",
        },
        {
            "slug": "thank-you-for-your-ideas",
            "title": "Thank you for your ideas",
            "kind": Post.Kind.NEWS,
            "published_on": IDEAS_CLOSES + datetime.timedelta(days=6),
            "author": REVIEW_TEAM,
            "summary": "The Call for Ideas has closed. About 600 people sent us almost 1,000 ideas.",
            "body": f"The Call for Ideas closed at {s.moment_text(IDEAS_CLOSES, calls.FIVE_PM)}. Thank you to "
            "everyone who took the time to send an idea.\n\n"
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
            "published_on": FINAL_REPORT,
            "author": REVIEW_TEAM,
            "summary": "The review's final report and its recommendations to the government are out today.",
            "body": "Today the review published its final report. It sets out what needs to change in children's "
            "social care in England and how to get there.\n\n"
            "The report draws on everything people shared with us: the three open calls, the feedback on the "
            "Case for Change, hundreds of meetings and the work of the Experts by Experience Board.\n\n"
            "## Read the report\n\n"
            "These come out today:\n\n"
            "- [[publication:final-report|the final report]], with its recommendations, and an accessible "
            "version of it\n"
            "- [[publication:paying-the-price|Paying the price]], a study of what today's system costs children, "
            "families and the public purse\n"
            "- [[publication:supporting-evidence|the evidence behind the report]], including the costs and "
            "benefits of our recommendations\n\n"
            "You can find every document the review published on the [publications page](/publications/).",
        },
        {
            "slug": "government-response",
            "title": "The government has responded to the review",
            "kind": Post.Kind.NEWS,
            "published_on": GOVERNMENT_RESPONSE,
            "author": REVIEW_TEAM,
            "summary": "The government has published its plan for children's social care in answer to the review.",
            "body": f"The government published Stable Homes, Built on Love on {s.day_text(GOVERNMENT_RESPONSE)}. "
            "It is a strategy for children's social care, and it asks for views on the plans in it.\n\n"
            "It answers this review's recommendations, and two other reports as well: the national safeguarding "
            "review that followed the deaths of Arthur Labinjo-Hughes and Star Hobson, and a study by the "
            "Competition and Markets Authority of how children's social care placements are provided.\n\n"
            "## Read the response\n\n"
            "There is [[publication:stable-homes-built-on-love|a short account of the strategy]] on this "
            f"website, and [the review's page on GOV.UK]({GOVUK_PAGE}) links to the strategy itself.\n\n"
            "## This website is closing\n\n"
            # No date here: the closure notice at the top of every page gives it (--closure-days can move it).
            "The review's work is now done. This website will close soon, and a copy of it will be kept by the "
            "National Archives.",
        },
    ]


def closure_message(s):
    return (
        f"The review has finished. It published its final report in {s.month_text(FINAL_REPORT)}, and on "
        f"{s.day_text(GOVERNMENT_RESPONSE)} the government published its response. This website will close soon, "
        "but you will still be able to read what it published in a copy kept by the National Archives."
    )
