"""Reports the portal took back: at the end of a complete crawl, every archived list
entry of a portal whose lists were read, that no list showed this time, while the list it
was found on still answers, is asked for once more; what its page answers says how it
was withdrawn — ``gone`` (404/410), ``deleted_notice`` (a "信息已删除" page) or
``unlisted`` (still online, no longer listed) — and the archive records it
(gxcrawl.archive.signals.withdrawn.record_withdrawal) for the report(s) it led to (its page,
or the attachments the archived page links). The archived copy is never touched. An entry
listed again ends its withdrawal.

Only a crawl that ends normally (``finished``), on one worker (a distributed worker sees
part of the lists) and — with ``-a years=`` — only for reports of those years, decides;
``-s GXCRAWL_WITHDRAWALS=0`` turns it off.

>>> withdrawal_kind(404, ""), withdrawal_kind(200, "<p>该信息已删除</p>"), withdrawal_kind(200, "<html>报告</html>")
('gone', 'deleted_notice', 'unlisted')
"""
from __future__ import annotations

import logging
from typing import Optional
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response

from gxcrawl.archive import utc_now
from gxcrawl.archive.signals.withdrawn import open_withdrawal, record_relisted, record_withdrawal
from gxcrawl.crawl.context import crawl_archive
from gxcrawl.crawl.discovery.pages import attachments, is_deleted_notice

logger = logging.getLogger(__name__)


def withdrawal_kind(status: Optional[int], text: str) -> str:
    if status in (404, 410):
        return "gone"
    if status == 200 and is_deleted_notice(text or "") and len(text or "") < 3000:
        return "deleted_notice"
    return "unlisted"


class WithdrawalWatch:
    """Extension: finds list entries that left their lists, checks their pages once."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.enabled = settings.getbool("GXCRAWL_WITHDRAWALS", True) and not settings.get("GXCRAWL_REDIS_URL")
        self.asked: dict[str, dict] = {}          # entry url → {list_url, status, text}

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _crawl_id(self) -> Optional[str]:
        return getattr(self.crawler, "_gxcrawl_crawl_id", None)

    def candidates(self, spider) -> list[tuple[str, str]]:
        """(entry url, list url) of archived entries no list showed in this crawl, on portals
        whose lists were read, whose list answered in this crawl."""
        portals = getattr(spider, "portals", {}) or {}
        read = getattr(spider, "lists_read", set())
        hosts = {h.lower() for key, p in portals.items() if key in read for h in p.hosts}
        seen = getattr(spider, "seen_entries", set())
        db = crawl_archive(self.crawler).db
        rows = db.execute("""
            select e.url, e.list_url from entries e
            where e.status = 200 and e.list_url is not null
              and exists (select 1 from fetches f where f.url = e.list_url and f.crawl_id = ?
                          and f.status in (200, 304))""", [self._crawl_id()]).fetchall()
        out = []
        for url, list_url in rows:
            if url in seen or url in self.asked or (urlsplit(url).hostname or "").lower() not in hosts:
                continue
            if open_withdrawal(db, url) or not self._in_years(db, url, spider):
                continue
            out.append((url, list_url))
        return out

    @staticmethod
    def _in_years(db, url: str, spider) -> bool:
        years = getattr(spider, "years", None)
        if not years:
            return True
        row = db.execute("select year from reports where url = ?", [url]).fetchone()
        return bool(row) and row[0] in years

    def spider_idle(self, spider):
        if not self.enabled:
            return
        asked = 0
        for url, list_url in self.candidates(spider):
            self.asked[url] = {"list_url": list_url, "status": None, "text": ""}
            self.crawler.engine.crawl(Request(url, callback=self.checked, errback=self.failed, dont_filter=True,
                                              meta={"role": "withdrawal-check", "gx_entry_check": url}))
            asked += 1
        if asked:
            self.crawler.stats.inc_value("gxcrawl/withdrawals/checked", asked)
            raise DontCloseSpider

    def checked(self, response: Response):
        info = self.asked.get(response.meta.get("gx_entry_check") or response.url)
        if info is not None:
            info["status"] = response.status
            info["text"] = response.text if hasattr(response, "text") else ""
        return None

    def failed(self, failure):
        logger.info("withdrawal check of %s failed: %s", failure.request.url, failure.getErrorMessage())

    def report_urls(self, db, entry: str) -> list[str]:
        """The archived reports an entry led to: its page, or the attachments of its archived page."""
        if db.execute("select 1 from reports where url = ?", [entry]).fetchone():
            return [entry]
        row = db.execute("select b.sha256 from fetches f join bodies b on b.sha256 = f.body_sha256 "
                         "where f.url = ? and f.status = 200 order by f.id desc limit 1", [entry]).fetchone()
        if row is None:
            return []
        archive = crawl_archive(self.crawler)
        text = archive.body(row[0]).decode("utf-8", "replace")
        links = [link.url for link in attachments(text, entry)]
        return [u for u in links if db.execute("select 1 from reports where url = ?", [u]).fetchone()]

    def spider_closed(self, spider, reason):
        if not self.enabled or reason != "finished":
            return
        archive = crawl_archive(self.crawler)
        if archive is None:
            return
        db, now, seen = archive.db, utc_now(), getattr(spider, "seen_entries", set())
        record_relisted(db, [u for u in seen if open_withdrawal(db, u)], at=now)
        for entry, info in self.asked.items():
            if entry in seen:
                continue               # found on a list after all (a later list page, the site search)
            how = withdrawal_kind(info["status"], info["text"])
            for url in self.report_urls(db, entry):
                record_withdrawal(db, url, how, entry_url=entry, list_url=info["list_url"],
                                  page_status=info["status"], crawl_id=self._crawl_id(), at=now)
                self.crawler.stats.inc_value(f"gxcrawl/withdrawals/{how}")
        db.conn.commit()
