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

import functools
import importlib
import re
import string
from dataclasses import dataclass

import phonenumbers
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


# ---------------------------------------------------------------------------------------------------------------
# Name lists (Faker ships them as Python tuples; nothing is downloaded)
# ---------------------------------------------------------------------------------------------------------------


def _words(text):
    return text.split()


# First names from these locales count as names on their own (subject to the ambiguity rules below).
NAME_LOCALES = (
    *("en_GB", "en_US", "en_IE", "en_NZ", "en_IN", "en_PK", "en_NG"),
    *("pl_PL", "ro_RO", "lt_LT", "tw_GH", "yo_NG", "ig_NG", "ha_NG"),
)
# Faker's large "en" list (US baby names) also holds Muhammad, Aisha, Alfie, Freddie ... but also Council, Easter,
# Sunday, Love, Young: its extra names are treated like names that are also words (see _accept_name).
EXTENDED_NAME_LOCALES = ("en",)
SURNAME_LOCALES = ("en_GB", "en_US", "en_IE")

# Names that are also everyday words, and are usually capitalised because they start a sentence.
# Mid-sentence and capitalised they are names ("I told Hope"), unless they follow a determiner or preposition
# ("the Grace", "of Hope") or another capitalised word ("Christmas Eve", "Care Leaver Grant").
SOFT_NAMES = frozenset(
    _words(
        """
        Amber Angel Autumn Bill Blessing Bob Bonnie Brandy Charity Chase Comfort Crystal Daisy Dale Dawn Destiny Diamond
        Don Drew Earl Ebony Eden Eve Faith Frank Gene Glen Grace Grant Guy Harmony Hazel Heather Holly Hope Hunter Ivy
        Jade Jean Joy Kay Lance Lily Lucky Mark Max Melody Mercedes Misty Noel Olive Patience Peace Penny Piper Poppy
        Raven Ray Rex Robin Rose Ruby Sandy Skye Summer Sue Taj Trinity Troy Violet Willow Zion
        """
    )
)
# Months, places, and words that are names only rarely: these need a cue or a surname wherever they stand.
HARD_NAMES = frozenset(
    _words(
        """
        April August June May Jan Will Austin Brooklyn Chelsea Christian Clinton Dakota Devon India Israel Jesus Kent
        Kingston Lincoln Paris Phoenix Preston Savannah Sierra Sydney Tory Warwick Easter Christmas Sunday Monday
        Friday Major Royal True Young Judge Foster Friend Son Baby Early Rich Lane Stone Green Brown Gray Love King
        Bishop Dean Justice Miracle River Sky Star Winter Spring Page London Camden Dallas Boston Council Carter Cash
        Story Reading
        """
    )
)
# Tokens in the lists that are ordinary words far more often than names; never names by themselves.
BLOCKED_NAMES = frozenset(
    _words(
        """
        Art Awj Bay Che Forum Free Gay Golden Hero Ibn Ivory Jahm Laban Loot Lut Mad Man Nail Om Prince Princess
        Raid Rock Saal Sad Sage Said Sterling Van Yar
        """
    )
)


def _load_names(locales, attributes):
    names = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in attributes:
            names.update(getattr(provider, attribute, ()))
    # Multi-word entries ("Badr Udeen") and odd spellings cannot be matched as one capitalised token.
    return frozenset(name for name in names if re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?", name))


@functools.cache
def first_names():
    """First names from Faker's person providers (frozenset, loaded once on first use)."""
    attributes = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
    return _load_names(NAME_LOCALES, attributes) - BLOCKED_NAMES


@functools.cache
def extended_first_names():
    """Faker's long US list, minus what first_names() already has; only counted with more evidence."""
    attributes = ("first_names", "first_names_male", "first_names_female")
    return _load_names(EXTENDED_NAME_LOCALES, attributes) - first_names() - BLOCKED_NAMES


@functools.cache
def english_words():
    """Common English words, capitalised (Faker's lorem list): a first name that is one of them needs more evidence."""
    from faker.providers.lorem.en_US import Provider

    return frozenset(word.capitalize() for word in Provider.word_list)


@functools.cache
def surnames():
    return _load_names(SURNAME_LOCALES, ("last_names",))


# ---------------------------------------------------------------------------------------------------------------
# Word lists for context
# ---------------------------------------------------------------------------------------------------------------

MONTH_NAMES = _words("January February March April May June July August September October November December")
DAY_NAMES = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

# Capitalised words that end a name rather than extend it as a surname ("Sarah Said", "Tom And").
STOPWORDS = frozenset(
    _words(
        """
        I I'm I've I'd I'll A An The And But Or So If When Then Than They We You He She It Its It's My Our Your His Her
        Their Them Us Me Him This That These Those There Here What Who Whom Whose Why How Where Which Yes No Not Nor
        Because Also Just Only Even Still Yet After Before At In On Of To For From With Without By About As Into Onto
        Is Was Are Were Be Been Being Has Had Have Do Did Does Done Can Could Would Should Will Shall May Might Must
        Said Says Say Told Tells Asked Asks Thank Thanks Please Hi Hello Hey Dear Love Ok Okay Sorry Well Now Never
        Always Sometimes Every Each All Any Some Many Much More Most Very Too Again Once Twice Really Maybe Perhaps
        Mum Mam Mom Dad Nan Nana Gran Grandma Grandad Granny Aunt Auntie Uncle Sister Brother Cousin Mother Father
        Social Worker Workers Care Carer Carers Foster Fostering Adoption Adopted Kinship Children Child Kids Young
        People Person Family Families Leaver Leavers Looked After Corporate Parent Parents Local Authority Authorities
        Government Minister Ministers Review Independent Report Office Department Board Panel Committee Government's
        Police Court Courts Judge Magistrate Solicitor Barrister Lawyer Doctor Nurse Teacher Head Headteacher Manager
        English British Scottish Welsh Irish Muslim Jewish Hindu Sikh Catholic Christian Black White Asian Mixed
        Gypsy Roma Traveller Travellers Deaf Disabled LGBT LGBTQ Trans Gay Lesbian
        NHS UK GB England Scotland Wales Ireland Britain London Europe
        Christmas Easter Eid Diwali Ramadan Hanukkah Halloween Bonfire Birthday New Year Years
        Dr Mr Mrs Ms Miss Mx Sir Dame Prof St
        """
    )
    + MONTH_NAMES
    + DAY_NAMES
)

# A capitalised word after a name that makes the whole phrase a place, building or organisation
# ("Victoria Road", "Martin House", "Anna Freud Centre", "Grace Academy"): the candidate is dropped.
ORG_TRAILERS = frozenset(
    _words(
        """
        Street St Road Rd Avenue Ave Lane Close Drive Way Crescent Court Place Grove Gardens Terrace Hill Park Row Walk
        Mews Square Green Rise Parade Yard Vale Wharf Estate Station Airport Bridge House Houses Hall Lodge Cottage
        Centre Center Centres School Schools Academy College University Nursery Primary Infants Juniors Hospital
        Hospice Clinic Surgery Practice Trust Foundation Fund Project Group Network Association Society Aid Army
        Council County Borough Ward Church Chapel Mosque Temple Gurdwara Synagogue Cathedral Library Institute Unit
        Home Homes Award Awards Prize Scheme Programme Program Act Report Review Memorial United City Town Village
        Services Service Team Partnership Commission Commissioner Charity Company Ltd Limited Inc Voice Links Care
        Fools Day Eve Festival Street's Cottages Buildings Villas Mansions Maltings Bank Mall Arena Stadium
        Theatre Museum Gallery Shopping
        """
    )
)

# A first name right after one of these is part of a place or a royal/saint name, not a respondent's contact.
NAME_PREFIX_BLOCK = frozenset(_words("St St. Saint Prince Princess King Queen Lady Lord Fort Port Lake Mount"))

# First names that are also lower-case words ("jack", "mason", "rose"): never names in a text typed without capitals.
LOWERCASE_AMBIGUOUS = (
    SOFT_NAMES
    | HARD_NAMES
    | frozenset(
        _words(
            """
            Aria Beau Chad Kirk Levi Mike Scot Tory Troy Carol Carter Mason Hunter Tanner Cooper Parker Baker Bishop
            Major Pierce Miles Rob Rocky Jewel Honey Ginger Pepper Cherry Candy Pearl Opal Iris Flora Fern Sage Storm
            Rain Ocean Cloud Virginia Georgia Florence Victoria Carolina Jordan Jack Jay Ruth Una Page Will Sunny
            Rusty Clay Cliff Dean Don Drew Earl Eden Gene Jean Kent Lance Rex Sandy Sue Taj Noel Bill Guy Ray Max Mark
            Frank Grant Chase Penny Hope Joy Faith Grace June April August Rose Ruby Ivy Lily Jade Amber Holly Hazel
            Heather Dawn Eve Violet Poppy Daisy Summer Autumn Angel Crystal Destiny Trinity Harmony Melody Patience
            Peace Charity Comfort Blessing Precious Justice Christian Paris India Devon Chelsea Lincoln Austin Sydney
            Phoenix Sierra Savannah Dakota Brooklyn Kingston Preston Warwick Clinton Ida Ada Ira Ion Ina Ica Sava Stan
            """
        )
    )
)

# Lower-case words that, just before an ambiguous name, show it is a word and not a name ("the Grace", "in June").
SOFT_PREV_BLOCK = frozenset(
    _words(
        """
        the a an of in on at by for from since until till during last next this that every each early late mid
        no some any your our their its with without into about through under over amid full new real true
        """
    )
) - {"with", "our", "their", "your"}
# Before a name from the long list, also words that lead to a place ("moved to Denver").
EXTENDED_PREV_BLOCK = SOFT_PREV_BLOCK | frozenset(
    _words("to near around across outside towards toward visit visited visiting via like love loved support supports")
)
TEMPORAL_PREV = frozenset(_words("in on at by since until till during last next this every early late mid from of"))

ORGANISATIONS = (
    r"(?:Dr\.?\s+)?Barnardo['’]?s",
    r"Coram(?:\s+(?:Voice|BAAF|Children's\s+Legal\s+Centre))?",
    r"Become(?:\s+Charity)?",
    r"Ofsted",
    r"NSPCC",
    r"Childline|ChildLine",
    r"Children['’]?s\s+Commissioner",
    r"Action\s+for\s+Children",
    r"(?:The\s+)?Children['’]?s\s+Society",
    r"Who\s+Cares\??\s+Trust",
    r"Carers\s+Trust",
    r"(?:The\s+)?Fostering\s+Network",
    r"Family\s+Rights\s+Group",
    r"Catch22",
    r"Rees\s+(?:Foundation|Centre)",
    r"Anna\s+Freud(?:\s+Centre)?",
    r"Prince['’]?s\s+Trust",
    r"Save\s+the\s+Children",
    r"Christian\s+Aid",
    r"Salvation\s+Army",
    r"(?:British\s+)?Red\s+Cross",
    r"Citizens\s+Advice",
    r"Women['’]?s\s+Aid",
    r"Talk\s+to\s+Frank",
    r"Lifelong\s+Links",
    r"Ronald\s+McDonald\s+House",
    r"Sue\s+Ryder",
    r"Marie\s+Curie",
    r"Leonard\s+Cheshire",
    r"Mary\s+Seacole",
    r"Florence\s+Nightingale",
    r"Josephine\s+Butler",
    r"St\.?\s+[A-Z][a-z]+['’]s",
    r"Young\s*Minds",
    r"Samaritans",
    r"Cafcass",
    r"Kooth",
    r"Mencap",
    r"Shelter",
    r"Mind",
    r"Refuge",
    r"NYAS",
    r"TACT",
    r"Jigsaw",
    r"Article\s+39",
    r"Care\s+Leavers['’]?\s+Association",
    r"Voices\s+from\s+Care",
    r"Kids\s+Company",
    r"Grace\s+Academy",
    r"Harmony\s+House",
    r"Hope\s+for\s+(?:Justice|Children)",
    r"Faith\s+in\s+Families",
)
ORG_RE = re.compile(r"(?<![\w'’])(?:" + "|".join(ORGANISATIONS) + r")(?![\w])")

# Who a name follows: "called Sarah", "my social worker Sarah", "our foster carer, Dawn".
CUE_NOUNS = r"""
    social\s+workers? | sw | foster\s+(?:carers?|mum|mom|mam|dad|parents?|sisters?|brothers?|family)
    | carers? | key\s*workers? | support\s+workers? | youth\s+workers? | workers? | personal\s+advi[sc]ers? | pa
    | iro | independent\s+reviewing\s+officer | advocates? | teachers? | head\s*teacher | mentors? | tutors?
    | therapists? | counsell?ors? | nurses? | doctors? | gp | managers? | sisters? | brothers? | siblings? | twins?
    | mum | mam | mom | mummy | mother | dad | daddy | father | step-?mum | step-?dad | step-?mother | step-?father
    | nan | nana | nanna | nanny | gran | granny | grandma | grandmother | grandad | granddad | grandpa
    | grandfather | aunt | auntie | aunty | uncle | cousins? | nieces? | nephews? | friends? | mates? | boyfriend
    | girlfriend | partner | wife | husband | sons? | daughters? | babies | baby | kids? | children | child
    | half-?sisters? | half-?brothers? | neighbours? | judge | solicitor | police\s+officer | officer
    | residential\s+worker | house\s*parent | guardian
"""
CUE_ADJECTIVES = r"""
    new | old | last | first | second | current | previous | former | lovely | little | big | older | younger
    | baby | twin | half | step | foster | birth | real | best | youngest | oldest | eldest | only
"""
CUE_RE = re.compile(
    r"\b(?:called|named|nicknamed|known\s+as|name\s+is|name's|names\s+are|names\s+were|name\s+was"
    r"|(?:my|our|his|her|their|the|your)\s+(?:(?:" + CUE_ADJECTIVES + r")[\s-]+){0,2}(?:" + CUE_NOUNS + r"))"
    r"[ \t]*[,:(]?[ \t]*(?=\w)",
    re.IGNORECASE | re.VERBOSE,
)
# "Aunty Pat", "Uncle Dev", "Nan Margaret": family words used as a title before a capitalised name.
FAMILY_TITLE_RE = re.compile(
    r"(?<![\w])(?i:aunty|auntie|aunt|uncle|nan|nanny|nana|nanna|grandma|granny|grandad|grandpa|gran|cousin)"
    r"[ \t]+(?=[A-Z])"
)
# "Hi, I'm Chantelle": a listed first name after these is a name even if it is also a word; an unlisted word is not.
INTRO_CUE_RE = re.compile(
    r"(?<![\w'’])(?:i'm|i’m|im|i\s+am|this\s+is|it's\s+me|it’s\s+me)[ \t]*,?[ \t]+(?=[A-Z])", re.IGNORECASE
)
POST_CUE_RE = re.compile(
    r"[ \t]*[,(][ \t]*(?:who\s+is\s+|who's\s+|who\s+was\s+|is\s+|was\s+)?(?:my|our|his|her|their|the)\s+"
    r"(?:(?:" + CUE_ADJECTIVES + r")[\s-]+){0,2}(?:" + CUE_NOUNS + r")\b",
    re.IGNORECASE | re.VERBOSE,
)

CAP = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z]+(?:-(?:Mc|Mac|O['’])?[A-Z][a-z]+)*"
# A token ends at a non-letter; an apostrophe may follow only as a possessive ("Sarah's", but not "Don't").
TOKEN_END = r"(?![\w@\-]|['’](?![sS](?![A-Za-z]))[A-Za-z])"
NAME_TOKEN_RE = re.compile(r"(?<![\w'’@.\-])" + CAP + TOKEN_END)
SURNAME_RE = re.compile(r"[ \t]+(" + CAP + r")" + TOKEN_END)
LOWER_TOKEN_RE = re.compile(r"[a-z]+" + TOKEN_END)
LOWER_WORD_RE = re.compile(r"(?<![\w'’@.\-])[a-z]{2,}" + TOKEN_END)
DROP_UPPER = str.maketrans("", "", string.ascii_uppercase)
DROP_LOWER = str.maketrans("", "", string.ascii_lowercase)
SHOUTED_WORD_RE = re.compile(r"(?<=[A-Z])[A-Z]+")

TITLE_RE = re.compile(r"(?<![\w])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\b\.?(?:[ \t]+[A-Z]\.?){0,2}(?=[ \t]+[A-Z])")
LOWER_TITLE_RE = re.compile(r"(?<![\w])(?:mr|mrs|ms|mx)\.?[ \t]+([a-z][a-z'’-]+)(?![\w])")
LOWER_TITLE_STOP = frozenset(
    _words(
        "and or the a an to of in on at is was are were who whom i you he she it we they my our your his her their"
        + " this that teams men"
    )
)

AGE = r"[0-9]{1,2}(?:[ \t-]*(?:years?|yrs?)(?:[ \t-]*old)?|[ \t]*(?:yo|y/o|y\.o\.))?"
AGE_CONNECTOR = r"(?:who[ \t]+is[ \t]+aged|who[ \t]+is|who's|who[ \t]+was|is[ \t]+aged|is|was|aged?)"
AGE_AFTER_NAME_RE = re.compile(
    r"(?:[ \t]*[,(][ \t]*(?:" + AGE_CONNECTOR + r"[ \t]+)?|[ \t]+" + AGE_CONNECTOR + r"[ \t]+)"
    r"(?:(?:now|only|just)[ \t]+)?"
    r"(?P<age>" + AGE + r")(?![0-9])"
    r"(?=[ \t]*(?:[,.;:!?)\n]|$|and\b|but\b|now\b|at\b|in\b|when\b|who\b|has\b|had\b|is\b|was\b|lives\b|still\b))",
    re.IGNORECASE,
)
AGE_BEFORE_NAME_RE = re.compile(
    r"(?<![\w])(?P<age>[0-9]{1,2}[ \t-]*(?i:years?|yrs?)[ \t-]*(?i:old))(?:[ \t-]+[a-z]+){0,3}[ \t]+(?=[A-Z])"
)

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
