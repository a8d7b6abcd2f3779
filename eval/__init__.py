"""Evaluation: a hand-written Q&A set, a scorer, a harness and baselines (`python -m eval`)."""
