"""Reading the panel's outputs and themes, exporting them safely, and the force's learning actions."""

from __future__ import annotations

import asyncio
import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, time, timedelta

from panel.actions import OwnerRole
from panel.audit import AuditCategory, AuditPurpose
from panel.audit_counts import NOT_COMPARED
from panel.case import Case
from panel.case_facts_csv import case_facts_csv
from panel.clock import london_to_utc
from panel.errors import NotFound, ValidationFailed
from panel.feedback import feedback_lines
from panel.handed_on import HIDDEN, handed_on
from panel.learning import LearningAction
from panel.report import OutputsTally, Period, Report, counts_from, on_audit_list
from panel.roles import Actor, Permission
from panel.small_numbers import show
from panel.usecases.access import record_access
from panel.usecases.deps import Deps, once
from panel.usecases.feedback import quarter_feedback

TALLY_SLICE = 100  # cases counted between chances for other turns to run

MAX_PERIOD_DAYS = 3 * 366
MAX_TEXT = 500


@dataclass(frozen=True)
class OutputsRead:
    """A report and its month-by-month series, as read for one person."""

    report: Report
    months: tuple[tuple[str, int, int], ...]


def period_between(start: date, end: date) -> Period:
    """A period a person asked for, checked: in order, not over three years."""
    if end < start:
        raise ValidationFailed("The period ends before it starts.")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationFailed("Ask for three years at most.")
    return Period(start, end)


async def read_outputs(deps: Deps, actor: Actor, period: Period) -> OutputsRead:
    """The outputs report for a period (reading it is itself recorded)."""
    return await _outputs(deps, actor, period, "report.read", AuditCategory.CONSULTATION)


async def _outputs(
    deps: Deps, actor: Actor, period: Period, event: str, category: AuditCategory
) -> OutputsRead:
    """The report and its months, from every case (any may be live, or have actions settled, in
    the period) and only the sittings of the period and the one before it compares with; the
    reading recorded as `event` (a disclosure names the reader as its recipient)."""
    actor.require(Permission.READ_REPORTS)
    tally = OutputsTally(period, deps.config.confidence)
    # Nationally most cases closed years ago and count in nothing here: they are not read.
    closed_since = london_to_utc(counts_from(period), time(0))
    async with deps.uow() as uow:
        async for cases in uow.cases.pages(closed_since=closed_since):
            for start in range(0, len(cases), TALLY_SLICE):
                if start:
                    await asyncio.sleep(0)  # other turns run between slices of a long count
                tally.add(cases[start : start + TALLY_SLICE])
        sittings = await uow.sittings.find(on_or_after=period.previous().start)
        roster = await uow.roster.all()
    report = tally.report(sittings, roster)
    await record_access(
        deps,
        actor,
        event,
        category,
        AuditPurpose.REPORT,
        subject_id="report",
        recipient=actor.actor_id if category is AuditCategory.DISCLOSURE else "",
        detail=period.words(),
    )
    return OutputsRead(report, tally.months(sittings))


async def export_outputs(deps: Deps, actor: Actor, period: Period) -> tuple[str, str]:
    """The outputs report as a CSV to hand on (the commissioner's quarterly figures): small numbers
    suppressed, cases by reference only. The export is recorded as a disclosure."""
    read = await _outputs(deps, actor, period, "report.exported", AuditCategory.DISCLOSURE)
    said = await quarter_feedback(deps, actor)
    rows = io.StringIO()
    for title, value in feedback_lines(said.results, deps.config.small_numbers):
        csv.writer(rows).writerow([f"feedback on the panel, {said.quarter}", title, value, ""])
    content = report_csv(read.report, read.months, deps.config.small_numbers) + rows.getvalue()
    return f"panel-outputs-{period.start}-{period.end}.csv", content


async def export_case_facts(deps: Deps, actor: Actor, period: Period) -> tuple[str, str]:
    """Per-case facts, by reference only, for the cases live or closed in the twelve months to the
    period's end (the cases to audit): recorded as a disclosure."""
    actor.require(Permission.EXPORT_CASE_FACTS)
    listed: list[Case] = []  # only the cases on the list are kept, not the whole history
    withheld = 0
    async with deps.uow() as uow:
        async for cases in uow.cases.pages():
            due = [c for c in cases if on_audit_list(c, period)]
            # A case the person declared a conflict for is not theirs to read row by row.
            listed += [c for c in due if not c.conflicted(actor.actor_id)]
            withheld += sum(1 for c in due if c.conflicted(actor.actor_id))
    audit_list = sorted(c.reference for c in listed)
    await record_access(
        deps,
        actor,
        "report.case_facts_exported",
        AuditCategory.DISCLOSURE,
        AuditPurpose.REPORT,
        subject_id="report",
        recipient=actor.actor_id,
        detail=f"{period.words()}; {len(audit_list)} cases"
        + (f"; {withheld} withheld (conflict)" if withheld else ""),
    )
    content = case_facts_csv(listed, audit_list, period, deps.config.confidence)
    return f"panel-case-facts-{period.end}.csv", content


def report_csv(report: Report, months: tuple[tuple[str, int, int], ...], threshold: int) -> str:
    """The report as CSV rows (section, item, value, previous period), suppressed for handing on."""
    safe = handed_on(report, months, threshold)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "item", "value", "previous period"])
    for name, _ in report.figures:
        before = "not compared" if name in NOT_COMPARED else safe.previous.get(name, HIDDEN).text
        writer.writerow(["outputs", name, safe.figures[name].text, before])
    for title, (cells, total) in safe.breakdowns.items():
        for name, shown in cells:
            writer.writerow([title, name, shown.text, ""])
        writer.writerow([title, total_label(title), total.text, ""])
    for month, referred, heard in safe.months:
        writer.writerow(["month by month", month, f"referred {referred.text}, heard {heard.text}", ""])
    if report.closure_days_median is not None and not safe.closure_shown:
        # Times to closure of a handful of cases would point at those cases.
        writer.writerow(["time to closure", "median days", "hidden (few cases closed)", ""])
    elif report.closure_days_median is not None:
        writer.writerow(["time to closure", "median days", f"{report.closure_days_median:g}", ""])
        writer.writerow(["time to closure", "longest days", str(report.closure_days_longest), ""])
    # How many, never which: a list of references here would give back the count it hides, and
    # references are for the force's own audit (the case facts CSV), not for handing on.
    writer.writerow(
        [
            "cases to audit",
            "live, or closed in the last 12 months",
            show(len(report.audit_list), threshold).text,
            "",
        ]
    )
    return out.getvalue()


def total_label(title: str) -> str:
    """What a breakdown's total counts: cases, or flags where a case may carry several."""
    return "All flags (a case may have several)" if "flag" in title else "Total"


@dataclass(frozen=True)
class ThemeTrend:
    """One theme's counts across recent quarters, oldest first."""

    code: str
    counts: tuple[int, ...]
    new_this_period: bool


@dataclass(frozen=True)
class ThemesRead:
    """Themes and good practice across sittings, and the learning actions."""

    quarters: tuple[str, ...]
    themes: tuple[ThemeTrend, ...]
    good_practice: tuple[int, ...]
    learning: tuple[LearningAction, ...]


async def read_themes(deps: Deps, actor: Actor, quarters: int = 4) -> ThemesRead:
    """Themes by quarter over the last `quarters` quarters (the current one last), good practice
    noted, and the force's learning actions."""
    actor.require(Permission.READ_THEMES)
    today = deps.today()
    starts = []
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    for _ in range(quarters):
        starts.append(start)
        start = (start - timedelta(days=1)).replace(day=1)
        start = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    starts.reverse()

    def quarter_of(day: date) -> int | None:
        for i in range(len(starts) - 1, -1, -1):
            if day >= starts[i]:
                return i
        return None

    counts: dict[str, list[int]] = {}
    earlier: set[str] = set()
    good = [0] * quarters
    async with deps.uow() as uow:
        async for cases in uow.cases.pages():  # counted a page at a time, never the whole history
            for case in cases:
                for theme in case.themes:
                    key = theme.code or f"tag: {theme.tag}"
                    q = quarter_of(theme.at.date())
                    if q is None:
                        earlier.add(key)
                        continue
                    counts.setdefault(key, [0] * quarters)[q] += 1
                for direction in case.directions:
                    q = quarter_of(direction.at.date())
                    if q is not None and direction.kind.value == "good_practice":
                        good[q] += 1
        learning = await uow.learning.all()
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1][-1], -sum(kv[1]), kv[0]))
    trends = tuple(
        ThemeTrend(code, tuple(n), new_this_period=key_new(n, code, earlier)) for code, n in ordered
    )
    await record_access(
        deps,
        actor,
        "themes.read",
        AuditCategory.CONSULTATION,
        AuditPurpose.REPORT,
        subject_id="themes",
    )
    labels = tuple(f"Q{(s.month - 1) // 3 + 1} {s.year}" for s in starts)
    return ThemesRead(labels, trends, tuple(good), tuple(learning))


def key_new(counts: list[int], code: str, earlier: set[str]) -> bool:
    """A theme is new this period if it was never seen before the latest quarter."""
    return counts[-1] > 0 and not any(counts[:-1]) and code not in earlier


async def record_learning_action(
    deps: Deps,
    actor: Actor,
    text: str,
    owner: OwnerRole,
    due: date,
    theme_code: str | None = None,
    request_key: str | None = None,
) -> LearningAction:
    """A force-wide learning action arising from the themes (the analyst or the chair)."""
    actor.require(Permission.RECORD_LEARNING)
    text = " ".join(text.split())
    if not text or len(text) > MAX_TEXT:
        raise ValidationFailed(f"Describe the learning action in 1 to {MAX_TEXT} characters.")
    if due < deps.today():
        raise ValidationFailed("A learning action cannot be due in the past.")
    if theme_code is not None and theme_code not in deps.config.taxonomy:
        raise ValidationFailed("That theme is not in the force's taxonomy.")
    async with deps.uow() as uow:
        await once(uow, request_key)
        (await deps.guard(uow)).check(text)
        existing = await uow.learning.all()
        action = LearningAction(
            f"L{len(existing) + 1}", text, owner, due, theme_code, actor.actor_id, deps.clock.now()
        )
        uow.learning.add(action)
        deps.audit(uow, actor, "learning.recorded", action.action_id)
        await uow.commit()
    return action


async def learning_done(
    deps: Deps, actor: Actor, action_id: str, note: str | None, request_key: str | None = None
) -> LearningAction:
    """Mark a learning action done, with an optional note of what changed."""
    actor.require(Permission.RECORD_LEARNING)
    note = " ".join(note.split()) if note else None
    async with deps.uow() as uow:
        await once(uow, request_key)
        if note:
            (await deps.guard(uow)).check(note)
        action = next((a for a in await uow.learning.all() if a.action_id == action_id), None)
        if action is None:
            raise NotFound("There is no such learning action.")
        action.mark_done(deps.clock.now(), note)
        uow.learning.save(action)
        deps.audit(uow, actor, "learning.done", action.action_id)
        await uow.commit()
    return action


def theme_totals(themes: ThemesRead) -> Counter[str]:
    """Each theme's total over the quarters shown."""
    return Counter({t.code: sum(t.counts) for t in themes.themes})
