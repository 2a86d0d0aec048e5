"""Feedback on the panel: after their slot each SOO, and after a sitting each partner who attended,
may answer three questions by choices. Only counts are kept, by the quarter the answer was given
in; who answered is kept apart, as a keyed hash of person and sitting, only so nobody is counted
twice. Results are shown for a whole quarter once five or more have answered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from panel.errors import ValidationFailed
from panel.small_numbers import show_group

# How long after a sitting its card may still be answered.
ANSWER_WITHIN = timedelta(days=14)
MIN_ANSWERS = 5


class Respondent(StrEnum):
    """Who answered, by role only."""

    SOO = "soo"
    PARTNER = "partner"


class Fair(StrEnum):
    """Was the scrutiny fair."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class Clear(StrEnum):
    """Were the actions clear."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    NONE_SET = "none_set"


USEFUL_SCORES = (1, 2, 3, 4, 5)
FAIR_WORDS = {Fair.YES: "Yes", Fair.PARTLY: "Partly", Fair.NO: "No"}
CLEAR_WORDS = {
    Clear.YES: "Yes",
    Clear.PARTLY: "Partly",
    Clear.NO: "No",
    Clear.NONE_SET: "No actions were set",
}


@dataclass(frozen=True)
class Answer:
    """One answer, before it is counted (it is never stored as one)."""

    respondent: Respondent
    useful: int
    fair: Fair
    clear: Clear

    def __post_init__(self) -> None:
        if self.useful not in USEFUL_SCORES:
            raise ValidationFailed("Choose how useful the scrutiny was, from 1 to 5.")


def quarter_of(day: date) -> str:
    """The quarter a day falls in, as the tally's keys name it: "2026Q4"."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_words(quarter: str) -> str:
    """ "2026Q3" in words: "July to September 2026"."""
    year, q = quarter.split("Q")
    months = ("January to March", "April to June", "July to September", "October to December")
    return f"{months[int(q) - 1]} {year}"


def tally_keys(answer: Answer, answered_on: date) -> tuple[str, ...]:
    """The counters one answer adds one to."""
    q, r = quarter_of(answered_on), answer.respondent.value
    return (
        f"{q}:{r}:n",
        f"{q}:{r}:useful:{answer.useful}",
        f"{q}:{r}:fair:{answer.fair.value}",
        f"{q}:{r}:clear:{answer.clear.value}",
    )


@dataclass(frozen=True)
class FeedbackResult:
    """One kind of respondent's answers in a quarter."""

    respondent: Respondent
    answered: int
    useful: dict[int, int]
    fair: dict[Fair, int]
    clear: dict[Clear, int]

    @property
    def shown(self) -> bool:
        """Whether enough answered for the results to be shown at all."""
        return self.answered >= MIN_ANSWERS

    @property
    def useful_average(self) -> float:
        """The mean of the usefulness scores."""
        return sum(score * n for score, n in self.useful.items()) / self.answered if self.answered else 0.0


def results(tallies: Iterable[dict[str, int]], quarter: str) -> tuple[FeedbackResult, ...]:
    """The quarter's results, SOOs then partners, summed over the sittings' tallies."""
    total: dict[str, int] = {}
    for tally in tallies:
        for key, n in tally.items():
            if key.startswith(f"{quarter}:"):
                total[key] = total.get(key, 0) + n
    found = []
    for r in Respondent:
        p = f"{quarter}:{r.value}"
        found.append(
            FeedbackResult(
                r,
                total.get(f"{p}:n", 0),
                {s: total.get(f"{p}:useful:{s}", 0) for s in USEFUL_SCORES},
                {f: total.get(f"{p}:fair:{f.value}", 0) for f in Fair},
                {c: total.get(f"{p}:clear:{c.value}", 0) for c in Clear},
            )
        )
    return tuple(found)


def last_complete_quarter(today: date) -> tuple[str, date, date]:
    """The last whole quarter before today: its name, first and last day."""
    first_of_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_this - timedelta(days=1)
    start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return quarter_of(end), start, end


WHO_WORDS = {Respondent.SOO: "SOOs", Respondent.PARTNER: "Partners"}


def feedback_lines(found: Iterable[FeedbackResult], threshold: int) -> tuple[tuple[str, str], ...]:
    """The results in words, small numbers hidden as everywhere (and each breakdown so that no
    hidden count can be worked out from the others); nothing but a count until five have answered."""
    lines: list[tuple[str, str]] = []
    for result in found:
        who = WHO_WORDS[result.respondent]
        if not result.shown:
            lines.append((who, f"fewer than {MIN_ANSWERS} answered: not shown"))
            continue
        lines.append((f"{who}: answered", str(result.answered)))
        lines.append((f"{who}: how useful (1 to 5)", f"{result.useful_average:.1f} on average"))
        for title, counts in (
            (f"{who}: fair", [(FAIR_WORDS[f], n) for f, n in result.fair.items()]),
            (f"{who}: actions clear", [(CLEAR_WORDS[c], n) for c, n in result.clear.items()]),
        ):
            shown, _ = show_group(counts, threshold)
            lines.append((title, ", ".join(f"{name} {cell.text}" for name, cell in shown)))
    return tuple(lines)
