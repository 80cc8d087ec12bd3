"""Load the demo's FAQs, news and blogs, content pages and closure notice for the story's day.

`load_demo_content` calls load(). Rows are matched on their slug and saved only when a field differs, so running
it twice changes nothing, and switching between the default day and --archived updates what differs: posts from
after the day are removed, and the closure notice exists only once the review has ended. The words are in
pages/demo_content.py and pages/demo_pages.py.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from consultations.demo import FIVE_PM, GOVERNMENT_RESPONSE, SITE_CLOSES
from core.models import ClosureNotice

from . import demo_content
from .demo_content import ARCHIVE_URL
from .models import FAQ, Page, Post


def upsert(model, slug, fields, as_of):
    """Create the row, or update only the fields that differ, so an unchanged row is not written at all.

    Its updated_at is the story's `as_of`, not the moment the demo ran: the archived FAQs must not say they were
    last updated years after the site closed. (QuerySet.update_or_create() would save every time.)
    """
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        obj = model.objects.create(slug=slug, **fields)
        outcome = "created"
    else:
        changed = [name for name, value in fields.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, fields[name])
        if changed:
            obj.save(update_fields=changed)
        outcome = "updated" if changed else "unchanged"
    # auto_now sets updated_at on every save; an update() query is the way to give it the story's date.
    if model.objects.filter(pk=obj.pk).exclude(updated_at=as_of).update(updated_at=as_of) and outcome == "unchanged":
        outcome = "updated"
    return outcome


def load(stdout, story, closure_days=None):
    """Make the demo rows match the story's day. closure_days (archived only): the site closes that many days
    from today instead of on its real date, so the banner says "will close" and sign-ups still work."""
    tally = {}

    def note(kind, outcome, count=1):
        tally.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})
        tally[kind][outcome] = tally[kind].get(outcome, 0) + count

    # FAQs and pages were last brought up to date on the day shown, or when the review ended.
    as_of = story.at(GOVERNMENT_RESPONSE if story.archived else story.day, datetime.time(0))
    for position, (slug, question, answer) in enumerate(demo_content.faqs(story), start=1):
        fields = {"question": question, "answer": answer, "position": position * 10}
        note("FAQs", upsert(FAQ, slug, fields, as_of))

    posts = demo_content.posts(story)
    for post in posts:
        author_name, author_role = post["author"]
        fields = {key: post[key] for key in ("title", "kind", "summary", "body")}
        fields |= {
            "published_at": story.at(post["published_on"]),
            "author_name": author_name,
            "author_role": author_role,
            "status": Post.Status.PUBLISHED,
        }
        note("posts", upsert(Post, post["slug"], fields, fields["published_at"]))
    # The demo's posts from after the day (and from old versions of the demo) must not show: they had not happened.
    later = {p["slug"] for p in demo_content.all_posts(story)} - {p["slug"] for p in posts}
    removed, _ = Post.objects.filter(slug__in=[*later, *demo_content.RETIRED_POST_SLUGS]).delete()
    if removed:
        note("posts", "removed", removed)

    for page in demo_content.page_data(story, settings.CONTACT_EMAIL):
        note("pages", upsert(Page, page.pop("slug"), page, as_of))

    note("closure notice", _closure_notice(story, closure_days))

    for kind, counts in tally.items():
        stdout.write(
            f"{kind}: " + ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n or outcome != "removed")
        )


def _closure_notice(story, closure_days):
    """None active while the review runs; once it has ended, the demo's own notice (a staff-written one is kept)."""
    active = ClosureNotice.objects.active().first()
    if not story.has_happened(GOVERNMENT_RESPONSE):
        if active is None:
            return "unchanged"
        # The day shown is before the review ended: no notice can be up yet. Made inactive, not deleted.
        ClosureNotice.objects.active().update(is_active=False, updated_at=timezone.now())
        return "updated"
    message = demo_content.closure_message(story)
    if active is not None and active.message != message:
        return "unchanged"  # staff wrote this one: leave it alone
    if closure_days is None:
        closes_at = story.at(SITE_CLOSES, FIVE_PM)
    else:
        closes_at = datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=closure_days),
            FIVE_PM,
            tzinfo=timezone.get_current_timezone(),
        )
    fields = {"closes_at": closes_at, "archive_url": ARCHIVE_URL, "is_active": True}
    notice = active or ClosureNotice.objects.filter(message=message).order_by("-pk").first()
    if notice is None:
        ClosureNotice.objects.create(message=message, **fields)
        return "created"
    changed = [name for name, value in fields.items() if getattr(notice, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(notice, name, fields[name])
    notice.save(update_fields=[*changed, "updated_at"])
    return "updated"
