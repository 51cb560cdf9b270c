"""Discovery's last resort in a real crawl: a list filled by code the crawler cannot read
(an endpoint hidden in base64 and eval) is rendered in Chromium; the links the page ends
with and the data requests it made are read, and the stats say how often."""
import base64
import json
import shutil

import pytest

from gxcrawl.replicas.content import ReportSpec, render_report
from gxcrawl.replicas.farm import Farm
from gxcrawl.replicas.harness import compare, run_crawl, scrapy_stats, stored_reports
from gxcrawl.replicas.sites import Reply, Site, _ul, html_reply

pytestmark = pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                                reason="Chromium not installed (apt-get install chromium): the render fallback needs it")

LOADER = """(function(){var p=1;function go(n){fetch('/xxgk/api/nb.json?page='+n).then(function(r){return r.json()})
.then(function(d){var h='';d.rows.forEach(function(x){h+='<li><a href="'+x.link+'">'+x.name+'</a></li>'});
document.getElementById('list').innerHTML+=h;});}go(p);})();"""


class ObfuscatedList(Site):
    """A county whose report list is filled by code hidden in base64 + eval: no reader finds the
    endpoint, only running the page does."""
    name, family = "obfuscated", "js-obfuscated"
    PER = 4

    def __init__(self):
        self.rows = []
        super().__init__("www.jiande.gov.cn", "建德市人民政府", "建德市")
        self.dynamic.append(("/xxgk/api/nb.json", self.api))

    def api(self, req):
        page = max(1, int(req.q("page", "1") or 1))
        body = {"rows": self.rows[(page - 1) * self.PER: page * self.PER], "total": len(self.rows), "pageSize": self.PER}
        return Reply(200, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    def build(self):
        self.add("/", html_reply(self.page(self.site_name, _ul([("/xxgk/index.html", "政府信息公开", "")]))))
        self.add("/xxgk/index.html", html_reply(self.page("政府信息公开", _ul([("/xxgk/xxgknb/", "政府信息公开年报", "")]))))
        code = base64.b64encode(LOADER.encode()).decode()
        self.add("/xxgk/xxgknb/index.html", html_reply(self.page(
            "政府信息公开年报", f'<ul id="list"></ul><script>eval(atob("{code}"))</script>')))
        for i, year in enumerate(range(2024, 2017, -1)):
            spec = ReportSpec("建德市人民政府", year, region=self.region, serial=i + 1)
            path = f"/xxgk/xxgknb/{spec.published[:7].replace('-', '')}/t{spec.published.replace('-', '')}_{i + 1}.html"
            self.add(path, html_reply(self.page(spec.title, render_report(spec))))
            self.expect(path, spec)
            self.rows.append({"name": spec.title, "link": path})


def test_a_list_only_a_browser_reads_is_rendered(tmp_path):
    with Farm(sites=[ObfuscatedList()]) as farm:
        site = farm.sites[0]
        proc = run_crawl(farm, {"url": f"http://{site.host}/"}, tmp_path / "a.db")
        assert proc.returncode == 0, proc.stderr[-3000:]
        result = compare(farm, stored_reports(tmp_path / "a.db"))[site.name]
        assert result.ok and len(result.found) == result.expected == 7, (result.missing, result.extra)
        stats = scrapy_stats(proc.stderr)
        assert stats["discovery/render_fallback"] == 1
        assert stats["discovery/render_endpoints"] == 1
        # the endpoint the page called (page 1, by the browser) was asked again plainly and paged on:
        # page 2 was never rendered
        asked = sorted(r["query"] for r in farm.requests_for(site.host) if r["path"] == "/xxgk/api/nb.json")
        assert asked == ["page=1", "page=1", "page=2"]
        assert [r["path"] for r in farm.requests_for(site.host)].count("/xxgk/xxgknb/") == 2    # plainly, then rendered


def test_without_the_render_fallback_nothing_is_found(tmp_path):
    with Farm(sites=[ObfuscatedList()]) as farm:
        site = farm.sites[0]
        proc = run_crawl(farm, {"url": f"http://{site.host}/"}, tmp_path / "b.db", settings={"GXCRAWL_RENDER": "0"})
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert stored_reports(tmp_path / "b.db") == []
        assert "discovery/render_fallback" not in scrapy_stats(proc.stderr)
