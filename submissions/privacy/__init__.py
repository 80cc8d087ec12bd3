"""Find personal data in free text (names, phone numbers, emails, postcodes, addresses, NI numbers, birthdays).

Respondents (children, care-experienced adults) name social workers, siblings, foster carers, schools and streets.
``find_personal_data(text)`` points at those spans so the moderation screen can highlight them and ``redact()`` can
swap each for a placeholder such as "[name removed]" in the export without personal data.

How it works, briefly (the full account, with measured precision and recall, is docs/privacy-detection.md):

- Pattern kinds are regular expressions compiled at import: email, UK postcode, National Insurance number, street
  address (house number + street word, or "I live on" + street), date of birth (a date next to born/DOB/birthday,
  or an age under 25 given with a name).
- Phone numbers are found by the ``phonenumbers`` library (``PhoneNumberMatcher``, region GB, leniency POSSIBLE so
  that Ofcom's drama numbers count) and kept when they have 10-15 digits and start with 0, + or "(". Freephone
  080x numbers are helplines (Childline, NSPCC), not anyone's personal number, and are left alone.
- Person names: a title and a name ("Mrs Janet Smith", "Mr Patel"); a capitalised first name from the name lists
  shipped inside the Faker package (loaded once, lazily, into frozensets), with up to two capitalised surnames; or
  any capitalised word after a cue such as "called", "named", "my social worker", "my sister". First names that
  are also ordinary words (Hope, Grace, June, Mark, Will, ...) need more evidence, see ``_accept_name``.
  Organisations (Barnardo's, Coram Voice, NSPCC, ...) and place or building names ("Victoria Road",
  "Anna Freud Centre", "St Christopher's") are not people. A text typed in capitals is read as if only each
  word's first letter were one; in a text typed without capitals a listed first name that is not also a word
  ("kayleigh", but never "jack" or "rose") counts, as does a lower-case name right after a cue.

Offsets: every ``Finding`` indexes the ORIGINAL string: ``text[f.start:f.end] == f.text``. Nothing is normalised,
so zero-width joiners, right-to-left marks, emoji or combining characters never shift an offset (the flip side: a
number broken up by a zero-width character is not found).

Overlaps: candidates from all detectors are ranked longest first, and between spans of the same length the more
specific kind wins (email, national_insurance, phone, postcode, date_of_birth, address, person_name in that order);
a candidate is kept only if it overlaps none already kept. So "flat 3, 45 High Street" is one address, an email
address swallows the name inside it, and "14 Mill Road, Leeds LS6 2AB" gives two findings, an address and a
postcode, because they do not overlap. The result is sorted by start and never overlaps.
"""

import hashlib

from .context import DROP_LOWER, DROP_UPPER, ORG_RE, SHOUTED_WORD_RE
from .detectors import (
    _addresses,
    _ages,
    _dates_of_birth,
    _emails,
    _names,
    _national_insurance,
    _phones,
    _postcodes,
    _resolve,
)
from .kinds import LABELS, PLACEHOLDERS, Finding, Kind


def find_personal_data(text: str) -> list[Finding]:
    """Spans of personal data in text, sorted by start and never overlapping.

    Each Finding's start and end index the original string, so ``text[f.start:f.end] == f.text``. Overlaps are
    settled by keeping the longer span, and between equally long spans the more specific kind (email,
    national_insurance, phone, postcode, date_of_birth, address, person_name); an address and the postcode after
    it are two findings because they do not overlap.
    """
    if not text or not isinstance(text, str):
        return []
    candidates = []
    candidates.extend(_emails(text))
    candidates.extend(_phones(text))
    candidates.extend(_postcodes(text))
    candidates.extend(_national_insurance(text))
    candidates.extend(_addresses(text))
    candidates.extend(_dates_of_birth(text))
    # Names are read from a view of the text of the same length: a shouted text ("MY SOCIAL WORKER IS CALLED
    # DEBBIE") is read with each word's later letters in lower case, so offsets still index the original.
    upper = len(text) - len(text.translate(DROP_UPPER))
    lower = len(text) - len(text.translate(DROP_LOWER))
    view = text
    if upper >= 12 and lower < 0.2 * (upper + lower):
        view = SHOUTED_WORD_RE.sub(lambda m: m.group().lower(), text)
    all_lower = lower >= 12 and upper <= 0.03 * (upper + lower)
    org_spans = [m.span() for m in ORG_RE.finditer(view)]
    names = _names(view, org_spans, all_lower=all_lower)
    candidates.extend((start, end, "person_name") for start, end in names)
    candidates.extend(_ages(view, names))
    return [Finding(start, end, kind, text[start:end]) for start, end, kind in _resolve(candidates)]


def redact(text: str, findings: list[Finding] | None = None) -> str:
    """text with each finding replaced by its kind's placeholder ("[phone number removed]").

    findings default to find_personal_data(text); they must index this text. Replacements are made from the end
    backwards, so each finding's offsets are still those of the original string when it is replaced; a finding
    that overlaps one already replaced (only possible with a hand-made list) is skipped.
    """
    if not text:
        return text
    if findings is None:
        findings = find_personal_data(text)
    result = text
    floor = len(text)
    for finding in sorted(findings, key=lambda f: (f.start, f.end), reverse=True):
        if finding.end > floor or finding.start < 0 or finding.start >= finding.end:
            continue
        result = result[: finding.start] + PLACEHOLDERS[finding.kind] + result[finding.end :]
        floor = finding.start
    return result


def fingerprint(text: str) -> str:
    """A stable hash of a detail, case and spacing folded: a moderator's "keep" is stored as this, not the text."""
    folded = " ".join(text.casefold().split())
    return hashlib.sha256(folded.encode()).hexdigest()


__all__ = ["LABELS", "PLACEHOLDERS", "Finding", "Kind", "find_personal_data", "fingerprint", "redact"]
