"""gxcrawl's Datasette plugin (loaded with --plugins-dir gxcrawl/datasette/plugins).

* The search box of the `reports` table (and of `report_summary`) searches the clean
  text in Chinese: terms of 3+ characters through the trigram index `reports_fts`,
  1–2 character terms (申请, 公开) through the bigram index `reports_bigram`
  (gxcrawl.archive.search.search_clause).
* Every response carries a strict Content-Security-Policy (no third-party
  anything, no plugins, no framing), X-Content-Type-Options: nosniff and
  Referrer-Policy: no-referrer. Cells are text: stored HTML is escaped, never rendered.
"""
from datasette import hookimpl
from datasette.filters import FilterArguments

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


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def add_headers(scope, receive, send):
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
