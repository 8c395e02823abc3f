"""Caching: the shared cache itself, public pages and data versions.

The shared cache (ForgivingRedisCache)
--------------------------------------
Redis as a cache that never holds up a page and never stops counting.

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

Public pages and data versions
------------------------------
Public pages: the register search and the winners pages are the same for
every anonymous visitor, so their rendered responses are kept for a minute,
under a key that carries the version of the data they show.
Signed-in people always get a fresh page: their navigation differs, and
staff expect to see their own changes at once.

Data versions: a summary that is slow to compute (such as the DASS
dashboard's counts over every appointment) is cached under a key that
includes its data's version, and every domain function that changes that
data calls data_changed in its transaction, so the next page computes it
afresh. If the cache cannot be reached, every read is a miss and the summary
is computed each time.
"""

import hashlib
import logging
import time
import uuid
from functools import wraps

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
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


PUBLIC_PAGE_SECONDS = 60

# The data version of everything public about results: the approval, the
# announcement instant, the published images. Domain functions that change
# any of it call data_changed(RESULTS_DATA), so a postponed announcement hides
# the winners pages on the very next request, not a minute later.
RESULTS_DATA = "results"


def cache_public_page(view=None, *, data=()):
    """Keep an anonymous visitor's page for a minute, keyed by its address
    and the current version of each kind of `data` it shows."""
    if view is None:
        return lambda view: cache_public_page(view, data=data)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated or request.method != "GET":
            return view(request, *args, **kwargs)
        versions = "".join(f"{data_version(name)}:" for name in data)
        key = "public-page:" + hashlib.sha256((versions + request.get_full_path()).encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, PUBLIC_PAGE_SECONDS)
        return response

    return wrapped


def data_version(name: str) -> str:
    """The current version of a kind of data, to put in cache keys."""
    key = f"data-version:{name}"
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key) or uuid.uuid4().hex
    return version


def data_changed(name: str) -> None:
    """A domain function changed this data: summaries of it are recomputed.

    The version changes now, so that the rest of this transaction sees the
    change, and again once the transaction commits, because another request
    may have cached a summary of the old data under the first new version in
    between."""
    key = f"data-version:{name}"
    cache.set(key, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))
