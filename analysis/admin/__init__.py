"""The analysis screens of the staff console. Django imports this package; each module registers its own admins."""

from . import codebook, pages  # noqa: F401 - each registers its admins with @admin.register
