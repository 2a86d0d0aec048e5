"""Domain objects into card views: references, kinds, London times and counts, never identities."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta

from cards.case_cards import ActionLine, BaseCaseView, CaseView, CollapsedCaseView, HearingLine
from cards.case_facts_form import fact_lines
from cards.form_parts import Banner
from cards.live import ControlView, ProgressView, SlotLine, SummaryLine, SummaryView
from cards.proposal_cards import PendingLine, ProposeView
from panel.actions import OwnerRole
from panel.agenda import CallStatus, Slot, SlotState
from panel.case import Case, CaseStatus, recommend_case_conference
from panel.clock import to_london
from panel.confidence import ConfidenceSignals
from panel.labels import label
from panel.proposals import SOURCE_WORDS, ProposalKind, fits_case, source_for
from panel.roles import Actor
from panel.sitting import Sitting, SittingStatus
from panel.usecases.proposals import pending


def _hm(moment: datetime) -> str:
    return f"{to_london(moment):%H:%M}"


CARD_TEXT_LIMIT = 200


def clip_for_card(text: str) -> str:
    """Long texts are cut on the card so that 50 actions still fit Teams' 28 KB; the case keeps all."""
    return text if len(text) <= CARD_TEXT_LIMIT else text[: CARD_TEXT_LIMIT - 1].rstrip() + "…"


def words(value: str) -> str:
    """A coded value in the words forces use: 'awaiting_actions' -> 'Awaiting actions', 'psd' ->
    'PSD', '999_101_call' -> '999/101 call'."""
    return label(value)


def sitting_title(sitting: Sitting) -> str:
    """How a sitting is named on cards."""
    start = to_london(sitting.starts_at)
    return f"Panel sitting {start:%a %d %b %Y}, {start:%H:%M}–{_hm(sitting.ends_at)}"


def control_view(
    sitting: Sitting,
    soo_of: Mapping[str, str | None],
    now: datetime,
    *,
    conflicts: frozenset[str] = frozenset(),
    chair_notes: tuple[str, ...] = (),
    runs_sitting: bool = False,
) -> ControlView:
    """The control card's view. `soo_of` maps case id to its SOO's roster id; the cases in
    `conflicts` (the viewer declared a conflict for them) show their reference and nothing else."""
    schedule = sitting.schedule(now)
    lines = []
    notices = []
    for position, timed in enumerate(schedule.slots, start=1):
        slot = timed.slot
        if slot.case_id in conflicts:
            lines.append(
                SlotLine(
                    position,
                    slot.case_reference,
                    "—",
                    slot.minutes,
                    _hm(timed.start),
                    "conflict",
                    "your conflict",
                )
            )
            continue
        soo_state = _soo_state(sitting, slot, soo_of.get(slot.case_id))
        lines.append(
            SlotLine(
                position,
                slot.case_reference,
                slot.kind.value,
                slot.minutes,
                _hm(timed.start),
                slot.state.value,
                soo_state,
            )
        )
        if slot.state is SlotState.LIVE and slot.call is CallStatus.UNREACHABLE:
            notices.append(
                f"The SOO for {slot.case_reference} could not be messaged (app not installed for them)."
            )
        if slot.state is SlotState.LIVE and slot.notification_failed:
            notices.append(f"The in-meeting alert for {slot.case_reference}'s SOO could not be sent.")
        if slot.state is SlotState.LIVE and slot.soo_was_waiting is False:
            # What to do about it is the chair's to hear: the rest of the panel is told what happened.
            notices.append(
                f"The SOO for {slot.case_reference} was not in the waiting room when called"
                + (": say **defer** to hear it later." if runs_sitting else ".")
            )
    current = sitting.current
    time_left = None
    if current is not None and current.started_at is not None:
        left = (current.started_at - now).total_seconds() / 60 + current.minutes
        time_left = f"{math.ceil(left)} min" if left > 0 else f"over by {math.ceil(-left)} min"
    return ControlView(
        live_slot=current.slot_id if current is not None else "",
        sitting_id=sitting.sitting_id,
        title=sitting_title(sitting),
        status=sitting.status.value,
        lines=tuple(lines),
        current=f"Case {current.case_reference}" if current else None,
        time_left=time_left,
        projected_finish=_hm(schedule.projected_finish),
        late_by=late_by(sitting, now),
        warning=schedule.warning,
        notices=tuple(notices),
        chair_notes=chair_notes,
    )


def late_by(sitting: Sitting, now: datetime) -> int:
    """Whole minutes the live sitting is projected to finish after its plan."""
    if sitting.status is not SittingStatus.LIVE:
        return 0
    # The plan is the agenda's minutes (extensions included: the chair chose them) from the booked
    # start, not the times so far: a case heard early, then a gap, is not late; an overrun already
    # heard still is.
    planned = sitting.starts_at + timedelta(minutes=sum(s.minutes for s in sitting.slots))
    projected = sitting.schedule(now).projected_finish
    # Whole minutes only: a sitting started half a minute after its time is not "running late".
    return max(0, int((projected - planned).total_seconds() // 60))


def progress_view(sitting: Sitting, now: datetime) -> ProgressView:
    """What the case-room chat itself shows: how far the sitting has got, no case at all."""
    title = sitting_title(sitting)
    heard = sum(1 for s in sitting.slots if s.state is SlotState.HEARD)
    if sitting.status is SittingStatus.ENDED:
        ended = _hm(sitting.ended_at) if sitting.ended_at else "—"
        text = f"Ended at {ended}: {heard} of {len(sitting.slots)} cases heard"
        return ProgressView(sitting.sitting_id, title, sitting.status.value, text)
    number, total = sitting.position()
    if sitting.status is SittingStatus.SCHEDULED:
        text = f"Not started; {total} cases on the agenda"
    elif number:
        text = f"Case {number} of {total} being heard"
    else:
        # Between cases (after a defer, or while the room is checked) say what is left, not the
        # agenda's length: the panel reads it as how many are still to come.
        to_hear = sum(1 for s in sitting.slots if s.state is SlotState.WAITING)
        text = f"No case being heard; {heard} of {total} heard, {to_hear} still to hear"
    return ProgressView(
        sitting.sitting_id,
        title,
        sitting.status.value,
        text,
        late_by=late_by(sitting, now),
        projected_finish=_hm(sitting.schedule(now).projected_finish),
    )


def _soo_state(sitting: Sitting, slot: Slot, soo_id: str | None) -> str:
    if slot.state in (SlotState.HEARD, SlotState.NOT_REACHED) or soo_id is None:
        return ""
    if slot.call is CallStatus.UNREACHABLE:
        return "could not be reached"
    if slot.state is SlotState.LIVE and slot.call is CallStatus.CALLED:
        return "SOO called" if slot.soo_was_waiting else "called; was not waiting"
    return "SOO waiting" if soo_id in sitting.waiting else "not in the waiting room"


def confidence_facts(signals: ConfidenceSignals) -> tuple[tuple[str, str], ...]:
    """The early-warning measures as the panel reads them."""
    since = signals.days_since_victim_update
    return (
        (
            "Victim last updated",
            # Never updated: the flag counts from the day the case came in, and so does this.
            _days_ago(since)
            if since is not None
            else f"no update recorded since the case came in, {_days_ago(signals.investigation_days)}",
        ),
        ("Investigator changes", str(signals.investigator_changes)),
        ("Investigation age", _days(signals.investigation_days)),
    )


def case_view(
    case: Case, slot: Slot | None, signals: ConfidenceSignals | None = None, linked: tuple[str, ...] = ()
) -> CaseView:
    """The panel's view of a case (with its slot while heard), with the early warning on the
    victim's confidence when given."""
    advice = recommend_case_conference(case.category, case.flags)
    return CaseView(
        reference=case.reference,
        category=words(case.category.value),
        route=words(case.referral_route.value),
        risk=words(case.current_risk.value),
        slot_kind=words(slot.kind.value) if slot else None,
        minutes=slot.minutes if slot else 0,
        # Never heard: "now" while its first hearing is on; asked for outside one, "not yet".
        first_heard=f"{case.first_heard:%d %b %Y}" if case.first_heard else ("now" if slot else "not yet"),
        hearings=tuple(
            HearingLine(
                f"{h.sitting_date:%d %b %Y}",
                h.slot_kind,
                f"{h.minutes_used} min used of {h.minutes_allotted}",
                words(h.outcome.value),
            )
            for h in case.hearings[-20:]
        ),
        actions=tuple(
            ActionLine(
                a.action_id,
                a.description,
                words(a.owner_role.value),
                f"{a.due:%d %b}",
                a.status.value,
                a.note or "",
                a.source or "",
            )
            for a in case.actions
        ),
        case_conference=advice.reasons,
        confidence=confidence_facts(signals) if signals else (),
        confidence_flags=signals.flags if signals else (),
        latest_update=latest_update(case),
        facts=fact_lines(case.facts.facts),
        life=life_lines(case, linked),
    )


def life_lines(case: Case, linked: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """A case's life beyond its hearings, for the panel: links, conferences, asked back, the
    panel's directions and good practice, reopenings (texts passed the identity guard)."""
    lines: list[tuple[str, str]] = []
    if linked:
        lines.append(("Linked cases", ", ".join(linked)))
    for conference in case.conferences[-3:]:
        held = (
            f"held {conference.held_on:%d %b %Y}: {clip_for_card(conference.outcome or '')}"
            if conference.held_on
            else "to be held"
        )
        lines.append(("Case conference", f"{clip_for_card(conference.reason)} ({held})"))
    if case.asked_back_for:
        lines.append(("Asked back", f"around {case.asked_back_for:%d %b %Y}"))
    for direction in case.directions[-5:]:
        lines.append((label(direction.kind), clip_for_card(direction.text)))
    if case.may_close_without_actions:
        lines.append(("Panel decision", "no actions needed; the SOO may ask to close"))
    for reopening in case.reopenings[-2:]:
        lines.append((f"Reopened {to_london(reopening.at):%d %b %Y}", clip_for_card(reopening.reason)))
    return tuple(lines)


def latest_update(case: Case) -> tuple[str, str] | None:
    """The SOO's latest progress update with text, and its date (London)."""
    written = [u for u in case.updates if u.text]
    if not written:
        return None
    last = written[-1]
    return f"{to_london(last.at):%d %b %Y}", clip_for_card(last.text)


def collapsed_view(slot: Slot) -> CollapsedCaseView:
    """The case card's view once its slot has ended (or it was deferred): reference and outcome."""
    if slot.state is SlotState.WAITING:
        outcome = "deferred: it will be heard later"
    elif slot.state is SlotState.NOT_REACHED:
        outcome = "not reached"
    else:
        outcome = f"heard at {_hm(slot.started_at)}" if slot.started_at else "heard"
    return CollapsedCaseView(reference=slot.case_reference, outcome=outcome)


def base_case_view(sitting: Sitting, slot: Slot) -> BaseCaseView:
    """The case card the chat holds while the case is heard."""
    return BaseCaseView(slot.case_reference, sitting.sitting_id, slot.slot_id)


def summary_view(
    sitting: Sitting, cases: Mapping[str, Case], conflicts: frozenset[str] = frozenset()
) -> SummaryView:
    """The end-of-sitting summary's view; cases in `conflicts` (the viewer's) say only that."""
    lines = []
    for slot in sitting.slots:
        outcome = "heard" if slot.state is SlotState.HEARD else "not reached"
        if slot.deferrals and slot.state is SlotState.HEARD:
            outcome = "heard after deferral"
        if slot.case_id in conflicts:
            outcome = "you declared a conflict"
        lines.append(SummaryLine(slot.case_reference, outcome, slot.minutes_used, slot.minutes))
    start, end = sitting.started_at, sitting.ended_at

    def during(moment: datetime) -> bool:
        return start is not None and end is not None and start <= moment <= end

    actions = sum(1 for c in cases.values() for a in c.actions if during(a.set_at))
    themes = sum(1 for c in cases.values() for t in c.themes if during(t.at))
    return SummaryView(
        title=sitting_title(sitting),
        lines=tuple(lines),
        actions_recorded=actions,
        themes_recorded=themes,
        not_reached=tuple(s.case_reference for s in sitting.not_reached()),
    )


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _days_ago(n: int) -> str:
    """0 -> "today", 1 -> "yesterday", else "12 days ago"."""
    return {0: "today", 1: "yesterday"}.get(n, f"{n} days ago")


def theme_choices(taxonomy: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The force's themes as a form's choices: each theme's short name and its code."""
    return tuple((text.split(" (")[0][:60], code) for code, text in taxonomy.items())


def propose_view(
    actor: Actor, case: Case, taxonomy: Mapping[str, str], banner: Banner | None = None
) -> ProposeView:
    """What this person may propose for the case being heard: organisational learning themes only;
    no action for a closed case under review (the panel reopens it first)."""
    return ProposeView(
        case.reference,
        tuple((label(o), o.value) for o in OwnerRole),
        theme_choices(taxonomy),
        themes_only=source_for(actor.roles, ProposalKind.ACTION) is None,
        actions=fits_case(ProposalKind.ACTION, closed=case.status is CaseStatus.CLOSED),
        banner=banner,
    )


def pending_lines(case: Case, taxonomy: Mapping[str, str]) -> tuple[PendingLine, ...]:
    """The case's proposals waiting for a decision, each by its source's role, never its author."""
    return tuple(
        PendingLine(p.proposal_id, p.summary(dict(taxonomy)), SOURCE_WORDS[p.source]) for p in pending(case)
    )
