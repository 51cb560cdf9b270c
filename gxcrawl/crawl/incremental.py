"""Incremental and resumable crawls.

A re-crawl of a portal asks again for every *navigation* page (robots.txt, roots,
disclosure areas, list pages, JSON list APIs) and for a *report* page only when its list
entry is new or changed:

* **Navigation pages are revalidated** (`ConditionalMiddleware`): a GET for a URL the
  archive holds a 200 fetch of carries that fetch's validators (``If-None-Match`` from its
  ``ETag``, ``If-Modified-Since`` from its ``Last-Modified``). A ``304 Not Modified`` costs
  a request but no bytes: the middleware hands the spider the archived body instead, so
  discovery walks the same pages as before (robots.txt included). Servers that send no
  validators are fetched in full and compared by sha256 (stat
  ``gxcrawl/incremental/same_hash``) — bytes are spent there, nothing else.
* **Report pages are not requested at all when their list entry is unchanged**: an
  entry (URL, title and date as the list shows them) is recorded in the archive's
  `entries` table once its page — and every attachment or image it led to — has been
  processed and its report stored (`EntryTracker`). A later crawl that finds the same
  entry skips it (stat ``gxcrawl/incremental/skipped``). A new entry, or one whose title
  or date changed (CMSes re-date a corrected report), is fetched; changed content
  becomes a new version of the report (gxcrawl.archive.versions keeps the old one).

  The bookkeeping (requests and items of each entry still under way, entries that
  failed) lives in the worker (`LocalEntryState`) or, in a distributed crawl, in Redis
  next to the shared queue (`gxcrawl.crawl.distributed.RedisEntryState`): a request yielded by
  one worker is often processed by another, and so are the attachments of a shell page,
  so only a count shared by all workers knows when an entry is complete. The worker whose
  response or item completes the entry records it in its own archive; `gxcrawl merge`
  brings entries and reports together. A report request refused by the duplicate filter
  is not a failure of the entry: its page was requested by another request — of this
  entry (another list page, another worker: that request completes it) or of another role
  (a column page with a report-like title: then nothing of the entry is under way and it
  is not recorded).

  The trade-off: a report page edited *silently* (same URL, title and date in the list)
  is not noticed by a plain re-crawl. ``-s GXCRAWL_REVALIDATE_REPORTS=1`` sends a
  conditional GET for every known report page too (one request each, no bytes when
  unchanged); ``-s GXCRAWL_REVALIDATE_AFTER_DAYS=N`` does so only for entries last
  checked more than N days ago, which spreads revalidation over the scheduled runs.
  Pages that failed (5xx, blocked, download errors) are never "known": they are tried
  again on every crawl; a 404/410 is known (revalidation retries it). A bot wall is blocked
  whatever its status — a 200 page that is only a cookie-setting, jumping script
  (gxcrawl.crawl.discovery.walls) is never the entry's answer, so its entry is not done.

* **Every run is a `crawls` row** (`start_crawl` / `finish_crawl`): start, end, portals,
  requests, bytes, 304s, new / changed / unchanged reports, blocked, errors, how it ended.

* **Resumable after kill -9** (`prepare_jobdir`): Scrapy's JOBDIR queue and seen-set are
  written on a clean shutdown only. A marker file in JOBDIR says a run is under way; if a
  new run finds it, the previous run died, and its queue/seen-set are discarded: the crawl
  starts again from the roots, revalidates the navigation pages and skips every entry
  already done — the archive is the crawl's real state (SQLite WAL, one transaction per
  stored report, so nothing is half-written). A cleanly stopped run (Ctrl-C,
  CLOSESPIDER_*) resumes from its JOBDIR queue as usual.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import time
from pathlib import Path
from typing import Any, Optional

from scrapy import signals
from scrapy.http import Request, Response
from scrapy.responsetypes import responsetypes

from gxcrawl.archive import register_tables, sha256_hex, utc_now
from gxcrawl.crawl.context import crawl_archive
from gxcrawl.crawl.discovery.blocked import block_reason

logger = logging.getLogger(__name__)

MARKER = "gxcrawl.running"
#: request roles whose pages belong to a report entry (everything else is navigation)
REPORT_ROLES = ("report", "attachment", "image")

ENTRIES_DDL = """
create table if not exists entries (
    url text primary key,        -- the report page (or attachment) URL listed
    signature text,              -- title|date as the list shows them
    list_url text,
    status integer,              -- HTTP status of the entry's own page
    first_seen text,
    checked_at text,             -- when its page was last fetched or revalidated
    crawl_id text
)
"""

#: a worker's entry merged into the merged archive (gxcrawl merge): the latest check wins
ENTRIES_MERGE_SQL = (
    "insert into entries (url, signature, list_url, status, first_seen, checked_at, crawl_id) "
    "values (:url, :signature, :list_url, :status, :first_seen, :checked_at, :crawl_id) "
    "on conflict(url) do update set signature = excluded.signature, list_url = excluded.list_url, "
    "status = excluded.status, checked_at = excluded.checked_at, crawl_id = excluded.crawl_id "
    "where excluded.checked_at > entries.checked_at")


def ensure_tables(db) -> None:
    """The `entries` table (registered with the archive, which creates it on every open)."""
    db.execute(ENTRIES_DDL)


register_tables("entries", ensure_tables, ENTRIES_MERGE_SQL)


def entry_signature(title: Optional[str], date: Optional[str]) -> str:
    return f"{' '.join((title or '').split())}|{(date or '').strip()}"


def _header(headers: dict, name: str) -> Optional[str]:
    for k, v in (headers or {}).items():
        if k.lower() == name.lower():
            return v[0] if isinstance(v, list) else v
    return None


# -- JOBDIR after a crash -------------------------------------------------------------------
def prepare_jobdir(settings) -> bool:
    """Before the scheduler opens: discard the JOBDIR queue of a run that was killed.
    Returns True when the previous run died (this run restarts from the roots)."""
    jobdir = settings.get("JOBDIR")
    if not jobdir:
        return False
    path = Path(jobdir)
    path.mkdir(parents=True, exist_ok=True)
    marker = path / MARKER
    crashed = marker.exists()
    if crashed:
        logger.warning("JOBDIR %s: the previous run did not shut down cleanly (%s); its queue is discarded, "
                       "the crawl restarts from the roots and skips what the archive already holds",
                       jobdir, marker.read_text(errors="replace").strip())
        for name in ("requests.queue", "requests.seen", "spider.state"):
            target = path / name
            if target.is_dir():
                shutil.rmtree(target, ignore_errors=True)
            elif target.exists():
                target.unlink()
    marker.write_text(f"pid {os.getpid()} on {socket.gethostname()} since {utc_now()}\n")
    return crashed


def release_jobdir(settings) -> None:
    jobdir = settings.get("JOBDIR")
    if jobdir:
        try:
            (Path(jobdir) / MARKER).unlink()
        except FileNotFoundError:
            pass


# -- crawls rows ----------------------------------------------------------------------------
def start_crawl(archive, crawl_id: str, spider, settings, resumed: bool) -> None:
    portals = getattr(spider, "portals", {}) or {}
    args = {k: getattr(spider, k) for k in ("city", "province", "url", "years") if getattr(spider, k, None)}
    with archive.db.conn:
        if resumed:     # the runs of this JOBDIR that never finished were killed
            archive.db.execute("update crawls set status = 'killed' where status = 'running' and jobdir = ?",
                               [settings.get("JOBDIR")])
        archive.db.execute("insert or ignore into crawls (crawl_id, started) values (?, ?)", [crawl_id, utc_now()])
        archive.db.execute(
            "update crawls set portals = ?, args = ?, worker = ?, jobdir = ?, resumed = ?, status = 'running', "
            "demo = ? where crawl_id = ?",
            [",".join(p.name for p in portals.values()), json.dumps(args, ensure_ascii=False, default=str),
             f"{socket.gethostname()}:{os.getpid()}", settings.get("JOBDIR"), int(resumed),
             int(settings.getbool("GXCRAWL_DEMO")), crawl_id])


def finish_crawl(archive, crawl_id: str, stats: dict, counts: dict, reason: str,
                 notes: Optional[str] = None) -> None:
    with archive.db.conn:
        archive.db.execute("insert or ignore into crawls (crawl_id, started) values (?, ?)", [crawl_id, utc_now()])
        archive.db.execute(
            "update crawls set finished = ?, status = ?, requests = ?, bytes = ?, not_modified = ?, "
            "reports_new = ?, reports_changed = ?, reports_unchanged = ?, entries_skipped = ?, blocked = ?, "
            "errors = ? where crawl_id = ?",
            [utc_now(), reason, stats.get("downloader/request_count", 0), stats.get("downloader/response_bytes", 0),
             stats.get("gxcrawl/incremental/not_modified", 0), counts.get("new", 0), counts.get("changed", 0),
             counts.get("unchanged", 0), stats.get("gxcrawl/incremental/skipped", 0),
             stats.get("gxcrawl/blocked_final", 0), stats.get("gxcrawl/errors", 0), crawl_id])
        if notes:
            archive.db.execute("update crawls set notes = ? where crawl_id = ?", [notes, crawl_id])


# -- conditional requests -------------------------------------------------------------------
class ConditionalMiddleware:
    """Downloader middleware: validators on re-requests, 304 → the archived body."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("GXCRAWL_CONDITIONAL", True)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _archive(self):
        return crawl_archive(self.crawler)

    def previous(self, url: str) -> Optional[tuple[dict, str]]:
        """(headers, body sha256) of the latest 200 fetch of `url` that was no bot wall."""
        row = self._archive().db.execute(
            "select headers, body_sha256 from fetches where url = ? and status = 200 and body_sha256 is not null "
            "and blocked_reason is null order by id desc limit 1", [url]).fetchone()   # a wall's validators are not the page's
        if row is None:
            return None
        try:
            headers = json.loads(row[0] or "{}")
        except ValueError:
            headers = {}
        return headers, row[1]

    def process_request(self, request: Request, spider=None):
        if not request.meta.get("gx_counted"):
            request.meta["gx_counted"] = True
            kind = "report" if request.meta.get("role") in REPORT_ROLES else "navigation"
            self.stats.inc_value(f"gxcrawl/requests/{kind}")
        if not self.enabled or request.method != "GET" or request.meta.get("playwright") \
                or request.meta.get("gx_conditional") is not None:
            return None
        prev = self.previous(request.url)
        request.meta["gx_conditional"] = bool(prev)
        if prev is None:
            return None
        headers, sha = prev
        request.meta["gx_prev_sha"] = sha
        etag, modified = _header(headers, "ETag"), _header(headers, "Last-Modified")
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if modified:
            request.headers.setdefault(b"If-Modified-Since", modified.encode("latin-1"))
        return None

    def process_response(self, request: Request, response: Response, spider=None):
        sha = request.meta.get("gx_prev_sha")
        if not sha:
            return response
        if response.status == 304:
            prev = self.previous(request.url)
            if prev is None:
                return response
            headers, sha = prev
            body = self._archive().body(sha)
            flat = {k: v for k, v in headers.items()}
            cls = responsetypes.from_args(headers=flat, url=request.url, body=body)
            self.stats.inc_value("gxcrawl/incremental/not_modified")
            request.meta["gx_not_modified"] = True
            return cls(url=request.url, status=200, headers=flat, body=body, request=request,
                       flags=["gx_not_modified"])
        if response.status == 200:
            if sha256_hex(response.body) == sha:
                self.stats.inc_value("gxcrawl/incremental/same_hash")
                request.meta["gx_same_hash"] = True
        return response


# -- report entries -------------------------------------------------------------------------
def is_wall(response: Response) -> bool:
    """A bot wall (by its look, whatever its status: gxcrawl.crawl.discovery.walls) is no answer:
    the entry it stood in front of is not done, the next crawl asks for it again."""
    if response.meta.get("gx_blocked"):
        return True
    return block_reason(response.status, dict(response.headers), response.body) is not None


class LocalEntryState:
    """Pending counts, failures and list metadata of the entries under way in this process
    (a single-process crawl). `gxcrawl.crawl.distributed.RedisEntryState` is the same, shared by
    the workers of a distributed crawl."""

    def __init__(self):
        self.pending: dict[str, int] = {}
        self.failed: set[str] = set()
        self.meta: dict[str, dict] = {}           # entry → sig, list_url, status

    def add(self, entry: str, n: int = 1) -> None:
        self.pending[entry] = self.pending.get(entry, 0) + n

    def adopt(self, entry: str) -> None:
        """A response of an entry nothing is pending for (resumed from a JOBDIR queue):
        count the response itself."""
        self.pending.setdefault(entry, 1)

    def release(self, entry: str, n: int = 1) -> Optional[int]:
        """Count `n` requests/items of `entry` as finished: the number still pending (0: the
        entry is complete, its state is gone), None if nothing was pending for it."""
        if entry not in self.pending:
            return None
        self.pending[entry] -= n
        left = self.pending[entry]
        if left <= 0:
            del self.pending[entry]
            return 0
        return left

    def fail(self, entry: str) -> None:
        self.failed.add(entry)

    def take_failed(self, entry: str) -> bool:
        if entry in self.failed:
            self.failed.discard(entry)
            return True
        return False

    def note_meta(self, entry: str, sig, list_url, status) -> None:
        """First response of the entry wins (its page, before any attachment)."""
        info = self.meta.setdefault(entry, {"sig": sig, "list_url": list_url})
        if status is not None:
            info.setdefault("status", status)

    def take_meta(self, entry: str) -> dict:
        return self.meta.pop(entry, {})


class EntryTracker:
    """Spider middleware + signal handlers: knows when every page, attachment and item of a
    list entry has been processed, and then records the entry as done in the archive."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.settings = crawler.settings
        self.enabled = crawler.settings.getbool("GXCRAWL_INCREMENTAL", True)
        self.revalidate = crawler.settings.getbool("GXCRAWL_REVALIDATE_REPORTS", False)
        self.revalidate_days = crawler.settings.getfloat("GXCRAWL_REVALIDATE_AFTER_DAYS", 0)
        if crawler.settings.get("GXCRAWL_REDIS_URL"):
            # distributed: an entry's requests are processed by whichever worker pops them
            from gxcrawl.crawl.distributed import RedisEntryState
            self.state = RedisEntryState(crawler.settings)
        else:
            self.state = LocalEntryState()
        self.item_entry: dict[int, str] = {}
        self.item_prev: dict[int, Optional[tuple]] = {}
        self.counts = {"new": 0, "changed": 0, "unchanged": 0}
        self.stats = crawler.stats
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.item_error, signal=signals.item_error)
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)
        crawler._gxcrawl_entries = self

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _archive(self):
        return crawl_archive(self.crawler)

    # -- the spider asks ------------------------------------------------------------
    def known(self, url: str, signature: str) -> bool:
        """Is this list entry done with this very title/date (→ no request needed)?"""
        if not self.enabled or self.revalidate:
            return False
        row = self._archive().db.execute("select signature, checked_at from entries where url = ?",
                                         [url]).fetchone()
        if row is None or row[0] != signature:
            return False
        if self.revalidate_days > 0 and row[1]:
            age = time.time() - time.mktime(time.strptime(row[1], "%Y-%m-%dT%H:%M:%SZ")) + time.timezone
            if age > self.revalidate_days * 86400:
                return False
        return True

    # -- bookkeeping ------------------------------------------------------------------
    def _add(self, entry: str, n: int = 1) -> None:
        self.state.add(entry, n)

    def _done(self, entry: str, n: int = 1, record: bool = True) -> None:
        """`n` requests/items of `entry` finished; the last one records the entry (unless it
        failed, or `record` is False: a request that was never processed as the entry)."""
        if self.state.release(entry, n) != 0:
            return
        meta = self.state.take_meta(entry)
        if self.state.take_failed(entry):
            self.stats.inc_value("gxcrawl/incremental/entries_failed")
            return
        if not record:
            self.stats.inc_value("gxcrawl/incremental/entries_elsewhere")
            return
        now = utc_now()
        archive = self._archive()
        with archive.db.conn:
            archive.db.execute(
                "insert into entries (url, signature, list_url, status, first_seen, checked_at, crawl_id) "
                "values (?, ?, ?, ?, ?, ?, ?) on conflict(url) do update set signature = excluded.signature, "
                "list_url = excluded.list_url, status = excluded.status, checked_at = excluded.checked_at, "
                "crawl_id = excluded.crawl_id",
                [entry, meta.get("sig"), meta.get("list_url"), meta.get("status"), now, now,
                 getattr(self.crawler, "_gxcrawl_crawl_id", None)])
        self.stats.inc_value("gxcrawl/incremental/entries_done")
        logger.debug("entry done: %s", entry)

    def mark_failed(self, request: Request) -> None:
        """A request of an entry failed for good (called by the spider's errback)."""
        entry = request.meta.get("gx_entry")
        if entry:
            self.state.fail(entry)
            self._done(entry)

    def request_dropped(self, request: Request, spider=None):
        entry = request.meta.get("gx_entry")
        if not entry:
            return
        if request.meta.get("role") == "report" and request.url == entry:
            # the entry's own page, requested already: as this entry by another request (the
            # same report on two list pages that two workers read — the other request completes
            # the entry, which may be under way in this very worker) or under another role (a
            # column page linked with a report-like title: nothing else of the entry is pending,
            # so the count ends here and nothing is recorded)
            self._done(entry, record=False)
            return
        # an attachment or image fetched already under another entry or role: not processed
        # as part of this entry, so the entry is not done
        self.state.fail(entry)
        self._done(entry)

    # -- spider middleware --------------------------------------------------------------
    def _note_response(self, response: Response) -> Optional[str]:
        entry = response.meta.get("gx_entry")
        if not entry:
            return None
        self.state.adopt(entry)             # resumed from a JOBDIR queue: nothing counted this request
        own = response.url == entry or response.meta.get("role") == "report"
        self.state.note_meta(entry, response.meta.get("gx_sig"), response.meta.get("list_url"),
                             response.status if own else None)
        if response.status >= 500 or response.status in (403, 408, 412, 429, 521, 202) or is_wall(response):
            self.state.fail(entry)
        return entry

    def process_spider_output(self, response, result, spider=None):
        entry = self._note_response(response)
        for out in result:
            self._note_output(out, response, entry)
            yield out
        if entry:
            self._done(entry)

    async def process_spider_output_async(self, response, result, spider=None):
        entry = self._note_response(response)
        async for out in result:
            self._note_output(out, response, entry)
            yield out
        if entry:
            self._done(entry)

    def _note_output(self, out: Any, response: Response, entry: Optional[str]) -> None:
        if isinstance(out, Request):
            child = out.meta.get("gx_entry")
            if not child and entry and response.meta.get("role") in REPORT_ROLES:
                out.meta["gx_entry"], out.meta["gx_sig"] = entry, response.meta.get("gx_sig")
                child = entry
            if child:
                self._add(child)
        elif entry is not None:
            self.item_entry[id(out)] = entry
            self._add(entry)

    def process_spider_exception(self, response, exception, spider=None):
        entry = response.meta.get("gx_entry")
        if entry:
            self.state.fail(entry)
        return None

    # -- items ---------------------------------------------------------------------------
    def remember_previous(self, item, url: str, year: int) -> None:
        """Called by the parse pipeline before the report is stored: its current version."""
        row = self._archive().db.execute("select version, content_hash from reports where url = ? and year = ?",
                                         [url, year]).fetchone()
        self.item_prev[id(item)] = (url, year, tuple(row) if row else None)

    def item_scraped(self, item, response=None, spider=None):
        prev = self.item_prev.pop(id(item), None)
        if prev is not None:
            url, year, before = prev
            row = self._archive().db.execute("select version, content_hash from reports where url = ? and year = ?",
                                             [url, year]).fetchone()
            kind = "new" if before is None else ("changed" if row and tuple(row) != before else "unchanged")
            self.counts[kind] += 1
            self.stats.inc_value(f"gxcrawl/reports_{kind}")
        entry = self.item_entry.pop(id(item), None)
        if entry:
            self._done(entry)

    def item_dropped(self, item, response=None, exception=None, spider=None):
        self.item_prev.pop(id(item), None)
        entry = self.item_entry.pop(id(item), None)
        if entry:
            self._done(entry)

    def item_error(self, item, response=None, spider=None, failure=None):
        self.item_prev.pop(id(item), None)
        entry = self.item_entry.pop(id(item), None)
        if entry:
            self.state.fail(entry)
            self._done(entry)
