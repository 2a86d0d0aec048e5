"""The outputs report as it may leave the panel (the commissioner's view and CSV): small counts
hidden in every breakdown, and a headline figure hidden with any breakdown whose total had to go,
since the headline is that total (cases referred is the sum of referred by route, by category, by
rank band, and of the months)."""

from __future__ import annotations

from dataclasses import dataclass

from panel.audit_counts import AUDITS_DONE, AUDITS_WITH_FINDINGS
from panel.report import (
    AGENCIES,
    CLOSED,
    FEMALE_VICTIMS,
    HEARD,
    HIGH_RISK,
    HIGH_RISK_SAFEGUARDED,
    IOPC_REFERRED,
    REFERRED,
    RISK_CURRENT,
    RTR_REQUESTED,
    RTR_UPHELD,
    Report,
)
from panel.small_numbers import Shown, show, show_group

# Which headline figure each breakdown adds up to.
TOTAL_OF = {
    "Referred, by route": REFERRED,
    "Referred, by category": REFERRED,
    "Referred, by rank band": REFERRED,
    "Heard, by slot": HEARD,
    "Partner agencies attending": AGENCIES,
}
# A headline that is part of another: the rest (the whole less the part) is a count too ("high
# risk with no measure"), so the part is shown only where the rest could be shown as well, and
# where it is hidden so is its whole (the early-warning breakdown counts the rest, so the whole
# less that would give the part back). OPEN is the open cases at the period's end: the total of
# the conduct-matter breakdown, which counts each open case once.
OPEN = "open cases"
PART_OF = {
    HIGH_RISK_SAFEGUARDED: HIGH_RISK,
    FEMALE_VICTIMS: REFERRED,
    RTR_UPHELD: RTR_REQUESTED,
    RISK_CURRENT: OPEN,
    IOPC_REFERRED: OPEN,
    HIGH_RISK: OPEN,
    AUDITS_WITH_FINDINGS: AUDITS_DONE,
}
OPEN_TOTAL_OF = "Open cases, by conduct matter"
FLAGS = "Open cases, by early-warning flag"
HIDDEN = Shown("hidden", True)


@dataclass(frozen=True)
class HandedOn:
    """Every figure of a report as it may be handed on."""

    figures: dict[str, Shown]
    previous: dict[str, Shown]
    breakdowns: dict[str, tuple[list[tuple[str, Shown]], Shown]]
    months: list[tuple[str, Shown, Shown]]
    closure_shown: bool


def handed_on(report: Report, months: tuple[tuple[str, int, int], ...], threshold: int) -> HandedOn:
    """Suppress the report for handing on, consistently across the figures that add up."""
    groups = {b.title: show_group(list(b.counts), threshold) for b in report.breakdowns}
    referred_months, referred_total = show_group([(m, r) for m, r, _ in months], threshold)
    heard_months, heard_total = show_group([(m, h) for m, _, h in months], threshold)
    tainted = {TOTAL_OF[title] for title, (_, total) in groups.items() if title in TOTAL_OF and total.hidden}
    tainted |= {REFERRED} if referred_total.hidden else set()
    tainted |= {HEARD} if heard_total.hidden else set()
    open_total = sum(n for b in report.breakdowns if b.title == OPEN_TOTAL_OF for _, n in b.counts)
    tainted |= _parts_hidden(dict(report.figures), open_total, threshold)
    figures = {name: HIDDEN if name in tainted else show(value, threshold) for name, value in report.figures}
    before = _parts_hidden(dict(report.previous), None, threshold)
    previous = {name: HIDDEN if name in before else show(value, threshold) for name, value in report.previous}
    # A hidden headline is the sum of every breakdown of it: any of them shown in full (or the
    # months) would give it back, so each of them is hidden too, but for its noughts.
    breakdowns = {
        title: (_all_hidden(cells), HIDDEN) if TOTAL_OF.get(title) in tainted else (cells, total)
        for title, (cells, total) in groups.items()
    }
    # The flags' total is hidden whenever any flag's count is: each case may carry several, so no
    # total can be checked against the open cases, and with it a hidden count would come back.
    if FLAGS in breakdowns and any(s.hidden for _, s in breakdowns[FLAGS][0]):
        breakdowns[FLAGS] = (breakdowns[FLAGS][0], HIDDEN)
    if REFERRED in tainted:
        referred_months = _all_hidden(referred_months)
    if HEARD in tainted:
        heard_months = _all_hidden(heard_months)
    return HandedOn(
        figures,
        previous,
        breakdowns,
        [(m, r, h) for (m, r), (_, h) in zip(referred_months, heard_months, strict=True)],
        closure_shown=not figures[CLOSED].hidden,
    )


def _all_hidden(cells: list[tuple[str, Shown]]) -> list[tuple[str, Shown]]:
    return [(name, s if s.text == "0" else HIDDEN) for name, s in cells]


def _parts_hidden(values: dict[str, int], open_total: int | None, threshold: int) -> set[str]:
    """The parts (and their wholes) to hide, so that no small rest can be worked out by subtraction;
    the open cases' total, when not known (the period before), is taken as small."""
    hidden: set[str] = set()
    wholes = {**values, OPEN: open_total} if open_total is not None else values
    for part, whole in PART_OF.items():
        if part not in values:
            continue
        if whole not in wholes or wholes[whole] is None:
            hidden.add(part)  # nothing to weigh the rest against: the part alone could say too much
            continue
        (cell, _), _ = show_group([("part", values[part]), ("rest", wholes[whole] - values[part])], threshold)
        if cell[1].hidden:
            hidden |= {part, whole}
    return hidden
