"""Regular expressions for the pattern kinds: email, postcode, NI number, address, date of birth, phone runs."""

import re

from .context import CAP

# ---------------------------------------------------------------------------------------------------------------
# Pattern kinds
# ---------------------------------------------------------------------------------------------------------------

# Bounded runs keep this linear even on 20,000 characters without a space.
EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)

# Outward code, optional space, inward code (whose letters never include C I K M O V). The classes spell out
# both cases instead of IGNORECASE, and the check on the character before comes after the first letter: both let
# the regex engine skip ahead quickly.
POSTCODE_RE = re.compile(
    r"[A-PR-UWYZa-pr-uwyz](?<![A-Za-z0-9].)[A-HK-Ya-hk-y]?[0-9][A-Za-z0-9]?[ \t]?[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}"
    r"(?![A-Za-z0-9])"
)
ORDINAL_TAIL = re.compile(r"[0-9](?:st|nd|rd|th)$", re.IGNORECASE)

# Prefix: first letter not D F I Q U V, second not D F I O Q U V; BG GB KN NK NT TN ZZ are never issued.
# QQ is HMRC's own example prefix ("QQ 12 34 56 C"); it is kept so that examples are caught too.
NI_PREFIX = r"(?:QQ|(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
NI_DIGITS = r"(?:[ \t\-]?[0-9]{2}[ \t\-]?[0-9]{2}[ \t\-]?[0-9]{2}|[ \t\-]?[0-9]{3}[ \t\-]?[0-9]{3})"
NI_RE = re.compile(r"(?<![A-Za-z0-9])" + NI_PREFIX + NI_DIGITS + r"[ \t\-]?[A-D](?![A-Za-z0-9])", re.IGNORECASE)
# Without its final letter only when a cue says what it is ("my NI number is QQ 12 34 56").
NI_CUED_RE = re.compile(
    r"\b(?:NI|N\.I\.|NINO|national[ \t]+insurance)(?![A-Za-z])(?:[ \t]+(?:number|no\.?|num))?[^\n0-9]{0,15}?"
    r"(?P<ni>(?<![A-Za-z0-9])" + NI_PREFIX + NI_DIGITS + r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)

STREET_WORDS_ANY_CASE = r"street|road|avenue|lane|crescent|terrace|gardens|mews|boulevard|grove"
STREET_WORDS_CAPITALISED = (
    r"Close|Drive|Way|Court|Place|Square|Hill|Park|Row|Walk|View|Green|Rise|Parade|Yard|Vale|Wharf|Croft|Gate"
    r"|Mount|Meadows?|Heights|Circus|Embankment|Quay|Broadway|Fold|Brow|Chase|Wynd|Walkway|Copse|Dale|Glade|End"
    r"|Cottages|Buildings|Villas|Mansions|Maltings|St|Rd|Ave|Ln|Cres|Ct|Pl|Gdns|Tce|Terr|Sq|Dr|Gr|Pk"
)
STREET_TYPE = r"(?:(?i:" + STREET_WORDS_ANY_CASE + r")|(?:" + STREET_WORDS_CAPITALISED + r")\.?)"
STREET_STOP = (
    r"(?:the|a|an|of|in|on|at|to|and|or|my|our|your|his|her|their|this|that|for|from|with|by|up|down|along|near"
    r"|off|over|round|around|into|past|is|was|are|were|be|it|we|i|you|he|she|they|who|which|than|then|so|but"
    r"|minutes?|mins?|miles?|hours?|hrs?|years?|yrs?|months?|weeks?|days?|times?|km|metres?|meters?|yards?|feet"
    r"|foot|steps?|stops?|bus|buses|train|trains|car|cars|main|busy|long|short|big|small|different|other|same"
    r"|new|old|whole|quiet|dark|wrong|right|open|back|front|side|dead|country|private|people|kids|children"
    r"|placements?|homes?|houses?|schools?|moves?|carers?|families|social|workers?|hour|minute|year|pound|pounds"
    r"|per|cent|percent|of|times|am|pm|year-olds?|olds?|st|nd|rd|th)"
)
STREET_NAME_WORD = r"(?!" + STREET_STOP + r"\b)(?:" + CAP + r"(?:['’]s)?|[a-z][a-z'’\-]*)"
HOUSE = r"[0-9]{1,4}[A-Za-z]?(?:[ \t]*-[ \t]*[0-9]{1,4}[A-Za-z]?)?"
FLAT = r"(?:(?i:flat|apartment|apt\.?|unit|room)[ \t]*(?:(?i:no)\.?[ \t]*)?[0-9]{1,4}[A-Za-z]?[ \t]*,?[ \t]*)"
ADDRESS_RE = re.compile(
    r"(?<![\w£$€.,/:])(?:"
    + FLAT
    + r")?"
    + HOUSE
    + r",?[ \t]+(?:"
    + STREET_NAME_WORD
    + r"[ \t]+){1,3}"
    + STREET_TYPE
    + r"(?![\w\-])"
)
ADDRESS_CUED_RE = re.compile(
    r"\b(?i:live|lives|lived|living|moved|move|moving|stay|stays|stayed|staying|house|home|flat)[ \t]+"
    r"(?:(?i:is)[ \t]+)?(?i:at|on|in|to|near|off)[ \t]+(?P<street>(?:(?!(?:The|A|An|My|Our)\b)" + CAP + r"[ \t]+){1,3}"
    r"(?:" + STREET_WORDS_CAPITALISED + r"|Street|Road|Avenue|Lane|Crescent|Terrace|Gardens|Mews|Grove)\.?)(?![\w\-])"
)

# "8 the green", "4 The Maltings": a number and "the" + a word that names a street or a close of houses.
THE_STREET_WORDS = (
    r"green|close|crescent|grove|parade|square|mews|meadows|drive|avenue|maltings|paddock|orchard|spinney|willows"
    r"|limes|laurels|beeches|hollies|croft|rise|glade|chase|dell|courtyard|cottages|oaks|elms|pines|firs|poplars"
    r"|stables|granary|ridgeway|broadway|promenade|esplanade|strand|terrace|precinct|crossways|causeway|copse"
    r"|coppice|brambles|sidings|larches|rowans|cedars|chestnuts|sycamores|hawthorns|birches|lawns|leys|grange"
)
ADDRESS_THE_RE = re.compile(
    r"(?<![\w£$€.,/:])(?:" + FLAT + r")?" + HOUSE + r",?[ \t]+(?i:the[ \t]+(?:" + THE_STREET_WORDS + r"))(?![\w\-])"
)
# After "I live at" / "my address is", a number and up to three capitalised words ("12 Rosemount", "4 The Oaks").
ADDRESS_AFTER_CUE_RE = re.compile(
    r"\b(?i:(?:live|lives|lived|living|stay|stays|stayed|staying)[ \t]+at|address[ \t]+is|address[ \t]*:)[ \t]+"
    r"(?P<street>(?:" + FLAT + r")?" + HOUSE + r",?[ \t]+(?:The[ \t]+)?" + CAP + r"(?:[ \t]+" + CAP + r"){0,2})"
    r"(?![\w\-])"
)

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?![A-Za-z])\.?"
)
DAY = r"(?:[0-3]?[0-9])(?:st|nd|rd|th)?"
YEAR = r"(?:(?:19|20)[0-9]{2}|['’][0-9]{2})"
DATE = (
    r"(?:" + DAY + r"(?:[ \t]+of)?[ \t]+" + MONTH + r"(?:,?[ \t]+" + YEAR + r")?"
    r"|" + MONTH + r"[ \t]+(?:the[ \t]+)?" + DAY + r"(?![0-9])(?:,?[ \t]+" + YEAR + r")?"
    r"|" + MONTH + r"[ \t]+(?:19|20)[0-9]{2}"
    r"|[0-3]?[0-9][/.\-][01]?[0-9][/.\-](?:[0-9]{4}|[0-9]{2})"
    r"|(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9])"
)
DOB_CUE = r"(?<![\w.])(?:born|birthday|b[-'’]?day|dob|d\.o\.b\.?|date[ \t]+of[ \t]+birth|birth[ \t]*date)(?![\w])"
DOB_RE = re.compile(
    DOB_CUE + r"[^.!?\n0-9]{0,25}?(?<![\w])(?P<date>" + DATE + r"|(?<=born[ \t]in[ \t])(?:19|20)[0-9]{2})(?![\w/])",
    re.IGNORECASE,
)
DOB_BEFORE_RE = re.compile(
    r"(?<![\w/])(?P<date>" + DATE + r")(?![\w/])[ \t]*[(,\-–]?[ \t]*(?:(?:is|was|=)[ \t]+)?"
    r"(?:(?:my|his|her|their|our)[ \t]+)?(?:birthday|b[-'’]?day|dob|d\.o\.b|date[ \t]+of[ \t]+birth)(?![\w])",
    re.IGNORECASE,
)
DOB_CUE_RE = re.compile(DOB_CUE, re.IGNORECASE)

# Stretches that could hold a phone number; only those with 10 or more digits go to the phonenumbers matcher.
PHONE_HINT_RE = re.compile(r"[+(]?[0-9][0-9 \t().\-/]{6,}[0-9]")
DIGIT_RE = re.compile(r"[0-9]")
