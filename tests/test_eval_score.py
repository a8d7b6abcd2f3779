"""The scorer on tiny hand-made cases: each number below is worked out by hand."""

import pytest

from eval import score

D71 = ("苏府办〔2022〕71号", "苏州市金融支持产业创新集群发展的工作意见")
D65 = ("苏科区成发〔2026〕65号", "加快推进科技金融深度融合…若干政策措施")
EV_71 = {"doc": "苏府办〔2022〕71号", "quote": "获得融资户数超10000户"}
EV_65 = {"doc": "苏科区成发〔2026〕65号", "quote": "最长可达到5年"}

NOTHING = frozenset()
E0 = frozenset({0})
E1 = frozenset({1})


def test_hit_at_rank_2():
    ranked = [[NOTHING, E0, NOTHING]]
    assert score.hit_at_k(ranked, 1)["score"] == 0.0
    assert score.hit_at_k(ranked, 3)["score"] == 1.0
    assert score.reciprocal_rank(ranked)["score"] == 0.5


def test_mrr_averages_over_questions_and_counts_misses_as_zero():
    ranked = [[E0], [NOTHING, NOTHING, NOTHING, E0], [NOTHING] * 5]
    result = score.reciprocal_rank(ranked)
    assert result["individual_scores"] == [1.0, 0.25, 0.0]
    assert result["score"] == pytest.approx(1.25 / 3)


def test_multi_evidence_question_needs_all_its_evidence():
    # Two gold documents; only the first is within the top 2, both within the top 5.
    ranked = [[E0, NOTHING, NOTHING, E1, NOTHING]]
    assert score.hit_at_k(ranked, 1)["score"] == 1.0
    assert score.evidence_recall_at_k(ranked, [2], 2)["score"] == 0.5
    assert score.evidence_recall_at_k(ranked, [2], 5)["score"] == 1.0


def test_a_hit_holding_both_evidence_items_counts_both():
    assert score.evidence_recall_at_k([[frozenset({0, 1})]], [2], 1)["score"] == 1.0


def test_match_evidence_needs_the_right_document_and_the_quote():
    text = "到 2025 年末，\n获得融资户数超 10000 户，累计融资规模超 10000 亿元"
    assert score.match_evidence(text, D71, [EV_71, EV_65]) == E0
    # Same words in another document are not the evidence.
    assert score.match_evidence(text, D65, [EV_71, EV_65]) == NOTHING


def test_page_marker_and_pdf_spaces_inside_a_quote_still_match():
    text = "适当延长流动资金贷款期限，最长可\n\n— 8 —\n\n达 到 5 年"
    assert score.match_evidence(text, D65, [EV_71, EV_65]) == E1


@pytest.mark.parametrize(
    ("window", "partial", "expected"),
    [
        ("……前文。获得融资户数超100", 0.5, True),  # window ends inside the quote, keeps 9/13
        ("……前文。获得融资", 0.5, False),  # keeps only 4/13
        ("00户，累计融资规模", 0.5, False),  # starts with a 3-char tail
        ("融资户数超10000户，累计融资规模", 0.5, True),  # starts with a 10-char tail
        ("……前文。获得融资户数超100", 0.0, False),  # strict rule: whole quote only
    ],
)
def test_partial_rule_counts_only_quotes_cut_by_the_chunk_boundary(window, partial, expected):
    assert score.quote_in(window, EV_71["quote"], partial) is expected


def test_partial_rule_ignores_a_half_quote_in_the_middle_of_a_chunk():
    # The first half of the quote appears, but not at the chunk's edge: not the evidence.
    assert not score.quote_in("获得融资户数超过以往，其他内容", EV_71["quote"], partial=0.5)


def test_correct_refusal_on_an_unanswerable_question():
    assert score.refusal_rate([True])["score"] == 1.0


def test_false_refusal_on_an_answerable_question():
    result = score.refusal_rate([False, True, False, False])
    assert result["score"] == 0.25
    assert result["individual_scores"] == [0.0, 1.0, 0.0, 0.0]


def test_invalid_citation_is_counted_per_answer():
    result = score.invalid_citations([0, 2, 0, 0])
    assert result["individual_scores"] == [0.0, 2.0, 0.0, 0.0]
    assert result["score"] == 0.5


def test_citation_hit_needs_a_cited_article_holding_a_gold_quote():
    cited = [[NOTHING, E0], [NOTHING], []]
    assert score.citation_hit(cited)["individual_scores"] == [1.0, 0.0, 0.0]


def test_fact_recall_normalises_full_width_digits_and_spaces():
    answers = ["融资户数超 １００００ 户，融资规模超10000亿元。", "不知道"]
    facts = [["10000户", "10000亿元", "7000亿元"], ["5年"]]
    result = score.fact_recall(answers, facts)
    assert result["individual_scores"] == pytest.approx([2 / 3, 0.0])


def test_a_fact_two_versions_state_differently_counts_in_either_form():
    facts = [["1500元|1万元以上10万元以下"]] * 3
    answers = ["处1万元以上10万元以下的罚款", "处1500元以下的罚款", "处3万元以下的罚款"]
    assert score.fact_recall(answers, facts)["individual_scores"] == [1.0, 1.0, 0.0]


def test_unsupported_figure_is_one_the_cited_text_does_not_hold():
    cited = ["小微型科技型企业不良贷款容忍度可较各项贷款不良率提高不超过3个百分点。"]
    answer = "可提高不超过3个百分点[1]，大型企业可提高5个百分点。"
    assert score.unsupported_figures(answer, cited) == ["5个百分点"]


def test_figures_skip_citation_marks_and_list_numbers():
    assert score.figures("1. 见[2]，[12]；到2025年达55%") == ["2025年", "55%"]


def test_latency_percentiles():
    result = score.latency([400, 100, 300, 200])
    assert (result["score"], result["p95"]) == (200.0, 400.0)


def test_by_type_averages_per_type():
    assert score.by_type([1.0, 0.0, 0.5], ["lookup", "lookup", "numeric"]) == {"lookup": 0.5, "numeric": 0.5}


def test_empty_input_scores_zero_not_an_error():
    assert score.hit_at_k([], 5) == {"score": 0.0, "individual_scores": []}
    assert score.latency([])["score"] == 0.0
