"""The kinds of email submissions sends through the outbox; their senders are registered in apps.py."""

RECEIPT = "receipt"
SAFEGUARDING_ALERT = "safeguarding_alert"
