"""Each person's own view of the cards in the case-room chat, decided by need-to-know per request.

The chat stores the base cards (a sitting's progress; a case's reference and that it is being
heard). Teams asks the bot, on behalf of each person looking, for that person's view (a refresh
invoke), and the bot answers from the roster, the case and the moment: nobody learns more than their
part entitles them to, and a view asked for late, or with forged data, reveals nothing more.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.meeting_events import field
from bot.outgoing import teams_id_key
from bot.views import (
    base_case_view,
    case_view,
    collapsed_view,
    control_view,
    pending_lines,
    progress_view,
    propose_view,
    summary_view,
)
from cards import verbs
from cards.case_cards import base_case_card, case_card, collapsed_case_card
from cards.live import control_card, progress_card, summary_card
from cards.notices import NoticeView, notice_card
from cards.render import MAX_REFRESH_USERS, Refresh
from panel.agenda import Slot, SlotState
from panel.audit import AuditCategory, AuditPurpose
from panel.case import Case
from panel.case_room import CHAIR_WORDS, RoomCheck, room_check
from panel.clock import to_london
from panel.confidence import confidence_signals
from panel.errors import NotFound
from panel.labels import label
from panel.need_to_know import (
    CASE_ROOM_ROLES,
    PANEL_ROLES,
    CaseSight,
    entitled_to_case_card,
    sees_sitting_details,
    sight_of_case,
)
from panel.roles import Actor, Permission, Role
from panel.roster import RosterMember
from panel.sitting import Sitting, SittingStatus
from panel.usecases.access import consulted, record_access
from panel.usecases.case_life import linked_references
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
Card = dict[str, Any]
OUT_OF_DATE = notice_card(
    NoticeView("This card is out of date", (("What to do", "Say **agenda** to see where the sitting is."),))
)


class LiveViews:
    """Builds the base cards the chat stores, and each person's view of them."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        # Teams user ids (29:…) never change for a person: kept once learned, to fill refresh lists.
        self._teams_ids: dict[str, str] = {}
        self._no_teams_id: dict[str, float] = {}

    # --- the sitting's card ------------------------------------------------------------------

    async def sitting_card(self, sitting: Sitting, viewer: Actor | None) -> Card:
        """The sitting's card as `viewer` should see it; with no viewer, the card the chat stores."""
        return (await self.sitting_cards(sitting, [viewer]))[0]

    async def sitting_cards(
        self, sitting: Sitting, viewers: Sequence[Actor | None], owners: Sequence[str] = ()
    ) -> list[Card]:
        """The sitting's card as each viewer should see it, then as each owner (a staff id) should,
        all from one read of the roster and cases."""
        # Both reads are handed to the store together rather than one after the other.
        roster, cases = await asyncio.gather(self._roster(), self._cases(sitting))
        refresh = Refresh(
            verbs.REFRESH_CONTROL,
            (("sitting", sitting.sitting_id),),
            await self._ids_of(m for m in roster if m.active and m.roles & PANEL_ROLES),
        )
        now = self._deps.clock.now()
        room = room_check(sitting, cases, roster, sitting.current or sitting.next_waiting())
        members = {m.aad_object_id: m for m in roster}
        actors = [*viewers, *(_as_actor(members, owner) for owner in owners)]
        return [_sitting_card(sitting, a, roster, cases, room, refresh, now) for a in actors]

    # --- a case's card -----------------------------------------------------------------------

    async def case_card_for(
        self, sitting: Sitting, slot: Slot, case: Case, viewer: Actor | None, note: str | None = None
    ) -> Card:
        """A case card as `viewer` should see it (no viewer: as the chat stores it), `note` saying
        what came of their press. Once the slot is no longer live, everyone sees the collapsed card."""
        if slot.state is not SlotState.LIVE:
            return collapsed_case_card(collapsed_view(slot))
        entitled = entitled_to_case_card(await self._roster(), case)
        refresh = Refresh(
            verbs.CASE_REFRESH,
            (("sitting", sitting.sitting_id), ("slot", slot.slot_id)),
            await self._ids_of(entitled),
        )
        if viewer is not None and sight_of_case(viewer, case, slot) is CaseSight.FULL:
            signals = confidence_signals(case, self._deps.today(), self._deps.config.confidence)
            async with self._deps.uow() as uow:
                linked = await linked_references(uow, case)
            view = case_view(case, slot, signals, linked)
            taxonomy = self._deps.config.taxonomy
            proposes, decides = viewer.may(Permission.PROPOSE_ACTION), viewer.may(Permission.RECORD_ACTION)
            # Members, partners and the analyst propose here and see what waits for the chair (their
            # own view is fetched again when the chat's card is touched, so that is their answer);
            # whoever records for the panel decides here.
            return case_card(
                view,
                refresh,
                can_declare=True,
                user_view=True,
                banner=note,
                propose=propose_view(viewer, case, taxonomy) if proposes else None,
                pending=pending_lines(case, taxonomy) if proposes or decides else (),
                decides=decides,
            )
        return base_case_card(base_case_view(sitting, slot), refresh, note)

    # --- refresh requests from Teams (or a "Show me" press) ----------------------------------

    async def view_for(self, actor: Actor, verb: str, data: Any) -> Card:
        """Answer a refresh of one of the chat's cards for this person. Forged or stale data gets
        an out-of-date notice or the base card, never more."""
        sitting_id = field(data, "sitting")
        if not isinstance(sitting_id, str) or len(sitting_id) > 64:
            return OUT_OF_DATE
        try:
            async with self._deps.uow() as uow:
                sitting = await uow.sittings.get(sitting_id)
        except NotFound:
            return OUT_OF_DATE
        if verb == verbs.REFRESH_CONTROL:
            logger.info("view.sitting actor=%s sitting=%s", actor.actor_id, sitting_id)
            return await self.recorded_sitting_card(sitting, actor)
        slot_id = field(data, "slot")
        slot = next((s for s in sitting.slots if s.slot_id == slot_id), None)
        if slot is None or (slot.started_at is None and slot.case_card_message_id is None):
            # No card was ever posted for a case not yet called: a press naming it is forged, and
            # answering it would hand over the reference.
            return OUT_OF_DATE
        async with self._deps.uow() as uow:
            case = await uow.cases.get(slot.case_id)
        logger.info("view.case actor=%s slot=%s", actor.actor_id, slot.slot_id)
        card = await self.case_card_for(sitting, slot, case, actor)
        # Every view Teams asks for is recorded, the base one too: it says who looked, and when.
        sight = sight_of_case(actor, case, slot).value if slot.state is SlotState.LIVE else "collapsed"
        purpose = AuditPurpose.OWN_CASE if case.soo_id == actor.actor_id else AuditPurpose.LIVE_SITTING
        await consulted(self._deps, actor, "case.viewed", purpose, case, detail=f"view={sight}")
        return card

    async def recorded_sitting_card(self, sitting: Sitting, viewer: Actor) -> Card:
        """The sitting's card as `viewer` should see it, with that sight recorded: the record is
        written while the card is built (the store's write and the card's making overlap), and the
        card is given only once the record stands."""
        card, _ = await asyncio.gather(
            self.sitting_card(sitting, viewer), self.record_sitting_view(viewer, sitting)
        )
        return card

    async def record_sitting_view(self, actor: Actor, sitting: Sitting) -> None:
        """Record that someone was shown a sitting's card (the agenda, for the panel)."""
        await record_access(
            self._deps,
            actor,
            "sitting.viewed",
            AuditCategory.CONSULTATION,
            AuditPurpose.LIVE_SITTING if sitting.status is SittingStatus.LIVE else AuditPurpose.AGENDA,
            subject_id=sitting.sitting_id,
            detail=f"view={'full' if sees_sitting_details(actor) else 'base'}",
        )

    def learn_teams_id(self, aad_object_id: str, teams_id: str) -> None:
        """Remember a person's Teams user id, seen in a members list or an activity."""
        self._teams_ids[aad_object_id.lower()] = teams_id

    # --- inside --------------------------------------------------------------------------------

    async def _roster(self) -> list[RosterMember]:
        async with self._deps.uow() as uow:
            return await uow.roster.all()

    async def _cases(self, sitting: Sitting) -> dict[str, Case]:
        async with self._deps.uow() as uow:  # one read for the whole agenda, not one per slot
            found = {c.case_id: c for c in await uow.cases.with_ids([s.case_id for s in sitting.slots])}
        missing = [s.case_id for s in sitting.slots if s.case_id not in found]
        if missing:
            raise NotFound("A case on this sitting's agenda could not be found.")
        return {slot.case_id: found[slot.case_id] for slot in sitting.slots}

    async def _ids_of(self, members: Iterable[RosterMember]) -> tuple[str, ...]:
        ids: list[str] = []
        async with self._deps.uow() as uow:
            for member in members:
                known = self._teams_ids.get(member.aad_object_id)
                unknown_since = self._no_teams_id.get(member.aad_object_id)
                if known is None and (unknown_since is None or time.monotonic() - unknown_since > 60):
                    # Someone who never wrote to the bot is looked up again a minute later, not
                    # in every card refresh (each lookup is a request on Cosmos DB).
                    doc = await uow.addresses.get(teams_id_key(member.aad_object_id))
                    if doc and isinstance(doc.get("id"), str):
                        known = self._teams_ids.setdefault(member.aad_object_id, str(doc["id"]))
                    else:
                        self._no_teams_id[member.aad_object_id] = time.monotonic()
                if known:
                    ids.append(known)
                if len(ids) == MAX_REFRESH_USERS:
                    break
        return tuple(ids)


def _as_actor(members: Mapping[str, RosterMember], actor_id: str) -> Actor:
    """The actor for a staff id, from a roster already read (a stranger if not on it)."""
    member = members.get(actor_id)
    return member.as_actor() if member else Actor.stranger(actor_id)


def _sitting_card(
    sitting: Sitting,
    viewer: Actor | None,
    roster: list[RosterMember],
    cases: Mapping[str, Case],
    room: RoomCheck,
    refresh: Refresh,
    now: datetime,
) -> Card:
    """One viewer's sitting card, from what has been read for all of them."""
    if viewer is None or not sees_sitting_details(viewer):
        progress = progress_view(sitting, now)
        if not room.clear and sitting.status is SittingStatus.LIVE:
            progress = dataclasses.replace(progress, room=room.in_words())
        return progress_card(progress, refresh)
    conflicts = frozenset(cid for cid, c in cases.items() if c.conflicted(viewer.actor_id))
    if sitting.status is SittingStatus.ENDED:
        summary = dataclasses.replace(
            summary_view(sitting, cases, conflicts), attendance=attendance_words(sitting, roster)
        )
        return summary_card(summary, refresh)
    controls = viewer.may(Permission.RUN_SITTING)
    notes = chair_notes(sitting, cases, roster) if controls else ()
    if controls and not room.clear and sitting.status is SittingStatus.LIVE:
        notes = (*notes, room_note(room, roster))
    view = control_view(
        sitting,
        {cid: c.soo_id for cid, c in cases.items()},
        now,
        conflicts=conflicts,
        chair_notes=notes,
        runs_sitting=controls,
    )
    held = sitting.current is None and sitting.next_waiting() is not None and not room.clear
    return control_card(dataclasses.replace(view, held=held), controls=controls, refresh=refresh)


def chair_notes(sitting: Sitting, cases: Mapping[str, Case], roster: list[RosterMember]) -> tuple[str, ...]:
    """What only the chair is told, naming staff (never a party): who declared a conflict for the
    case being heard, and who is in a room's chat without belonging there."""
    names = {m.aad_object_id: m.display_name for m in roster}
    notes = []
    current = sitting.current
    case = cases.get(current.case_id) if current else None
    if current is not None and case is not None:
        in_room = {m.aad_object_id for m in roster if m.active and m.roles & CASE_ROOM_ROLES}
        declared = [names[d.person_id] for d in case.declared_conflicts if d.person_id in in_room]
        if declared:
            notes.append(
                f"Declared a conflict for case {current.case_reference}: {', '.join(sorted(declared))}. "
                "Ask them to step out while it is heard."
            )
    if sitting.case_room_outsiders:
        notes.append(
            "In the case-room chat but not on the panel: "
            f"{', '.join(sitting.case_room_outsiders)}. Remove them before the next case is heard."
        )
    if sitting.waiting_room_outsiders:
        notes.append(
            f"In the waiting-room chat but not on the roster: {', '.join(sitting.waiting_room_outsiders)}."
        )
    for flagged in sitting.to_delete[-5:]:
        who = names.get(flagged.actor_id, "someone not on the roster")
        notes.append(
            f"Ask {who} to delete their message of {to_london(flagged.at):%H:%M} in the {flagged.room} "
            "chat: it may identify someone."
        )
    return tuple(notes)


def room_note(room: RoomCheck, roster: list[RosterMember]) -> str:
    """For the chair alone: who is in the case room who should not be, and why."""
    names = {m.aad_object_id: m.display_name for m in roster}
    who = "; ".join(
        f"{names.get(p.person_id, 'someone not on the roster')} ({CHAIR_WORDS[p.kind]})"
        for p in room.problems
    )
    case = f"case {room.reference}" if room.reference else "the next case"
    return f"The case room is not clear for {case}: {who}. Do not continue until they have left."


_ROLE_ORDER = (
    Role.CHAIR,
    Role.DEPUTY_CHAIR,
    Role.COORDINATOR,
    Role.ADMINISTRATOR,
    Role.MEMBER,
)


def attendance_words(sitting: Sitting, roster: list[RosterMember]) -> str:
    """Who attended the case room, by role and agency, never by name."""
    by_id = {m.aad_object_id: m for m in roster}
    present = [by_id[p] for p in sitting.attended if p in by_id]
    parts = []
    for role in _ROLE_ORDER:
        count = sum(1 for m in present if role in m.roles and Role.PARTNER not in m.roles)
        if count:
            name = label(role.value).lower()
            parts.append(f"{count} {name}{'s' if count > 1 and not name.endswith('s') else ''}")
    agencies = sorted({m.agency or "a partner agency" for m in present if Role.PARTNER in m.roles})
    if agencies:
        parts.append("partners from " + ", ".join(agencies))
    return "; ".join(parts)
