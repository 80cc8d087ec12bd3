"""System checks (registered in SubmissionsConfig.ready): a deployed site where a flagged response would reach nobody
is not ready."""

from django.core import checks
from django.db import DatabaseError


def safeguarding_leads_are_set_up(app_configs=None, **kwargs):
    from .services.safeguarding import SAFEGUARDING_GROUP, safeguarding_recipients

    try:
        recipients = safeguarding_recipients()
    except DatabaseError:
        return []  # before the first migrate there is nothing to check yet
    if recipients:
        return []
    return [
        checks.Warning(
            "No safeguarding lead is set up: a flagged response would be emailed to nobody.",
            hint=f"Put an active staff member with an email address in the “{SAFEGUARDING_GROUP}” group, "
            "or list addresses in SAFEGUARDING_EMAILS.",
            id="submissions.W001",
        )
    ]
