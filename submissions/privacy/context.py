"""Word lists and patterns for the words around a name: cues, organisations, places, stop words."""

import re
import string

from .names import HARD_NAMES, SOFT_NAMES, _words

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
