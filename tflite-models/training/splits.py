"""Group-disjoint train/val/test splits, deterministic for a given seed.

Every clip carries a split group (a speaker for speech, a recording family or package for
noise, a room for impulse responses). A group lands in exactly one split, so no voice,
noise recording or room is shared between splits.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Mapping

import numpy as np

SPLITS = ("train", "val", "test")


def group_durations(clips: Iterable[tuple[str, str, float]]) -> dict[str, float]:
    """Sum ``(clip_id, group, duration_s)`` rows per group."""
    totals: dict[str, float] = defaultdict(float)
    for _, group, duration in clips:
        totals[group] += duration
    return dict(totals)


def assign_groups(durations: Mapping[str, float], fractions: Mapping[str, float],
                  seed: int) -> dict[str, str]:
    """Assign each group to a split so that split durations approach ``fractions``.

    Groups are shuffled with ``seed``, then stably sorted by duration (rounded to 10 s, so
    the seed orders groups of similar size), largest first; each goes to the split with
    the largest remaining deficit ``fraction * total - assigned``. Largest-first keeps a
    big single-speaker group from overshooting a small split.
    """
    if abs(sum(fractions.values()) - 1.0) > 1e-9:
        raise ValueError(f"fractions={dict(fractions)} sum to {sum(fractions.values())}, not 1")
    names = sorted(durations)
    order = np.random.default_rng(seed).permutation(len(names))
    shuffled = [names[i] for i in order]
    shuffled.sort(key=lambda g: -round(durations[g] / 10.0))
    total = sum(durations.values())
    assigned = {split: 0.0 for split in fractions}
    result: dict[str, str] = {}
    for group in shuffled:
        split = max(fractions, key=lambda s: (fractions[s] * total - assigned[s], -list(fractions).index(s)))
        result[group] = split
        assigned[split] += durations[group]
    return result


def assign_noise_groups(durations: Mapping[str, float], fixed: Mapping[str, str],
                        val_fraction: float, seed: int) -> dict[str, str]:
    """Noise: groups in ``fixed`` go where it says (whole packages held out for test, hum
    and hiss kept in train); the rest are shuffled with ``seed`` and moved to val until val
    holds ``val_fraction`` of their duration; the remainder is train."""
    result = {g: fixed[g] for g in durations if g in fixed}
    pool = sorted(g for g in durations if g not in fixed)
    order = np.random.default_rng(seed).permutation(len(pool))
    pool_total = sum(durations[g] for g in pool)
    val_total = 0.0
    for i in order:
        group = pool[i]
        if val_total < val_fraction * pool_total and \
                val_total + durations[group] <= 1.5 * val_fraction * pool_total:
            result[group] = "val"
            val_total += durations[group]
        else:
            result[group] = "train"
    return result


def split_lists(clips: Iterable[tuple[str, str, float]], group_split: Mapping[str, str]) -> dict[str, list[str]]:
    """Clip ids per split, sorted, from ``(clip_id, group, duration_s)`` rows."""
    lists: dict[str, list[str]] = {s: [] for s in SPLITS}
    for clip_id, group, _ in clips:
        lists[group_split[group]].append(clip_id)
    return {s: sorted(ids) for s, ids in lists.items()}
