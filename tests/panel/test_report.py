"""The outputs report against figures worked out by hand: period edges in London time (across the
clock change), cancelled actions, a reopened case; and small numbers that cannot be recovered."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time

from hypothesis import given
from hypothesis import strategies as st

from panel.actions import OwnerRole, PanelAction
from panel.agenda import Slot, SlotKind, SlotState
from panel.case import (
    Case,
    CaseConferenceFlags,
    CaseStatus,
    Category,
    ReferralRoute,
    Reopening,
    RiskLevel,
    StatusChange,
)  # fmt: skip
from panel.case_facts import CriminalStatus, RankBand
from panel.case_facts_csv import case_facts_csv
from panel.clock import london_to_utc
from panel.confidence import ConfidenceThresholds
from panel.report import (
    ACTIONS_CANCELLED,
    ACTIONS_DONE,
    ACTIONS_OVERDUE,
    ACTIONS_SET,
    CLOSED,
    HEARD,
    PANELS,
    REFERRED,
    SOOS,
    Period,
    audit_references,
    last_quarter,
    outputs_report,
)
from panel.sitting import Sitting, SittingStatus
from panel.small_numbers import show, show_group

Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))  # the clocks went forward on 29 March


def _case(n: int, received: date, route: ReferralRoute = ReferralRoute.MASH, soo: str = "soo-1") -> Case:
    registered = datetime.combine(received, time(12), tzinfo=UTC)
    return Case(
        f"c{n}", f"K7F-2Q{n}", Category.POLICE_VICTIM, route, received, RiskLevel.HIGH,
        CaseConferenceFlags(), registered, "coordinator", soo_id=soo,
    )  # fmt: skip


def _action(n: int, set_at: datetime, due: date) -> PanelAction:
    return PanelAction(f"A{n}", "SOO to update the victim", OwnerRole.SOO, due, "admin", set_at)


def _fixture() -> tuple[list[Case], list[Sitting]]:
    edge = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 April in London: in Q2
    before = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # 23:30 on 31 March in London: not
    a = _case(1, date(2026, 4, 1), ReferralRoute.MASH)
    b = _case(2, date(2026, 5, 10), ReferralRoute.LINE_MANAGER, soo="soo-2")
    c = _case(3, date(2026, 3, 31), ReferralRoute.MASH)  # referred the day before the period
    a.actions = [_action(1, edge, date(2026, 5, 1)), _action(2, before, date(2026, 4, 10))]
    a.actions[0].mark_done(by="soo", at=datetime(2026, 4, 20, 9, tzinfo=UTC))
    a.actions[1].cancel(
        reason="Overtaken by the charge", by="chair", at=datetime(2026, 6, 30, 22, 30, tzinfo=UTC)
    )
    # ^ 23:30 on 30 June in London: cancelled within Q2
    b.actions = [_action(1, datetime(2026, 5, 12, 9, tzinfo=UTC), date(2026, 6, 1))]  # still open: overdue
    # c was closed in May, then reopened in June: not closed any more, so not "closed in the period".
    c.status = CaseStatus.REOPENED
    c.history = [
        StatusChange(CaseStatus.CLOSED, "soo", datetime(2026, 5, 20, 9, tzinfo=UTC)),
        StatusChange(CaseStatus.REOPENED, "coordinator", datetime(2026, 6, 2, 9, tzinfo=UTC)),
    ]
    sitting = Sitting(
        "s1", date(2026, 4, 14), time(10), london_to_utc(date(2026, 4, 14), time(10)), 180, "coord"
    )
    for n, case, kind in ((1, a, SlotKind.NEW), (2, c, SlotKind.UPDATE)):
        slot = Slot(f"slot{n}", case.case_id, case.reference, kind, 15)
        slot.state = SlotState.HEARD
        sitting.slots.append(slot)
    unreached = Slot("slot3", b.case_id, b.reference, SlotKind.UPDATE, 10)
    unreached.state = SlotState.NOT_REACHED
    sitting.slots.append(unreached)
    sitting.status = SittingStatus.ENDED
    return [a, b, c], [sitting]


def test_the_figures_for_a_quarter_across_the_clock_change() -> None:
    cases, sittings = _fixture()
    report = outputs_report(cases, sittings, [], Q2, ConfidenceThresholds())
    assert report.figure(REFERRED) == 2  # a and b; c was referred on 31 March
    assert report.figure(PANELS) == 1 and report.figure(HEARD) == 2
    assert report.figure(SOOS) == 1  # soo-1 for both heard cases; b was not reached
    assert (
        report.figure(ACTIONS_SET) == 2
    )  # a's A1 (00:30 London on 1 April) and b's; not A2 (23:30 on 31 March)
    assert report.figure(ACTIONS_DONE) == 1 and report.figure(ACTIONS_CANCELLED) == 1
    assert report.figure(ACTIONS_OVERDUE) == 1  # b's, due 1 June, open at 30 June
    assert report.figure(CLOSED) == 0  # c closed in May but was reopened: it is not closed
    assert dict(next(b.counts for b in report.breakdowns if b.title == "Referred, by route")) == {
        "MASH": 1,
        "Line manager": 1,
    }
    assert "K7F-2Q3" in report.audit_list  # live again


def test_the_period_before_is_there_to_compare_and_last_quarter_is_calendar_quarters() -> None:
    cases, sittings = _fixture()
    report = outputs_report(cases, sittings, [], Q2, ConfidenceThresholds())
    assert dict(report.previous)[REFERRED] == 1  # c, on 31 March
    assert last_quarter(date(2026, 7, 15)) == Q2
    assert last_quarter(date(2026, 1, 3)) == Period(date(2025, 10, 1), date(2025, 12, 31))


def test_a_small_count_is_hidden_and_cannot_be_worked_out_from_the_total() -> None:
    cells, total = show_group([("MASH", 12), ("Line manager", 3), ("Colleague", 9)])
    shown = dict(cells)
    assert shown["Line manager"].text == "<5" and shown["Colleague"].hidden  # the second is hidden too
    assert total.text == "24" and not shown["MASH"].hidden
    assert show(0).text == "0" and show(5).text == "5" and show(4).text == "<5"


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8))
def test_no_single_hidden_count_can_be_recovered_by_subtraction(counts: list[int]) -> None:
    cells, total = show_group([(f"k{i}", n) for i, n in enumerate(counts)])
    hidden = [name for name, s in cells if s.hidden]
    # With the total shown, one hidden count alone would be the total less the others.
    assert len(hidden) != 1 or total.hidden


def test_the_case_facts_csv_is_by_reference_in_choices_and_months_without_anything_typed() -> None:
    cases, _ = _fixture()
    a, b, c = cases
    a.facts.apply(
        {
            "criminal_status": CriminalStatus.NO_FURTHER_ACTION,
            "right_to_review_told": True,
            "support_offered": date(2026, 4, 20),
            "rank_band": RankBand.CONSTABLE,
        },
        date(2026, 4, 20),
    )
    c.reopenings.append(
        Reopening("Fresh evidence from the IDVA service", "coordinator", datetime(2026, 6, 2, tzinfo=UTC))
    )
    late = _case(4, date(2026, 7, 2))  # received after the period: not on its audit list
    content = case_facts_csv([*cases, late], audit_references([*cases, late], Q2), Q2, ConfidenceThresholds())
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(content))}
    assert set(rows) == {"K7F-2Q1", "K7F-2Q2", "K7F-2Q3"}
    first = rows["K7F-2Q1"]
    assert (
        first["Criminal investigation"] == "No further action"
        and first["Victim told of the Right to Review"] == "yes"
    )
    assert first["IDVA or specialist support offered"] == "2026-04"  # a month, never the day
    assert (
        first["Rank band of the officer suspected"] == "Constable" and first["received (month)"] == "2026-04"
    )
    assert first["actions set"] == "2" and first["actions done"] == "1"
    assert rows["K7F-2Q2"]["actions overdue"] == "1"  # due 1 June, open at 30 June
    assert rows["K7F-2Q3"]["reopened"] == "1" and "Fresh evidence" not in content  # no reason typed
    assert "soo-1" not in content and "coordinator" not in content  # nobody's id either


def _determined(cells: list[tuple[int, bool]], total: int | None, threshold: int = 5) -> bool:
    """Whether what is shown (counts shown, hidden ones only as below or at/above the threshold,
    and the total if shown) pins any hidden count to one value."""
    hidden = [(n, n < threshold) for n, is_hidden in cells if is_hidden]
    if total is None or not hidden:
        return False
    rest = total - sum(n for n, is_hidden in cells if not is_hidden)
    ranges = [(1, threshold - 1) if small else (threshold, 10**6) for _, small in hidden]
    for i, (low, high) in enumerate(ranges):
        others_low = sum(lo for j, (lo, _) in enumerate(ranges) if j != i)
        others_high = sum(hi for j, (_, hi) in enumerate(ranges) if j != i)
        possible = [v for v in range(low, min(high, rest) + 1) if others_low <= rest - v <= others_high]
        if len(possible) == 1:
            return True
    return False


@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=7))
def test_no_hidden_count_can_be_worked_out_from_the_others_and_the_total(counts: list[int]) -> None:
    cells, total = show_group([(f"k{i}", n) for i, n in enumerate(counts)])
    shown = [(n, s.hidden) for n, (_, s) in zip(counts, cells, strict=True)]
    assert not _determined(shown, None if total.hidden else int(total.text))


def test_five_routes_of_one_case_each_do_not_give_themselves_away() -> None:
    cells, total = show_group([(f"route {i}", 1) for i in range(5)])
    assert all(s.text == "<5" for _, s in cells) and total.hidden  # a total of 5 would say each is 1


def test_what_is_handed_on_hides_a_headline_with_any_breakdown_that_adds_up_to_it() -> None:
    from panel.handed_on import handed_on
    from panel.report import Breakdown, Report

    report = Report(
        Q2,
        ((REFERRED, 5), (HEARD, 12), (CLOSED, 7)),
        (
            Breakdown("Referred, by route", tuple((f"route {i}", 1) for i in range(5))),
            Breakdown("Referred, by category", (("Police victim", 5),)),
            Breakdown("Heard, by slot", (("Update", 8), ("New", 4))),
        ),
        30.0,
        60,
        (),
    )
    safe = handed_on(report, (("Apr 2026", 5, 12),), 5)
    assert safe.figures[REFERRED].hidden  # five routes of one each would give it away
    assert safe.breakdowns["Referred, by category"][1].hidden  # and this total is the same figure
    assert not safe.figures[HEARD].hidden and safe.breakdowns["Heard, by slot"][1].text == "12"
    assert safe.closure_shown


def test_a_hidden_headline_is_not_given_back_by_another_breakdown_or_the_months() -> None:
    from panel.handed_on import handed_on
    from panel.report import Breakdown, Report

    routes = (*((f"route {c}", 1) for c in "abcde"), ("route f", 5))
    report = Report(
        Q2,
        ((REFERRED, 10), (HEARD, 0), (CLOSED, 0)),
        (
            Breakdown("Referred, by route", routes),
            Breakdown("Referred, by category", (("Police victim", 5), ("Police perpetrator", 5))),
        ),
        None,
        None,
        (),
    )
    safe = handed_on(report, (("Apr 2026", 5, 0), ("May 2026", 5, 0)), 5)
    assert safe.figures[REFERRED].hidden
    shown = [s.text for _, s in safe.breakdowns["Referred, by category"][0]]
    shown += [r.text for _, r, _ in safe.months]
    assert all(text == "hidden" for text in shown)  # 5 + 5 would say routes a to e are one each


def test_high_risk_cases_with_a_measure_are_hidden_when_those_without_one_would_be_few() -> None:
    from panel.handed_on import handed_on
    from panel.report import HIGH_RISK, HIGH_RISK_SAFEGUARDED, Breakdown, Report

    def handed(high: int, safeguarded: int, before: tuple[int, int] | None = None) -> tuple[bool, ...]:
        figures = ((HIGH_RISK, high), (HIGH_RISK_SAFEGUARDED, safeguarded), (CLOSED, 0))
        previous = () if before is None else ((HIGH_RISK, before[0]), (HIGH_RISK_SAFEGUARDED, before[1]))
        open_cases = (Breakdown("Open cases, by conduct matter", (("Yes", 20), ("No", 20))),)
        report = Report(Q2, figures, open_cases, None, None, (), previous)
        safe = handed_on(report, (), 5)
        shown = (safe.figures[HIGH_RISK].hidden, safe.figures[HIGH_RISK_SAFEGUARDED].hidden)
        if before is None:
            return shown
        return (*shown, safe.previous[HIGH_RISK].hidden, safe.previous[HIGH_RISK_SAFEGUARDED].hidden)

    # 12 - 10 would say two high-risk cases have no measure: the part goes, and so does the whole
    # (the early-warning breakdown counts those without one, so 12 less that gives the part back).
    assert handed(12, 10) == (True, True)
    assert handed(12, 5) == (False, False)  # seven without: nothing small to work out
    assert handed(12, 12) == (False, False)  # none without is not a small number
    assert handed(3, 3) == (True, True)
    # The period before is handed on the same way, not shown in full beside it.
    assert handed(12, 5, before=(12, 10))[2:] == (True, True)
