"""The case room's door: who is in the room, and whether it is right for the case being heard
(or about to be). Teams gives apps no way to admit or remove meeting participants, so the bot
knows, tells, and holds the flow until the room is right.

A person is entitled to be in the room for a case if they sit on the panel (chair, deputy,
coordinator, administrator, member, partner) and declared no conflict for it, or if they are that
case's SOO. Anyone else is a problem, named by kind: the previous case's SOO still there, a later
case's SOO in early, a panel member with a conflict, or a stranger (not on the roster, or on it
but not entitled).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from panel.agenda import Slot, SlotState
from panel.case import Case
from panel.need_to_know import CASE_ROOM_ROLES
from panel.roster import RosterMember
from panel.sitting import Sitting


class Intruder(StrEnum):
    """Why someone should not be in the case room for this case."""

    LINGERING = "lingering"  # the SOO of a case already heard (or sent back), still there
    EARLY = "early"  # the SOO of a case still to come
    CONFLICTED = "conflicted"  # a panel member who declared a conflict for this case
    STRANGER = "stranger"  # not on the roster, or on it with no place in the room


# How each kind is told: to the chair by name, in the chat without one.
CHAIR_WORDS = {
    Intruder.LINGERING: "the SOO of a case already heard",
    Intruder.EARLY: "the SOO of a later case, in early",
    Intruder.CONFLICTED: "declared a conflict for this case",
    Intruder.STRANGER: "not entitled to this case",
}


@dataclass(frozen=True)
class RoomProblem:
    """One person in the case room who should not be there for the case."""

    person_id: str
    kind: Intruder


@dataclass(frozen=True)
class RoomCheck:
    """Whether the case room is right for a case: who is there who should not be."""

    reference: str | None
    problems: tuple[RoomProblem, ...] = ()

    @property
    def clear(self) -> bool:
        """Nobody in the room who should not hear the case."""
        return not self.problems

    def in_words(self) -> str:
        """For the chat, which everyone in it reads: how many and why, never who."""
        count = len(self.problems)
        who = "1 person" if count == 1 else f"{count} people"
        kinds = sorted({p.kind for p in self.problems}, key=list(Intruder).index)
        if kinds == [Intruder.LINGERING]:
            return "The previous case's SOO is still in the case room."
        return f"{who} in the case room {'is' if count == 1 else 'are'} not entitled to " + (
            f"case {self.reference}." if self.reference else "the next case."
        )


def room_check(
    sitting: Sitting, cases: Mapping[str, Case], roster: Sequence[RosterMember], slot: Slot | None
) -> RoomCheck:
    """Who is in the case room who should not be, for `slot`'s case (the one being heard, or the
    one about to be called). With no slot, only the panel may be in the room."""
    case = cases.get(slot.case_id) if slot is not None else None
    panel = {m.aad_object_id for m in roster if m.active and m.roles & CASE_ROOM_ROLES}
    on_roster = {m.aad_object_id for m in roster if m.active}
    soo_of = {s.slot_id: cases[s.case_id].soo_id for s in sitting.slots if s.case_id in cases}
    heard_soos = {
        soo_of.get(s.slot_id)
        for s in sitting.slots
        if s is not slot and (s.state in (SlotState.HEARD, SlotState.NOT_REACHED) or s.deferrals)
    }
    later_soos = {
        soo_of.get(s.slot_id) for s in sitting.slots if s is not slot and s.state is SlotState.WAITING
    }
    problems = []
    for person in sitting.in_case_room:
        if case is not None and person == case.soo_id:
            continue
        if person in panel and (case is None or not case.conflicted(person)):
            continue
        if person in panel:
            kind = Intruder.CONFLICTED
        elif person in later_soos and person not in heard_soos:
            kind = Intruder.EARLY
        elif person in heard_soos or (
            sitting.current is not None and person == soo_of.get(sitting.current.slot_id)
        ):
            kind = Intruder.LINGERING
        elif person in on_roster and person in later_soos:
            kind = Intruder.EARLY
        else:
            kind = Intruder.STRANGER
        problems.append(RoomProblem(person, kind))
    return RoomCheck(slot.case_reference if slot is not None else None, tuple(problems))
