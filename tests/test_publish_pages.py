"""The pages as a policy researcher reads them (issue 13), in-process: each defect the issue lists, the document's
structure, supports grouped by document, the indicator chart, the coverage heatmap, search, the named-query
catalogue, and a link crawl of the static publication (the live site's crawl is in test_publish_browser.py)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette 1.x asks for httpx2; httpx works
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from plankg.iris import Iris
from plankg.publish import PublishConfig, create_app, publish_static
from crawl import crawl_static

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
SLUG = "high-value-invention-patents-per-10k"


@pytest.fixture(scope="module")
def client(corpus_store):
    with TestClient(create_app(corpus_store, Iris(), PublishConfig(workers=1))) as c:
        yield c


def section(html: str, id_: str) -> str:
    m = re.search(rf'<(section|details|div)[^>]*id="{id_}"', html)
    assert m, f"no #{id_}"
    return html[m.start():]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- the defects -----------------------------------------------------------------------------------------------------
def test_coverage_matrix_links_each_supporter_and_draws_a_heatmap(client):
    html = client.get("/query/coverage-matrix").text
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert not [h for h in hrefs if "%20" in h or " " in h], "a link joins two supporters"
    for h in {h for h in hrefs if h.startswith("/doc/plan-2021-2025/")}:
        assert client.get(h).status_code == 200, h
    heat = section(html, "heatmap-wrap").split("</table>")[0]
    assert heat.count('<tr><th scope="row"') == 24
    assert "（八）" in heat and "健全公正高效" in heat  # a heading, not an id
    assert 'class="sec gap"' in heat  # gaps highlighted
    assert 'href="/doc/plan-2021-2025/p3/s2"' in heat  # （二）加强知识产权司法保护 supports （八）
    assert "outline-2021-2035/p" not in text_of(heat)  # no ids shown
    en = client.get("/query/coverage-matrix?lang=en").text
    heads = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', section(en, "named-results"))
    assert heads == ["section", "supporting divisions", "supporters"]  # number and headings shown in the first column


def test_reported_values_are_named_by_indicator_role_and_year(client):
    html = client.get(f"/doc/indicator/{SLUG}").text
    shown = text_of(html.split('<script type="application/ld+json">')[0] + html.split("</script>", 1)[1])
    assert f"{SLUG} 实际值" not in shown
    assert "每万人口高价值发明专利拥有量 实际值（2021年）" in shown
    en = client.get(f"/doc/plan-2021-2025/value/{SLUG}/actual-2021?lang=en").text
    title = re.search(r'<h1 id="title">(.*?)</h1>', en, re.DOTALL).group(1)
    assert "High-value invention patents owned per 10,000 population: actual (2021)" in title and SLUG not in title


def test_a_fact_is_shown_once_with_the_sub_property(client):
    html = client.get("/doc/plan-2021-2025").text
    props = section(html, "properties").split("</table>")[0]
    assert "pk:basedOn" not in props and ">依据<" in props
    assert props.count(">依据<") == 1 and "制定者" not in props  # eli:based_on and dcterms:creator hidden
    assert ">发布机关<" in html


def test_incoming_links_read_backwards(client):
    outline = client.get("/doc/outline-2021-2035").text
    incoming = section(outline, "incoming")
    assert "被…依据" in incoming and "“十四五”国家知识产权保护和运用规划" in incoming
    assert ">依据<" not in incoming
    en = client.get("/doc/outline-2021-2035?lang=en").text
    assert "is the basis of" in section(en, "incoming")


def test_a_document_page_opens_on_its_structure(client):
    html = client.get("/doc/outline-2021-2035").text
    head, rest = html.split('id="structure"', 1)
    assert "别名" not in text_of(head) and "标题" not in text_of(head.split("<main>")[1])  # variants folded below
    assert "<details" in rest.split("</section>")[0] and "二、" in rest and "总体要求" in rest
    assert "（八）" in rest and 'class="count-in"' in rest  # counts of what supports a division
    details = section(html, "details")
    assert "<summary>" in details and "properties" in details  # the title variants and all the rest, folded
    assert html.index('id="structure"') < html.index('id="details"')
    plan = client.get("/doc/plan-2021-2025").text
    incoming = section(plan, "incoming")
    assert 'href="/doc/plan-2021-2025/p2/s3"' not in incoming  # a division of the tree is not listed again
    assert 'href="/doc/plan-2021-2025/p2/s3"' in section(plan, "structure")


def test_no_datatypes_nor_ordering_fields_for_readers(client):
    for path in ("/doc/plan-2021-2025/p2/s3", f"/doc/plan-2021-2025/value/{SLUG}/actual-2021", "/doc/plan-2021-2025"):
        html = client.get(path).text
        shown = text_of(html.split("<main>")[1])
        assert "xsd:" not in shown and "位置序号" not in shown and "序数" not in shown, path
    ttl = client.get("/doc/plan-2021-2025/p2/s3.ttl").text
    assert "position" in ttl and "ordinal" in ttl  # kept in the RDF


def test_children_are_numbered_once(client):
    html = client.get("/doc/plan-2021-2025/p2").text
    kids = re.search(r'<ol class="children"[^>]*>(.*?)</ol>', html, re.DOTALL).group(1)
    assert "（三）" in kids
    css = client.get("/static/plankg.css").text
    assert re.search(r"ol\.children \{ list-style: none", css)  # the printed number, not the list's


def test_annual_plans_have_one_year_and_the_home_list_is_chronological(client):
    html = client.get("/").text
    docs = section(html, "documents")
    assert "2023–2023" not in docs and re.search(r"<td>2023</td>", docs)
    order = re.findall(r'href="/doc/([a-z0-9-]+)" class="doc-link"', docs)
    assert order.index("strategy-2008") < order.index("plan-2016-2020") < order.index("plan-2021-2025") \
        < order.index("plan-2026-2030")


def test_the_licence_is_a_named_link(client):
    html = client.get("/").text
    assert re.search(r'<a href="https://creativecommons.org/publicdomain/zero/1.0/" rel="license">CC0 1.0</a>', html)
    assert ">https://creativecommons.org/publicdomain/zero/1.0/<" not in html


def test_well_known_void_in_a_browser_is_a_page(client):
    r = client.get("/.well-known/void", headers={"accept": BROWSER}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/")
    assert client.get("/.well-known/void", headers={"accept": BROWSER}).headers["content-type"].startswith("text/html")
    assert client.get("/.well-known/void").headers["content-type"].startswith("text/turtle")  # a client: Turtle


# -- named queries -----------------------------------------------------------------------------------------------------
def test_a_named_query_without_its_parameters_shows_its_form(client):
    for name in ("heading-tree", "goal-indicators", "indicator-history", "label-search", "provenance", "goal-supporters"):
        r = client.get(f"/query/{name}", headers={"accept": BROWSER})
        assert r.status_code == 200, name
        assert f'id="form-{name}"' in r.text and 'id="named-missing"' in r.text
        assert 'name="format" value="csv"' in r.text and 'name="format" value="json"' in r.text


def test_csv_and_json_buttons_give_the_answers(client):
    html = client.get("/query/goal-indicators").text
    form = re.search(r'<form class="named-form"[^>]*id="form-goal-indicators".*?</form>', html, re.DOTALL).group(0)
    action = re.search(r'action="([^"]+)"', form).group(1)
    for fmt, start in (("csv", "indicator,"), ("json", "[")):
        r = client.get(action, params={"goal": "plan-2021-2025/p2/s3", "format": fmt})
        assert r.status_code == 200 and r.text.startswith(start), fmt


def test_the_catalogue_comes_first_in_plain_words_and_the_limits_are_folded(client):
    zh = client.get("/query").text
    assert zh.index('id="named"') < zh.index('id="editor-section"') < zh.index('id="limits"')
    assert "衡量某一目标的指标" in zh and '<details class="dev limits" id="limits">' in zh
    en = client.get("/query?lang=en").text
    assert "Indicators that measure a goal" in en and "For developers" in en


def test_results_show_headings_and_words_for_codes(client):
    html = client.get("/query/goal-indicators", params={"goal": "plan-2021-2025/p2/s3"}).text
    table = section(html, "named-results")
    assert "预期性" in table or "约束性" in table
    assert "已核实" in table and "verified" not in text_of(table)
    assert "anticipatory" not in text_of(table)
    heads = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
    assert "指标" in heads and "indicator" not in heads


# -- division, indicator, search -------------------------------------------------------------------------------------
def test_a_section_lists_its_supporters_by_document_stated_or_curated(client):
    html = client.get("/doc/outline-2021-2035/p4/s8").text
    rel = section(html, "relations")
    assert "被…支撑" in rel
    assert "“十四五”国家知识产权保护和运用规划" in rel and "知识产权保护和运用“十五五”规划" in rel
    assert '<div class="side">' in rel  # side by side
    assert "（二）" in rel and "加强知识产权司法保护" in rel and "kind-curated" in rel
    plan = client.get("/doc/annual-plan-2024").text
    assert "kind-stated" in section(plan, "relations")  # the annual plan states what it implements


def test_the_indicator_page_draws_its_chart_before_the_table(client):
    html = client.get(f"/doc/indicator/{SLUG}").text
    chart = section(html, "chart").split("</figure>")[0]
    assert chart.count("<circle") >= 5 and "<rect" in chart and "stroke-dasharray" in chart
    assert "“十四五”国家知识产权保护和运用规划" in chart  # the series are named by their documents
    assert "https://" not in text_of(chart)
    assert html.index('id="chart"') < html.index('id="values"')
    assert "<script src=" not in chart and "cdn" not in html.lower()


def test_search_groups_hits_by_document_with_their_place(client):
    r = client.get("/search", params={"q": "司法保护"})
    assert r.status_code == 200
    groups = re.findall(r'<section class="search-group">(.*?)</section>', r.text, re.DOTALL)
    assert len(groups) >= 3
    outline = next(g for g in groups if "知识产权强国建设纲要" in g.split("</h2>")[0])
    assert "（八）" in outline and 'class="place"' in outline and "四、" in outline
    en = client.get("/search", params={"q": "judicial", "lang": "en"}).text
    assert 'class="search-group"' in en
    assert client.get("/search").status_code == 200
    assert 'role="search"' in client.get("/doc/plan-2021-2025").text  # the box on every page


def test_markup_in_a_search_is_escaped(client):
    html = client.get("/search", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# -- the static publication --------------------------------------------------------------------------------------------
def test_the_static_publication_has_no_broken_link(corpus_store, tmp_path):
    out = tmp_path / "site"
    counts = publish_static(corpus_store, out, Iris(), "http://localhost/")
    pages, broken = crawl_static(out)
    assert pages == counts["pages"] + 2 + 2 and pages > 1000  # + index (zh, en), ontology.html, 404.html
    assert broken == {}
    plan = (out / "doc" / "plan-2021-2025.html").read_text(encoding="utf-8")
    assert 'id="structure"' in plan and 'role="search"' not in plan  # no search box without the service


def test_stated_curated_and_suggested_links_are_told_apart():
    """A mapping whose justification is not manual curation (here semapv:LexicalMatching) shows as suggested."""
    from plankg.graph_store import open_store
    from plankg.pipeline import build
    from pyoxigraph import Literal, NamedNode, Quad

    ID = "https://w3id.org/plankg/id/"
    store = open_store("memory:")
    build(store)
    g = NamedNode("https://w3id.org/plankg/graph/mappings/test-suggested")
    m = NamedNode(ID + "mapping/test-suggested/1")
    s, o = NamedNode(ID + "plan-2021-2025/p3/s5"), NamedNode(ID + "outline-2021-2035/p4/s9")
    RDF, PK, SSSOM = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "https://w3id.org/plankg/ontology#",
                      "https://w3id.org/sssom/")
    store.replace_graphs({g.value: [Quad(*t, g) for t in [
        (s, NamedNode(PK + "supports"), o),
        (m, NamedNode(RDF + "type"), NamedNode(PK + "CuratedMapping")),
        (m, NamedNode(RDF + "subject"), s), (m, NamedNode(RDF + "predicate"), NamedNode(PK + "supports")),
        (m, NamedNode(RDF + "object"), o),
        (m, NamedNode(SSSOM + "mapping_justification"), NamedNode("https://w3id.org/semapv/vocab/LexicalMatching")),
        (m, NamedNode(SSSOM + "confidence"), Literal("0.5", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#double"))),
    ]]})
    with TestClient(create_app(store, Iris(), PublishConfig(workers=1))) as c:
        rel = section(c.get("/doc/outline-2021-2035/p4/s9").text, "relations")
        item = next(li for li in re.findall(r"<li[^>]*>.*?</li>", rel, re.DOTALL) if "/doc/plan-2021-2025/p3/s5" in li)
        assert 'class="rel-suggested"' in item and "kind-suggested" in item and "建议" in item
        assert "kind-curated" in rel  # the Plan's curated mapping to the same section stays curated
        plan = section(c.get("/doc/annual-plan-2024").text, "relations")
        assert "kind-stated" in plan and "kind-suggested" not in plan


def test_the_page_queries_are_resource_files_that_run(corpus_store):
    """Each query a page runs is a page_queries/*.rq file of the package (as the named queries are), and each
    one answers for a document bound as ?x."""
    from importlib import resources

    from pyoxigraph import NamedNode

    from plankg.publish import pages

    shipped = {e.name[:-3] for e in resources.files("plankg.publish").joinpath("page_queries").iterdir()
               if e.name.endswith(".rq")}
    used = {"resource-values": pages.VALUES_QUERY, "resource-structure": pages.STRUCTURE_QUERY,
            "document-tree": pages.TREE_QUERY, "tree-counts": pages.TREE_COUNTS}
    assert shipped == set(used)
    plan = {"x": NamedNode("https://w3id.org/plankg/id/plan-2021-2025")}
    for name, text in used.items():
        assert text == pages.page_query(name)
        assert list(corpus_store.query(text, plan)), name  # the plan has parts, a tree, links and values
