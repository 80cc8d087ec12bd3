"""One detector per kind: each yields candidate spans (start, end, kind) into the original text."""

import re

import phonenumbers

from .context import (
    AGE_AFTER_NAME_RE,
    AGE_BEFORE_NAME_RE,
    CUE_RE,
    EXTENDED_PREV_BLOCK,
    FAMILY_TITLE_RE,
    INTRO_CUE_RE,
    LOWER_TITLE_RE,
    LOWER_TITLE_STOP,
    LOWER_TOKEN_RE,
    LOWER_WORD_RE,
    LOWERCASE_AMBIGUOUS,
    NAME_PREFIX_BLOCK,
    NAME_TOKEN_RE,
    ORG_TRAILERS,
    POST_CUE_RE,
    SOFT_PREV_BLOCK,
    STOPWORDS,
    SURNAME_RE,
    TEMPORAL_PREV,
    TITLE_RE,
)
from .kinds import SPECIFICITY
from .names import BLOCKED_NAMES, HARD_NAMES, SOFT_NAMES, english_words, extended_first_names, first_names, surnames
from .patterns import (
    ADDRESS_AFTER_CUE_RE,
    ADDRESS_CUED_RE,
    ADDRESS_RE,
    ADDRESS_THE_RE,
    DIGIT_RE,
    DOB_BEFORE_RE,
    DOB_CUE_RE,
    DOB_RE,
    EMAIL_RE,
    NI_CUED_RE,
    NI_RE,
    ORDINAL_TAIL,
    PHONE_HINT_RE,
    POSTCODE_RE,
)

# ---------------------------------------------------------------------------------------------------------------
# Detectors
# ---------------------------------------------------------------------------------------------------------------


def _emails(text):
    if "@" not in text:
        return
    for m in EMAIL_RE.finditer(text):
        yield m.start(), m.end(), "email"


def _phones(text):
    for hint in PHONE_HINT_RE.finditer(text):
        if len(DIGIT_RE.findall(hint.group())) < 10:
            continue
        # The matcher reads one character either side too, so that it can judge what the number touches.
        offset = max(0, hint.start() - 1)
        window = text[offset : hint.end() + 1]
        try:
            matches = list(phonenumbers.PhoneNumberMatcher(window, "GB", leniency=phonenumbers.Leniency.POSSIBLE))
        except Exception:  # the library must never take the moderation screen down with it
            continue
        for match in matches:
            raw = match.raw_string
            digits = len(DIGIT_RE.findall(raw))
            if not 10 <= digits <= 15 or raw[0] not in "0+(":
                continue
            national = str(match.number.national_number)
            if match.number.country_code == 44 and national.startswith(("800", "808", "500")):
                continue  # freephone helplines
            yield offset + match.start, offset + match.end, "phone"


def _postcodes(text):
    for m in POSTCODE_RE.finditer(text):
        found = m.group()
        if not (found.isupper() or found.islower()):
            continue  # "Ab1 2cd" is a word, not a postcode
        if found.islower() and ORDINAL_TAIL.search(found):
            continue  # "m25 3rd"
        yield m.start(), m.end(), "postcode"


def _national_insurance(text):
    for m in NI_RE.finditer(text):
        yield m.start(), m.end(), "national_insurance"
    for m in NI_CUED_RE.finditer(text):
        yield m.start("ni"), m.end("ni"), "national_insurance"


def _addresses(text):
    for m in ADDRESS_RE.finditer(text):
        yield m.start(), m.end(), "address"
    for m in ADDRESS_THE_RE.finditer(text):
        yield m.start(), m.end(), "address"
    lowered = text.lower()
    if "live" in lowered or "stay" in lowered or "address" in lowered:
        for m in ADDRESS_AFTER_CUE_RE.finditer(text):
            yield m.start("street"), m.end("street"), "address"
    for m in ADDRESS_CUED_RE.finditer(text):
        yield m.start("street"), m.end("street"), "address"


def _dates_of_birth(text):
    if not DOB_CUE_RE.search(text):
        return
    for m in DOB_RE.finditer(text):
        yield m.start("date"), m.end("date"), "date_of_birth"
    for m in DOB_BEFORE_RE.finditer(text):
        yield m.start("date"), m.end("date"), "date_of_birth"


ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"
OPENERS = "\"'“‘(*_#>[-•–—~`" + ZERO_WIDTH


def _at_sentence_start(text, start):
    i = start - 1
    limit = max(-1, start - 40)
    while i > limit:
        ch = text[i]
        if ch == "\n":
            return True
        if ch.isspace() or ch in OPENERS:
            i -= 1
            continue
        return ch in ".!?:;…|"
    return i < 0


def _previous_word(text, start):
    """The word just before start, or "" when punctuation comes first (a comma, a bracket)."""
    i = start - 1
    limit = max(-1, start - 40)
    while i > limit and text[i] in " \t" + ZERO_WIDTH:
        i -= 1
    j = i
    while j > limit and (text[j].isalnum() or text[j] in "'’."):
        j -= 1
    return text[j + 1 : i + 1]


def _accept_name(word, tier, cued, has_surname, first_surname, text, start):
    """Whether a capitalised first name (or a word after a cue) is a person's name here.

    - After a cue ("called", "my sister", "I'm", ", my social worker", ", 14,") it always is.
    - Names that are also words (SOFT_NAMES, and any listed name in Faker's English word list) need a surname, or
      must stand mid-sentence after a lower-case word that is not a determiner or preposition ("I told Hope").
    - HARD_NAMES (months, places, Will, Christian) need a cue or a surname, and no "in"/"since" before them.
    - Names only in Faker's long US list need a cue or a surname from the surname lists, or must stand
      mid-sentence like a soft name; if they are also English words ("Early", "Major") only a cue or surname will do.
    """
    if cued:
        return True
    prev = _previous_word(text, start)
    if word in HARD_NAMES or (tier == "extended" and word in english_words()):
        if tier == "extended":
            return has_surname and first_surname in surnames()
        return has_surname and prev.lower() not in TEMPORAL_PREV
    if tier == "extended" and has_surname and first_surname in surnames():
        return True
    if tier == "extended" or word in SOFT_NAMES or word in english_words():
        if has_surname and tier != "extended":
            return prev.lower() not in TEMPORAL_PREV
        if _at_sentence_start(text, start):
            return False
        if tier == "extended" and not prev:
            return False  # after a comma or a bracket: "..., Bristol BS1 4DJ"
        blocked = EXTENDED_PREV_BLOCK if tier == "extended" else SOFT_PREV_BLOCK
        return not (prev and (prev[0].isupper() or prev[0].isdigit() or prev.lower() in blocked))
    return True


def _names(text, org_spans, all_lower=False):
    # Where a cue ends: any capitalised word may follow "called" or "my social worker"; after a comma ("with my
    # brother, Leeds was ...") only a listed first name counts.
    cue_positions = set()
    tight_cue_positions = set()
    for m in CUE_RE.finditer(text):
        cue_positions.add(m.end())
        if "," not in m.group():
            tight_cue_positions.add(m.end())
    cue_positions.update(m.end() for m in INTRO_CUE_RE.finditer(text))
    family = {m.end() for m in FAMILY_TITLE_RE.finditer(text)}
    cue_positions |= family
    tight_cue_positions |= family
    org_starts = {start for start, _ in org_spans}
    first = first_names()
    extended = extended_first_names()
    found = []

    def overlaps_org(start, end):
        return any(s < end and start < e for s, e in org_spans)

    def extend(end, limit=2):
        """(end, surnames, dropped): up to `limit` capitalised surnames after a first name or a title."""
        tokens = []
        pos = end
        for _ in range(limit):
            m = SURNAME_RE.match(text, pos)
            if not m or m.start(1) in org_starts:
                break
            token = m.group(1)
            if token in ORG_TRAILERS:
                return pos, tokens, True
            if token in STOPWORDS or token in BLOCKED_NAMES:
                break
            tokens.append(token)
            pos = m.end()
        return pos, tokens, False

    for m in NAME_TOKEN_RE.finditer(text):
        word = m.group()
        start = m.start()
        if word in BLOCKED_NAMES or (word in STOPWORDS and start not in tight_cue_positions):
            continue
        cued = start in cue_positions
        if word in first:
            tier = "first"
        elif "-" in word and word.split("-")[0] in first and word.split("-")[0] not in SOFT_NAMES | HARD_NAMES:
            tier = "first"  # "Ellie-May", "Amy-Leigh"
        elif word in extended:
            tier = "extended"
        elif start in tight_cue_positions and word not in STOPWORDS and word not in ORG_TRAILERS:
            tier = "cued"
        else:
            continue
        if _previous_word(text, start) in NAME_PREFIX_BLOCK:
            continue
        end, tokens, dropped = extend(m.end())
        if dropped:
            continue
        cued = cued or bool(POST_CUE_RE.match(text, end)) or bool(AGE_AFTER_NAME_RE.match(text, end))
        if not _accept_name(word, tier, cued, bool(tokens), tokens[0] if tokens else "", text, start):
            continue
        if overlaps_org(start, end):
            continue
        found.append((start, end))

    # "my social worker sarah": a lower-case first name straight after a cue (never one that is also a word).
    for pos in cue_positions:
        m = LOWER_TOKEN_RE.match(text, pos)
        if not m:
            continue
        word = m.group().capitalize()
        if word in first and word not in SOFT_NAMES and word not in HARD_NAMES and word not in STOPWORDS:
            found.append((m.start(), m.end()))

    if all_lower:
        # Text typed without capitals ("i told kayleigh"): a listed first name that is not also a word.
        for m in LOWER_WORD_RE.finditer(text):
            word = m.group().capitalize()
            if (
                word in first
                and word not in LOWERCASE_AMBIGUOUS
                and word not in english_words()
                and word not in STOPWORDS
                and _previous_word(text, m.start()).lower() not in ("st", "st.", "saint")
                and not overlaps_org(m.start(), m.end())
            ):
                found.append((m.start(), m.end()))

    for m in TITLE_RE.finditer(text):
        end, tokens, dropped = extend(m.end(), limit=3)
        if dropped or not tokens or overlaps_org(m.start(), end):
            continue
        found.append((m.start(), end))
    for m in LOWER_TITLE_RE.finditer(text):
        if m.group(1) not in LOWER_TITLE_STOP and not _previous_word(text, m.start())[-1:].isdigit():  # "50 ms"
            found.append((m.start(), m.end()))
    return found


def _ages(text, name_spans):
    """An age under 25 given with a name: "Sarah, 14," / "Jake who is 9" / "my 9-year-old brother Jake"."""
    starts = {start for start, _ in name_spans}
    for _, end in name_spans:
        m = AGE_AFTER_NAME_RE.match(text, end)
        if m and int(re.match(r"[0-9]+", m.group("age")).group()) < 25:
            yield m.start("age"), m.end("age"), "date_of_birth"
    for m in AGE_BEFORE_NAME_RE.finditer(text):
        if m.end() in starts and int(re.match(r"[0-9]+", m.group("age")).group()) < 25:
            yield m.start("age"), m.end("age"), "date_of_birth"


def _resolve(candidates):
    """Longest first, then the more specific kind; keep what overlaps nothing kept. Sorted by start."""
    ranked = sorted(set(candidates), key=lambda c: (-(c[1] - c[0]), SPECIFICITY[c[2]], c[0]))
    kept = []
    for start, end, kind in ranked:
        if start >= end:
            continue
        if any(start < e and s < end for s, e, _ in kept):
            continue
        kept.append((start, end, kind))
    kept.sort()
    return kept
