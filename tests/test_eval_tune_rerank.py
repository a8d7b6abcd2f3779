"""`python -m eval.tune rerank` scores every (depth, margin) from one reading of the model."""

from __future__ import annotations

from eval.tune_rerank import best, first_relevant, grid

# the evidence is 2nd; the model finds the question 5 nats likelier after it than after the 1st
SECOND = {"set": "a", "gold": [False, True, False], "scores": [-20.0, -15.0, -30.0], "named": False}
# the evidence is 1st; the model slightly prefers the 3rd
FIRST = {"set": "a", "gold": [True, False, False], "scores": [-20.0, -25.0, -19.0], "named": False}
NAMED = {"set": "a", "gold": [True, False, False], "scores": [], "named": True}  # never read


def test_the_rerank_moves_the_likeliest_first_only_past_the_margin() -> None:
    assert first_relevant(SECOND, 1, 0.0) == 2  # depth 1: the index's order
    assert first_relevant(SECOND, 2, 0.0) == 1
    assert first_relevant(SECOND, 2, 5.0) == 2  # surer by 5, not more
    assert first_relevant(FIRST, 3, 0.0) == 2  # the 3rd goes first, the 1st becomes 2nd
    assert first_relevant(FIRST, 2, 0.0) == 1  # the 3rd is not read at depth 2
    assert first_relevant(NAMED, 3, 0.0) == 1


def test_the_chosen_setting_is_the_best_mean_hit_at_1_and_the_cheapest_of_equals() -> None:
    cells = grid([SECOND, FIRST, NAMED], range(1, 4))
    chosen = best(cells, ("a",))
    assert chosen["a"]["hit@1"] == 1.0  # SECOND moved up, FIRST kept: margin 1 <= m < 5, depth 2 or 3
    assert (chosen["depth"], chosen["margin"]) == (2, 4.0)  # shallowest, then the largest margin
    plain = next(c for c in cells if c["depth"] == 1)
    assert plain["a"]["hit@1"] == round(2 / 3, 3)


def test_each_reading_length_is_read_once_and_the_best_length_is_chosen(monkeypatch) -> None:
    import settings
    from eval import tune_rerank

    read_at = []

    def read(s, names, depth):  # a stand-in for the model's reading: 80 characters find SECOND's evidence
        read_at.append((s.rerank_chars, depth))
        second = dict(SECOND, scores=[-20.0, -15.0 if s.rerank_chars == 80 else -21.0, -30.0])
        return [dict(r, set=n, seconds=1.0) for n in names for r in (second, FIRST)]

    monkeypatch.setattr(tune_rerank, "read", read)
    out = tune_rerank.run_rerank(settings.Settings(), 3, (60, 80, 120))
    assert read_at == [(60, 3), (80, 3), (120, 3)]
    assert (out["chosen"]["chars"], out["chosen"]["depth"]) == (80, 2)
    assert out["by_chars"][120]["chosen"]["qa"]["hit@1"] == 0.5  # read too long, SECOND stays 2nd
    assert out["by_chars"][80]["read_p50_s"] == 1.0


def test_a_reading_over_the_budget_is_not_chosen(monkeypatch) -> None:
    import settings
    from eval import tune_rerank

    rows = [dict(r, set=n, seconds=3.0) for n in tune_rerank.TUNE_SETS for r in (SECOND, FIRST)]
    monkeypatch.setattr(tune_rerank, "read", lambda s, names, depth: rows)
    # reading 3 articles takes 3 s, so 2 take ~2 s: within 2.5 s depth 2 is chosen, within 1.5 s none
    assert tune_rerank.run_rerank(settings.Settings(), 3, (80,), budget_s=2.5)["chosen"]["depth"] == 2
    none = tune_rerank.run_rerank(settings.Settings(), 3, (80,), budget_s=1.5)["chosen"]
    assert (none["depth"], none["read_s"]) == (1, 0.0)
