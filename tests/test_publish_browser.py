"""A person's walk through the site in Debian's Chromium (Playwright, headless, no browser download).

From the home page to the Plan's （三）主要目标, along an incoming link to an indicator, through the language
switch, a named query run from its form, a SPARQL query typed into the editor, and a heading holding
<script> shown as text.  Screenshots go to tests/_artifacts/.  The server is started on 127.0.0.1 by the
fixture and stopped by it."""

from __future__ import annotations

from pathlib import Path

import pytest
from plankg.graph_store import open_store

from plankg.iris import Iris
from plankg.pipeline import build, ingest
from servers import PlankgServer
from test_publish_app import MARKUP_TEXT  # a heading holding <script>

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "_artifacts"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium with "
                    "`apt-get update && apt-get install -y chromium` (.ci/run does this on CI)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        pytest.fail("playwright is missing: pip install -e '.[test]'", pytrace=False)
    root = tmp_path_factory.mktemp("browser")
    store = root / "store"
    build(open_store(store), None, Iris())
    text = root / "markup.txt"
    text.write_text(MARKUP_TEXT, encoding="utf-8")
    ingest(open_store(store), text, Iris(), {"doc_id": "markup-test", "doc_type": "FiveYearPlan",
                                             "title_zh": "测试<b>规划</b>", "title_en": "Test <i>plan</i>"})
    with PlankgServer(store, root / "server", env={"PLANKG_WORKERS": 1}) as srv:
        yield srv.url
    assert not srv.left, f"worker processes outlived the server: {srv.left}"


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.errors, pg.dialogs = [], []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_home_to_goal_and_along_an_incoming_link(site, page):
    page.goto(site + "/")
    assert page.locator("h1").inner_text().startswith("知识产权规划知识图谱")
    shot(page, "01-home")
    page.get_by_role("link", name="“十四五”国家知识产权保护和运用规划", exact=True).click()
    page.wait_for_url("**/doc/plan-2021-2025")
    page.locator("#structure a", has_text="总体要求").first.click()
    page.wait_for_url("**/doc/plan-2021-2025/p2")
    page.locator("ol.children a", has_text="主要目标").click()
    page.wait_for_url("**/doc/plan-2021-2025/p2/s3")
    assert page.locator("h1#title").inner_text().replace(" ", "") == "（三）主要目标"
    assert page.locator("#values tbody tr").count() == 15
    assert page.locator("#incoming h3", has_text="衡量").count() == 1
    shot(page, "02-goal")
    page.locator("#incoming ul.incoming a", has_text="每万人口高价值发明专利拥有量").click()
    page.wait_for_url("**/doc/indicator/high-value-invention-patents-per-10k")
    assert page.locator("h1#title").inner_text() == "每万人口高价值发明专利拥有量"
    assert page.locator("#values tbody tr").count() >= 10
    shot(page, "03-indicator")
    page.locator("#lang-en").click()
    page.wait_for_url("**lang=en")
    assert page.locator("h1#title").inner_text() == "High-value invention patents owned per 10,000 population"
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "04-indicator-en")
    assert page.errors == []


def test_named_query_from_its_form(site, page):
    page.goto(site + "/query")
    page.locator("#q-goal-indicators summary").click()
    form = page.locator("#form-goal-indicators")
    form.locator("input[name=goal]").fill("plan-2021-2025/p2/s3")
    form.get_by_role("button", name="运行").click()
    page.wait_for_url("**/query/goal-indicators?goal=*")
    rows = page.locator("#named-results tbody tr")
    assert rows.count() == 15
    assert page.locator("#named-results a[href='/doc/indicator/high-value-invention-patents-per-10k']").count() >= 1
    shot(page, "05-named-query")
    assert page.errors == []


def test_typed_sparql_in_the_editor(site, page):
    page.goto(site + "/query")
    assert page.locator(".CodeMirror").count() == 1
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                       "SELECT DISTINCT ?indicator ?label WHERE {\n"
                       "?indicator a <https://w3id.org/plankg/ontology#Indicator> ; skos:prefLabel ?label .\n"
                       "FILTER(LANG(?label) = \"zh\" && CONTAINS(?label, \"专利\"))\n"
                       "} ORDER BY ?label")
    assert page.locator(".CodeMirror .cm-keyword").count() >= 3  # highlighted by the bundled SPARQL mode
    page.locator("#run-sparql").click()
    page.wait_for_selector("#sparql-results table.results")
    cells = page.locator("#sparql-results tbody tr td:nth-child(2)").all_inner_texts()
    assert "每万人口高价值发明专利拥有量 zh" in cells
    assert page.locator("#sparql-results a[href='/doc/indicator/high-value-invention-patents-per-10k']").count() == 1
    shot(page, "06-sparql-editor")
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("SELECT * WHERE { ?s ?p ")
    page.locator("#run-sparql").click()
    page.wait_for_selector("#sparql-error")
    assert "line 1, column" in page.locator("#sparql-error").inner_text()
    assert all("400" in e for e in page.errors)  # the failed request is the only console message
    page.errors.clear()


def test_markup_in_a_label_is_shown_as_text(site, page):
    page.goto(site + "/doc/markup-test/p1/s1")
    title = page.locator("h1#title").inner_text()
    assert '<script>alert("pk")</script>指导思想' in title
    assert page.dialogs == []
    assert page.evaluate("document.querySelectorAll('main script').length") == 0
    shot(page, "07-markup-escaped")
    page.goto(site + "/")
    assert page.get_by_role("link", name="测试<b>规划</b>").count() == 1
    assert page.dialogs == [] and page.errors == []


# -- every page type at a phone's and a desktop's width (issue 13) ---------------------------------------------------
SCREENSHOTS = Path(__file__).parent.parent / "docs" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"  # axe-core 4.14.1 from npm, MPL-2.0
PAGE_TYPES = {
    "home": "/",
    "document": "/doc/outline-2021-2035",
    "plan": "/doc/plan-2021-2025",
    "annual-plan": "/doc/annual-plan-2024",
    "division": "/doc/outline-2021-2035/p4/s8",
    "goal": "/doc/plan-2021-2025/p2/s3",
    "indicator": "/doc/indicator/high-value-invention-patents-per-10k",
    "value": "/doc/plan-2021-2025/value/high-value-invention-patents-per-10k/actual-2021",
    "organisation": "/doc/org/cnipa",
    "source": "/doc/source/outline-2021-2035/S1",
    "search": "/search?q=%E5%8F%B8%E6%B3%95%E4%BF%9D%E6%8A%A4",
    "queries": "/query",
    "named-query": "/query/goal-indicators?goal=plan-2021-2025%2Fp2%2Fs3",
    "coverage": "/query/coverage-matrix",
    "query-form": "/query/heading-tree",
    "english": "/doc/plan-2021-2025/p2/s3?lang=en",
}
WIDTHS = (390, 1280)


def _context(browser, width: int, **kw):
    ctx = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900}, locale="zh-CN", **kw)
    pg = ctx.new_page()
    pg.set_default_timeout(15_000)
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    return ctx, pg


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_viewport_nor_logs_an_error(site, browser, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ctx, pg = _context(browser, width)
    wide, errors = {}, {}
    try:
        for name, path in PAGE_TYPES.items():
            r = pg.goto(site + path)
            assert r.status == 200, (path, r.status)
            got = pg.evaluate("document.documentElement.scrollWidth")
            if got > width:
                wide[name] = got
            if pg.errors:
                errors[name] = list(pg.errors)
                pg.errors.clear()
            pg.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"))
    finally:
        ctx.close()
    assert wide == {}, f"pages wider than {width} px: {wide}"
    assert errors == {}


def test_no_serious_accessibility_violations(site, browser):
    """axe-core (bundled, injected by the test only: the CSP is bypassed in this context) on every page type."""
    ctx, pg = _context(browser, 1280, bypass_csp=True)
    found = {}
    try:
        for name, path in PAGE_TYPES.items():
            pg.goto(site + path)
            pg.add_script_tag(path=str(AXE))
            result = pg.evaluate("axe.run(document, {resultTypes: ['violations']})")
            bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
            if bad:
                found[name] = bad
    finally:
        ctx.close()
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_the_chart_and_the_heatmap_are_drawn(site, page):
    page.goto(site + PAGE_TYPES["indicator"])
    assert page.locator("#chart svg circle").count() >= 5  # reported values
    assert page.locator("#chart svg rect").count() >= 1 and page.locator("#chart svg path").count() >= 3
    box = page.locator("#chart svg").bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    page.goto(site + PAGE_TYPES["coverage"])
    assert page.locator("#heatmap tbody tr").count() == 24
    assert page.locator("#heatmap td.gap").count() > 0
    cell = page.locator("#heatmap td a").first
    href = cell.get_attribute("href")
    assert href.startswith("/doc/plan-2021-2025/p") and "%20" not in href
    cell.click()
    page.wait_for_url("**/doc/plan-2021-2025/**")
    assert page.locator("#relations").count() == 1
    assert page.errors == []


def test_every_link_of_the_live_site_resolves(site):
    """A crawl of the running server from its home page: every page in Chinese (the English ones are linked from
    each page and requested, not crawled on), every link on them requested once — 0 broken."""
    import httpx

    from crawl import crawl_live

    with httpx.Client(base_url=site, timeout=30) as c:
        def get(path):
            r = c.get(path, headers={"accept": "text/html"})
            ctype = r.headers.get("content-type", "")
            return r.status_code, ctype, r.text if ctype.startswith("text/html") else ""

        pages, broken = crawl_live(get, follow=lambda path: "lang=en" not in path)
    assert pages > 700  # documents, divisions, indicators, values, sources, organisations, queries, search
    assert broken == {}
