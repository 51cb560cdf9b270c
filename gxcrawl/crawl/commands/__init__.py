"""Scrapy commands of the gxcrawl project (COMMANDS_MODULE)."""
