"""Cross-validation by batch in grouped folds (`python -m bot triage-eval --groups N`, session 23):
whole batches held out together, so no batch is split between training and test."""

from __future__ import annotations

from bot.commands.triage_eval import grouped_folds


def test_without_groups_every_batch_is_its_own_fold() -> None:
    assert grouped_folds({"b1": 10, "b2": 5}, 0) == {"b1": "b1", "b2": "b2"}


def test_batches_go_whole_to_the_smallest_fold_largest_first() -> None:
    folds = grouped_folds({"a": 50, "b": 40, "c": 30, "d": 20, "e": 10}, 2)
    assert folds == {"a": "fold0", "b": "fold1", "c": "fold1", "d": "fold0", "e": "fold0"}
    sizes = {"a": 50, "b": 40, "c": 30, "d": 20, "e": 10}
    per_fold = {f: sum(n for b, n in sizes.items() if folds[b] == f) for f in set(folds.values())}
    assert per_fold == {"fold0": 80, "fold1": 70}


def test_more_groups_than_batches_leaves_no_batch_out() -> None:
    folds = grouped_folds({"a": 3, "b": 2}, 5)
    assert set(folds) == {"a", "b"} and len(set(folds.values())) == 2
