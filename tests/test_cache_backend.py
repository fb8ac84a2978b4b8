"""csweek's Redis cache backend keeps one Redis client per connection pool (Django's builds one
per cache call)."""

from csweek.core.cache import ReusedClientRedisCache


def test_cache_backend_reuses_its_redis_client():
    backend = ReusedClientRedisCache("redis://127.0.0.1:6379/9", {})
    client = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is client
    assert backend._cache.get_client("c", write=True) is client  # one server: one pool
    assert client.connection_pool is backend._cache._get_connection_pool(False)


def test_cache_backend_keeps_a_client_per_server_pool():
    backend = ReusedClientRedisCache("redis://127.0.0.1:6379/9,redis://127.0.0.1:6379/10", {})
    writer = backend._cache.get_client("a", write=True)
    reader = backend._cache.get_client("a")
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["db"] == 9
    assert reader.connection_pool.connection_kwargs["db"] == 10
