"""First names and surnames from the lists Faker ships (loaded once, lazily), and which are also words."""

import functools
import importlib
import re

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
