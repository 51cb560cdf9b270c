"""Scrapy's Downloader with its per-host limit kept (``DOWNLOADER`` in gxcrawl/settings.py).

Scrapy 2.19 on the asyncio reactor starts each download as an asyncio task
(``_schedule_coro``) that marks the request as transferring only when it first runs, on
the loop's next turn. Without a download delay, `_process_queue` therefore sees every
transfer slot still free and starts the whole queue of a host at once: the scale farm
(gxcrawl.replicas.scale) counted 11 requests of one host in flight with
CONCURRENT_REQUESTS_PER_DOMAIN = 2. Here a request is counted as transferring when it
leaves the queue, so a host never has more than its slot's concurrency in flight.
(`_download` adds the request to the same set, which is idempotent, and removes it when
the download ends.)
"""
from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader as ScrapyDownloader
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class Downloader(ScrapyDownloader):
    def _process_queue(self, slot) -> None:
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)       # before the task runs: the limit holds now
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break
