"""Django's Redis cache backend, keeping its Redis client instead of building one per command.

Django's RedisCacheClient makes a new `redis.Redis` for every cache call; redis-py's constructor
builds its table of ~170 response callbacks each time. A page makes several cache calls (the
session, the organisation's identity, data versions, cached figures), so that was a fixed cost on
every request. A `redis.Redis` is safe to share: it takes a connection from its pool per command.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
