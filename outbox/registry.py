"""Which function sends which kind of email.

Apps register their senders in AppConfig.ready(); the outbox knows a kind only by its name, so it imports none of
the apps that send through it. A sender is called as `send(job=job)`: it returns when the email went (or is no
longer needed, e.g. what it was about has been deleted) and raises when it could not be sent, and the job is then
retried with backoff. It must not send twice what it has already sent: a worker can die after sending and before
recording the job as done, and the job is then tried again.
"""

import dataclasses
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured


class UnknownKind(LookupError):
    """No app registered a sender for this kind of email."""


@dataclasses.dataclass(frozen=True)
class Sender:
    kind: str
    label: str
    send: Callable


_senders: dict[str, Sender] = {}


def register(kind: str, send: Callable, *, label: str) -> None:
    """Let `send` send the jobs of this kind; `label` is what staff see in the list of email jobs."""
    existing = _senders.get(kind)
    if existing is not None and existing.send is not send:
        raise ImproperlyConfigured(f"Two senders registered for the email kind {kind!r}")
    _senders[kind] = Sender(kind=kind, label=label, send=send)


def sender(kind: str) -> Sender:
    try:
        return _senders[kind]
    except KeyError:
        raise UnknownKind(f"No sender is registered for the email kind {kind!r}") from None


def label(kind: str) -> str:
    """The kind's label, or its name if no app registers it any more (old jobs stay readable)."""
    return _senders[kind].label if kind in _senders else kind


def kinds() -> list[str]:
    return sorted(_senders)
