"""Small-number suppression for figures that leave the panel (exports, the commissioner's view):
a count between 1 and the threshold less one is shown as "<5", and where a hidden count could be
worked out by subtracting the others from a total, a second count is hidden too (or the total is).

The panel's own view shows exact figures; only what is handed on is suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Shown:
    """A figure as it may be handed on: the exact number, or a mark that hides it."""

    text: str
    hidden: bool


def show(count: int, threshold: int = DEFAULT_THRESHOLD) -> Shown:
    """One count on its own: 0 and counts at or above the threshold are shown; the rest hidden."""
    if 0 < count < threshold:
        return Shown(f"<{threshold}", True)
    return Shown(str(count), False)


def show_group(
    counts: list[tuple[str, int]], threshold: int = DEFAULT_THRESHOLD
) -> tuple[list[tuple[str, Shown]], Shown]:
    """A breakdown and its total, so that no hidden count can be recovered by subtraction: when
    exactly one count is hidden, the next smallest shown count is hidden too; if there is none,
    the total is hidden instead."""
    shown = [(name, show(n, threshold)) for name, n in counts]
    total = sum(n for _, n in counts)
    total_shown = show(total, threshold)
    hidden = [i for i, (_, s) in enumerate(shown) if s.hidden]
    if len(hidden) == 1 and not total_shown.hidden:
        candidates = sorted((n, i) for i, (_, n) in enumerate(counts) if i not in hidden and n > 0)
        if candidates:
            _, i = candidates[0]
            shown[i] = (
                shown[i][0],
                Shown(f"≥{threshold}" if counts[i][1] >= threshold else f"<{threshold}", True),
            )
            hidden.append(i)
        else:
            total_shown = Shown("hidden", True)
    if hidden and not total_shown.hidden and _pinned([counts[i][1] for i in hidden], threshold):
        # The hidden counts' sum (the total less the shown ones) would fix them: five routes each
        # "<5" with a total of 5 are each 1. The total goes instead.
        total_shown = Shown("hidden", True)
    return shown, total_shown


def _pinned(hidden: list[int], threshold: int) -> bool:
    """Whether knowing the sum of these hidden counts (and that each is below the threshold, or at
    or above it) would tell one of them exactly: the sum is the least or the most they can make."""
    small = [n for n in hidden if n < threshold]
    least = len(small) + threshold * (len(hidden) - len(small))
    most = (threshold - 1) * len(small) if len(small) == len(hidden) else None
    return sum(hidden) == least or (most is not None and sum(hidden) == most)
