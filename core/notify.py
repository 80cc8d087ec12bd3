"""An email backend that sends through GOV.UK Notify, the way UK public bodies send email: set
EMAIL_BACKEND=core.notify.NotifyEmailBackend, NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID (docs/operations.md, "Email").

Notify sends templates, not messages. One generic template carries every email the site sends: its subject is
((subject)) and its body ((body)), and this backend fills both from Django's message. So the code that writes emails
(receipts, alerts, sign-ups, the ADMINS error report) stays the same whichever backend sends them.

What Notify does differently from SMTP, and what follows:
- The sender's address and name are the Notify service's; DEFAULT_FROM_EMAIL is not used. A reply-to address set up
  in Notify can be chosen with NOTIFY_REPLY_TO_ID.
- One notification per recipient: a message to three people is three notifications.
- A List-Unsubscribe header's https address becomes Notify's one_click_unsubscribe_url, so mail programs still offer
  one-click unsubscribe (Notify adds the headers itself). Other extra headers are not sent.
- No attachments and no HTML part: Notify formats the body itself. A message with an attachment is refused, not sent
  without it.
"""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

NOTIFY_API_URL = "https://api.notifications.service.gov.uk"
# "<https://site/updates/unsubscribe/abc/>, <mailto:...>": the first https address is the one-click link.
_HTTPS_IN_ANGLES = re.compile(r"<(https://[^>\s]+)>")


def one_click_unsubscribe_url(message):
    """The https address in the message's List-Unsubscribe header, if it has one."""
    header = next((value for name, value in message.extra_headers.items() if name.lower() == "list-unsubscribe"), "")
    match = _HTTPS_IN_ANGLES.search(header) or re.search(r"<(http://[^>\s]+)>", header)
    return match.group(1) if match else None


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, api_key=None, template_id=None, base_url=None, timeout=None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = api_key or settings.NOTIFY_API_KEY
        self.template_id = template_id or settings.NOTIFY_TEMPLATE_ID
        self.base_url = base_url or settings.NOTIFY_BASE_URL or NOTIFY_API_URL
        self.timeout = timeout or settings.EMAIL_TIMEOUT
        self.reply_to_id = settings.NOTIFY_REPLY_TO_ID or None
        if not self.api_key or not self.template_id:
            raise ImproperlyConfigured("The Notify email backend needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID.")
        self.client = None

    def open(self):
        if self.client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            self.client = NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=self.timeout)
            return True
        return False

    def close(self):
        self.client = None

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        created = self.open()
        sent = 0
        try:
            for message in email_messages:
                try:
                    self._send(message)
                except Exception:
                    if not self.fail_silently:
                        raise
                else:
                    sent += 1
        finally:
            if created:
                self.close()
        return sent

    def _send(self, message):
        if message.attachments:
            raise ValueError("GOV.UK Notify sends no attachments: this email was not sent.")
        unsubscribe = one_click_unsubscribe_url(message)
        for address in message.recipients():
            self.client.send_email_notification(
                email_address=address,
                template_id=self.template_id,
                personalisation={"subject": message.subject, "body": message.body},
                email_reply_to_id=self.reply_to_id,
                one_click_unsubscribe_url=unsubscribe,
            )
