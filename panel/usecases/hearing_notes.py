"""Notes of the panel's discussion, kept per hearing by whoever records for the panel: the meeting
is not recorded, so these short notes are the panel's memory of why it set what it set."""

from __future__ import annotations

from panel.case import Case, HearingNote
from panel.errors import ValidationFailed
from panel.roles import Actor, Permission
from panel.usecases.deps import Deps, once
from panel.usecases.live import heard_now, the_case_heard

MAX_NOTE = 1000


async def record_note(
    deps: Deps, actor: Actor, reference: str, text: str, request_key: str | None = None
) -> Case:
    """Add a note of the discussion to the case being heard now (the guard reads it first)."""
    actor.require(Permission.RECORD_NOTES)
    text = " ".join(text.split())
    async with deps.uow() as uow:
        (await deps.guard(uow)).check(text)
    if not text or len(text) > MAX_NOTE:
        raise ValidationFailed(f"Keep a note to 1 to {MAX_NOTE} characters.")
    heard = await heard_now(deps)
    async with deps.uow() as uow:
        await once(uow, request_key)
        refusal = f"Case {reference} is not being heard now: notes are kept during its hearing."
        case = await the_case_heard(uow, actor, reference, heard, refusal)
        sitting_id = heard[0].sitting_id if heard else None
        case.notes.append(HearingNote(deps.today(), text, actor.actor_id, sitting_id))
        uow.cases.save(case)
        deps.audit(uow, actor, "case.note_recorded", case.case_id, f"{len(text)} characters", case=case)
        await uow.commit()
    return case


def notes_of_today(case: Case, deps: Deps) -> tuple[str, ...]:
    """The notes kept at today's hearing of the case, oldest first."""
    return tuple(n.text for n in case.notes if n.on == deps.today())
