"""The reminder engine: which reminders are due at a moment, pure and with the clock passed in.

Each reminder has a stable key (so it is sent once, whoever computes it), the moment it becomes due
(moved out of quiet hours), and the moment after which it is no longer worth sending.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from panel.actions import ActionStatus
from panel.case import Case, CaseStatus, HearingOutcome
from panel.clock import LONDON, to_london
from panel.learning import LearningAction
from panel.ports import ReminderState
from panel.roles import Role
from panel.roster import RosterMember
from panel.sitting import Sitting, SittingStatus


class ReminderKind(StrEnum):
    """What a reminder is about."""

    SITTING_WEEK = "sitting_week"
    SITTING_DAY = "sitting_day"
    SLOT_SOON = "slot_soon"
    ACTION_DUE = "action_due"
    ACTION_OVERDUE = "action_overdue"
    APPROVAL_WAITING = "approval_waiting"
    NOT_LISTED = "not_listed"
    NOT_HEARD = "not_heard"
    AGENDA_OUT = "agenda_out"
    ASKED_BACK = "asked_back"
    LEARNING_DUE = "learning_due"
    LEARNING_OVERDUE = "learning_overdue"


# Who is asked to check the agenda for conflicts of interest when it goes out.
AGENDA_ROLES = frozenset(
    {Role.CHAIR, Role.DEPUTY_CHAIR, Role.COORDINATOR, Role.ADMINISTRATOR, Role.MEMBER, Role.PARTNER}
)
# No reminder is sent inside quiet hours, not even minutes before a slot (a sitting in progress
# keeps its SOOs up to date with their sitting card, which is not a reminder).
LIVE_KINDS: frozenset[ReminderKind] = frozenset()
# A series: of these, only the latest still useful is sent (a late start sends the day-before one only).
SITTING_SERIES = (ReminderKind.SITTING_WEEK, ReminderKind.SITTING_DAY)


class SnoozeChoice(StrEnum):
    """What "remind me later" can mean; each reminder offers the ones that fit it."""

    TOMORROW = "tomorrow"
    THREE_DAYS = "3d"
    WEEK = "7d"
    UNTIL_SITTING = "sitting"


SNOOZE_LABELS = {
    SnoozeChoice.TOMORROW: "Remind me tomorrow",
    SnoozeChoice.THREE_DAYS: "Remind me in 3 days",
    SnoozeChoice.WEEK: "Remind me in a week",
    SnoozeChoice.UNTIL_SITTING: "Not again before the sitting",
}
# A reminder about the next few minutes, or the last one before a sitting, offers no snooze.
SNOOZE_CHOICES: dict[ReminderKind, tuple[SnoozeChoice, ...]] = {
    ReminderKind.SITTING_WEEK: (SnoozeChoice.THREE_DAYS, SnoozeChoice.UNTIL_SITTING),
    ReminderKind.ACTION_DUE: (SnoozeChoice.TOMORROW, SnoozeChoice.THREE_DAYS),
    ReminderKind.ACTION_OVERDUE: (SnoozeChoice.TOMORROW, SnoozeChoice.THREE_DAYS),
    ReminderKind.APPROVAL_WAITING: (SnoozeChoice.TOMORROW,),
    ReminderKind.NOT_LISTED: (SnoozeChoice.WEEK,),
    ReminderKind.NOT_HEARD: (SnoozeChoice.WEEK,),
    ReminderKind.AGENDA_OUT: (SnoozeChoice.TOMORROW,),
    ReminderKind.ASKED_BACK: (SnoozeChoice.THREE_DAYS, SnoozeChoice.WEEK),
    ReminderKind.LEARNING_DUE: (SnoozeChoice.TOMORROW, SnoozeChoice.THREE_DAYS),
    ReminderKind.LEARNING_OVERDUE: (SnoozeChoice.TOMORROW, SnoozeChoice.THREE_DAYS),
}


def kind_of(key: str) -> ReminderKind | None:
    """The kind a reminder key names (its first part), or None for a key that is not ours."""
    try:
        return ReminderKind(key.split(":", 1)[0])
    except ValueError:
        return None


def series_after(key: str) -> list[str]:
    """The keys of the later reminders in the same series as this one (the day-before reminder
    after the week-before one), which a snooze "until the sitting" silences too."""
    kind = kind_of(key)
    if kind not in SITTING_SERIES:
        return []
    rest = key.split(":", 1)[1]
    later = SITTING_SERIES[SITTING_SERIES.index(kind) + 1 :]
    return [f"{k.value}:{rest}" for k in later]


def snooze_until(
    choice: SnoozeChoice, now: datetime, policy: ReminderPolicy, sitting_start: datetime | None
) -> datetime:
    """When a snoozed reminder comes back: at the morning send time of a later day, outside quiet
    hours; or at the sitting's start, for "not again before the sitting"."""
    if choice is SnoozeChoice.UNTIL_SITTING:
        if sitting_start is None:
            raise ValueError("no sitting to snooze until")
        return sitting_start
    days = {SnoozeChoice.TOMORROW: 1, SnoozeChoice.THREE_DAYS: 3, SnoozeChoice.WEEK: 7}[choice]
    return next_allowed(local(to_london(now).date() + timedelta(days=days), policy.send_at), policy)


def snoozes_offered(reminder: Reminder, now: datetime, policy: ReminderPolicy) -> tuple[SnoozeChoice, ...]:
    """The snoozes worth offering on a reminder: those that bring it back while it still matters
    (before it expires), so a reminder about today's sitting offers no "tomorrow"."""
    return tuple(
        choice
        for choice in SNOOZE_CHOICES.get(reminder.kind, ())
        if choice is SnoozeChoice.UNTIL_SITTING
        or snooze_until(choice, now, policy, None) < reminder.expires_at
    )


@dataclass(frozen=True)
class ReminderPolicy:
    """A force's reminder settings."""

    sitting_week_days: int = 7
    sitting_day_days: int = 1
    slot_lead: timedelta = timedelta(minutes=15)
    action_due_days: int = 3
    overdue_every_days: int = 7
    approval_working_days: int = 2
    not_listed_days: int = 30
    not_heard_days: int = 90
    send_at: time = time(9, 0)
    quiet_from: time = time(20, 0)
    quiet_until: time = time(7, 0)
    quiet_weekends: bool = True


@dataclass(frozen=True)
class Reminder:
    """One reminder for one person: by case reference only."""

    key: str
    kind: ReminderKind
    recipient_id: str
    case_reference: str | None
    due_at: datetime
    expires_at: datetime
    facts: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    sitting_id: str | None = None
    references: tuple[str, ...] = ()  # the agenda, for a panel member to declare a conflict from


def local(day: date, at: time) -> datetime:
    """A London wall-clock moment (a repeated hour takes its first occurrence) as an aware datetime."""
    return datetime.combine(day, at, tzinfo=LONDON)


def next_allowed(moment: datetime, policy: ReminderPolicy) -> datetime:
    """The first moment at or after `moment` outside quiet hours and (if set) weekends. The quiet
    window may run overnight (20:00-07:00) or within a day; equal ends mean no quiet hours."""
    current = to_london(moment)
    start, end = policy.quiet_from, policy.quiet_until
    for _ in range(10):
        if policy.quiet_weekends and current.weekday() >= 5:
            # Monday's first moment that can be outside quiet hours.
            monday = end if start > end else time(0, 0)
            current = local(current.date() + timedelta(days=7 - current.weekday()), monday)
            continue
        wall = current.time()
        if start == end:
            return current
        if start > end and wall >= start:  # overnight window, evening side
            current = local(current.date() + timedelta(days=1), end)
            continue
        if (start > end and wall < end) or (start < end and start <= wall < end):
            current = local(current.date(), end)
            continue
        return current
    return current


def due_reminders(
    now: datetime,
    cases: Iterable[Case],
    sittings: Iterable[Sitting],
    roster: Iterable[RosterMember],
    policy: ReminderPolicy,
    learning: Iterable[LearningAction] = (),
    on_agenda: Iterable[Case] = (),
) -> list[Reminder]:
    """Every reminder due by `now` and still worth sending, quiet hours applied to the moment of
    sending: nothing but a sitting-day reminder goes out inside quiet hours, even when catching up.
    `cases` are those whose own reminders are wanted; `on_agenda`, other cases listed on the
    sittings, are only read for the sitting reminders."""
    people = list(roster)
    case_list = list(cases)
    by_id = {c.case_id: c for c in [*on_agenda, *case_list]}
    candidates = [
        *shared_reminders(now, sittings, by_id, people, policy, learning),
        *_case_reminders(case_list, now, policy, people),
        *_asked_back(case_list, list(sittings), policy, people),
    ]
    return sorted(due_among(candidates, now, policy), key=lambda r: (r.due_at, r.key))


def shared_reminders(
    now: datetime,
    sittings: Iterable[Sitting],
    by_id: dict[str, Case],
    people: list[RosterMember],
    policy: ReminderPolicy,
    learning: Iterable[LearningAction] = (),
) -> list[Reminder]:
    """The reminders that are not about one case alone: sittings, agendas and learning actions
    (`by_id`: the cases on the sittings' agendas). Due or not."""
    return [
        *_sitting_reminders(sittings, by_id, now, policy),
        *_agenda_reminders(sittings, by_id, policy, people),
        *_learning(list(learning), now, policy, people),
    ]


def due_among(candidates: Iterable[Reminder], now: datetime, policy: ReminderPolicy) -> list[Reminder]:
    """Those of these reminders due by `now` and still worth sending, each at the moment it may
    be sent (quiet hours applied)."""
    due = []
    quiet_now = next_allowed(now, policy) != now
    for reminder in candidates:
        if quiet_now and reminder.kind not in LIVE_KINDS:
            continue
        moment = reminder.due_at if reminder.kind in LIVE_KINDS else next_allowed(reminder.due_at, policy)
        if moment <= now < reminder.expires_at and moment < reminder.expires_at:
            due.append(
                Reminder(
                    reminder.key,
                    reminder.kind,
                    reminder.recipient_id,
                    reminder.case_reference,
                    moment,
                    reminder.expires_at,
                    reminder.facts,
                    reminder.sitting_id,
                    reminder.references,
                )
            )
    return due


def case_reminders(
    case: Case, now: datetime, policy: ReminderPolicy, people: list[RosterMember], sittings: list[Sitting]
) -> list[Reminder]:
    """Every reminder one case gives rise to at `now`, due or not (its actions, closure, listing,
    hearing and asked-back reminders): what decides when the case next needs looking at."""
    return [*_case_reminders([case], now, policy, people), *_asked_back([case], sittings, policy, people)]


def next_look(
    reminders: Iterable[Reminder],
    states: Mapping[str, ReminderState],
    now: datetime,
    policy: ReminderPolicy,
) -> datetime | None:
    """The next moment any of these reminders may need sending, so a case is looked at again only
    then (or when it changes), never every round; None when none ever will. A reminder due and not
    yet sent is looked at again at the next moment it may go; one sent, when it expires, since the
    next of its series (overdue again a week later) begins then; one snoozed, when it wakes."""
    first_allowed = next_allowed(now, policy)
    moments = []
    for reminder in reminders:
        if reminder.expires_at <= now:
            continue
        moment = next_allowed(reminder.due_at, policy)
        if moment >= reminder.expires_at:
            continue  # never sendable: quiet hours cover its whole life
        state = states.get(reminder.key)
        if state is not None and state.sent_at is not None:
            moments.append(reminder.expires_at)
            continue
        if state is not None and state.snoozed_until is not None:
            moment = max(moment, state.snoozed_until)
        moments.append(max(moment, first_allowed))
    return min(moments, default=None)


def _sitting_reminders(
    sittings: Iterable[Sitting], cases: dict[str, Case], now: datetime, policy: ReminderPolicy
) -> Iterator[Reminder]:
    """Before a sitting: one reminder a week before and one the day before for each SOO, listing
    all their cases in slot order; and, before the sitting starts, "join the waiting room" a few
    minutes before each slot. Once it is live, the SOO's sitting card keeps them up to date."""
    today = to_london(now).date()
    for sitting in sittings:
        if sitting.status is not SittingStatus.SCHEDULED:
            continue
        start_local = to_london(sitting.starts_at)
        by_soo: dict[str, list[tuple[str, str]]] = {}
        for timed in sitting.schedule(now).slots:
            slot, case = timed.slot, cases.get(timed.slot.case_id)
            if case is None or case.soo_id is None or case.conflicted(case.soo_id):
                continue
            slot_time = f"{to_london(timed.start):%H:%M}"
            by_soo.setdefault(case.soo_id, []).append((case.reference, slot_time))
            if slot.state.value == "waiting":
                yield Reminder(
                    f"{ReminderKind.SLOT_SOON.value}:{sitting.sitting_id}:{slot.slot_id}",
                    ReminderKind.SLOT_SOON,
                    case.soo_id,
                    case.reference,
                    timed.start - policy.slot_lead,
                    timed.start,
                    (
                        ("Sitting", f"{start_local:%A %d %B}"),
                        ("Planned slot", slot_time),
                        ("Now", "join the waiting room"),
                    ),
                    sitting.sitting_id,
                )
        deadline = start_local.date() - timedelta(days=1)
        # The day-before reminder is the last of the series; the week-before one is no longer
        # worth sending once the day-before one may go.
        day_due = local(start_local.date() - timedelta(days=policy.sitting_day_days), start_local.time())
        week_until = min(next_allowed(day_due, policy), sitting.starts_at)
        for soo, listed in by_soo.items():
            refs = tuple(ref for ref, _ in listed)
            if today <= deadline:
                ask = ("Update the case form by", f"{deadline:%A %d %B}")
            else:
                ask = ("Update the case form", "before the sitting starts")
            facts = (
                ("Sitting", f"{start_local:%A %d %B}"),
                (
                    "Your cases" if len(listed) > 1 else "Planned slot",
                    "; ".join(f"{ref} at {at}" if len(listed) > 1 else at for ref, at in listed),
                ),
                ask,
            )
            for kind, days, expires in (
                (ReminderKind.SITTING_WEEK, policy.sitting_week_days, week_until),
                (ReminderKind.SITTING_DAY, policy.sitting_day_days, sitting.starts_at),
            ):
                yield Reminder(
                    f"{kind.value}:{sitting.sitting_id}:{soo}",
                    kind,
                    soo,
                    refs[0] if len(refs) == 1 else None,
                    local(start_local.date() - timedelta(days=days), start_local.time()),
                    expires,
                    facts,
                    sitting.sitting_id,
                    refs if len(refs) > 1 else (),
                )


def _agenda_reminders(
    sittings: Iterable[Sitting], cases: dict[str, Case], policy: ReminderPolicy, people: list[RosterMember]
) -> Iterator[Reminder]:
    """When the agenda goes out, each panel member is asked to check it for conflicts of interest."""
    panel = [m for m in people if m.active and m.roles & AGENDA_ROLES]
    for sitting in sittings:
        if sitting.status is not SittingStatus.SCHEDULED or not sitting.slots:
            continue
        start_local = to_london(sitting.starts_at)
        due = local(start_local.date() - timedelta(days=policy.sitting_week_days), start_local.time())
        for member in panel:
            references = tuple(
                s.case_reference
                for s in sitting.slots
                if (case := cases.get(s.case_id)) is not None and not case.conflicted(member.aad_object_id)
            )
            if not references:
                continue
            yield Reminder(
                f"{ReminderKind.AGENDA_OUT.value}:{sitting.sitting_id}:{member.aad_object_id}",
                ReminderKind.AGENDA_OUT,
                member.aad_object_id,
                None,
                due,
                sitting.starts_at,
                (("Sitting", f"{start_local:%A %d %B %Y, %H:%M}"), ("Cases", str(len(references)))),
                sitting.sitting_id,
                references,
            )


def _case_reminders(
    cases: list[Case], now: datetime, policy: ReminderPolicy, people: list[RosterMember]
) -> Iterator[Reminder]:
    today = to_london(now).date()
    all_chairs = [m.aad_object_id for m in people if m.active and Role.CHAIR in m.roles]
    all_coordinators = [m.aad_object_id for m in people if m.active and Role.COORDINATOR in m.roles]
    for case in cases:
        if case.status is CaseStatus.CLOSED:
            continue
        chairs = [p for p in all_chairs if not case.conflicted(p)]
        coordinators = [p for p in all_coordinators if not case.conflicted(p)]
        for action in case.actions:
            if action.status is not ActionStatus.OPEN or case.soo_id is None or case.conflicted(case.soo_id):
                continue
            facts = (("Action", action.action_id), ("Due", f"{action.due:%A %d %B}"))
            soon = local(action.due - timedelta(days=policy.action_due_days), policy.send_at)
            yield Reminder(
                f"{ReminderKind.ACTION_DUE.value}:{case.case_id}:{action.action_id}",
                ReminderKind.ACTION_DUE,
                case.soo_id,
                case.reference,
                soon,
                local(action.due + timedelta(days=1), time(0, 0)),
                facts,
            )
            # The series' current reminder, or its first while the action is not yet overdue: the
            # round needs to know when the series starts, not only that it has.
            step = timedelta(days=policy.overdue_every_days)
            n = max(0, (today - (action.due + timedelta(days=1))).days // policy.overdue_every_days)
            at = local(action.due + timedelta(days=1) + n * step, policy.send_at)
            yield Reminder(
                f"{ReminderKind.ACTION_OVERDUE.value}:{case.case_id}:{action.action_id}:{n}",
                ReminderKind.ACTION_OVERDUE,
                case.soo_id,
                case.reference,
                at,
                at + step,
                facts,
            )
        if case.status is CaseStatus.CLOSURE_REQUESTED:
            asked = next(
                (h.at for h in reversed(case.history) if h.status is CaseStatus.CLOSURE_REQUESTED), None
            )
            if asked is not None:
                due = local(
                    _add_working_days(to_london(asked).date(), policy.approval_working_days),
                    to_london(asked).time(),
                )
                for chair in chairs:
                    yield Reminder(
                        f"{ReminderKind.APPROVAL_WAITING.value}:{case.case_id}:{asked.isoformat()}:{chair}",
                        ReminderKind.APPROVAL_WAITING,
                        chair,
                        case.reference,
                        due,
                        due + timedelta(days=30),
                        (("Waiting since", f"{to_london(asked):%A %d %B}"),),
                    )
        if case.status is CaseStatus.REGISTERED and not case.hearings:
            due = local(
                to_london(case.registered_at).date() + timedelta(days=policy.not_listed_days), policy.send_at
            )
            for coordinator in coordinators:
                yield Reminder(
                    f"{ReminderKind.NOT_LISTED.value}:{case.case_id}:{coordinator}",
                    ReminderKind.NOT_LISTED,
                    coordinator,
                    case.reference,
                    due,
                    due + timedelta(days=30),
                    (("Registered", f"{to_london(case.registered_at):%d %B %Y}"),),
                )
        heard = [h.sitting_date for h in case.hearings if h.outcome is HearingOutcome.HEARD]
        since = max(heard) if heard else to_london(case.registered_at).date()
        due = local(since + timedelta(days=policy.not_heard_days), policy.send_at)
        for coordinator in coordinators:
            yield Reminder(
                f"{ReminderKind.NOT_HEARD.value}:{case.case_id}:{since.isoformat()}:{coordinator}",
                ReminderKind.NOT_HEARD,
                coordinator,
                case.reference,
                due,
                due + timedelta(days=30),
                (("Last heard" if heard else "Registered", f"{since:%d %B %Y}"),),
            )


# The coordinator is reminded three weeks before the date the panel asked to see a case again.
ASKED_BACK_LEAD = timedelta(days=21)


def _asked_back(
    cases: list[Case], sittings: list[Sitting], policy: ReminderPolicy, people: list[RosterMember]
) -> Iterator[Reminder]:
    """The panel asked to see a case again around a date: the coordinator lists it on the sitting
    nearest that date (until it is listed, at a conference or closed)."""
    coordinators = [m.aad_object_id for m in people if m.active and Role.COORDINATOR in m.roles]
    waiting = [s for s in sittings if s.status is SittingStatus.SCHEDULED]
    for case in cases:
        wanted = case.asked_back_for
        if wanted is None or case.status in (
            CaseStatus.LISTED,
            CaseStatus.CLOSED,
            CaseStatus.CASE_CONFERENCE,
        ):
            continue
        nearest = min(waiting, key=lambda s: abs((s.sitting_date - wanted).days), default=None)
        facts = [("Asked back for", f"around {wanted:%A %d %B %Y}")]
        facts.append(
            ("Nearest sitting", f"{to_london(nearest.starts_at):%A %d %B %Y}")
            if nearest
            else ("Nearest sitting", "none booked yet")
        )
        due = local(wanted - ASKED_BACK_LEAD, policy.send_at)
        for coordinator in coordinators:
            if case.conflicted(coordinator):
                continue
            yield Reminder(
                f"{ReminderKind.ASKED_BACK.value}:{case.case_id}:{wanted.isoformat()}:{coordinator}",
                ReminderKind.ASKED_BACK,
                coordinator,
                case.reference,
                due,
                local(wanted + timedelta(days=14), policy.send_at),
                tuple(facts),
            )


def _learning(
    actions: list[LearningAction], now: datetime, policy: ReminderPolicy, people: list[RosterMember]
) -> Iterator[Reminder]:
    """Force-wide learning actions: due soon, then overdue weekly, to the learning analysts (or,
    where a force has none, the chair)."""
    analysts = [m.aad_object_id for m in people if m.active and Role.LEARNING_ANALYST in m.roles]
    recipients = analysts or [m.aad_object_id for m in people if m.active and Role.CHAIR in m.roles]
    today = to_london(now).date()
    for action in actions:
        if action.status is not ActionStatus.OPEN:
            continue
        facts = (("Learning action", action.action_id), ("Due", f"{action.due:%A %d %B}"))
        for person in recipients:
            yield Reminder(
                f"{ReminderKind.LEARNING_DUE.value}:{action.action_id}:{person}",
                ReminderKind.LEARNING_DUE,
                person,
                None,
                local(action.due - timedelta(days=policy.action_due_days), policy.send_at),
                local(action.due + timedelta(days=1), time(0, 0)),
                facts,
            )
            first = action.due + timedelta(days=1)
            n = max(0, (today - first).days // policy.overdue_every_days)
            at = local(first + timedelta(days=n * policy.overdue_every_days), policy.send_at)
            yield Reminder(
                f"{ReminderKind.LEARNING_OVERDUE.value}:{action.action_id}:{n}:{person}",
                ReminderKind.LEARNING_OVERDUE,
                person,
                None,
                at,
                at + timedelta(days=policy.overdue_every_days),
                facts,
            )


def _add_working_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day
