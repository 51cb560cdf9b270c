"""gxcrawl's Datasette plugin (loaded with --plugins-dir gxcrawl/datasette/plugins).

* The search box of the `reports` table (and of `report_summary`) searches the clean
  text in Chinese: terms of 3+ characters through the trigram index `reports_fts`,
  1–2 character terms (申请, 公开) through the bigram index `reports_bigram`
  (gxcrawl.archive.search.search_clause).
* Every response carries a strict Content-Security-Policy (no third-party
  anything, no plugins, no framing), X-Content-Type-Options: nosniff and
  Referrer-Policy: no-referrer. Cells are text: stored HTML is escaped, never rendered.
* The `reports` table opens with a compact set of columns (COMPACT; `?_full=1` or any
  `_col`/`_nocol` shows what is asked for): no full text or JSON unless asked.
* Each report has a page of its own, `/<db>/-/report/<id>` (gxcrawl.datasette.report_page,
  templates/report.html); the titles in `reports` and `report_summary` link to it.
"""
from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

SEARCHABLE = {"reports": "id", "report_summary": "report_id"}

CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; "
       "base-uri 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


@hookimpl(trylast=True)
def filters_from_request(request, database, table, datasette):
    """?_search= on reports / report_summary, routed per term length (runs last so
    that its extra_context switches the search box on)."""
    if table not in SEARCHABLE:
        return None
    from gxcrawl.archive.search import search_clause
    q = (request.args.get("_search") or "").strip()
    if not q:
        return FilterArguments([], {}, [], {"supports_search": True})
    where, params = search_clause(q, id_column=SEARCHABLE[table])
    return FilterArguments([where], params, [f'search matches "{q}"'],
                           {"supports_search": True, "search": q})


async def report_view(datasette, request):
    """/<db>/-/report/<id>: the report as it reads."""
    from gxcrawl.datasette.report_page import page_context
    name = request.url_vars["database"]
    try:
        db = datasette.get_database(name)
    except KeyError:
        raise NotFound(f"no database {name}")
    context = await page_context(db, int(request.url_vars["id"]))
    if context is None:
        raise NotFound("no such report")
    html = await datasette.render_template("report.html", dict(context, database=name), request=request)
    return Response.html(html)


@hookimpl
def register_routes():
    return [(r"^/(?P<database>[^/]+)/-/report/(?P<id>[0-9]+)$", report_view)]


#: table → the column holding the report id, for the link from a title to the report's page
REPORT_LINKS = {"reports": "id", "report_summary": "report_id"}


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """A report's title links to its page (the text escaped: stored HTML is never markup)."""
    if column != "title" or table not in REPORT_LINKS:
        return None
    try:
        report_id = row[REPORT_LINKS[table]]
    except (KeyError, IndexError):
        return None
    if report_id is None:
        return None
    href = datasette.urls.path(f"/{database}/-/report/{int(report_id)}")
    return Markup(f'<a class="report-page" href="{escape(href)}">{escape(value or "(untitled)")}</a>')


#: the columns the reports table shows by default (the key url, year is always shown)
COMPACT = ("id", "title", "agency", "region_name", "published", "format", "checks_failed", "failed_checks",
           "doc_kind", "is_mirror")


def compact_redirect(scope) -> str | None:
    """The compact URL for a plain HTML request of a database's `reports` table, else None.

    >>> compact_redirect({"type": "http", "path": "/demo/reports", "query_string": b"_sort=year"})[:40]
    '/demo/reports?_sort=year&_col=id&_col=ti'
    >>> compact_redirect({"type": "http", "path": "/demo/reports", "query_string": b"_col=text"}) is None
    True
    """
    from urllib.parse import parse_qsl, urlencode
    if scope.get("type") != "http" or scope.get("method", "GET") != "GET":
        return None
    parts = scope.get("path", "").strip("/").split("/")
    if len(parts) != 2 or parts[1] != "reports":
        return None
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if any(k in ("_col", "_nocol", "_full") for k, _ in query):
        return None
    return f"{scope['path']}?" + urlencode(query + [("_col", c) for c in COMPACT])


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def add_headers(scope, receive, send):
            target = compact_redirect(scope)
            if target is not None:
                await send({"type": "http.response.start", "status": 302,
                            "headers": [(b"location", target.encode("latin-1")), *SECURITY_HEADERS]})
                await send({"type": "http.response.body", "body": b""})
                return
            async def wrapped_send(event):
                if event["type"] == "http.response.start":
                    names = {k.lower() for k, _ in event.get("headers", [])}
                    headers = list(event.get("headers", []))
                    headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                    event = dict(event, headers=headers)
                await send(event)
            await app(scope, receive, wrapped_send)
        return add_headers
    return wrap
