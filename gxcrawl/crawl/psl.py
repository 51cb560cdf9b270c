"""The Public Suffix List without the network: tldextract's bundled snapshot.

Scrapy's cookie middleware splits domains with a module-level `tldextract.TLDExtract()`,
which on first use downloads the list from publicsuffix.org (warnings and tracebacks
offline, a request to the internet during the offline demo). `install()` replaces it
with an extractor that reads only the snapshot shipped inside tldextract and caches
nothing on disk; `gxcrawl.crawl` calls it on import, so every crawl (demo, tests,
`scrapy crawl portal`) uses it. Everything in gxcrawl that splits domains uses `split`.

>>> split("www.sm.gov.cn").suffix, split("www.sm.gov.cn").domain
('gov.cn', 'sm')
>>> split("gov.cn").domain
''
"""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=2)
def extractor(private: bool = True):
    """The offline extractor (bundled snapshot); `private`: the list's private domains
    (github.io …) count as suffixes, as in Scrapy's cookie middleware.

    >>> extractor(private=False)("a.github.io").domain, extractor()("a.github.io").domain
    ('github', 'a')
    """
    import tldextract
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=private)


def split(host: str):
    """host → tldextract's ExtractResult (subdomain, domain, suffix), offline."""
    return extractor()(host)


def install() -> None:
    """Make Scrapy's cookie middleware use the offline extractor (idempotent).

    >>> install(); import scrapy.downloadermiddlewares.cookies as c; c._split_domain is extractor()
    True
    """
    try:
        import scrapy.downloadermiddlewares.cookies as cookies
    except ImportError:        # pragma: no cover - Scrapy is a dependency
        return
    cookies._split_domain = extractor()
