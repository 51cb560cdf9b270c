"""Discovery: find the annual-report column, read its lists in every CMS family, and
classify links. Pure functions over page text; the spider is a thin adapter around them."""
from gxcrawl.crawl.discovery.blocked import block_reason, browser_can_help
from gxcrawl.crawl.discovery.links import (area_score, attachment_kind, column_score, is_lookalike, is_report_title,
                    looks_like_article, same_site, year_from_title)
from gxcrawl.crawl.discovery.lists import (Link, Listing, createpage, hanweb_listing, json_api_urls, json_entries,
                    json_page_url, json_total_pages, page_links, trs_page_urls, writeln_entries)
from gxcrawl.crawl.discovery.pages import attachments, content_images, identity_matches, is_shell, site_identity
from gxcrawl.crawl.discovery.plan import plan_page
from gxcrawl.crawl.discovery.search import SearchForm, find_search_form, search_request_url, search_results

__all__ = ["block_reason", "browser_can_help", "area_score", "attachment_kind", "column_score",
           "is_lookalike", "is_report_title", "looks_like_article", "same_site", "year_from_title",
           "Link", "Listing", "createpage", "hanweb_listing", "json_api_urls", "json_entries",
           "json_page_url", "json_total_pages", "page_links", "trs_page_urls", "writeln_entries",
           "attachments", "content_images", "identity_matches", "is_shell", "site_identity", "plan_page",
           "SearchForm", "find_search_form", "search_request_url", "search_results"]
