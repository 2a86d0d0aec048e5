"""A refused form comes back as the person left it, saying which field to change."""

from __future__ import annotations

import json

import pytest

from bot.forms_flow import FormsFlow
from bot.sitting_flow import SittingFlow
from cards import verbs
from cards.case_forms import RecordView, record_card
from cards.form_refill import refill
from cli.demo_data import COORDINATOR
from panel.usecases.deps import Deps
from tests.bot.test_sitting_flow import FakeMeetings, FakeMessenger
from tests.conftest import actor


def _inputs(card: dict) -> dict[str, dict]:
    found: dict[str, dict] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input.") and "id" in node:
                found[node["id"]] = node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


async def test_a_guard_refusal_keeps_the_rest_of_the_form_and_names_the_field(deps: Deps) -> None:
    flow = SittingFlow(deps, FakeMessenger({}), FakeMeetings(False, True), "https://bot.example.org")  # type: ignore[arg-type]
    forms = FormsFlow(deps, flow)
    typed = {"date": "2026-12-14", "start": "10:30", "length": "150", "meeting": "kerry.hodgson@example.org"}
    card = await forms.handle(actor(COORDINATOR), verbs.SITTING_CREATE, typed)
    text = json.dumps(card)
    assert "an e-mail address" in text and "Change the waiting-room meeting id field" in text
    assert "kerry.hodgson" not in text  # the refused text is never sent back
    inputs = _inputs(card)
    assert (inputs["date"]["value"], inputs["start"]["value"], inputs["length"]["value"]) == (
        "2026-12-14",
        "10:30",
        "150",
    )
    assert "value" not in inputs["meeting"]


def test_the_part_of_a_form_in_use_comes_back_open_with_what_was_typed() -> None:
    card = record_card(
        RecordView("K7F-2QM", (("SOO", "soo"), ("PSD", "psd")), (("Delay", "delay"),), "2026-12-07")
    )
    assert not any(i.get("id") == "description" for i in card["body"])  # folded behind its button
    filled = refill(card, verbs.ACTION_RECORD, {"owner": "psd", "due": "2026-12-14"})
    opened = json.dumps(filled["body"])
    assert '"id": "owner"' in opened and verbs.ACTION_RECORD in opened
    inputs = _inputs(filled)
    assert inputs["owner"]["value"] == "psd" and inputs["due"]["value"] == "2026-12-14"
    assert "value" not in inputs["description"]
    assert all(
        a.get("type") != "Action.ShowCard" or verbs.ACTION_RECORD not in json.dumps(a)
        for a in filled.get("actions", [])
    )


async def test_confirmations_use_uk_dates_and_an_opened_case_leads_back_to_the_list(deps: Deps) -> None:
    from tests.panel.helpers import new_case

    flow = SittingFlow(deps, FakeMessenger({}), FakeMeetings(False, True), "https://bot.example.org")  # type: ignore[arg-type]
    forms = FormsFlow(deps, flow)
    coordinator = actor(COORDINATOR)
    booked = json.dumps(
        await forms.handle(coordinator, verbs.SITTING_CREATE, {"date": "2027-01-19", "start": "10:00"})
    )
    assert "Sitting booked for Tuesday 19 January 2027 at 10:00." in booked
    case = await new_case(deps, None)
    opened = await forms.open_case(coordinator, case.reference)
    back = [a for a in opened["actions"] if a.get("verb") == verbs.CASES_BACK]
    assert [a["title"] for a in back] == ["Back to the case list"]
    listing = json.dumps(await forms.handle(coordinator, verbs.CASES_BACK, {}))
    assert "Open cases" in listing and case.reference in listing


def _forms(deps: Deps) -> FormsFlow:
    flow = SittingFlow(deps, FakeMessenger({}), FakeMeetings(False, True), "https://bot.example.org")  # type: ignore[arg-type]
    return FormsFlow(deps, flow)


async def test_text_refused_for_another_reason_is_not_sent_back_unless_the_guard_passed_it(
    deps: Deps,
) -> None:
    # The date is wrong and the meeting id names someone: the guard answers first (before the date
    # is even looked at), the name does not come back, and the person is told which field it was.
    typed = {"date": "2020-01-01", "start": "10:30", "meeting": "Kerry Hodgson's meeting", "link": "x"}
    card = json.dumps(await _forms(deps).handle(actor(COORDINATOR), verbs.SITTING_CREATE, typed))
    assert "Hodgson" not in card
    assert "a person's name" in card and "Change the waiting-room meeting id field" in card
    assert "past" not in card
    # A forged choice or date is not shown back either: only values the card itself could send.
    forged = {"date": "Kerry Hodgson", "start": "Kerry Hodgson", "length": "Kerry Hodgson"}
    card = json.dumps(await _forms(deps).handle(actor(COORDINATOR), verbs.SITTING_CREATE, forged))
    assert "Hodgson" not in card


async def test_a_refused_form_reads_only_its_own_text_inputs_and_never_a_flood(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    from panel.identity_guard import IdentityGuard

    read: list[int] = []
    scan = IdentityGuard.scan
    monkeypatch.setattr(IdentityGuard, "scan", lambda self, text: read.append(len(text)) or scan(self, text))
    flood = {f"extra_{n}": "Kerry Hodgson rang " * 200 for n in range(40)}  # 40 fields of 3,800 characters
    typed = {"date": "2026-12-14", "start": "10:30", "meeting": "Kerry Hodgson's meeting", **flood}
    card = json.dumps(await _forms(deps).handle(actor(COORDINATOR), verbs.SITTING_CREATE, typed))
    assert "Kerry" not in card and "waiting-room meeting id field" in card
    assert sum(read) < 200, read  # the form's own inputs only, not the forty forged ones
    # Another form's fields sent with this one are not read; the form's own are read twice at most:
    # by the guard before anything else, and by the use case's own check (as for the command line).
    read.clear()
    huge = {"date": "2020-01-01", "start": "10:30", "meeting": "x" * 3900, "link": "y" * 3900}
    many = {**huge, **{k: "z" * 3900 for k in ("description", "text", "reason", "note", "progress")}}
    await _forms(deps).handle(actor(COORDINATOR), verbs.SITTING_CREATE, many)
    assert sum(read) <= 2 * (2 * 3900), read


def test_a_reopened_sub_form_never_blocks_the_cards_other_buttons() -> None:
    """After a refusal the action form is opened in the card's body; its required fields must not
    stop the attendance button (a sub-form's button takes its parents' inputs too)."""
    card = record_card(
        RecordView(
            "K7F-2QM",
            (("SOO", "soo"), ("PSD", "psd")),
            (("Delay", "delay"),),
            "2026-12-07",
            panel=(("Morgan Hale", "id-1"),),
        )
    )
    filled = refill(card, verbs.ACTION_RECORD, {"owner": "psd"})
    body_inputs = [i for i in _inputs({"body": filled["body"]}).values()]
    assert body_inputs and not any(i.get("isRequired") for i in body_inputs)
    # The other sub-forms keep their own checks.
    others = json.dumps(filled.get("actions", []))
    assert verbs.ATTENDANCE_RECORD in others
