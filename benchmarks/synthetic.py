"""A synthetic corpus generator: N plan documents in plankg's corpus format, for scale tests.

Each document has the shape of a real plan (corpus/FORMAT.md): YAML front matter with title, issuer, 文号,
dates, period, stated counts, relations to other documents and sources; parts 一、… with sections （一）…,
items 1. …, goal and principle bullets ——, and an indicator table 表 … with baseline and target values and
confidence marks on the cells.  Beside them: organisations.yaml, cross-document SSSOM mapping sets
(section → section ``pk:supports``) and a reported-values (actuals) file for every tenth plan.  Indicators
come from a shared pool, so one indicator appears in many documents (as in the real corpus).

Everything is deterministic by ``--seed``: the same N and seed write byte-identical files.  Size: about
500 triples per document (``--parts``, ``--sections``, ``--items`` tune it), so N=10 gives about 15 k
triples with the ontology, N=1,000 about 0.5 M and N=10,000 about 5 M.

Run: python benchmarks/synthetic.py --docs N --seed S --out DIR   then   plankg build --corpus DIR
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

NUMERALS = "一二三四五六七八九十"
MARKS = ("verified", "secondary", "recalled")
TYPES = ("FiveYearPlan", "AnnualPromotionPlan", "ActionPlan", "Outline", "Strategy")
ORGS = [("state-council", "国务院", "State Council"), ("cnipa", "国家知识产权局", "China National Intellectual Property Administration"),
        ("joint-conference", "知识产权强国建设工作部际联席会议", "Inter-ministerial joint conference on IP"),
        ("ministry-of-commerce", "商务部", "Ministry of Commerce"), ("ncac", "国家版权局", "National Copyright Administration")]
WORDS_ZH = ["知识产权", "保护", "运用", "服务", "国际合作", "创新", "体系", "机制", "治理", "质量", "审查", "数据", "公共", "人才",
            "文化", "产业", "转化", "融资", "执法", "司法", "行政", "协同", "开放", "数字", "标准", "品牌", "地理标志", "商标", "专利", "版权"]
WORDS_EN = ["intellectual property", "protection", "utilization", "services", "international cooperation", "innovation", "system",
            "mechanism", "governance", "quality", "examination", "data", "public", "talent", "culture", "industry", "transfer",
            "financing", "enforcement", "judicial", "administrative", "coordination", "openness", "digital", "standards", "brands",
            "geographical indications", "trademarks", "patents", "copyright"]
UNITS = ["件", "万件", "亿元", "%", "分", "个", "家"]
N_INDICATORS = 400


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 24 → 二十四."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


class Gen:
    def __init__(self, seed: int, docs: int, parts: int, sections: int, items: int):
        self.rng = random.Random(seed)
        self.docs, self.parts, self.sections, self.items = docs, parts, sections, items

    def phrase(self, n: int = 3) -> tuple[str, str]:
        idx = [self.rng.randrange(len(WORDS_ZH)) for _ in range(n)]
        return "".join(WORDS_ZH[i] for i in idx), " ".join(WORDS_EN[i] for i in idx).capitalize()

    def mark(self, srcs: int) -> str:
        m = self.rng.choices(MARKS, weights=(5, 4, 1))[0]
        if m == "recalled":
            return "recalled"
        return m + " " + " ".join(f"S{self.rng.randint(1, srcs)}" for _ in range(self.rng.randint(1, 2)))

    @staticmethod
    def doc_id(i: int) -> str:
        return f"syn-{i:05d}"

    def document(self, i: int) -> tuple[str, dict]:
        """(file text, facts other files need: sections, indicator slugs and units, period)."""
        r = self.rng
        doc = self.doc_id(i)
        start = 2000 + (i % 6) * 5
        srcs = r.randint(2, 4)
        kind = TYPES[i % len(TYPES)]
        zh, en = self.phrase(4)
        org = ORGS[i % len(ORGS)]
        lines = ["---", f"id: {doc}", f"type: {kind}", "default: {mark: secondary, src: [S1, S2]}", "title:",
                 f'  zh: {{value: "{zh}规划（第{i}号）", mark: verified, src: [S1]}}',
                 f'  en: {{value: "{en} plan No. {i}", mark: verified, src: [S1]}}',
                 "issuers:", f"  - {{id: {org[0]}, zh: {org[1]}, en: {org[2]}, mark: verified, src: [S1]}}",
                 f"doc_number: {{value: 国发〔{start}〕{i % 97 + 1}号, mark: secondary, src: [S2]}}",
                 f"date_signed: {{value: {start}-{(i % 12) + 1:02d}-{(i % 27) + 1:02d}, mark: verified, src: [S1]}}",
                 f"period: {{start: {start}, end: {start + 4}, mark: verified, src: [S1]}}",
                 "stated_counts:", f"  - {{of: Part, value: {self.parts}, mark: secondary, src: [S2]}}"]
        rel = []
        if i % 5:  # series of five successive plans, as the real five-year plans
            rel.append(f"  - {{type: follows, target: {self.doc_id(i - 1)}, mark: secondary, src: [S2]}}")
        if i >= 10:
            rel.append(f"  - {{type: basedOn, target: {self.doc_id(r.randrange(i // 10) * 10)}, mark: verified, src: [S1]}}")
        if kind == "AnnualPromotionPlan" and i >= 5:
            rel.append(f"  - {{type: implements, target: {self.doc_id(i - 5)}, mark: secondary, src: [S2]}}")
        if rel:
            lines += ["relations:"] + rel
        lines.append("sources:")
        for s in range(1, srcs + 1):
            lines.append(f'  S{s}: {{url: "https://example.org/synthetic/{doc}/s{s}", title: "Source {s} of {doc}", official: {"true" if s == 1 else "false"}}}')
        lines += ["---", ""]
        sections: list[str] = []
        slugs: dict[str, str] = {}
        for p in range(1, self.parts + 1):
            zh, en = self.phrase()
            lines += [f"# {numeral(p)}、{zh}", f"@en {en}", f"@mark {self.mark(srcs)}"]
            if p == 2:
                lines.append("@role goal")
            elif p < self.parts:
                lines.append("@role task")
            lines.append("")
            for s in range(1, self.sections + 1):
                zh, en = self.phrase()
                lines += [f"## （{numeral(s)}）{zh}", f"@en {en}", f"@mark {self.mark(srcs)}", ""]
                sections.append(f"p{p}/s{s}")
                if p == 2 and s == 1:  # principles and goals as bullets, the indicator table after them
                    for b in range(2):
                        zh, en = self.phrase(2)
                        lines += [f"——{zh}", f"@en {en}", f"@mark {self.mark(srcs)}", "@role goal", ""]
                    lines += self.table(r, srcs, start, slugs)
                    continue
                for it in range(1, self.items + 1):
                    zh, en = self.phrase(2)
                    lines += [f"{it}. {zh}", f"@en {en}", ""]
        goals = ["p2"] + [f"p2/s1/b{b}" for b in (1, 2)]  # the goal part and its goal bullets
        return "\n".join(lines) + "\n", {"sections": sections, "goals": goals, "units": slugs, "start": start}

    def table(self, r: random.Random, srcs: int, start: int, slugs: dict[str, str]) -> list[str]:
        zh, en = self.phrase(2)
        out = [f"表 {zh}主要指标", f"@en Main indicators: {en}", f"@mark {self.mark(srcs)}", "",
               f"| 序号 | 指标 | 单位 | {start - 1}年 | {start + 4}年 | 属性 |", "| --- | --- | --- | --- | --- | --- |"]
        for n, k in enumerate(r.sample(range(N_INDICATORS), 3), start=1):
            unit = UNITS[k % len(UNITS)]
            base = round(r.uniform(1, 1000), 1)
            target = round(base * r.uniform(1.05, 1.6), 1)
            attr = "约束性" if k % 5 == 0 else "预期性"
            slug = f"indicator-{k:03d}"
            slugs[slug] = unit
            out += [f"| {n} | 合成指标{k:03d} {{{self.mark(srcs)}}} | {unit} | {base} {{{self.mark(srcs)}}} | {target} {{{self.mark(srcs)}}} | {attr} |",
                    f"@id {slug}", f"@en Synthetic indicator {k:03d}"]
        return out + [""]

    def organisations(self) -> str:
        lines = ["sources:", '  S1: {url: "https://example.org/synthetic/orgs", title: "Synthetic organisations", official: true}',
                 "organisations:"]
        for slug, zh, en in ORGS:
            lines += [f"  - id: {slug}", f"    zh: {{value: {zh}, mark: verified, src: [S1]}}",
                      f"    en: {{value: {en}, mark: verified, src: [S1]}}", "    kind: government"]
        return "\n".join(lines) + "\n"

    def mapping_set(self, name: str, rows: list[tuple[str, str]]) -> str:
        head = ["#curie_map:", '#  pkid: "https://w3id.org/plankg/id/"', '#  pk: "https://w3id.org/plankg/ontology#"',
                '#  semapv: "https://w3id.org/semapv/vocab/"', '#  plankg: "https://w3id.org/plankg/"',
                f'#mapping_set_id: "https://w3id.org/plankg/mappings/{name}"', f'#mapping_set_title: "Synthetic mappings {name}"',
                '#license: "https://creativecommons.org/publicdomain/zero/1.0/"', "#creator_id:", '#  - "plankg:team"',
                "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tconfidence\tcomment"]
        body = [f"pkid:{s}\t\tpk:supports\tpkid:{o}\t\tsemapv:ManualMappingCuration\t{self.rng.randint(3, 9) / 10}\tsynthetic: shared wording"
                for s, o in rows]
        return "\n".join(head + body) + "\n"

    def actuals(self, doc: str, facts: dict) -> str:
        lines = [f"# plan: {doc}", "# sources:", f'#   S1: {{url: "https://example.org/synthetic/{doc}/actuals", title: "Reported values", official: true}}',
                 "indicator\tref\tvalue\tunit\tmark\tsrc\tnote"]
        for slug, unit in sorted(facts["units"].items()):
            for y in range(facts["start"], facts["start"] + 4):
                lines.append(f"{slug}\t{y}\t{round(self.rng.uniform(1, 1500), 1)}\t{unit}\tsecondary\tS1\tsynthetic")
        return "\n".join(lines) + "\n"


def write_corpus(out: Path, docs: int, seed: int = 1, parts: int = 3, sections: int = 2, items: int = 1, mappings_per_doc: int = 3) -> Path:
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "documents").mkdir(parents=True)
    (out / "mappings").mkdir()
    (out / "actuals").mkdir()
    g = Gen(seed, docs, parts, sections, items)
    facts = {}
    for i in range(docs):
        text, facts[i] = g.document(i)
        (out / "documents" / f"{g.doc_id(i)}.md").write_text(text, encoding="utf-8")
    (out / "organisations.yaml").write_text(g.organisations(), encoding="utf-8")
    # mapping sets of up to 1,000 documents each: sections supporting sections or goals of earlier documents
    for first in range(0, docs, 1000):
        rows, seen = [], set()
        for i in range(max(first, 1), min(first + 1000, docs)):
            for _ in range(mappings_per_doc):
                j = g.rng.randrange(i)
                pair = (f"{g.doc_id(i)}/{g.rng.choice(facts[i]['sections'])}", f"{g.doc_id(j)}/{g.rng.choice(facts[j]['sections'] + facts[j]['goals'])}")
                if pair not in seen:
                    seen.add(pair)
                    rows.append(pair)
        if rows:
            name = f"synthetic-{first // 1000:03d}_supports"
            (out / "mappings" / f"{name}.sssom.tsv").write_text(g.mapping_set(name, rows), encoding="utf-8")
    for i in range(0, docs, 10):
        (out / "actuals" / f"{g.doc_id(i)}.tsv").write_text(g.actuals(g.doc_id(i), facts[i]), encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, required=True, help="number of plan documents (10 to 10,000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="corpus folder to write (replaced if it exists)")
    ap.add_argument("--parts", type=int, default=3)
    ap.add_argument("--sections", type=int, default=2, help="sections per part")
    ap.add_argument("--items", type=int, default=1, help="items per section")
    args = ap.parse_args()
    write_corpus(args.out, args.docs, args.seed, args.parts, args.sections, args.items)
    print(f"wrote {args.docs} document(s) to {args.out}")


if __name__ == "__main__":
    main()
