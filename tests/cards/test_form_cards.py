"""Form cards: golden JSON, Microsoft Teams' validator, size, Universal Actions with fallbacks."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from cards import assurance_cards, case_forms, coordinator_forms, form_parts, notices, proposal_cards, verbs
from cards.case_cards import ActionLine
from cards.feedback_card import FeedbackView, feedback_card
from panel.case_facts import CaseFacts, CriminalStatus, YesNoPending
from panel.feedback import Respondent
from tests.cards.test_help_card import assert_matches_golden, assert_valid_for_teams
from tests.fact_values import every_fact_filled

CHOICES = (("Police victim", "police_victim"), ("Police perpetrator", "police_perpetrator"))
ACTIONS = (
    ActionLine("A1", "SOO to update the victim weekly", "SOO", "14 Dec", "open"),
    ActionLine("A2", "PSD to review the suspension decision", "PSD", "14 Dec", "done", "decision upheld"),
)
CARDS: dict[str, Callable[[], dict[str, Any]]] = {
    "form_register": lambda: coordinator_forms.register_card(
        coordinator_forms.RegisterView(
            CHOICES,
            (("Colleague", "colleague"),),
            (("High", "high"),),
            (("Alex Renshaw", "soo-1"),),
            "2026-12-07",
        )
    ),
    "form_manage": lambda: coordinator_forms.manage_card(
        coordinator_forms.ManageView(
            "K7F-2QM",
            "registered",
            "Alex Renshaw",
            ("counter-allegation",),
            (("Alex Renshaw", "soo-1"),),
            (("Mon 07 Dec 2026 10:00", "2026-12-07"),),
            form_parts.Banner("Registered as case K7F-2QM.", True),
        )
    ),
    # A closed case: listed only as a closed-case review, today's live sitting among the choices.
    "form_manage_closed": lambda: coordinator_forms.manage_card(
        coordinator_forms.ManageView(
            "K7F-2QM",
            "Closed",
            "Alex Renshaw",
            (),
            (("Alex Renshaw", "soo-1"),),
            (("Mon 07 Dec 2026 10:00 (live now)", "2026-12-07"), ("Mon 04 Jan 2027 10:00", "2027-01-04")),
            has_soo=True,
            closed=True,
        )
    ),
    "form_agenda": lambda: coordinator_forms.agenda_card(
        coordinator_forms.AgendaView(
            "2026-12-07",
            "Sitting Mon 07 Dec 2026, 10:00",
            (
                coordinator_forms.AgendaLine("s1", "K7F-2QM", "update", 10, "10:00", "waiting"),
                coordinator_forms.AgendaLine("s2", "M4P-9XR", "new", 15, "", "not_reached"),
            ),
            "Projected finish 10:10",
            None,
            (("Sitting Mon 04 Jan 2027, 10:00", "2027-01-04"),),
            1,
        )
    ),
    "form_case_life": lambda: coordinator_forms.case_life_card(
        coordinator_forms.CaseLifeView(
            "K7F-2QM",
            CaseFacts(conduct_matter=YesNoPending.PENDING, support_offered=date(2026, 11, 20)),
            "2026-12-07",
            at_conference=True,
            linked=("M4P-9XR",),
        )
    ),
    "form_sitting": lambda: coordinator_forms.sitting_form_card(
        coordinator_forms.SittingFormView("2026-12-07")
    ),
    "form_record": lambda: case_forms.record_card(
        case_forms.RecordView(
            "K7F-2QM",
            (("SOO", "soo"),),
            (("Updates to a police victim delayed", "delayed_victim_updates"),),
            "2026-12-07",
            form_parts.Banner("That text looks like it contains a phone number.", False),
        )
    ),
    "form_case_list": lambda: case_forms.case_list_card(
        case_forms.CaseListView(
            (
                case_forms.CaseLine(
                    "K7F-2QM",
                    "awaiting actions",
                    1,
                    "20 days ago",
                    2,
                    96,
                    ("victim not updated for 20 days",),
                ),
            )
        )
    ),
    "form_case": lambda: case_forms.case_form_card(
        case_forms.CaseFormView(
            "K7F-2QM",
            "awaiting actions",
            ACTIONS,
            (("Victim last updated", "20 days ago"),),
            ("victim not updated for 20 days",),
            "2026-12-07",
            outstanding=("A1 (SOO, due 14 Dec)",),
            banner=form_parts.Banner("Not closed yet. 1 agreed action is still open.", False),
            latest_update=("30 Nov 2026", "Victim spoken to; IDVA engaged; bail conditions reviewed."),
            facts=CaseFacts(criminal_status=CriminalStatus.ONGOING, independence_declared=True),
        )
    ),
    "form_approval": lambda: case_forms.approval_card(case_forms.ApprovalView("K7F-2QM", 2, 0)),
    "form_audit_list": lambda: assurance_cards.audit_list_card(
        assurance_cards.AuditListView(
            (
                assurance_cards.AuditRow("K7F-2QM", "Never audited"),
                assurance_cards.AuditRow("M4P-9XR", "Audited 3 November 2026: findings (closed)"),
            ),
            2,
            1,
            0,
            True,
        )
    ),
    "form_audit": lambda: assurance_cards.audit_form_card(
        assurance_cards.AuditFormView(
            "K7F-2QM",
            False,
            (
                assurance_cards.EarlierAudit(
                    "3 November 2026, by the chair", ("Risk assessment: referred to the chair",)
                ),
            ),
            "2026-12-07",
            True,
            form_parts.Banner("An audit cannot be dated in the future.", False),
            {"risk_assessment": "returned_to_soo", "support_to_parties": "not-a-choice"},
        )
    ),
    "form_recording_gaps": lambda: assurance_cards.gaps_card(
        assurance_cards.GapsView(
            3,
            (assurance_cards.GapLine("Risk level", "1 of 3 (33%)", ("K7F-2QM", "M4P-9XR"), 0),),
            20,
            4,
            (("Victim not updated", 2), ("Risk not reassessed", 1)),
            0,
        )
    ),
    "form_find_by_force_reference": lambda: assurance_cards.find_card(
        assurance_cards.FindView("K7F-2QM", form_parts.Banner("That is case K7F-2QM.", True))
    ),
    "form_feedback": lambda: feedback_card(FeedbackView("3f9a1c2b7d4e", Respondent.SOO, "K7F-2QM")),
    "form_propose": lambda: proposal_cards.propose_card(
        proposal_cards.ProposeView(
            "K7F-2QM", (("SOO", "soo"),), (("Updates to a police victim delayed", "delayed"),)
        )
    ),
    "form_record_with_proposals": lambda: case_forms.record_card(
        case_forms.RecordView(
            "K7F-2QM",
            (("SOO", "soo"),),
            (("Updates to a police victim delayed", "delayed_victim_updates"),),
            "2026-12-07",
            notes=("Panel concerned at the gap in victim updates",),
            pending=(
                proposal_cards.PendingLine(
                    "P1", "Action for soo: Offer an IDVA again", "proposed by a partner agency"
                ),
            ),
        )
    ),
    "form_record_closed_review": lambda: case_forms.record_card(
        case_forms.RecordView(
            "K7F-2QM",
            (("SOO", "soo"),),
            (("Updates to a police victim delayed", "delayed_victim_updates"),),
            "2026-12-07",
            review=True,
        )
    ),
    "form_notice": lambda: notices.notice_card(
        notices.NoticeView("Case K7F-2QM is on the agenda", (("Planned slot", "10:15"),), "K7F-2QM")
    ),
}


@pytest.mark.parametrize("name", sorted(CARDS))
def test_form_card_matches_golden_and_teams_accepts_it(name: str) -> None:
    card = CARDS[name]()
    assert_matches_golden(name, card)
    assert_valid_for_teams(card)


def _executes(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "Action.Execute":
            found.append(node)
        for value in node.values():
            found += _executes(value)
    elif isinstance(node, list):
        for value in node:
            found += _executes(value)
    return found


@pytest.mark.parametrize("name", sorted(CARDS))
def test_every_button_is_a_known_verb_with_a_submit_fallback(name: str) -> None:
    for action in _executes(CARDS[name]()):
        assert action["verb"] in verbs.FORM_VERBS | verbs.ASSURANCE_VERBS | verbs.PROPOSAL_VERBS
        assert action["fallback"] == {**action["fallback"], "type": "Action.Submit"}
        assert action["fallback"]["data"]["verb"] == action["verb"]


def test_party_names_and_force_references_are_password_inputs_and_never_a_view_field() -> None:
    card = json.dumps(CARDS["form_register"]())
    # Three party names and the force's four references: hidden as they are typed.
    assert card.count('"style": "password"') == 3 + 4
    views = [
        coordinator_forms.RegisterView,
        coordinator_forms.ManageView,
        coordinator_forms.AgendaView,
        case_forms.RecordView,
        case_forms.CaseListView,
        case_forms.CaseLine,
        case_forms.CaseFormView,
        ActionLine,
        case_forms.ApprovalView,
        notices.NoticeView,
        assurance_cards.AuditListView,
        assurance_cards.AuditRow,
        assurance_cards.AuditFormView,
        assurance_cards.EarlierAudit,
        assurance_cards.GapsView,
        assurance_cards.GapLine,
        assurance_cards.FindView,
        FeedbackView,
        proposal_cards.ProposeView,
        proposal_cards.PendingLine,
    ]
    names = {f.name for view in views for f in dataclasses.fields(view)}
    assert not {n for n in names if "name" in n or "party" in n}


def test_a_case_form_with_fifty_actions_stays_within_the_size_limit() -> None:
    many = tuple(
        ActionLine(f"A{n}", "x" * 200, "Investigation team", "14 Dec", "done", "y" * 300)
        for n in range(1, 51)
    )
    card = case_forms.case_form_card(
        case_forms.CaseFormView(
            "K7F-2QM", "awaiting actions", many, (), (), "2026-12-07", facts=every_fact_filled()
        )
    )
    assert len(json.dumps(card).encode()) < 28 * 1024
    assert_valid_for_teams(card)


def test_the_coordinators_case_card_with_every_fact_filled_in_stays_within_the_size_limit() -> None:
    view = coordinator_forms.CaseLifeView(
        "K7F-2QM",
        every_fact_filled(),
        "2026-12-07",
        closed=True,
        held="Held from erasure until 07 Dec 2032: " + "z" * 200,
        linked=tuple(f"K7F-{n:03d}" for n in range(20)),
    )
    card = coordinator_forms.case_life_card(view)
    assert len(json.dumps(card).encode()) < 28 * 1024
    assert_valid_for_teams(card)


def test_the_facts_card_with_every_fact_filled_in_stays_within_the_size_limit() -> None:
    from cards.case_facts_form import FactsCardView, facts_card
    from cards.form_parts import Banner

    banner = Banner("Record that the Right to Review was requested before its outcome.", ok=False)
    card = facts_card(FactsCardView("K7F-2QM", every_fact_filled(), "2026-12-07", verbs.CASE_OPEN, banner))
    assert len(json.dumps(card).encode()) < 28 * 1024
    assert_valid_for_teams(card)
    assert [a["verb"] for a in card["actions"]] == [verbs.CASE_FACTS, verbs.CASE_OPEN]
