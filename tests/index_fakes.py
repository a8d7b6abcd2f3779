"""Hand-built articles and settings for the index tests (no corpus parsing, no model)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import settings
from ingest.record import DRAFT, Article, DocMeta, make_chunk_id

ROOT = Path(__file__).resolve().parent.parent

D71 = DocMeta(
    "d71",
    "71.txt",
    "苏州市金融支持产业创新集群发展的工作意见",
    "苏府办〔2022〕71号",
    ("苏州市人民政府办公室",),
    "2022-05-10",
    level="city",
    region="苏州市",
)
D65 = DocMeta(
    "d65",
    "65.txt",
    "加快推进科技金融深度融合有力支撑打造具有全球影响力的产业科技创新中心的若干政策措施",
    "苏科区成发〔2026〕65号",
    ("江苏省科学技术厅",),
    "2026-05-25",
    level="province",
    region="江苏省",
)
DRAFT_DOC = DocMeta("ddraft", "draft.txt", "关于金融支持制造业发展的实施意见", status=DRAFT, level="city")


def article(
    doc: DocMeta, numbers: tuple[str, ...], heading: str, body: str, path: tuple[str, ...] = ()
) -> Article:
    marker = numbers[-1] + ("．" if numbers[-1].isdigit() else "")
    text = f"{marker}{heading}。{body}"
    section_path = path or tuple(numbers)
    return Article(
        make_chunk_id(doc.doc_id, section_path, text), doc, "article", section_path, numbers, heading, text
    )


def small_corpus() -> list[Article]:
    """Three documents numbered the three ways the seeds are: 四（三）8．, （十三）, 三（七）."""
    return [
        article(
            D71, ("四", "（三）", "7"), "加强资源集聚", "提升金融服务重点产业能力，支持银行设立科技支行。"
        ),
        article(
            D71,
            ("四", "（三）", "8"),
            "加强政策激励，扩大创新企业首贷、信用贷覆盖面",
            "发挥“信保贷”政策作用，支持轻资产企业获得信用贷款。落实尽职免责制度。",
        ),
        article(D71, ("五", "（一）"), "加强组织领导", "发挥市金融工作相关议事协调机制作用。"),
        article(D65, ("二", "（八）"), "优化服务科技创新风控和激励机制", "适当提高科技企业不良贷款容忍度。"),
        article(
            D65,
            ("四", "（十三）"),
            "探索科技保险产品和服务创新",
            "推出“江苏科创保”专属保险产品，覆盖研发失败风险。",
        ),
        article(
            DRAFT_DOC,
            ("三", "（七）"),
            "探索“科创指数”融资模式",
            "上线无抵押“科创指数贷”产品，扩大科技企业信用贷款。",
        ),
    ]


def fake_settings(tmp_path: Path, **overrides: object) -> settings.Settings:
    """Settings with the deterministic fake embedder and a data dir of the test's own.

    Sentence vectors are off unless asked for, so tests can count embedded articles; they have
    their own tests (test_index_methods.py, test_index_store.py).
    """
    return settings.load(
        data_dir=str(tmp_path / "data"), embedder="fake", **{"sentence_vectors": False, **overrides}
    )


@cache
def seed_articles() -> tuple[Article, ...]:
    """The five seed documents as the real ingest cuts them (parsed once per test session)."""
    from ingest.pipeline import load_corpus

    result = load_corpus(settings.load(corpus_dir=str(ROOT / "corpus")))
    assert not result.errors, result.errors
    return tuple(result.articles)
