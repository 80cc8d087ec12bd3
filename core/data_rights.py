"""Personal data that apps hold about one email address, for erasure and subject-access requests.

The data-rights services (submissions/services/data_rights.py) own the requests; an app that keeps something about
a person registers a holder in its AppConfig.ready(), so those services need not import it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Holder:
    name: str  # the key of what it holds in a subject-access export, e.g. "subscriber"
    count: Callable[[str], int]  # how many records it holds for an address
    erase: Callable[[str], int]  # erase them; returns how many went
    export: Callable[[str], Any]  # what it holds, as JSON-ready data (None when nothing)


_HOLDERS: dict[str, Holder] = {}


def register(name: str, *, count: Callable, erase: Callable, export: Callable) -> None:
    _HOLDERS[name] = Holder(name, count, erase, export)


def holders() -> list[Holder]:
    return list(_HOLDERS.values())
