"""Items: one `DocumentItem` per document that may be a report (an HTML report page, an
attachment, or an image-only page). Pipelines add the parse result and store it."""
import scrapy


class DocumentItem(scrapy.Item):
    # what was fetched (body stays exact; it is dropped from feeds by the archive pipeline)
    url = scrapy.Field()
    final_url = scrapy.Field()
    status = scrapy.Field()
    body = scrapy.Field()
    headers = scrapy.Field()
    content_type = scrapy.Field()
    kind = scrapy.Field()            # page | attachment | image-page
    # where it came from
    portal = scrapy.Field()          # portal key (region code or host)
    portal_name = scrapy.Field()
    page_url = scrapy.Field()        # the article page an attachment hangs on
    list_url = scrapy.Field()
    list_title = scrapy.Field()      # the title shown in the list
    list_year = scrapy.Field()
    images = scrapy.Field()
    # filled by the pipelines
    is_report = scrapy.Field()
    year = scrapy.Field()
    agency = scrapy.Field()
    region = scrapy.Field()
    title = scrapy.Field()
    doc_kind = scrapy.Field()
    needs_ocr = scrapy.Field()
    is_mirror = scrapy.Field()
    checks_failed = scrapy.Field()
    warnings = scrapy.Field()
    error = scrapy.Field()
    report = scrapy.Field()          # the Report object (not exported)
