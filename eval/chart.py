"""The report's PNG: retrieval configurations and answer modes side by side.

Labels are ASCII on purpose: the machine running the eval may have no CJK font.
"""

from __future__ import annotations

from pathlib import Path

CHART_RETRIEVAL = ("hit@1", "hit@5", "mrr", "hit@ctx")
CHART_ANSWERS = ("fact_recall", "citation_hit", "refusal_rate", "false_refusal_rate")
DPI = 110  # ~1300 px wide: readable on GitHub without a 1 MB file


def draw(retrieval: dict | None, answer_parts: dict[str, dict], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")  # no display on a server or in CI
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), gridspec_kw={"width_ratios": [3, 2]})
    if retrieval:
        results = retrieval["retrieval"]
        _bars(left, [r["config"] for r in results], CHART_RETRIEVAL, [r["overall"] for r in results])
    left.set_title("Retrieval (answerable questions)")
    if answer_parts:
        modes = list(answer_parts)
        _bars(right, modes, CHART_ANSWERS, [answer_parts[m]["answers"]["overall"] for m in modes])
    right.set_title("Answers by mode")
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def _bars(ax, groups: list[str], metrics: tuple[str, ...], values: list[dict]) -> None:
    """Grouped bars: one group per configuration/mode, one bar per metric."""
    width = 0.8 / len(metrics)
    for j, metric in enumerate(metrics):
        xs = [i + (j - (len(metrics) - 1) / 2) * width for i in range(len(groups))]
        ax.bar(xs, [v.get(metric, 0.0) for v in values], width, label=metric)
    ax.set_xticks(range(len(groups)))
    labels = [g.replace(" · ", "\n").replace("SentenceSplitter", "Sentence-\nSplitter") for g in groups]
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_ylim(0, 1.3)  # headroom for the legend rows above the bars
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", ncol=2, frameon=False)
