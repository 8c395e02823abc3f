"""Redis as a cache that never holds up a page.

Nothing this service must keep lives only in Redis: it holds cached public
pages, sign-in rate limits and one-time-code replay marks. When Redis cannot
be reached, waiting for it or failing the request would be worse than a
moment without those, so each operation gives up after half a second, logs a
warning and answers as if Redis were empty: a read is a miss, a write is
skipped, and an `add` reports success (so a sign-in that needs a rate-limit
lock or a code mark still goes ahead).
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 0.5


def _forgiving(method, fallback):
    def wrapped(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            logger.warning("Cache unavailable (%s): %s skipped", error, method.__name__)
            return fallback(*args, **kwargs)

    wrapped.__name__ = method.__name__
    return wrapped


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", TIMEOUT_SECONDS)
        super().__init__(server, params)

    get = _forgiving(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _forgiving(RedisCache.get_many, lambda keys, version=None: {})
    has_key = _forgiving(RedisCache.has_key, lambda key, version=None: False)
    add = _forgiving(RedisCache.add, lambda *args, **kwargs: True)
    set = _forgiving(RedisCache.set, lambda *args, **kwargs: None)
    set_many = _forgiving(RedisCache.set_many, lambda *args, **kwargs: [])
    touch = _forgiving(RedisCache.touch, lambda *args, **kwargs: False)
    delete = _forgiving(RedisCache.delete, lambda *args, **kwargs: False)
    delete_many = _forgiving(RedisCache.delete_many, lambda *args, **kwargs: None)
    clear = _forgiving(RedisCache.clear, lambda *args, **kwargs: False)
