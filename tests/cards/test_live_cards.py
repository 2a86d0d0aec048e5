"""Live-sitting cards: golden JSON, Microsoft Teams' validator, size limits, no room for a name."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from bot.views import clip_for_card as clip
from cards import live, verbs
from panel.actions import MAX_DESCRIPTION
from tests.cards.test_help_card import assert_matches_golden, assert_valid_for_teams

TEAMS_LIMIT_BYTES = 28 * 1024

CONTROL = live.ControlView(
    sitting_id="2026-12-01",
    title="Panel sitting Tue 01 Dec 2026, 10:00–13:00",
    status="live",
    lines=(
        live.SlotLine(1, "K7F-2QM", "new", 15, "10:00", "heard", ""),
        live.SlotLine(2, "B3C-4DE", "update", 10, "10:17", "live", "SOO called"),
        live.SlotLine(3, "H8J-9KL", "complex", 30, "10:27", "waiting", "not in the waiting room"),
    ),
    current="Case B3C-4DE",
    time_left="4 min",
    projected_finish="10:57",
    late_by=2,
    warning=None,
    notices=("The SOO for H8J-9KL was not in the waiting room when called: say **defer** to hear it later.",),
    live_slot="slot-2",
)
CASE = live.CaseView(
    reference="B3C-4DE",
    category="police perpetrator",
    route="idva referral",
    risk="high",
    slot_kind="update",
    minutes=10,
    first_heard="03 Nov 2026",
    hearings=(live.HearingLine("03 Nov 2026", "new", "17 of 15", "heard"),),
    actions=(live.ActionLine("A1", "SOO to update the victim weekly", "soo", "07 Dec", "open"),),
    case_conference=("serial perpetrator or multiple victims",),
)
CARDS = {
    "control_readonly": lambda: live.control_card(CONTROL, controls=False, refresh_for=("29:chair",)),
    "control_chair": lambda: live.control_card(CONTROL, controls=True),
    "case_live": lambda: live.case_card(CASE),
    "case_live_flagged": lambda: live.case_card(
        dataclasses.replace(
            CASE,
            confidence=(
                ("Victim last updated", "20 days ago"),
                ("Investigator changes", "2"),
                ("Investigation age", "96 days"),
            ),
            confidence_flags=("victim not updated for 20 days", "investigator changed 2 times"),
        )
    ),
    "case_collapsed": lambda: live.collapsed_case_card(
        live.CollapsedCaseView("B3C-4DE", False, "10:17", 12, 10, 1, 0)
    ),
    "case_deferred": lambda: live.collapsed_case_card(
        live.CollapsedCaseView("B3C-4DE", True, "—", 0, 10, 0, 0)
    ),
    "call": lambda: live.call_card(
        live.CallView("B3C-4DE", "https://teams.microsoft.com/l/meetup-join/x", 10)
    ),
    "summary": lambda: live.summary_card(
        live.SummaryView(
            "Panel sitting Tue 01 Dec 2026, 10:00–13:00",
            (live.SummaryLine("K7F-2QM", "heard", 17, 15), live.SummaryLine("H8J-9KL", "not reached", 0, 30)),
            2,
            1,
            ("H8J-9KL",),
        )
    ),
}


def without_refresh(card: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in card.items() if k != "refresh"}


@pytest.mark.parametrize("name", sorted(CARDS))
def test_live_card_matches_golden_and_teams_accepts_it(name: str) -> None:
    card = CARDS[name]()
    assert_matches_golden(name, card)
    assert_valid_for_teams(without_refresh(card))


def test_only_the_chair_view_has_buttons_each_with_a_submit_fallback() -> None:
    readonly = CARDS["control_readonly"]()
    chair = CARDS["control_chair"]()
    assert "actions" not in readonly
    assert [a["verb"] for a in chair["actions"]] == [verbs.NEXT, verbs.EXTEND, verbs.DEFER, verbs.END]
    assert all(
        a["type"] == "Action.Execute" and a["fallback"]["type"] == "Action.Submit" for a in chair["actions"]
    )
    # Each button names the case it showed as being heard, so a press on a stale card changes nothing.
    assert chair["actions"][0]["fallback"]["data"] == {
        "verb": verbs.NEXT,
        "sitting": "2026-12-01",
        "slot": "slot-2",
    }
    assert chair["actions"][3]["fallback"]["data"] == {"verb": verbs.END, "sitting": "2026-12-01"}


def test_the_read_only_card_asks_teams_to_refresh_it_for_the_chair_only() -> None:
    refresh = CARDS["control_readonly"]()["refresh"]
    assert refresh["userIds"] == ["29:chair"]
    assert refresh["action"] == {
        "type": "Action.Execute",
        "verb": verbs.REFRESH_CONTROL,
        "data": {"sitting": "2026-12-01"},
    }


def test_a_heavy_case_card_stays_within_the_teams_size_limit() -> None:
    heavy = dataclasses.replace(
        CASE,
        hearings=tuple(
            live.HearingLine(f"{n:02d} Jan 2026", "update", "10 of 10", "heard") for n in range(1, 21)
        ),
        actions=tuple(
            live.ActionLine(f"A{n}", clip("x" * MAX_DESCRIPTION), "investigation team", "07 Dec", "open")
            for n in range(1, 51)
        ),
    )
    card = live.case_card(heavy)
    assert len(json.dumps(card).encode()) < TEAMS_LIMIT_BYTES
    assert_valid_for_teams(card)


def test_views_have_no_field_that_could_carry_a_name() -> None:
    allowed = {
        "reference",
        "category",
        "route",
        "risk",
        "slot_kind",
        "minutes",
        "first_heard",
        "hearings",
        "actions",
        "case_conference",
        "action_id",
        "description",
        "owner",
        "due",
        "status",
        "date",
        "kind",
        "outcome",
        "position",
        "starts",
        "state",
        "soo",
        "sitting_id",
        "live_slot",  # an internal random id
        "title",
        "lines",
        "current",
        "time_left",
        "projected_finish",
        "late_by",
        "warning",
        "notices",
        "heard_at",
        "minutes_used",
        "minutes_allotted",
        "open_actions",
        "done_actions",
        "confidence",
        "confidence_flags",
        "deferred",
        "case_room_link",
        "slot_minutes",
        "actions_recorded",
        "themes_recorded",
        "not_reached",
    }
    views = [
        live.SlotLine,
        live.ControlView,
        live.HearingLine,
        live.ActionLine,
        live.CaseView,
        live.CollapsedCaseView,
        live.CallView,
        live.SummaryLine,
        live.SummaryView,
    ]
    fields = {f.name for view in views for f in dataclasses.fields(view)}
    assert fields <= allowed, fields - allowed


def test_the_summary_gives_minutes_only_for_cases_heard() -> None:
    facts = {f["title"]: f["value"] for f in CARDS["summary"]()["body"][1]["facts"]}
    assert facts == {"K7F-2QM": "heard, 17 of 15 min", "H8J-9KL": "not reached"}
