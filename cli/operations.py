"""The `panelbot` commands that change data: each opens the store, calls one use case, reports."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from pathlib import Path

from app import SystemClock
from bot.notifier import LoggingNotifier
from cli import key_check
from cli.audit_ops import audit_checkpoint, audit_show, audit_verify, retention_run
from cli.demo_clock import ENV as DEMO_CLOCK_ENV
from cli.demo_clock import DemoClock, move_demo_clock
from cli.import_files import ImportFailed, cases_from, read_rows, roster_from
from cli.report_ops import report
from panel.agenda import Schedule, SlotKind
from panel.clock import Clock, FixedClock, london_to_utc, to_london
from panel.errors import PanelError, StorageUnavailable
from panel.roles import Actor, Role
from panel.sitting import Sitting
from panel.usecases import agenda
from panel.usecases.cases import register_cases
from panel.usecases.deps import Deps
from panel.usecases.roster import import_roster
from settings import Settings
from storage.backends import store_for

Operation = Callable[[Deps, Actor, argparse.Namespace], Awaitable[int | None]]


async def init_store(settings: Settings) -> int:
    """`panelbot init`: create the database of a new installation and record which identity-hash key
    it is written with. An existing one is never changed, except that an installation made before
    the key's check value existed gets it recorded, if its audit trail agrees with the key."""
    existing = settings.cosmos is None and settings.sqlite_path.exists()
    key = settings.audit_key
    store = store_for(settings.sqlite_path, settings.cosmos, audit_key=key, create=not existing)
    try:
        await store.open()
        if not await store.ping():
            print("The store was created but does not answer; check its settings.", file=sys.stderr)
            return 2
        async with store.unit_of_work() as uow:
            matched = await key_check.matches(uow, settings.identity_hash_key)
            if matched is None:
                matched = await key_check.seals_match(uow, settings.audit_key)
            if matched is False:
                print(
                    "This store was written with another IDENTITY_HASH_KEY; nothing was changed. "
                    "Set the key it was written with.",
                    file=sys.stderr,
                )
                return 2
            recorded = await key_check.matches(uow, settings.identity_hash_key)
            if recorded is None:
                key_check.record(uow, settings.identity_hash_key)
                await uow.commit()
    except StorageUnavailable as error:
        print(error.message, file=sys.stderr)
        return 2
    finally:
        await store.close()
    if existing and recorded:
        print(f"{settings.sqlite_path} already exists; nothing was changed.", file=sys.stderr)
        return 2
    if existing:
        print(
            f"{settings.sqlite_path} already exists: recorded which identity-hash key it is written "
            "with (`panelbot doctor` checks it); nothing else was changed."
        )
        return 0
    where = "the Cosmos DB container" if settings.cosmos else str(settings.sqlite_path)
    print(f"Created {where}. Next: `panelbot roster import FILE`, then `panelbot serve`.")
    return 0


async def check_store(settings: Settings) -> str | None:
    """Why the configured store cannot be served from, in one line; None when it can. A Cosmos DB
    account that is merely unreachable still starts (it reports itself down until it is back)."""
    store = store_for(settings.sqlite_path, settings.cosmos, audit_key=settings.audit_key)
    try:
        await store.open()
    except StorageUnavailable as error:
        return error.message
    finally:
        await store.close()
    return None


async def run_operation(settings: Settings, args: argparse.Namespace) -> int:
    """Run one data command against the configured store; 0 on success, 2 on refusal."""
    try:
        clock = _clock(getattr(args, "now", None))
    except ValueError:
        print("--now is a London date and time like 2026-12-07T09:00", file=sys.stderr)
        return 2
    if getattr(args, "now", None) and (refused := move_demo_clock(clock.now())) is not None:
        print(refused, file=sys.stderr)
        return 2
    args.settings = settings
    store = store_for(settings.sqlite_path, settings.cosmos, audit_key=settings.audit_key)
    try:
        await store.open()
    except StorageUnavailable as error:
        print(error.message, file=sys.stderr)
        return 2
    deps = Deps(
        uow=store.unit_of_work,
        clock=clock,
        notifier=LoggingNotifier(),
        identity_key=settings.identity_hash_key,
        config=settings.panel,
    )
    operator = Actor.operator(getpass.getuser())
    try:
        status = await OPERATIONS[(args.command, args.action)](deps, operator, args)
    except ImportFailed as failure:
        print("Nothing was imported. Fix these and run the import again:", file=sys.stderr)
        for problem in failure.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except PanelError as error:
        print(error.message, file=sys.stderr)
        return 2
    finally:
        await store.close()
    return status or 0


async def roster_import(deps: Deps, actor: Actor, args: argparse.Namespace) -> None:
    """panelbot roster import FILE"""
    members = roster_from(read_rows(Path(args.file)))
    count = await import_roster(deps, actor, members)
    print(f"Imported {count} roster member(s).")


async def cases_import(deps: Deps, actor: Actor, args: argparse.Namespace) -> None:
    """panelbot cases import FILE"""
    rows = read_rows(Path(args.file))
    async with deps.uow() as uow:
        soos = {m.aad_object_id for m in await uow.roster.all() if Role.SOO in m.roles and m.active}
    registered = await register_cases(deps, actor, cases_from(rows, soos))
    for row, result in zip(rows, registered, strict=True):
        advice = ""
        if result.advice.recommended:
            advice = "  case conference recommended: " + "; ".join(result.advice.reasons)
        print(f"line {row.line}: {result.case.reference}{advice}")
    print(f"Registered {len(registered)} case(s).")


async def sitting_create(deps: Deps, actor: Actor, args: argparse.Namespace) -> None:
    """panelbot sitting create --date … --start …"""
    try:
        day, start = date.fromisoformat(args.date), time.fromisoformat(args.start)
    except ValueError:
        raise ImportFailed(["--date is YYYY-MM-DD and --start is HH:MM"]) from None
    form = agenda.SittingForm(day, start, args.length, args.case_room_link, args.waiting_room_meeting)
    sitting = await agenda.create_sitting(deps, actor, form)
    print(f"Created sitting {sitting.sitting_id}: {describe_times(sitting)}")


async def agenda_add(deps: Deps, actor: Actor, args: argparse.Namespace) -> None:
    """panelbot agenda add SITTING CASE --kind new|update|complex|MINUTES"""
    from panel.reference import parse_reference

    kind_text = str(args.kind).strip().lower()
    if kind_text.isdigit():
        kind, minutes = SlotKind.CUSTOM, int(kind_text)
    elif kind_text in {k.value for k in SlotKind} - {"custom"}:
        kind, minutes = SlotKind(kind_text), None
    else:
        raise ImportFailed(["--kind is new, update, complex or a number of minutes"])
    sitting_id = await sitting_named(deps, args.sitting)
    result = await agenda.list_case(deps, actor, sitting_id, parse_reference(args.case), kind, minutes)
    print_agenda(result.sitting, result.schedule)


async def agenda_show(deps: Deps, actor: Actor, args: argparse.Namespace) -> None:
    """panelbot agenda show SITTING"""
    result = await agenda.agenda(deps, actor, await sitting_named(deps, args.sitting))
    print_agenda(result.sitting, result.schedule)


async def sitting_named(deps: Deps, given: str) -> str:
    """A sitting's id as the operator gave it: its full id, or its date when only one sits that day
    (ids carry random characters, so nobody has to copy them for the usual one sitting a day)."""
    async with deps.uow() as uow:
        if await uow.sittings.exists(given):
            return given
        try:
            day = date.fromisoformat(given)
        except ValueError:
            return given  # not a date: the use case says it does not exist
        that_day = [s.sitting_id for s in await uow.sittings.find(on_or_after=day) if s.sitting_date == day]
    if len(that_day) > 1:
        raise ImportFailed([f"{given} has {len(that_day)} sittings; give one of: {', '.join(that_day)}"])
    return that_day[0] if that_day else given


def _clock(now: str | None) -> Clock:
    """The system clock (the demo's, when PANEL_DEMO_CLOCK names one, so the command line and the
    running demo agree), or a fixed London moment for running the clock forward."""
    if not now:
        demo = os.environ.get(DEMO_CLOCK_ENV, "").strip()
        return DemoClock(Path(demo)) if demo else SystemClock()
    moment = datetime.fromisoformat(now)
    if moment.tzinfo is None:
        moment = london_to_utc(moment.date(), moment.time())
    return FixedClock(moment)


def describe_times(sitting: Sitting) -> str:
    """A sitting's date and booked times in London."""
    start, end = to_london(sitting.starts_at), to_london(sitting.ends_at)
    return f"{start:%A %d %B %Y}, {start:%H:%M} to {end:%H:%M} (London)"


def print_agenda(sitting: Sitting, schedule: Schedule) -> None:
    """The timed agenda, as a table."""
    print(f"Sitting {sitting.sitting_id}, {describe_times(sitting)}, {sitting.status.value}")
    for number, timed in enumerate(schedule.slots, start=1):
        slot = timed.slot
        print(
            f"  {number:>2}. {to_london(timed.start):%H:%M}-{to_london(timed.end):%H:%M}  "
            f"{slot.case_reference}  {slot.kind.value:<7} {slot.minutes:>3} min  {slot.state.value}"
        )
    print(f"  Projected finish {to_london(schedule.projected_finish):%H:%M}.")
    if schedule.warning:
        print(f"  Warning: {schedule.warning}")


async def reminders_run(deps: Deps, actor: Actor, args: argparse.Namespace) -> None:
    """panelbot reminders run [--now …]: one pass of the scheduler, delivering through Teams."""
    from bot.reminder_runner import ReminderRunner
    from bot.teams.adapter import BotCredentials, build_adapter
    from bot.teams.messenger import Messenger

    settings: Settings = args.settings
    adapter = build_adapter(
        BotCredentials(settings.app_id, settings.app_password, settings.app_tenant_id, settings.app_type)
    )
    runner = ReminderRunner(deps, Messenger(adapter, settings.app_id, deps), owner=f"cli-{actor.actor_id}")
    sent = await runner.run_once()
    print(f"Sent {sent} reminder(s) as of {to_london(deps.clock.now()):%A %d %B %Y %H:%M} (London).")


OPERATIONS: dict[tuple[str, str], Operation] = {
    ("roster", "import"): roster_import,
    ("cases", "import"): cases_import,
    ("sitting", "create"): sitting_create,
    ("agenda", "add"): agenda_add,
    ("agenda", "show"): agenda_show,
    ("reminders", "run"): reminders_run,
    ("audit", "verify"): audit_verify,
    ("audit", "checkpoint"): audit_checkpoint,
    ("audit", "show"): audit_show,
    ("retention", "run"): retention_run,
    ("report", "outputs"): report,
}
