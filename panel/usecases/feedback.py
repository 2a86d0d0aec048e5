"""Feedback on the panel: asking the SOO after their slot and each partner who attended after the
sitting, counting an answer without keeping who gave it, and the quarter's results."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from panel.errors import NotPermitted, ValidationFailed
from panel.feedback import (
    ANSWER_WITHIN,
    Answer,
    FeedbackResult,
    Respondent,
    last_complete_quarter,
    results,
    tally_keys,
)
from panel.identity_guard import name_hash
from panel.ports import Notice, NoticeKind
from panel.roles import Actor, Permission, Role
from panel.sitting import Sitting
from panel.usecases.deps import Deps, SittingNote


async def ask_after(deps: Deps, sitting: Sitting, closed_case_id: str | None, *, ended: bool) -> None:
    """Who is asked once the sitting has moved on (after the call and the cards have gone, so
    asking never holds up the next SOO): the SOO of the case whose slot just closed, and, when the
    sitting has ended, each partner who attended."""
    if closed_case_id is not None:
        await ask_soo(deps, sitting, closed_case_id)
    if ended:
        await ask_partners(deps, sitting)


async def ask_soo(deps: Deps, sitting: Sitting, case_id: str) -> None:
    """After a case's slot: its SOO is asked for feedback (one short card, optional)."""
    async with deps.uow() as uow:
        case = await uow.cases.get(case_id)
    if case.soo_id:
        await deps.notifier.send(
            Notice(NoticeKind.FEEDBACK_ASKED, case.soo_id, case.reference, (("sitting", sitting.sitting_id),))
        )


async def ask_partners(deps: Deps, sitting: Sitting) -> None:
    """After a sitting: each partner representative who attended the case room is asked."""
    async with deps.uow() as uow:
        roster = {m.aad_object_id: m for m in await uow.roster.all()}
    for person in sitting.attended:
        member = roster.get(person)
        if member is not None and member.active and Role.PARTNER in member.roles:
            await deps.notifier.send(
                Notice(NoticeKind.FEEDBACK_ASKED, person, "", (("sitting", sitting.sitting_id),))
            )


async def answer(deps: Deps, actor: Actor, sitting_id: str, given: Answer) -> None:
    """Count one answer: from a SOO whose case was heard at the sitting, or a partner who attended
    it, once each, within two weeks. Only the counts are kept; who answered is kept apart as a keyed
    hash, so a second answer is refused."""
    if not actor.on_roster:
        raise NotPermitted("You are not on this panel's roster.")
    async with deps.uow() as uow:
        sitting = await uow.sittings.get(sitting_id)
        heard_cases = [await uow.cases.get(s.case_id) for s in sitting.slots if s.state.value == "heard"]
    today = deps.today()
    if today > sitting.sitting_date + ANSWER_WITHIN:
        raise ValidationFailed(
            "Feedback on a sitting is taken for two weeks after it: thank you all the same."
        )
    if given.respondent is Respondent.SOO:
        asked = Role.SOO in actor.roles and any(c.soo_id == actor.actor_id for c in heard_cases)
    else:
        asked = Role.PARTNER in actor.roles and actor.actor_id in sitting.attended
    if not asked:
        raise NotPermitted("Only those asked for feedback on that sitting can give it.")
    who = name_hash(deps.identity_key, f"#feedback:{sitting_id}:{actor.actor_id}")
    keys = tally_keys(given, today)

    def change(s: Sitting) -> str:
        if who in s.feedback_from:
            raise ValidationFailed("You have already given feedback on that sitting: thank you.")
        s.feedback_from.append(who)
        for key in keys:
            s.feedback[key] = s.feedback.get(key, 0) + 1
        return given.respondent.value  # the trail says an answer came, never what it said

    # The trail says who answered and when, as for any change (information security alone reads
    # it); never what they answered. The sitting holds only the running counts.
    await deps.note_on_sitting(sitting_id, [SittingNote(actor, "feedback.answered", change)])


@dataclass(frozen=True)
class QuarterFeedback:
    """The last complete quarter's feedback, for the report."""

    quarter: str
    results: tuple[FeedbackResult, ...]


async def quarter_feedback(deps: Deps, actor: Actor) -> QuarterFeedback:
    """The last complete quarter's results (the counts only exist by quarter)."""
    actor.require(Permission.READ_REPORTS)
    quarter, start, _ = last_complete_quarter(deps.today())
    async with deps.uow() as uow:
        sittings = await uow.sittings.find(on_or_after=start - ANSWER_WITHIN)
    return QuarterFeedback(quarter, results(_tallies(sittings), quarter))


def _tallies(sittings: Iterable[Sitting]) -> Iterable[dict[str, int]]:
    return (s.feedback for s in sittings if s.feedback)
