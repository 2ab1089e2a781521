"""Which open data figures are hidden so that none describes fewer than ``threshold``
schools, even by subtraction.

A cell (a phase's schools) describing 1 to ``threshold`` − 1 schools is hidden. As the total
is published, the hidden cells together are the total minus the shown ones: so while the
hidden cells together describe fewer than ``threshold`` schools, the smallest shown cell is
hidden as well (complementary suppression). A total describing 1 to ``threshold`` − 1
schools is hidden too. Pure functions: tests/dashboard/test_suppression.py lists cases.
"""
from __future__ import annotations

from collections.abc import Sequence


def hidden_cells(counts: Sequence[int], *, threshold: int) -> set[int]:
    """Indexes of ``counts`` to hide."""
    hidden = {i for i, n in enumerate(counts) if 0 < n < threshold}
    while hidden and sum(counts[i] for i in hidden) < threshold:
        shown = sorted((n, i) for i, n in enumerate(counts) if i not in hidden and n > 0)
        if not shown:
            break  # every cell hidden: the total is hidden too (hidden_total)
        hidden.add(shown[0][1])
    return hidden


def hidden_total(count: int, *, threshold: int) -> bool:
    return 0 < count < threshold
