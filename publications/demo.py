"""The demo's publications, in our own words from the facts of the review: what existed on the story's day only.

`load_demo_content` calls load(story) after the pages and calls. By default (ten days into the Call for Ideas) only
the Case for Change had been published; with --archived, the final report, the evidence published with it, the
figures on who answered the calls, and the government's response are there too. Each file is a small stand-in
(publications/demo_files.py) saying where the real document is kept. Rows are matched on their slug and saved only
when something differs, so a second run changes nothing.
"""

from django.core.files.base import ContentFile

# The review's real dates, as the pages' demo has them (publications may import pages, not consultations).
from pages.demo import upsert
from pages.demo_content import (
    ADVICE_OPENS,
    ARCHIVE_URL,
    CASE_FOR_CHANGE,
    EVIDENCE_OPENS,
    FINAL_REPORT,
    GOVERNMENT_RESPONSE,
    GOVUK_PAGE,
    IDEAS_OPENS,
)

from . import services
from .demo_files import demo_csv, demo_pdf
from .models import Attachment, Publication

STAND_IN = (
    "This file is a stand-in made for the demonstration website. The review's own copy of this document is kept "
    f"by the National Archives: {ARCHIVE_URL}"
)


def _pdf(title, pages, *paragraphs):
    return demo_pdf(title, [*paragraphs, STAND_IN], pages=pages)


def publications(s):
    """Every demo publication: its fields, its real date, and its files as (title, name, bytes, accessible)."""
    return [
        {
            "slug": "the-case-for-change",
            "title": "The Case for Change",
            "kind": Publication.Kind.REPORT,
            "date": CASE_FOR_CHANGE,
            "summary": "What the review found going wrong in children's social care in its first months, published "
            "early so that people could tell us where it was right and where it was wrong.",
            "body": "The Case for Change sets out the problems the review found in its first phase, Diagnosis. It "
            "draws on the Call for Advice, the Call for Evidence and many conversations with people who know "
            "children's social care from the inside.\n\n"
            "## What it found\n\n"
            "- help for families too often comes only once things reach a crisis\n"
            "- children in care move too often, and lose touch with people who matter to them\n"
            "- more and more money goes on crisis, and less on help that comes early\n\n"
            "## What happened next\n\n"
            "The review asked everyone to say what the Case for Change got wrong or left out. Over 300 people "
            "and organisations answered in the eight weeks that followed.",
            "files": [
                ("The Case for Change", "case-for-change.pdf", _pdf("The Case for Change", 12), False),
            ],
        },
        {
            "slug": "final-report",
            "title": "Final report",
            "kind": Publication.Kind.REPORT,
            "date": FINAL_REPORT,
            "summary": "The review's recommendations to the government: what needs to change in children's social "
            "care in England, and how to get there.",
            "body": "The final report is the review's answer to the question it was set: how children and families "
            "who need help from social care can be better supported.\n\n"
            "It draws on everything people shared with the review: the three open calls, the feedback on "
            "[[publication:the-case-for-change|the Case for Change]], hundreds of meetings and the work of the "
            "Experts by Experience Board.\n\n"
            "## Other formats\n\n"
            "An accessible version of the report was published on the same day. It works with screen readers "
            "and other assistive technology.",
            "files": [
                ("Final report", "final-report.pdf", _pdf("Final report", 24), False),
                (
                    "Final report: accessible version",
                    "final-report-accessible-version.pdf",
                    _pdf("Final report: accessible version", 24),
                    True,
                ),
            ],
        },
        {
            "slug": "paying-the-price",
            "title": "Paying the price: the social and financial costs of children's social care",
            "kind": Publication.Kind.EVIDENCE_REVIEW,
            "date": FINAL_REPORT,
            "summary": "A study of what the way things work now costs children, families and the public purse.",
            "body": "",
            "files": [("Paying the price", "paying-the-price.pdf", _pdf("Paying the price", 8), False)],
        },
        {
            "slug": "supporting-evidence",
            "title": "Supporting evidence for the final report",
            "kind": Publication.Kind.EVIDENCE_REVIEW,
            "date": FINAL_REPORT,
            "summary": "The evidence behind the recommendations, including what support works and an analysis of "
            "their costs and benefits.",
            "body": "",
            "files": [
                (
                    "Costs and benefits of the recommendations",
                    "costs-and-benefits.pdf",
                    _pdf("Costs and benefits of the recommendations", 6),
                    False,
                ),
                ("What support works", "what-support-works.pdf", _pdf("What support works", 10), False),
            ],
        },
        {
            "slug": "who-answered-the-calls",
            "title": "Who answered the review's calls",
            "kind": Publication.Kind.DATA,
            "date": FINAL_REPORT,
            "summary": "Roughly how many people and organisations answered each of the review's open calls.",
            "body": "| Call | Opened | Answers |\n| --- | --- | --- |\n"
            f"| Call for Advice | {s.month_text(ADVICE_OPENS)} | about 930 |\n"
            f"| Call for Evidence | {s.month_text(EVIDENCE_OPENS)} | about 200 |\n"
            f"| Feedback on the Case for Change | {s.month_text(CASE_FOR_CHANGE)} | over 300 |\n"
            f"| Call for Ideas | {s.month_text(IDEAS_OPENS)} | just under 1,000 ideas from about 600 "
            "people |\n\n"
            "The figures are rounded, as the review published them.",
            "files": [
                (
                    "Answers to each call",
                    "answers-to-each-call.csv",
                    demo_csv(
                        [
                            ["call", "answers_about", "note"],
                            ["Call for Advice", 930, ""],
                            ["Call for Evidence", 200, ""],
                            ["Feedback on the Case for Change", 300, "over 300"],
                            ["Call for Ideas", 1000, "just under 1,000 ideas from about 600 people"],
                        ]
                    ),
                    True,
                ),
            ],
        },
        {
            "slug": "stable-homes-built-on-love",
            "title": "Stable Homes, Built on Love",
            "kind": Publication.Kind.GOVERNMENT_RESPONSE,
            "date": GOVERNMENT_RESPONSE,
            "summary": "The government's strategy for children's social care, with a consultation on its plans, in "
            "answer to this review and two other reports.",
            "body": "The government published its strategy for children's social care, and asked for views on "
            "it. It answers three reports:\n\n"
            "- this review's [[publication:final-report|final report]]\n"
            "- the national safeguarding review that followed the deaths of Arthur Labinjo-Hughes and Star "
            "Hobson\n"
            "- a study by the Competition and Markets Authority of how placements for children in care are "
            "provided\n\n"
            "The strategy itself was published by the Department for Education. "
            f"[The review's page on GOV.UK]({GOVUK_PAGE}) links to it.",
            "files": [],
        },
    ]


def all_slugs(story):
    return {p["slug"] for p in publications(story)}


def load(stdout, story):
    tally = {"created": 0, "updated": 0, "unchanged": 0, "removed": 0}
    shown = [p for p in publications(story) if story.has_happened(p["date"])]
    for data in shown:
        fields = {key: data[key] for key in ("title", "kind", "summary", "body")}
        fields |= {"status": Publication.Status.PUBLISHED, "published_at": story.at(data["date"])}
        # Last changed when published, as the story tells it (the sitemap's lastmod), not on the day the demo ran.
        outcome = upsert(Publication, data["slug"], fields, as_of=fields["published_at"])
        publication = Publication.objects.get(slug=data["slug"])
        if _sync_files(publication, data["files"]) and outcome == "unchanged":
            outcome = "updated"
        tally[outcome] += 1
    # What the day shown comes before had not been published yet.
    for publication in Publication.objects.filter(slug__in=all_slugs(story) - {p["slug"] for p in shown}):
        services.publication_delete(publication=publication)
        tally["removed"] += 1
    stdout.write("publications: " + ", ".join(f"{n} {what}" for what, n in tally.items() if n or what != "removed"))


def _sync_files(publication, files):
    """Make the publication's files these, in this order; True if anything changed."""
    wanted = []
    for position, (title, name, content, accessible) in enumerate(files):
        stored = services.attachment_file_store(upload=ContentFile(content, name=name))
        wanted.append((stored, {"title": title, "accessible": accessible, "position": position}))
    existing = {a.stored_name: a for a in publication.attachments.all()}
    if [s.stored_name for s, _ in wanted] == list(existing) and all(
        all(getattr(existing[s.stored_name], k) == v for k, v in fields.items()) for s, fields in wanted
    ):
        return False
    old_names = set(existing)
    publication.attachments.all().delete()
    for stored, fields in wanted:
        attachment = Attachment(publication=publication, **fields)
        services.attachment_use_file(attachment=attachment, stored=stored)
        attachment.save()
    services.publication_files_changed(publication=publication, names=old_names)
    return True
