"""The kinds of email pages sends through the outbox (outbox); their senders are registered in apps.py."""

SIGN_UP = "updates_sign_up"
# An update staff wrote (pages/updates.py): one job queues the emails, then one job per subscriber, and tests.
UPDATE_QUEUE = "subscriber_update_queue"
UPDATE = "subscriber_update"
UPDATE_TEST = "subscriber_update_test"
