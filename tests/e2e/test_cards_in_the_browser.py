"""Every kind of card the bot sends, drawn by the Playground's own renderer in headless Chromium
and pressed as a person presses it: a card the client cannot handle fails here, where a press
through the invoke API would not (a field named `key` in a card's data once did exactly that).

Screenshots of each card are kept in the test's temporary directory, under `shots/`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Locator
from playwright.async_api import TimeoutError as PlaywrightTimeout

from cli.demo_data import ADMINISTRATOR, ANALYST, CHAIR, COORDINATOR, INFOSEC, PARTNER, SOO_ONE
from cli.playground import CASE_ROOM_CHAT, personal_chat
from tests.conftest import TEST_KEY
from tests.e2e.browser import Chat, browser_available, chromium, expect
from tests.e2e.harness import Panel, panel_in_playgrounds

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not browser_available(), reason="Debian chromium is missing; `make test` installs it"),
]
PERSONAL = "Personal Chat"
CASE_ROOM = "Case room (demo)"


@pytest.fixture
async def panel(tmp_path: Path) -> AsyncIterator[Panel]:
    extra = (SOO_ONE, COORDINATOR, ADMINISTRATOR, INFOSEC, ANALYST)
    async with panel_in_playgrounds(tmp_path, TEST_KEY, extra=extra) as running:
        for person in extra:  # each has the app in their own chat, as in Teams
            await running.people[person.key].say(personal_chat(person), "help")
        yield running


async def test_a_sitting_run_by_clicking_and_the_soo_called_in(panel: Panel, tmp_path: Path) -> None:
    async with chromium(tmp_path / "shots") as browser:
        chair = await browser.open(panel.chair.url)
        soo = await browser.open(panel.people[SOO_ONE.key].url)
        await soo.open(PERSONAL)
        await chair.open(CASE_ROOM)
        await chair.say("start", mention=True)
        sitting = await chair.card("Show me the details")
        await chair.shot("sitting_card", sitting)
        # The SOO's page holds their sitting card before Next changes it: the Playground's page
        # cannot apply an update to a message it never received, and says so as an error.
        await soo.card("The sitting has started")
        await chair.press(sitting, "Show me the details")
        control = await chair.card("Next case")
        await chair.shot("control_card", control)
        await chair.press(control, "Next case")
        case = await chair.card("Show me the case")
        await chair.press(case, "Show me the case")
        await expect(chair.cards("Referred by").last).to_be_visible()
        await chair.shot("case_card", chair.cards("Referred by").last)

        # The first case is the SOO's: their one sitting card is now the call, with the way in.
        call = await soo.card("The panel is ready for case")
        await soo.shot("soo_call", call)
        # No internet here: answer the Teams link locally, so the new tab shows where it went.
        await soo.page.context.route(
            "https://teams.microsoft.com/**", lambda route: route.fulfill(body="Teams")
        )
        async with soo.page.context.expect_page() as opened:
            await soo.press(call, "Join the case room")
        assert "teams.microsoft.com" in (await opened.value).url

        await chair.say("extend 5 minutes", mention=True)
        await chair.text("+5 min for case")
        if not await chair.cards("End sitting").count():  # the update showed the chat's own card again
            await chair.press(await chair.card("Show me the details"), "Show me the details")
        control = await chair.card("End sitting")
        await chair.press(control, "End sitting")  # it asks first, in the card
        await expect(control).to_contain_text("End the sitting now?")
        await chair.shot("end_question", control)
        await chair.press(control, "Yes, end the sitting")
        await chair.card("Ended at")
        ended = await soo.card("Today's sitting has ended")
        await soo.shot("soo_ended", ended)

        # After their slot the SOO is asked, once, how the panel was: choices only, anonymous.
        feedback = await soo.card("How was the panel?")
        await soo.pick(feedback, "How useful was the scrutiny?", "4")
        await soo.pick(feedback, "Was it fair?", "Yes")
        await soo.pick(feedback, "Were the actions clear?", "Partly")
        await soo.shot("feedback_card", feedback)
        await soo.press(feedback, "Send my answers")
        thanked = await soo.card("your answers are counted, without your name")
        await expect(thanked).not_to_contain_text("Send my answers")
        assert soo.renderer_errors() == []


async def test_the_coordinators_forms_by_clicking(panel: Panel, tmp_path: Path) -> None:
    async with chromium(tmp_path / "shots") as browser:
        coordinator = await browser.open(panel.people[COORDINATOR.key].url)
        await coordinator.open(PERSONAL)
        await coordinator.say("register")
        form = await coordinator.card("Register a case")
        await coordinator.pick(form, "Category", "Police victim")
        await coordinator.pick(form, "Referred by", "999/101 call")
        await coordinator.pick(form, "Risk", "High")
        await form.get_by_label("Date received").fill("2026-12-01")
        await form.locator("input[type=password]").first.fill("Mark Greenhalgh")
        await coordinator.shot("register_form", form)
        await coordinator.press(form, "Register")
        managed = await coordinator.card("Registered as case")
        await expect(managed).to_contain_text("Party 1's first word is also an everyday word")
        await expect(managed).not_to_contain_text("Greenhalgh")
        await coordinator.shot("manage_card", managed)

        await coordinator.press(managed, "More about this case")
        more = await coordinator.card("More about case")
        await coordinator.shot("case_life_card", more)
        await coordinator.press(more, "Case facts")
        facts = await coordinator.card("the facts")  # a card of their own, for its size
        await coordinator.shot("facts_card", facts)
        await coordinator.pick(facts, "Criminal investigation", "Ongoing")
        await coordinator.press(facts, "Save the facts")
        more = await coordinator.card("1 fact recorded or changed")
        await coordinator.press(more, "Hold from erasure")
        await more.get_by_label("Why (no names)").fill("Under review by the information commissioner")
        await coordinator.press(more, "Hold it")
        await expect(coordinator.cards("Held from erasure").last).to_be_visible()
        held = await coordinator.card("Held from erasure")
        await coordinator.press(held, "Back to the case list")
        listing = await coordinator.card("Open cases")
        await coordinator.shot("case_list", listing)
        reference = panel.seeded.references[0]
        await coordinator.press(listing, f"Open {reference}")
        await expect(coordinator.cards(f"Case {reference}").last).to_be_visible()

        await coordinator.say("sittings")
        new_sitting = await coordinator.card("Create sitting")
        await new_sitting.get_by_label("Date").first.fill("2026-12-14")
        await coordinator.press(new_sitting, "Create sitting")
        booked = await coordinator.card("Sitting booked for Monday 14 December 2026")
        await coordinator.shot("agenda_card", booked)


async def test_the_soo_snoozes_updates_and_asks_to_close_by_clicking(panel: Panel, tmp_path: Path) -> None:
    async with chromium(tmp_path / "shots") as browser:
        soo = await browser.open(panel.people[SOO_ONE.key].url)
        await soo.open(PERSONAL)
        # The demo gives this SOO's first case an action due in three days; four days on, it is
        # overdue, and the reminder arrives while the SOO is looking.
        panel.clock.advance(timedelta(days=4))
        reminder = await soo.card("is overdue")
        await soo.shot("reminder", reminder)
        await soo.press(reminder, "Remind me tomorrow")
        await soo.card("Reminder snoozed")

        await soo.say("cases")
        listing = await soo.card("Your cases")
        reference = panel.seeded.references[0]
        await soo.press(listing, f"Open {reference}")
        form = await soo.card("Request closure")
        await soo.press(form, "Update")
        await form.get_by_label("Progress (no names)").fill("Spoke to her sister Kerry Hodgson")
        await soo.press(form, "Save update")
        refused = await soo.card("looks like it contains a person's name")
        await expect(refused).not_to_contain_text("Hodgson")
        await soo.shot("refused_update", refused)
        await refused.get_by_label("Progress (no names)").fill("Victim updated by phone; IDVA engaged")
        await soo.press(refused, "Save update")
        saved = await soo.card("Victim updated by phone; IDVA engaged")
        await soo.press(saved, "Request closure")
        await soo.press(saved, "Yes, request closure")
        await soo.card("still open")


async def test_recording_in_a_sitting_and_the_audit_by_clicking(panel: Panel, tmp_path: Path) -> None:
    async with chromium(tmp_path / "shots") as browser:
        # The chair's page is open on the case room before the cards arrive (a page cannot apply an
        # update to a message it never received).
        chair = await browser.open(panel.chair.url)
        await chair.open(CASE_ROOM)
        await panel.chair.say(CASE_ROOM_CHAT, "start", group=True)
        await panel.chair.say(CASE_ROOM_CHAT, "next", group=True)
        admin = await browser.open(panel.people[ADMINISTRATOR.key].url)
        await admin.open(PERSONAL)
        await admin.say("record")
        form = await admin.card("Record for case")
        await admin.press(form, "Action")
        await form.get_by_label("Action (no names)").fill("Check the CCTV at 7 Orchard Close")
        await admin.pick(form, "Owner", "SOO")
        await form.get_by_label("Due").fill("2026-12-14")
        await admin.press(form, "Record action")
        refused = await admin.card("looks like it contains a street address")
        await admin.shot("record_refused", refused)
        # What was typed stays, except the refused text; the part of the form in use stays open.
        await expect(refused.get_by_label("Action (no names)")).to_have_value("")
        await refused.get_by_label("Action (no names)").fill("SOO to update the victim weekly")
        await admin.press(refused, "Record action")
        await admin.card("recorded")

        # Organisational learning proposes a theme from their own chat; the administrator accepts it
        # on the record form, where it is shown by its source's role, never its author's name.
        analyst = await browser.open(panel.people[ANALYST.key].url)
        await analyst.open(PERSONAL)
        await analyst.say("propose")
        proposing = await analyst.card("Propose for case")
        await analyst.press(proposing, "Propose a theme")
        await analyst.pick(proposing, "Theme", "Over-empathy")
        await analyst.press(proposing, "Propose this theme")
        await analyst.card("Proposal P1 is with the chair")
        await admin.say("record")
        form = await admin.card("Proposals waiting for a decision")
        await expect(form).to_contain_text("proposed by organisational learning")
        await expect(form).not_to_contain_text(ANALYST.display_name)
        await admin.shot("record_with_proposal", form)
        await admin.press(form, "Accept P1")
        await admin.card("Proposal P1 accepted")
        assert analyst.renderer_errors() == [] and admin.renderer_errors() == []

        # A second proposal waits on the chair's own view of the case card too, and is decided there.
        await analyst.say("propose")
        proposing = await analyst.card("Propose for case")
        await analyst.press(proposing, "Propose a theme")
        await analyst.pick(proposing, "Theme", "Updates to a police victim delayed")
        await analyst.press(proposing, "Propose this theme")
        await analyst.card("Proposal P2 is with the chair")
        await chair.press(await chair.card("Show me the case"), "Show me the case")
        case_view = await chair.card("Proposals waiting for a decision")
        await expect(case_view).to_contain_text("proposed by organisational learning")
        await chair.shot("case_card_with_proposal", case_view)
        await chair.press(case_view, "Set aside P2")
        decided = await own_view_after_press(chair, "Past hearings")
        await expect(decided).not_to_contain_text("Proposals waiting")
        assert chair.renderer_errors() == []

        infosec = await browser.open(panel.people[INFOSEC.key].url)
        await infosec.open(PERSONAL)
        await infosec.say("audit")
        audit = await infosec.card("Search")
        await infosec.press(audit, "Search")
        results = await infosec.card("entries")
        await infosec.shot("audit", results)


async def test_the_analyst_reads_the_figures_and_records_learning_by_clicking(
    panel: Panel, tmp_path: Path
) -> None:
    async with chromium(tmp_path / "shots") as browser:
        analyst = await browser.open(panel.people[ANALYST.key].url)
        await analyst.open(PERSONAL)
        await analyst.say("report")
        report = await analyst.card("How the panel is doing")
        await analyst.shot("report", report)
        await expect(report).to_contain_text("Cases referred")
        await analyst.press(report, "As the commissioner sees it")
        handed_on = await analyst.card("As handed on")
        await analyst.shot("report_handed_on", handed_on)
        await analyst.press(handed_on, "The panel's exact figures")
        await expect(analyst.cards("How the panel is doing").last).not_to_contain_text("As handed on")

        await analyst.say("themes")
        themes = await analyst.card("What the panel is learning")
        await analyst.press(themes, "Record a learning action")
        await themes.get_by_label("What the force will do (no names)").fill(
            "Brief supervisors on colleague victims"
        )
        await analyst.pick(themes, "Owner", "Organisational learning")
        await themes.get_by_label("Due").fill("2027-01-31")
        await analyst.press(themes, "Record learning action")
        recorded = await analyst.card("Learning action L1 recorded")
        await analyst.shot("themes", recorded)
        await analyst.press(recorded, "Mark one done")
        await analyst.press(recorded, "Mark done")
        await analyst.card("Learning action L1 is done")


async def test_the_coordinator_audits_a_case_and_sees_what_is_missing_by_clicking(
    panel: Panel, tmp_path: Path
) -> None:
    reference = panel.seeded.references[0]
    async with chromium(tmp_path / "shots") as browser:
        coordinator = await browser.open(panel.people[COORDINATOR.key].url)
        await coordinator.open(PERSONAL)
        await coordinator.say("cases to audit")
        listing = await coordinator.card("Cases to audit: live, or closed in the last twelve months")
        await expect(listing).to_contain_text("never audited")
        await coordinator.shot("audit_list", listing)
        await coordinator.press(listing, f"Audit {reference}")
        form = await coordinator.card(f"Audit of {reference}")
        await expect(form).to_contain_text("Not audited before")
        await coordinator.pick(form, "Risk assessment", "Concern: referred to the chair")
        await coordinator.pick(form, "Support", "Concern: learning action created")
        await coordinator.shot("audit_form", form)
        await coordinator.press(form, "Record the audit")
        done = await coordinator.card(f"Audit of {reference} recorded")
        await expect(done).to_contain_text("Risk assessment: referred to the chair")
        await expect(done).to_contain_text("Support: learning action created (L1)")
        await expect(done).to_contain_text(f"{reference} — Audited")
        await coordinator.shot("audit_recorded", done)

        await coordinator.press(done, "What is missing")
        gaps = await coordinator.card("What is missing from the open cases")
        await expect(gaps).to_contain_text("Kind of abuse alleged (at least one)")
        await expect(gaps).to_contain_text("more facts have gaps: the CSV lists them all")
        await expect(gaps).to_contain_text("Early warnings")
        await coordinator.shot("recording_gaps", gaps)
        await coordinator.press(gaps, "Download as CSV")
        await expect(coordinator.cards("Download the recording gaps CSV").last).to_be_visible()

        # The demo's made-up professional standards reference, typed another way, finds its case.
        await coordinator.say("find")
        find = await coordinator.card("Find a case by the force's own reference")
        await find.get_by_label("The force's reference").fill("psd 2099-0412")
        await coordinator.press(find, "Find")
        found = await coordinator.card(f"That is case {reference}")
        await expect(found).not_to_contain_text("2099")
        await coordinator.shot("found_by_force_reference", found)
        await coordinator.press(found, f"Open {reference}")
        await expect(coordinator.cards("Change SOO").last).to_contain_text(f"Case {reference}")
        assert coordinator.renderer_errors() == []


async def test_a_closed_case_sampled_and_reviewed_by_clicking(panel: Panel, tmp_path: Path) -> None:
    from app import DEPS
    from panel.case import CaseStatus
    from panel.clock import to_london
    from panel.usecases import agenda

    deps = panel.app[DEPS]
    reference = panel.seeded.closed  # heard at last month's sitting, closed since
    assert reference is not None
    async with chromium(tmp_path / "shots") as browser:
        coordinator = await browser.open(panel.people[COORDINATOR.key].url)
        await coordinator.open(PERSONAL)
        await coordinator.say("assurance")
        listing = await coordinator.card("Cases to audit")
        await expect(listing).to_contain_text(f"{reference} — Never audited (closed)")
        await coordinator.press(listing, "Closed cases to review")
        await coordinator.pick(listing, "Which closed cases", "A share at random")
        await coordinator.pick(listing, "Share, if at random", "50%")
        await coordinator.press(listing, "Choose them")
        chosen = await coordinator.card("Chosen for closed-case review")
        await expect(chosen).to_contain_text("seed")
        await expect(chosen).to_contain_text(reference)
        await coordinator.shot("closed_sample", chosen)

        # Listed from its card, as the chosen list says, as a closed-case review on today's sitting.
        await coordinator.say(f"case {reference}")
        card = await coordinator.card("Change SOO")
        await coordinator.press(card, "List on a sitting")
        today = f"{to_london(panel.seeded.sitting.starts_at):%a %d %b %Y %H:%M}"
        await coordinator.pick(card, "Sitting", today)
        await coordinator.pick(card, "Slot", "Closed-case review (15 min)")
        await coordinator.shot("closed_review_listing", card)
        await coordinator.press(card, "List")
        await coordinator.card(f"Case {reference} listed on the sitting of")
        # First on the agenda, so that the chair calls it first.
        async with deps.uow() as uow:
            sitting = await uow.sittings.get(panel.seeded.sitting.sitting_id)
            case = await uow.cases.by_reference(reference)
        slot = sitting.slot_for_case(case.case_id)
        assert slot is not None and slot.kind.value == "closed_review"
        coordinator_actor = COORDINATOR.as_actor()
        await agenda.move_slot(deps, coordinator_actor, sitting.sitting_id, slot.slot_id, 1)
        await panel.chair.say(CASE_ROOM_CHAT, "start", group=True)
        await panel.chair.say(CASE_ROOM_CHAT, "next", group=True)

        admin = await browser.open(panel.people[ADMINISTRATOR.key].url)
        await admin.open(PERSONAL)
        await admin.say("record")
        form = await admin.card(f"Record for case {reference}")
        await admin.press(form, "Review findings")
        await admin.pick(form, "Risk assessment", "Concern: referred to the chair")
        await admin.shot("review_findings", form)
        await admin.press(form, "Record the review")
        done = await admin.card(f"Review of closed case {reference} recorded")
        await expect(done).to_contain_text("Risk assessment: referred to the chair")
        assert admin.renderer_errors() == [] and coordinator.renderer_errors() == []
    async with deps.uow() as uow:
        assert (await uow.cases.by_reference(reference)).status is CaseStatus.CLOSED


async def own_view_after_press(chat: Chat, containing: str) -> Locator:
    """A person's own view of the case card after they pressed on it. The bot touches the chat's
    card so that everyone's view is fetched again; the Playground, which has no user-specific
    views, then shows the chat's own card, and the view is asked for as a person would ask."""
    base = chat.cards("Show me the case")
    with contextlib.suppress(PlaywrightTimeout):
        await base.last.wait_for(timeout=5_000)
    if await base.count():
        await chat.press(base.last, "Show me the case")
    return await chat.card(containing)


async def test_a_partner_proposes_on_the_case_card_and_the_chair_accepts_by_clicking(tmp_path: Path) -> None:
    async with panel_in_playgrounds(tmp_path, TEST_KEY, extra=(PARTNER,), room_holder=PARTNER) as panel:
        room = panel.people[PARTNER.key]
        await panel.chair.say(personal_chat(CHAIR), "help")
        async with chromium(tmp_path / "shots") as browser:
            partner = await browser.open(room.url)
            await partner.open(CASE_ROOM)
            # The chair runs the sitting in the case-room chat, which this Playground shows as the
            # partner sees it.
            await room.say_as(CHAIR, CASE_ROOM_CHAT, "start", group=True)
            await room.say_as(CHAIR, CASE_ROOM_CHAT, "next", group=True)
            await partner.press(await partner.card("Show me the case"), "Show me the case")
            own_view = await partner.card("Propose an action")
            await expect(own_view).not_to_contain_text("Proposals waiting")
            await partner.press(own_view, "Propose an action")
            await own_view.get_by_label("Action (no names)").fill("Offer the victim an IDVA through Refuge")
            await partner.pick(own_view, "Who would own it", "SOO")
            await partner.shot("case_card_proposing", own_view)
            await partner.press(own_view, "Propose this action")
            proposed = await own_view_after_press(partner, "Proposals waiting for the chair")
            await expect(proposed).to_contain_text("Offer the victim an IDVA through Refuge")
            await expect(proposed).to_contain_text("proposed by a partner agency")
            await expect(proposed).not_to_contain_text("Accept P1")  # the chair decides, not partners
            await partner.shot("case_card_proposed", proposed)

            chair = await browser.open(panel.chair.url)
            await chair.open(PERSONAL)
            await chair.say("record")
            form = await chair.card("Proposals waiting for a decision")
            await expect(form).to_contain_text("proposed by a partner agency")
            await expect(form).not_to_contain_text(PARTNER.display_name)
            await chair.press(form, "Accept P1")
            await chair.card("Proposal P1 accepted as action A2")
            assert partner.renderer_errors() == [] and chair.renderer_errors() == []
