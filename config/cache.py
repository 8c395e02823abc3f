"""Redis as a cache that never holds up a page and never stops counting.

Redis holds cached public pages and summaries, and the security counters:
sign-in, two-factor code and sign-up rate limits (allauth) and the marks that
stop a one-time code being used twice. When Redis cannot be reached, each
operation gives up after half a second, logs a warning and is done on the
database cache instead (CACHES["fallback"], a table in PostgreSQL): pages stay
up, and a locked-out address stays locked out. Failing to "unlimited" would
hand an attacker the outage.

After a failure this process leaves Redis alone for RETRY_SECONDS, so a
Redis that is down costs one timeout every few seconds, not one a request.
A counter started in the database does not move back to Redis when it
returns; limits are minutes long, so the two agree again soon after.
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 0.5
RETRY_SECONDS = 5


def _failing_over(name):
    redis_method = getattr(RedisCache, name)

    def wrapped(self, *args, **kwargs):
        if time.monotonic() >= self._redis_down_until:
            try:
                return redis_method(self, *args, **kwargs)
            except RedisError as error:
                self._redis_down_until = time.monotonic() + RETRY_SECONDS
                logger.warning("Cache unavailable (%s): %s done in the database", error, name)
        return getattr(caches[self._fallback_alias], name)(*args, **kwargs)

    wrapped.__name__ = name
    return wrapped


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", TIMEOUT_SECONDS)
        self._fallback_alias = options.pop("FALLBACK", "fallback")
        self._redis_down_until = 0.0
        super().__init__(server, params)

    get = _failing_over("get")
    get_many = _failing_over("get_many")
    has_key = _failing_over("has_key")
    add = _failing_over("add")
    set = _failing_over("set")
    set_many = _failing_over("set_many")
    touch = _failing_over("touch")
    delete = _failing_over("delete")
    delete_many = _failing_over("delete_many")
    incr = _failing_over("incr")
    decr = _failing_over("decr")
    clear = _failing_over("clear")
