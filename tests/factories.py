import datetime

import factory
from django.utils import timezone

from consultations.models import Call, Question, ReviewPhase
from core.models import ClosureNotice
from pages.models import FAQ, Page, Post, Subscriber
from submissions.models import Answer, Attachment, Idea, Submission


class ClosureNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosureNotice

    message = "The review has finished its work. This website will close soon."
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    archive_url = "https://webarchive.example.org/review/"
    is_active = True


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Content page {n}")
    slug = factory.Sequence(lambda n: f"content-page-{n}")
    body = "Some **plain** words."


class FAQFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQ

    question = factory.Sequence(lambda n: f"Question number {n}?")
    slug = factory.Sequence(lambda n: f"question-{n}")
    answer = "An answer in **Markdown**."
    position = factory.Sequence(lambda n: n)


class PostFactory(factory.django.DjangoModelFactory):
    """A published post dated a day ago; pass status=Post.Status.DRAFT or a future published_at to hide it."""

    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"News item {n}")
    slug = factory.Sequence(lambda n: f"news-item-{n}")
    kind = Post.Kind.NEWS
    summary = "A short summary of the news."
    body = "The body of the post, in **Markdown**."
    author_name = "Sam Writer"
    author_role = "Head of communications"
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class SubscriberFactory(factory.django.DjangoModelFactory):
    """An address waiting for confirmation; SubscriberFactory(confirmed=True) for one that counts."""

    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.com")

    class Params:
        confirmed = factory.Trait(confirmed_at=factory.LazyFunction(timezone.now))


class CallFactory(factory.django.DjangoModelFactory):
    """An open Call for Advice: opened yesterday, closes in 30 days."""

    class Meta:
        model = Call
        django_get_or_create = ("slug",)

    kind = Call.Kind.ADVICE
    title = factory.Sequence(lambda n: f"Call number {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    summary = "Tell us what would make the biggest difference."
    body = "We want to hear what **works** and what does not."
    audience = "Children, young people and the adults who care for them."
    phase = ReviewPhase.DIAGNOSIS
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda call: call.opens_at + datetime.timedelta(days=31))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    call = factory.SubFactory(CallFactory)
    position = factory.Sequence(lambda n: n)
    prompt = factory.Sequence(lambda n: f"Question {n}: what would you change?")
    required = True
    answer_type = Question.AnswerType.LONG_TEXT


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A pending response from a care-experienced adult who agreed to anonymous publication."""

    class Meta:
        model = Submission

    call = factory.SubFactory(CallFactory)
    reference = factory.Sequence(lambda n: f"ADVICE-{n:06d}")
    respondent_type = Submission.RespondentType.CARE_EXPERIENCED_ADULT
    name = factory.Sequence(lambda n: f"Respondent {n}")
    email = factory.Sequence(lambda n: f"respondent{n}@example.org")
    publication = Submission.Publication.ANONYMOUS
    consented_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    submission = factory.SubFactory(SubmissionFactory)
    question = factory.SubFactory(QuestionFactory, call=factory.SelfAttribute("..submission.call"))
    text = "More time with the same social worker."


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    submission = factory.SubFactory(SubmissionFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Idea {n}")
    body = "Let young people choose who visits them."


class AttachmentFactory(factory.django.DjangoModelFactory):
    """An attachment row; tests that need the stored file write it themselves."""

    class Meta:
        model = Attachment

    submission = factory.SubFactory(SubmissionFactory)
    original_name = "evidence.pdf"
    stored_name = factory.Sequence(lambda n: f"attachments/{n:08d}.pdf")
    size = 1024
    content_type = "application/pdf"
    sha256 = "0" * 64


class PublicationFactory(factory.django.DjangoModelFactory):
    """A published report dated a day ago; pass status=Publication.Status.DRAFT or a future published_at to hide it."""

    class Meta:
        model = "publications.Publication"
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Report number {n}")
    slug = factory.Sequence(lambda n: f"report-{n}")
    kind = "report"
    summary = "A short summary of the report."
    body = "The report itself, in **Markdown**."
    status = "published"
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class PublicationAttachmentFactory(factory.django.DjangoModelFactory):
    """A file of a publication, stored for real through the same service as an editor's upload.

    Pass content=<bytes> and name="<file name>" for another file; by default a three-page PDF.
    """

    class Meta:
        model = "publications.Attachment"

    publication = factory.SubFactory(PublicationFactory)
    title = factory.Sequence(lambda n: f"Document {n}")

    @classmethod
    def _create(cls, model_class, *args, content=None, name="report.pdf", **kwargs):
        from django.core.files.base import ContentFile

        from publications import services
        from publications.demo_files import demo_pdf

        content = content if content is not None else demo_pdf("A report", ["Some words."], pages=3)
        stored = services.attachment_file_store(upload=ContentFile(content, name=name))
        attachment = model_class(*args, **kwargs)
        services.attachment_use_file(attachment=attachment, stored=stored)
        attachment.save()
        services.publication_files_changed(publication=attachment.publication)
        return attachment
