"""What a fixed pattern needs in a text before it can match, read from the pattern's own parse, so
that a scan passes over the patterns that cannot match without running them.

Two needs are read: a digit (most patterns), and a set of strings one of which every match must
contain ("@" for an address, "dot" for one written out, a mail provider's name). Both readings are
conservative: anything the reader does not understand makes no claim, and a pattern with no claim
simply runs. A wrong claim would make the guard miss things, so the tests hold every claim against
the corpora.
"""

from __future__ import annotations

import re
from typing import Any

# A need is worth checking only if it is rarer than the text around it: single letters and digits
# are everywhere, so a need made of one is no need at all.
_MIN_LETTERS = 2


def needs_a_digit(pattern: re.Pattern[str]) -> bool:
    """Whether the pattern can match only text that holds a digit."""
    return bool(_read(pattern, _DigitReader()))


def needed_strings(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings, in lower case, one of which every match contains (compared with the text in lower
    case), or None when the pattern makes no such claim that is worth checking."""
    found: frozenset[str] = _read(pattern, _StringReader())
    return found or None


def may_match(needs: frozenset[str], lowered: str) -> bool:
    """Whether a text (in lower case, plain ASCII) holds one of the needed strings."""
    return any(need in lowered for need in needs)


def _read(pattern: re.Pattern[str], reader: Any) -> Any:
    """Run a reader over the pattern's parse; if the parser moves in a later Python, no claim."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        return reader.seq(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - an optimisation only: without it every pattern runs
        return reader.no_claim


def _sre() -> Any:
    from re import _constants  # type: ignore[attr-defined]

    return _constants


class _DigitReader:
    no_claim = False

    def seq(self, items: Any) -> bool:
        return any(self.one(op, av) for op, av in items)

    def one(self, op: Any, av: Any) -> bool:
        sre = _sre()
        if op is sre.IN:
            return bool(av) and all(_is_digit_item(o, a) for o, a in av)
        if op is sre.LITERAL:
            return chr(av).isdigit()
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            return bool(av[0] >= 1 and self.seq(av[2]))
        if op is sre.SUBPATTERN:
            return self.seq(av[-1])
        if op is sre.BRANCH:
            return all(self.seq(branch) for branch in av[1])
        if op is sre.ATOMIC_GROUP:
            return self.seq(av)
        return False  # look-arounds, anchors, anything else: no claim


def _is_digit_item(op: Any, av: Any) -> bool:
    sre = _sre()
    if op is sre.CATEGORY:
        return bool(av is sre.CATEGORY_DIGIT)
    if op is sre.LITERAL:
        return chr(av).isdigit()
    if op is sre.RANGE:
        return all(chr(c).isdigit() for c in range(av[0], av[1] + 1))
    return False


class _StringReader:
    """Reads, for a sequence of items, every set of strings one of which a match must contain, and
    keeps the best: runs of literal characters, a class of a few punctuation marks, alternatives
    that each need something, and whatever a repeated-at-least-once part needs."""

    no_claim: frozenset[str] = frozenset()

    def seq(self, items: Any) -> frozenset[str]:
        sre = _sre()
        candidates: list[frozenset[str]] = []
        run = ""
        for op, av in items:
            char = _literal(op, av)
            if char is not None:
                run += char
                continue
            candidates.append(frozenset({run}))
            run = ""
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
                candidates.append(self.seq(av[2]))
            elif op is sre.SUBPATTERN:
                candidates.append(self.seq(av[-1]))
            elif op is sre.ATOMIC_GROUP:
                candidates.append(self.seq(av))
            elif op is sre.BRANCH:
                branches = [self.seq(branch) for branch in av[1]]
                if all(branches):
                    candidates.append(frozenset().union(*branches))
            elif op is sre.IN:
                candidates.append(_marks(av))
        candidates.append(frozenset({run}))
        return _best([c for c in candidates if c and all(_worth_checking(s) for s in c)])


def _literal(op: Any, av: Any) -> str | None:
    """The one character an item stands for, in lower case, or None."""
    sre = _sre()
    if op is sre.LITERAL:
        return chr(av).lower()
    if op is sre.IN and len(av) == 1 and av[0][0] is sre.LITERAL:
        return chr(av[0][1]).lower()
    return None


def _marks(items: Any) -> frozenset[str]:
    """A class made only of punctuation marks ("[:=]"), as the marks; anything else, nothing."""
    sre = _sre()
    if items and all(op is sre.LITERAL and not chr(av).isalnum() for op, av in items):
        return frozenset(chr(av) for _, av in items)
    return frozenset()


def _worth_checking(need: str) -> bool:
    if not need.isascii():
        # A letter outside ASCII may match an ASCII one under the pattern's case rule ("İ" and
        # "i"), which lower() does not follow: such a need makes no claim.
        return False
    return len(need) >= _MIN_LETTERS or (len(need) == 1 and not need.isalnum() and not need.isspace())


# Marks that most sentences hold: as rare as a single letter. Any other mark ("@", "/", "=", a
# bracket) counts as rarer than any pair of letters.
_COMMON_MARKS = frozenset(".,;:-'’?!\"")


def _best(candidates: list[frozenset[str]]) -> frozenset[str]:
    """The rarest need: the one whose shortest string is longest, then the one with fewest strings."""
    if not candidates:
        return frozenset()

    def length(need: str) -> int:
        if len(need) > 1:
            return len(need)
        return 1 if need in _COMMON_MARKS else 3

    def rarity(need: frozenset[str]) -> tuple[int, int]:
        return (min(length(s) for s in need), -len(need))

    return max(candidates, key=rarity)
