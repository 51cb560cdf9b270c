"""gxcrawl spiders (SPIDER_MODULES = ['spiders'])."""
