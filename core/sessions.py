"""The session store (SESSION_ENGINE = "core.sessions"): Django's cached_db store, written to the database and read
through the cache, that also notes which keys each request read.

With it the whole-page cache (core/cache.py) can share a public page with someone part-way through a response: it
keeps only pages whose rendering read nothing of the session but who is signed in and what message is waiting, so
what a session holds (a journey's answers, a sent reference) can never have shaped a page it shares.
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore

EVERY_KEY = "*"  # in keys_read: every key was read at once (keys(), values(), items())


class SessionStore(CachedDbSessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.keys_read = set()

    def stored_keys(self):
        """The keys holding a value (an emptied journey holds none), without counting as a read."""
        return {key for key, value in self._session.items() if value}

    def __contains__(self, key):
        self.keys_read.add(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        self.keys_read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.keys_read.add(key)
        return super().get(key, default)

    def pop(self, key, *args):
        self.keys_read.add(key)
        return super().pop(key, *args)

    def setdefault(self, key, value):
        self.keys_read.add(key)
        return super().setdefault(key, value)

    def has_key(self, key):
        self.keys_read.add(key)
        return super().has_key(key)

    def keys(self):
        self.keys_read.add(EVERY_KEY)
        return super().keys()

    def values(self):
        self.keys_read.add(EVERY_KEY)
        return super().values()

    def items(self):
        self.keys_read.add(EVERY_KEY)
        return super().items()
