"""The kinds of personal data found, their labels and placeholders, and a finding."""

from dataclasses import dataclass

from django.db import models


class Kind(models.TextChoices):
    PERSON_NAME = "person_name", "Name"
    PHONE = "phone", "Phone number"
    EMAIL = "email", "Email address"
    POSTCODE = "postcode", "Postcode"
    ADDRESS = "address", "Street address"
    NATIONAL_INSURANCE = "national_insurance", "National Insurance number"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth or age"


LABELS = {kind.value: kind.label for kind in Kind}

PLACEHOLDERS = {
    "person_name": "[name removed]",
    "phone": "[phone number removed]",
    "email": "[email address removed]",
    "postcode": "[postcode removed]",
    "address": "[address removed]",
    "national_insurance": "[National Insurance number removed]",
    "date_of_birth": "[date of birth removed]",
}

# Lower is more specific: breaks ties between overlapping spans of the same length.
SPECIFICITY = {
    "email": 0,
    "national_insurance": 1,
    "phone": 2,
    "postcode": 3,
    "date_of_birth": 4,
    "address": 5,
    "person_name": 6,
}


@dataclass(frozen=True, slots=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str

    @property
    def label(self):
        return LABELS[self.kind]

    @property
    def placeholder(self):
        return PLACEHOLDERS[self.kind]
