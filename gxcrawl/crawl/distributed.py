"""Distributed crawls on scrapy-redis: the frontier (request queue) and the duplicate
filter live in a Redis server; any number of worker processes, on any machines, run the
same `portal` spider against it.

``-s GXCRAWL_REDIS_URL=redis://host:6379/0`` switches a crawl to Redis (`RedisAddon`,
a Scrapy add-on, so the switch happens before the scheduler is built):

* ``SCHEDULER = gxcrawl.crawl.distributed.Scheduler`` (scrapy-redis's own, minus a deprecated
  stats argument), ``DUPEFILTER_CLASS = scrapy_redis.dupefilter.RFPDupeFilter``;
  scrapy-redis 0.9.1 works with Scrapy 2.19: its scheduler passes Scrapy's BaseScheduler
  interface check and requests are serialised with ``Request.to_dict``;
* keys ``gxcrawl:<GXCRAWL_CRAWL_ID>:requests`` / ``:dupefilter`` / ``:workers``: workers of
  one crawl share a GXCRAWL_CRAWL_ID (``gxcrawl crawl --workers N`` gives them one);
  the keys persist after the crawl (a killed worker restarted with the same id resumes
  the shared queue) and expire after GXCRAWL_REDIS_TTL seconds (default 7 days);
* every worker yields the start requests; the shared duplicate filter keeps one of each;
* `Workers` (an extension, only in Redis mode) keeps an idle worker alive while another
  worker is still busy — its responses may add requests to the shared queue — and wakes
  it as soon as the queue has requests again; all workers stop when the queue is empty
  and every worker is idle.

Archive: each worker writes its own SQLite archive (GXCRAWL_ARCHIVE, one file per worker
— SQLite has one writer at a time and workers may sit on different machines); `gxcrawl
merge OUT.db W1.db W2.db …` merges them (gxcrawl.archive.merge). Each worker fetches robots.txt
for itself (Scrapy's RobotsTxtMiddleware does not go through the scheduler); every other
URL is fetched once by the whole crawl.

Incremental state: the bookkeeping of report entries (gxcrawl.crawl.incremental.EntryTracker:
requests and items of each entry still under way, entries that failed) is kept in Redis
too (`RedisEntryState`, keys ``…:entries`` / ``:entries_failed`` / ``:entries_meta``).
A report request one worker yields is often processed by another, and the attachments
of a shell page by either: counted per worker, the count of the worker that yielded a
request never came down and the one that processed it finished early, so an entry could
be recorded before its last attachment was in, or by no worker at all — its page was
then fetched again by the next crawl. With one count per crawl the entry is recorded
exactly when all of its work is done, by the worker that finished it.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

logger = logging.getLogger(__name__)

HEARTBEAT = 0.25        # seconds between worker state updates
STALE = 15.0            # a worker silent this long is gone (killed)
GRACE = 3.0             # an idle worker waits this long for work (other workers still starting)

try:
    from scrapy_redis.scheduler import Scheduler as _RedisScheduler
except ImportError:     # scrapy-redis not installed: only Redis mode needs it
    _RedisScheduler = object


class Scheduler(_RedisScheduler):
    """scrapy-redis's scheduler without the `spider=` argument to StatsCollector.inc_value
    (deprecated in Scrapy 2.19: a warning per request otherwise). Nothing else changes."""

    def enqueue_request(self, request):
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self):
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


def key_prefix(settings) -> str:
    return settings.get("GXCRAWL_REDIS_KEY") or f"gxcrawl:{settings.get('GXCRAWL_CRAWL_ID') or 'portal'}"


def entry_keys(prefix: str) -> tuple[str, str, str]:
    """Redis keys of the shared entry bookkeeping: pending counts (hash), failed (set), list
    metadata (hash of JSON)."""
    return prefix + ":entries", prefix + ":entries_failed", prefix + ":entries_meta"


# count down and forget at zero in one step: two workers never both see the entry complete
_RELEASE = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return false end
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
if left <= 0 then
    redis.call('HDEL', KEYS[1], ARGV[1])
    return 0
end
return left
"""


class RedisEntryState:
    """gxcrawl.crawl.incremental.LocalEntryState shared by the workers of a distributed crawl:
    every worker counts the requests it yields and the items it scrapes up, and the
    responses and items it finishes down, on one count per entry in Redis."""

    def __init__(self, settings):
        import redis
        self.server = redis.Redis.from_url(settings.get("GXCRAWL_REDIS_URL"))
        self.pending_key, self.failed_key, self.meta_key = entry_keys(key_prefix(settings))
        self._release = self.server.register_script(_RELEASE)

    def add(self, entry: str, n: int = 1) -> None:
        self.server.hincrby(self.pending_key, entry, n)

    def adopt(self, entry: str) -> None:
        # nothing counted: a request from before the counts (keys expired); count the response
        self.server.hsetnx(self.pending_key, entry, 1)

    def release(self, entry: str, n: int = 1):
        left = self._release(keys=[self.pending_key], args=[entry, n])
        return None if left is None else int(left)

    def fail(self, entry: str) -> None:
        self.server.sadd(self.failed_key, entry)

    def take_failed(self, entry: str) -> bool:
        return bool(self.server.srem(self.failed_key, entry))

    def note_meta(self, entry: str, sig, list_url, status) -> None:
        # the entry's page is its first response (attachments are requested from it), so the
        # first writer has the status; later responses leave the metadata alone
        self.server.hsetnx(self.meta_key, entry, json.dumps({"sig": sig, "list_url": list_url, "status": status},
                                                            ensure_ascii=False))

    def take_meta(self, entry: str) -> dict:
        pipe = self.server.pipeline()
        pipe.hget(self.meta_key, entry)
        pipe.hdel(self.meta_key, entry)
        raw, _ = pipe.execute()
        if not raw:
            return {}
        meta = json.loads(raw)
        if meta.get("status") is None:
            meta.pop("status", None)
        return meta


class RedisAddon:
    """Scrapy add-on: GXCRAWL_REDIS_URL set → scrapy-redis scheduler and duplicate filter."""

    def update_settings(self, settings) -> None:
        url = settings.get("GXCRAWL_REDIS_URL")
        if not url:
            return
        prefix = key_prefix(settings)
        settings.set("SCHEDULER", "gxcrawl.crawl.distributed.Scheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        settings.set("REDIS_URL", url, "addon")
        settings.set("SCHEDULER_PERSIST", True, "addon")
        settings.set("SCHEDULER_QUEUE_KEY", prefix + ":requests", "addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", prefix + ":dupefilter", "addon")
        settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.PriorityQueue", "addon")
        settings.set("JOBDIR", None, "addon")          # the frontier is in Redis
        extensions = dict(settings.getdict("EXTENSIONS"))
        extensions["gxcrawl.crawl.distributed.Workers"] = 50
        settings.set("EXTENSIONS", extensions, max(settings.getpriority("EXTENSIONS") or 0, 15))


class Workers:
    """Keep a Redis worker alive while any other worker of the crawl is busy."""

    def __init__(self, crawler):
        if not crawler.settings.get("GXCRAWL_REDIS_URL"):
            raise NotConfigured
        import redis
        self.crawler = crawler
        self.server = redis.Redis.from_url(crawler.settings.get("GXCRAWL_REDIS_URL"))
        prefix = key_prefix(crawler.settings)
        self.workers_key = prefix + ":workers"
        self.queue_key = prefix + ":requests"
        self.keys = [prefix + ":requests", prefix + ":dupefilter", self.workers_key, *entry_keys(prefix)]
        self.ttl = crawler.settings.getint("GXCRAWL_REDIS_TTL", 7 * 86400)
        self.me = f"{socket.gethostname()}:{os.getpid()}"
        self.loop = None
        self.idle_since = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _busy(self) -> bool:
        engine = self.crawler.engine
        try:
            return not engine.spider_is_idle()
        except Exception:  # noqa: BLE001 - engine internals differ between versions
            return True

    def beat(self) -> None:
        busy = self._busy()
        self.server.hset(self.workers_key, self.me, json.dumps({"busy": busy, "t": time.time()}))
        if busy:
            self.idle_since = None
        else:
            # wake the engine now rather than at its 5 s heartbeat: to pull new requests from
            # the shared queue, or to run the idle check that may end this worker
            self.idle_since = self.idle_since or time.time()
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None:
                slot.nextcall.schedule()

    def opened(self, spider):
        from twisted.internet import task
        self.beat()
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(HEARTBEAT, now=False)

    def others_busy(self) -> bool:
        now = time.time()
        for name, raw in self.server.hgetall(self.workers_key).items():
            if name.decode() == self.me:
                continue
            state = json.loads(raw)
            if state.get("busy") and now - state.get("t", 0) < STALE:
                return True
        return False

    def idle(self, spider):
        self.beat()
        if self.server.zcard(self.queue_key) or self.others_busy():
            self.idle_since = time.time()
            raise DontCloseSpider
        if time.time() - (self.idle_since or time.time()) < GRACE:
            raise DontCloseSpider

    def closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.server.hdel(self.workers_key, self.me)
        for key in self.keys:
            self.server.expire(key, self.ttl)
