"""The staff console for responses. Django imports this package; each module registers its own admins."""

from . import operations, responses, safeguarding  # noqa: F401 - each registers its admins with @admin.register
