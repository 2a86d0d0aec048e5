"""Live-sitting cards: golden JSON, Microsoft Teams' validator, size limits, no room for a name."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from bot.views import clip_for_card as clip
from cards import case_cards, live, soo_card, verbs
from cards.case_facts_form import fact_lines
from cards.proposal_cards import PendingLine, ProposeView
from cards.render import Refresh
from panel.actions import MAX_DESCRIPTION
from tests.cards.test_help_card import assert_matches_golden, assert_valid_for_teams
from tests.fact_values import every_fact_filled

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
CASE = case_cards.CaseView(
    reference="B3C-4DE",
    category="police perpetrator",
    route="idva referral",
    risk="high",
    slot_kind="update",
    minutes=10,
    first_heard="03 Nov 2026",
    hearings=(case_cards.HearingLine("03 Nov 2026", "new", "17 min used of 15", "heard"),),
    actions=(
        case_cards.ActionLine("A1", "SOO to update the victim weekly", "SOO", "07 Dec", "open"),
        case_cards.ActionLine("A2", "PSD to review the suspension", "PSD", "01 Dec", "done", "upheld"),
    ),
    latest_update=("30 Nov 2026", "Victim spoken to; IDVA engaged."),
    case_conference=("serial perpetrator or multiple victims",),
)
PANEL_REFRESH = Refresh(verbs.REFRESH_CONTROL, (("sitting", "2026-12-01"),), ("29:chair", "29:member"))
CASE_REFRESH = Refresh(verbs.CASE_REFRESH, (("sitting", "2026-12-01"), ("slot", "slot-2")), ("29:member",))
PROGRESS = live.ProgressView(
    "2026-12-01", "Panel sitting Tue 01 Dec 2026, 10:00–13:00", "live", "Case 2 of 3 being heard", 2, "10:57"
)
CARDS = {
    "control_readonly": lambda: live.control_card(CONTROL, controls=False, refresh=PANEL_REFRESH),
    "control_chair": lambda: live.control_card(
        dataclasses.replace(
            CONTROL,
            chair_notes=(
                "In the case-room chat but not on the panel: Sam Ortega. "
                "Remove them before the next case is heard.",
            ),
        ),
        controls=True,
        refresh=PANEL_REFRESH,
    ),
    "progress": lambda: live.progress_card(PROGRESS, PANEL_REFRESH),
    "case_base": lambda: case_cards.base_case_card(
        case_cards.BaseCaseView("B3C-4DE", "2026-12-01", "slot-2"), CASE_REFRESH
    ),
    "case_live": lambda: case_cards.case_card(CASE, CASE_REFRESH, can_declare=True, user_view=True),
    # A partner's own view (they may propose) and the chair's (they decide what was proposed).
    "case_live_partner": lambda: case_cards.case_card(
        CASE,
        CASE_REFRESH,
        can_declare=True,
        user_view=True,
        banner="Proposal P1 is with the chair for case B3C-4DE.",
        propose=ProposeView("B3C-4DE", (("SOO", "soo"), ("PSD", "psd")), (("Over-empathy", "TH01"),)),
        pending=(PendingLine("P1", "Action: offer an IDVA (owner: SOO)", "proposed by a partner agency"),),
    ),
    "case_live_chair": lambda: case_cards.case_card(
        CASE,
        CASE_REFRESH,
        can_declare=True,
        user_view=True,
        pending=(PendingLine("P1", "Action: offer an IDVA (owner: SOO)", "proposed by a partner agency"),),
        decides=True,
    ),
    "case_overview": lambda: case_cards.case_card(dataclasses.replace(CASE, slot_kind=None)),
    "case_live_flagged": lambda: case_cards.case_card(
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
    "case_collapsed": lambda: case_cards.collapsed_case_card(
        case_cards.CollapsedCaseView("B3C-4DE", "heard at 10:17")
    ),
    "case_deferred": lambda: case_cards.collapsed_case_card(
        case_cards.CollapsedCaseView("B3C-4DE", "deferred: it will be heard later")
    ),
    "call": lambda: soo_card.soo_card(
        soo_card.SooCardView(
            "The panel is ready for case B3C-4DE",
            (
                ("B3C-4DE", "being heard now: join the case room"),
                ("K7F-2QM", "expected about 11:40: join the waiting room by 11:25"),
            ),
            "B3C-4DE",
            10,
            "https://teams.microsoft.com/l/meetup-join/x",
        )
    ),
    "soo_deferred": lambda: soo_card.soo_card(
        soo_card.SooCardView(
            "The sitting has started",
            (("B3C-4DE", "moved later in the sitting, expected about 12:10: stay in the waiting room"),),
        )
    ),
    "soo_superseded": lambda: soo_card.superseded_card("The panel is ready for case B3C-4DE"),
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


def test_between_cases_the_chair_is_offered_next_and_end_only() -> None:
    """Extend and Defer act on the case being heard; with none, they would only be refused."""
    between = dataclasses.replace(CONTROL, live_slot="", current=None, time_left=None)
    actions = live.control_card(between, controls=True)["actions"]
    assert [a.get("verb") or a["title"] for a in actions] == [verbs.NEXT, "End sitting"]


def test_only_the_chair_view_has_buttons_each_with_a_submit_fallback() -> None:
    readonly = CARDS["control_readonly"]()
    chair = CARDS["control_chair"]()
    assert "actions" not in readonly
    *live, end = chair["actions"]
    assert [a["verb"] for a in live] == [verbs.NEXT, verbs.EXTEND, verbs.DEFER]
    # End asks first, in the card: only the button inside the question reaches the bot.
    assert end["type"] == "Action.ShowCard" and end["title"] == "End sitting"
    question = end["card"]
    assert "End the sitting now? 1 case not yet heard will be marked not reached." in json.dumps(question)
    (confirm,) = question["actions"]
    assert confirm["title"] == "Yes, end the sitting"
    assert all(
        a["type"] == "Action.Execute" and a["fallback"]["type"] == "Action.Submit" for a in (*live, confirm)
    )
    # Each button names the case it showed as being heard, so a press on a stale card changes nothing.
    assert chair["actions"][0]["fallback"]["data"] == {
        "verb": verbs.NEXT,
        "sitting": "2026-12-01",
        "slot": "slot-2",
    }
    assert confirm["fallback"]["data"] == {"verb": verbs.END, "sitting": "2026-12-01"}


def test_the_progress_card_the_chat_keeps_names_no_case_and_asks_for_each_persons_view() -> None:
    card = CARDS["progress"]()
    text = json.dumps(card)
    assert not any(ref in text for ref in ("K7F-2QM", "B3C-4DE", "H8J-9KL"))
    assert "Case 2 of 3 being heard" in text and "Running late" in text
    assert card["refresh"] == {
        "action": {
            "type": "Action.Execute",
            "verb": verbs.REFRESH_CONTROL,
            "data": {"sitting": "2026-12-01"},
        },
        "userIds": ["29:chair", "29:member"],
    }
    (show,) = card["actions"]
    assert (show["verb"], show["fallback"]["type"]) == (verbs.REFRESH_CONTROL, "Action.Submit")


def test_the_case_card_the_chat_keeps_holds_the_reference_and_nothing_else() -> None:
    card = CARDS["case_base"]()
    text = json.dumps(card)
    assert "B3C-4DE" in text
    for detail in ("police perpetrator", "idva", "high", "SOO to update", "serial", "03 Nov"):
        assert detail not in text
    assert card["refresh"]["action"]["data"] == {"sitting": "2026-12-01", "slot": "slot-2"}
    assert card["actions"][0]["verb"] == verbs.CASE_REFRESH


def test_a_collapsed_case_card_has_no_refresh_so_every_view_of_it_collapses() -> None:
    for name in ("case_collapsed", "case_deferred"):
        card = CARDS[name]()
        assert "refresh" not in card and "actions" not in card


def test_the_full_view_keeps_its_refresh_and_offers_a_conflict_declaration() -> None:
    card = CARDS["case_live"]()
    assert card["refresh"]["action"]["verb"] == verbs.CASE_REFRESH
    (declare,) = card["actions"]
    assert declare["verb"] == verbs.CONFLICT_DECLARE and declare["data"]["case"] == "B3C-4DE"


def test_a_heavy_case_card_stays_within_the_teams_size_limit() -> None:
    heavy = dataclasses.replace(
        CASE,
        hearings=tuple(
            case_cards.HearingLine(f"{n:02d} Jan 2026", "update", "10 min used of 10", "heard")
            for n in range(1, 21)
        ),
        actions=tuple(
            case_cards.ActionLine(
                f"A{n}", clip("x" * MAX_DESCRIPTION), "Investigation team", "07 Dec", "done", clip("y" * 300)
            )
            for n in range(1, 51)
        ),
        facts=fact_lines(every_fact_filled()),
        confidence_flags=(
            "victim not updated for 365 days",
            "investigator changed 9 times",
            "investigation 365 days old",
            "no declaration of the investigator's independence",
            "no IDVA or specialist support recorded as offered",
            "misconduct paused with no review date",
            "risk not reassessed for 365 days",
            "risk lowered without a supervisor's review",
            "high risk with no safeguarding measure recorded",
            "paused misconduct not reviewed for 365 days past its review date",
            "restriction not reviewed for 365 days past its review date",
            "high risk with no restriction decision recorded",
            "victim not told of the criminal investigation for 365 days",
            "victim not told of the misconduct investigation for 365 days",
            "no further action, then no case to answer (the chair to look at it)",
            "may need an IOPC referral (a kind of abuse the IOPC must be referred)",
            "superintendent or above, not investigated by another force (the force's rule)",
        ),
    )
    card = case_cards.case_card(heavy)
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
        "source",  # an accepted proposal's source, one of three fixed phrases by role
        "title",
        "lines",
        "current",
        "time_left",
        "projected_finish",
        "late_by",
        "warning",
        "notices",
        "minutes_used",
        "minutes_allotted",
        "progress",
        "slot_id",
        "confidence",
        "confidence_flags",
        "case_room_link",
        "slot_minutes",
        "headline",
        "called_reference",
        "called_minutes",
        "note",
        "latest_update",
        "room",
        "held",
        "attendance",
        "facts",
        "life",
        "actions_recorded",
        "themes_recorded",
        "not_reached",
    }
    views = [
        live.SlotLine,
        live.ControlView,
        live.ProgressView,
        case_cards.BaseCaseView,
        case_cards.HearingLine,
        case_cards.ActionLine,
        case_cards.CaseView,
        case_cards.CollapsedCaseView,
        soo_card.SooCardView,
        live.SummaryLine,
        live.SummaryView,
    ]
    fields = {f.name for view in views for f in dataclasses.fields(view)}
    # The one exception, by design: staff names for the chair's own view (never a party's).
    assert fields - allowed == {"chair_notes"}


def test_the_summary_gives_minutes_only_for_cases_heard() -> None:
    facts = {f["title"]: f["value"] for f in CARDS["summary"]()["body"][1]["facts"]}
    assert facts == {"K7F-2QM": "heard, 17 min used of 15", "H8J-9KL": "not reached"}


def test_once_every_case_is_heard_the_chair_is_offered_end_not_next() -> None:
    heard = tuple(dataclasses.replace(line, state="heard") for line in CONTROL.lines)
    done = dataclasses.replace(CONTROL, lines=heard, live_slot=None, current=None)
    titles = [a["title"] for a in live.control_card(done, controls=True)["actions"]]
    assert titles == ["End sitting"]
    # With the last case still being heard, Next closes it.
    last = dataclasses.replace(done, live_slot="slot-3")
    assert [a["title"] for a in live.control_card(last, controls=True)["actions"]][0] == "Next case"


def test_a_review_of_a_closed_case_offers_directions_and_themes_but_no_action() -> None:
    review = ProposeView("B3C-4DE", (("SOO", "soo"),), (("Over-empathy", "TH01"),), actions=False)
    card = case_cards.case_card(CASE, CASE_REFRESH, user_view=True, propose=review)
    assert [a["title"] for a in card["actions"]] == ["Propose a direction", "Propose a theme"]


@pytest.mark.parametrize(
    ("lines", "live_slot", "said"),
    [
        (CONTROL.lines, "slot-2", "1 case not yet heard will be marked not reached."),
        (CONTROL.lines[:2], "slot-2", "The case being heard now is the last: it will be recorded as heard."),
        (CONTROL.lines[:1], "", "Every case on the agenda has been heard."),
    ],
)
def test_ending_the_sitting_says_what_becomes_of_the_cases_left(
    lines: tuple[live.SlotLine, ...], live_slot: str, said: str
) -> None:
    view = dataclasses.replace(CONTROL, lines=lines, live_slot=live_slot)
    assert said in json.dumps(live.control_card(view, controls=True))
