"""The kind of email pages sends through the outbox (outbox); its sender is registered in apps.py."""

SIGN_UP = "updates_sign_up"
