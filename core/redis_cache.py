"""Django's Redis cache, keeping one Redis client per connection pool instead of building one for every operation.

Building a redis.Redis (its command table and callbacks) cost as much as the GET it then ran: a quarter of a page
served from the page cache to someone whose session (read through this cache) must be looked at. A client is safe
to share: each command borrows a connection from the pool.
"""

from django.core.cache.backends import redis


class _ReusingClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
