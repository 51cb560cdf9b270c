"""Scrapy settings for gxcrawl (`scrapy crawl portal -a city=三明`).

Project-specific settings (all overridable with ``-s NAME=value``):

GXCRAWL_ARCHIVE        path of the SQLite archive (default archive/gxcrawl.db)
GXCRAWL_HOST_MAP       {"www.sm.gov.cn": "127.0.0.1:PORT", …} — send requests for these hosts
                       to that address used as an HTTP proxy (the replica farm); URLs, cookies
                       and the archive keep the real portal URLs. JSON on the command line.
GXCRAWL_ONLY_MAPPED    refuse every host not in GXCRAWL_HOST_MAP (offline runs: tests, demo)
GXCRAWL_BROWSER        retry bot walls (any status: gxcrawl.crawl.discovery.walls) in
                       Chromium through scrapy-playwright (default: on when Chromium is found)
GXCRAWL_BROWSER_MAX_FAILED_ROUNDS  browser rounds per host whose wall stayed before that host's
                       walls are recorded as blocked without the browser (default 3)
GXCRAWL_CHROMIUM       Chromium executable (default: shutil.which("chromium"), /usr/bin/chromium)
GXCRAWL_PARSE_PROCESSES parse reports in N worker processes, off the reactor thread (national
                       crawls: thousands of hosts in flight); reports are archived in arrival
                       order all the same (gxcrawl.crawl.parsepool; default 0: parse inline)
GXCRAWL_MAX_LIST_PAGES upper bound of pages read per list (default 200)
GXCRAWL_CRAWL_ID       id stored with every fetch (default: a timestamp)
GXCRAWL_CLOAKING_CHECK fetch report pages with spam findings once more as Baiduspider with a Baidu
                       search Referer and record cloaking (gxcrawl.crawl.cloaking; default on)
GXCRAWL_CLOAKING_OTHER_HOST_PAGES  how many flagged pages of one non-government host (a
                       mirror) get that check; pages of .gov.cn hosts are all checked (default 1)

Hardening, second round (issue 14):
GXCRAWL_COOKIE_MAX     a cookie larger than this (name + value, bytes) is never stored or sent
                       (gxcrawl.crawl.cookies; default 4096, what browsers keep)
GXCRAWL_COOKIE_HEADER_MAX  the Cookie header a request sends is capped here, the largest cookies
                       left out (default 8000); a 400/431 to a request with cookies, or a connection
                       broken before any response, is tried once more without cookies
The host rule (gxcrawl.crawl.scope.ScopeMiddleware, first in the chain) has no setting: every
request off the portal's hosts is refused and recorded in the archive's `refused` table.

Incremental / resumable / distributed (gxcrawl.crawl.incremental, gxcrawl.crawl.distributed):
GXCRAWL_INCREMENTAL    skip report pages whose list entry (URL, title, date) is unchanged since
                       they were archived (default on)
GXCRAWL_CONDITIONAL    revalidate pages the archive holds with If-None-Match / If-Modified-Since;
                       a 304 is served from the archive (default on)
GXCRAWL_REVALIDATE_REPORTS   also send conditional GETs for known report pages (catches silent
                       edits; one request per report, no bytes when unchanged) (default off)
GXCRAWL_REVALIDATE_AFTER_DAYS  revalidate known report pages last checked more than N days ago
                       (default 0: never)
GXCRAWL_WITHDRAWALS    at the end of a complete crawl, ask once for archived entries no list shows
                       any more and record them as withdrawn (gxcrawl.crawl.withdrawals; default on;
                       off in distributed crawls)
GXCRAWL_DEMO           mark this run's `crawls` row as demo data (replica portals, not the real web;
                       set by `gxcrawl demo`; default off)
GXCRAWL_REDIS_URL      redis://host:port/db — the frontier and the duplicate filter live in Redis
                       (scrapy-redis); start any number of workers, each with its own GXCRAWL_ARCHIVE,
                       then `gxcrawl merge` (default: unset, Scrapy's own scheduler)
"""
import shutil

BOT_NAME = "gxcrawl"
SPIDER_MODULES = ["spiders"]
COMMANDS_MODULE = "gxcrawl.crawl.commands"   # scrapy crawl portal checks -a city=… before starting
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "gxcrawl/0.1 (+https://github.com/gxcrawl/gxcrawl; archive of 政府信息公开工作年度报告)"
ROBOTSTXT_OBEY = True
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOADER = "gxcrawl.crawl.downloader.Downloader"   # Scrapy's, with the per-host limit kept (see there)
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
HTTPERROR_ALLOW_ALL = True          # 404/500/412 reach the spider, which records and skips them
REDIRECT_MAX_TIMES = 5
DOWNLOADER_CLIENT_TLS_CIPHERS = "DEFAULT:@SECLEVEL=1"   # old government TLS stacks
DOWNLOADER_CLIENT_TLS_METHOD = "TLS"
COOKIES_ENABLED = True
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9",
}
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOG_FORMATTER = "gxcrawl.crawl.middlewares.QuietLogFormatter"

DOWNLOADER_MIDDLEWARES = {
    # the host rule (gxcrawl.crawl.scope): first in the chain, for every request — redirect and
    # meta-refresh follow-ups and dont_filter replays re-enter the chain from the top. Scrapy's
    # OffsiteMiddleware honours dont_filter, so it is replaced, not kept beside it.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "gxcrawl.crawl.scope.ScopeMiddleware": 10,
    "gxcrawl.crawl.incremental.ConditionalMiddleware": 590,
    "gxcrawl.crawl.middlewares.ChallengeMiddleware": 580,
    "gxcrawl.crawl.middlewares.HostMapMiddleware": 740,
}
SPIDER_MIDDLEWARES = {
    "gxcrawl.crawl.incremental.EntryTracker": 10,
    "gxcrawl.crawl.cloaking.CloakingMiddleware": 5,   # flagged report pages: fetched again as Baiduspider
}
ADDONS = {
    "gxcrawl.crawl.distributed.RedisAddon": 0,   # GXCRAWL_REDIS_URL → scrapy-redis scheduler + dupefilter
}
EXTENSIONS = {
    "gxcrawl.crawl.withdrawals.WithdrawalWatch": 90,   # before ArchiveFetches: its spider_closed closes the archive
    "gxcrawl.crawl.middlewares.ArchiveFetches": 100,
}
ITEM_PIPELINES = {
    "pipelines.parse.ParsePipeline": 300,
    "pipelines.archive.ArchivePipeline": 400,
}

GXCRAWL_ARCHIVE = "archive/gxcrawl.db"
GXCRAWL_HOST_MAP = {}
GXCRAWL_ONLY_MAPPED = False
GXCRAWL_MAX_LIST_PAGES = 200
GXCRAWL_PARSE_PROCESSES = 0
GXCRAWL_CLOAKING_CHECK = True
GXCRAWL_CLOAKING_OTHER_HOST_PAGES = 1
GXCRAWL_INCREMENTAL = True
GXCRAWL_CONDITIONAL = True
GXCRAWL_REVALIDATE_REPORTS = False
GXCRAWL_REVALIDATE_AFTER_DAYS = 0
GXCRAWL_WITHDRAWALS = True
GXCRAWL_REDIS_URL = ""
GXCRAWL_DEMO = False
GXCRAWL_CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
GXCRAWL_BROWSER = bool(shutil.which(GXCRAWL_CHROMIUM) if GXCRAWL_CHROMIUM else False)
GXCRAWL_BROWSER_MAX_FAILED_ROUNDS = 3
# discovery's last resort: a scripted list page whose code names no endpoint the crawler can fill is
# rendered in Chromium (its final links and the XHR/fetch calls it made are read), at most N per portal
GXCRAWL_RENDER = True
GXCRAWL_RENDER_MAX_PAGES = 5

# scrapy-playwright: used only for requests the ChallengeMiddleware marks (meta playwright=True);
# every other request goes through Scrapy's own HTTP handler.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
if GXCRAWL_BROWSER:
    DOWNLOAD_HANDLERS = {
        "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    }
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": GXCRAWL_CHROMIUM,
    "headless": True,
    "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run"],
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30000
PLAYWRIGHT_MAX_CONTEXTS = 4
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2

# -- hardening (issue 7: faults, hostile input; owner: hardening) --------------------------------
# Limits every crawl lives within; see gxcrawl/hardening.py and the README's fault table.
# DOWNLOAD_MAXSIZE (64 MiB, above) also bounds the *decompressed* size: Scrapy ≥ 2.11.1 inflates
# gzip/deflate/br/zstd in 64 KiB steps and drops the response past the limit (gzip bombs).
DOWNLOAD_FAIL_ON_DATALOSS = True          # a body cut short (reset mid-body) is an error, then retried
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
GXCRAWL_RETRY_AFTER_MAX = 30              # seconds of Retry-After honoured; longer → recorded, not retried
GXCRAWL_PAGE_MAXSIZE = 16 * 1024 * 1024   # HTML pages and lists; attachments keep DOWNLOAD_MAXSIZE
GXCRAWL_COOKIE_MAX = 4096                 # a larger cookie is never stored (what browsers do)
GXCRAWL_COOKIE_HEADER_MAX = 8000          # the Cookie header sent is capped (largest cookies left out)
DOWNLOADER_MIDDLEWARES = {
    **DOWNLOADER_MIDDLEWARES,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "gxcrawl.crawl.hardening.RetryAfterMiddleware": 550,
    "gxcrawl.crawl.hardening.HardeningMiddleware": 610,
    # cookies capped as browsers cap them, one try without cookies on 400/431 or a broken
    # connection (gxcrawl.crawl.cookies; issue 14)
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "gxcrawl.crawl.cookies.CappedCookiesMiddleware": 700,
}
ITEM_PIPELINES = {**ITEM_PIPELINES, "gxcrawl.crawl.hardening.UnreadableNotes": 350}
# -- end hardening
