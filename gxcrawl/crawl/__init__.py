"""The Scrapy side: how pages are found and fetched, and what each fetch leaves behind.

In: Scrapy requests and responses. Out: `DocumentItem`s for the pipelines (which parse
them with `gxcrawl.parse` and store them with `gxcrawl.archive`), and the crawl's own
records in the archive (fetches, crawls, the `entries` of incremental crawls).

- `targets`: `-a city=/province=/url=` → the portals to crawl;
- `discovery/`: pure functions over pages — report columns, list pages and pagination of
  each CMS family, search forms, challenges;
- `middlewares`: host mapping, the browser retry of JS challenges, fetch recording;
- `hardening`: Retry-After, truncated gzip, size limits; `cloaking`: Baiduspider re-fetch;
- `incremental`: conditional requests and list-entry bookkeeping (registers `entries`
  with the archive); `withdrawals`: entries gone from their lists, asked for once and
  recorded; `distributed`: the Redis frontier (scrapy-redis);
- `psl`: the Public Suffix List from tldextract's bundled snapshot (never the network);
- `context`: the crawl's one Archive; `items`; `commands`: `scrapy crawl` with checked
  arguments.
"""
import gxcrawl.crawl.incremental  # noqa: F401  (registers the crawl's tables with the archive)
from gxcrawl.crawl import psl as _psl

_psl.install()      # Scrapy's cookie middleware: the bundled Public Suffix List, no download
