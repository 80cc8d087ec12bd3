"""The SMTP backend hands a message over at the last moment: before the dot that ends DATA, a relay has nothing."""

import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from core.mail import HandOverRefused, HandOverUnknown, send_with_hand_over, was_refused
from tests.smtp_sink import SmtpSink


@pytest.fixture
def relay(settings):
    settings.EMAIL_BACKEND = "core.mail.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_TIMEOUT = "127.0.0.1", 5
    with SmtpSink() as sink:
        settings.EMAIL_PORT = sink.port
        yield sink


def message(body="Read the final report.\n.\nA line that is only a dot, and one that starts with one:\n.end\n"):
    return EmailMessage("The final report is out", body, "review@example.org", ["reader@example.org"])


def test_the_relay_gets_the_whole_message_and_has_nothing_until_it_is_handed_over(relay):
    relay_had_at_hand_over = []

    send_with_hand_over(message(), hand_over=lambda: relay_had_at_hand_over.append(len(relay.messages)))

    assert relay_had_at_hand_over == [0]
    assert len(relay.messages) == 1
    assert b"\r\n.\r\nA line that is only a dot, and one that starts with one:\r\n.end\r\n" in relay.messages[0]


def test_a_hand_over_that_is_refused_sends_nothing(relay):
    def taken_over():
        raise HandOverRefused("another worker has it")

    with pytest.raises(HandOverRefused):
        send_with_hand_over(message(), hand_over=taken_over)
    # The connection ended before the dot: the relay dropped what it had read. The next email goes as usual.
    send_with_hand_over(message("Another email."), hand_over=lambda: None)

    assert [b"Another email." in m for m in relay.messages] == [True]


def test_a_relay_that_gives_no_answer_after_the_message_leaves_it_not_known(relay, settings):
    settings.EMAIL_TIMEOUT, relay.answer_after = 0.5, 1.5

    with pytest.raises(HandOverUnknown):
        send_with_hand_over(message(), hand_over=lambda: None)


def test_a_refusal_after_the_message_is_a_refusal_not_a_silence(relay):
    relay.answer = "554 5.7.1 Message refused"
    handed_over = []

    with pytest.raises(smtplib.SMTPDataError) as refused:
        send_with_hand_over(message(), hand_over=lambda: handed_over.append(True))

    assert handed_over == [True]
    assert was_refused(refused.value)
    assert relay.messages == []


def test_a_relay_that_cannot_be_reached_fails_before_the_hand_over(settings):
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_TIMEOUT = "core.mail.EmailBackend", "127.0.0.1", 2
    with SmtpSink() as gone:
        settings.EMAIL_PORT = gone.port
    handed_over = []

    with pytest.raises(OSError) as failed:
        send_with_hand_over(message(), hand_over=lambda: handed_over.append(True))

    assert handed_over == []
    assert not was_refused(failed.value)


def test_a_backend_that_cannot_split_a_send_is_handed_over_just_before_it():
    order = []

    send_with_hand_over(message(), hand_over=lambda: order.append(len(mail.outbox)))

    assert order == [0] and len(mail.outbox) == 1


def test_the_smtp_backend_sends_ordinary_emails_as_django_s_does(relay):
    assert mail.send_mail("Receipt", "Your reference is ABC.", "review@example.org", ["respondent@example.org"]) == 1
    assert len(relay.messages) == 1 and b"Your reference is ABC." in relay.messages[0]
