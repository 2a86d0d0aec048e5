"""`panelbot demo`: made-up data, the bot, and the Agents Playground, ready to try in a browser."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import signal
import socket
import sys
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from app import DEPS, STORE, create_app
from bot import telemetry
from bot.log_lines import configure_logging
from cli.demo_clock import ENV, DemoClock
from cli.demo_data import (
    CHAIR,
    DEMO_CASES,
    DEMO_FORCE_REFERENCE,
    DEMO_ROSTER,
    SOO_ONE,
    SOO_TWO,
    UNLISTED_CASE,
    DemoPerson,
    playground_users,
)
from cli.demo_history import SITTING_DAYS_AGO, seed_closed_case
from cli.local_cosmos import LOCAL_KEY, LocalCosmosUnavailable, local_cosmos
from cli.operations import print_agenda
from cli.playground import (
    BOT_NAME,
    CASE_ROOM_CHAT,
    TENANT_ID,
    PlaygroundUnavailable,
    bot_mention,
    running_playground,
)
from panel.actions import OwnerRole
from panel.agenda import SlotKind
from panel.case import LISTABLE, CaseStatus
from panel.clock import Clock, FixedClock, to_london
from panel.errors import PanelError
from panel.force_reference import ForceRecord
from panel.labels import label
from panel.roles import Actor, Permission
from panel.roster import RosterMember
from panel.sitting import Sitting, SittingStatus
from panel.usecases import actions, agenda, live
from panel.usecases.cases import CaseRegistration, register_cases, register_party_names
from panel.usecases.deps import Deps
from panel.usecases.force_references import register_force_references
from panel.usecases.roster import import_roster
from settings import LOOPBACK, SettingsError, load_settings

logger = logging.getLogger("demo")
# A made-up join link of the real shape (a meeting thread id, and the tenant in its context).
DEMO_CASE_ROOM_LINK = (
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZGVtby1jYXNlLXJvb20%40thread.v2/0"
    "?context=%7b%22Tid%22%3a%2200000000-0000-4000-8000-0000000000aa%22%7d"
)
DEMO_WAITING_ROOM = "demo-waiting-room-meeting"


@dataclass(frozen=True)
class Seeded:
    """What the demo created."""

    sitting: Sitting
    references: tuple[str, ...]
    next_sitting: Sitting | None = None
    unlisted: str | None = None  # a case registered but on no agenda yet
    closed: str | None = None  # heard last month and closed since


async def seed_demo(deps: Deps) -> Seeded:
    """Load the made-up roster and cases, register their made-up party names, and book a sitting
    that starts at the next quarter hour with all four cases on its agenda; last month's sitting
    heard a fifth case, closed since."""
    operator = Actor.operator("demo")
    # The roster as it was a month ago, so the audit trail runs forward in time from its start.
    await import_roster(
        dataclasses.replace(deps, clock=FixedClock(deps.clock.now() - timedelta(days=SITTING_DAYS_AGO + 1))),
        operator,
        [RosterMember(p.aad_object_id, p.display_name, p.roles, agency=p.agency) for p in DEMO_ROSTER],
    )
    forms = [
        CaseRegistration(
            c.category, c.route, c.received, c.risk, c.flags, soo_id=c.soo.aad_object_id, facts=c.facts
        )
        for c in DEMO_CASES
    ]
    extra = UNLISTED_CASE
    forms.append(
        CaseRegistration(
            extra.category, extra.route, extra.received, extra.risk, soo_id=extra.soo.aad_object_id
        )
    )
    closed = await seed_closed_case(deps, operator)
    *registered, unlisted = await register_cases(deps, operator, forms)
    for demo, result in zip((*DEMO_CASES, extra), (*registered, unlisted), strict=True):
        await register_party_names(deps, operator, result.case.reference, list(demo.party_names))
    # A made-up professional standards reference for the first case: the coordinator can say "find".
    await register_force_references(
        deps, operator, registered[0].case.reference, {ForceRecord.PSD: DEMO_FORCE_REFERENCE}
    )
    day, start = next_quarter_hour(deps.clock)
    sitting = await agenda.create_sitting(
        deps,
        operator,
        agenda.SittingForm(
            day,
            start,
            case_room_link=DEMO_CASE_ROOM_LINK,
            waiting_room_meeting_id=DEMO_WAITING_ROOM,
        ),
    )
    for demo, result in zip(DEMO_CASES, registered, strict=True):
        listed = await agenda.list_case(
            deps, operator, sitting.sitting_id, result.case.reference, SlotKind(demo.kind)
        )
        sitting = listed.sitting
    # Something for reminders to find: an action due in three days, and next month's sitting.
    first = registered[0].case
    await actions.record_action(
        deps,
        operator,
        first.reference,
        actions.ActionForm("SOO to update the victim weekly", OwnerRole.SOO, day + timedelta(days=3)),
    )
    later = await agenda.create_sitting(
        deps,
        operator,
        agenda.SittingForm(day + timedelta(days=28), time(10, 0), case_room_link=DEMO_CASE_ROOM_LINK),
    )
    references = tuple(r.case.reference for r in registered)
    return Seeded(sitting, references, later, unlisted.case.reference, closed)


async def book_fresh_sitting(deps: Deps) -> Sitting | None:
    """When the demo is run again after today's sitting ended (or on another day), book a new
    sitting at the next quarter hour with every open case that can be listed; None when today
    already has a sitting to run."""
    today = deps.today()
    async with deps.uow() as uow:
        sittings = await uow.sittings.find(on_or_after=today)
        cases = await uow.cases.find()
    if any(s.sitting_date == today and s.status is not SittingStatus.ENDED for s in sittings):
        return None
    operator = Actor.operator("demo")
    day, start = next_quarter_hour(deps.clock)
    sitting = await agenda.create_sitting(
        deps,
        operator,
        agenda.SittingForm(
            day, start, case_room_link=DEMO_CASE_ROOM_LINK, waiting_room_meeting_id=DEMO_WAITING_ROOM
        ),
    )
    for case in cases:
        if (case.status in LISTABLE or case.status is CaseStatus.LISTED) and case.soo_id:
            with contextlib.suppress(PanelError):  # on another agenda already: leave it there
                sitting = (
                    await agenda.list_case(
                        deps, operator, sitting.sitting_id, case.reference, SlotKind.UPDATE
                    )
                ).sitting
    return sitting


def next_quarter_hour(clock: Clock) -> tuple[date, time]:
    """The London date and wall-clock time of the next quarter hour, or, late in the evening when
    that would be tomorrow, of the current minute: the demo's sitting is always today."""
    local = to_london(clock.now()).replace(second=0, microsecond=0)
    quarter = local + timedelta(minutes=15 - local.minute % 15)
    chosen = quarter if quarter.date() == local.date() else local
    return chosen.date(), chosen.time()


def run_demo(
    port: int, playground_port: int, data_dir: str, as_key: str = "chair", reset: bool = False
) -> int:
    """Run the demo until Ctrl-C."""
    person = next((p for p in DEMO_ROSTER if p.key == as_key), None)
    if person is None:
        print(f"--as is one of: {', '.join(p.key for p in DEMO_ROSTER)}", file=sys.stderr)
        return 2
    db = Path(data_dir) / "panel.db"
    busy = [p for p in (port, playground_port, playground_port + 1) if _in_use(p)]
    if busy:
        # Checked before --reset, which must never delete the data of a demo that is still running.
        print(
            f"Port {busy[0]} is already in use (another demo?). Stop it, or choose other ports.",
            file=sys.stderr,
        )
        return 2
    on_cosmos = os.environ.get("STORAGE", "").strip() == "cosmos"
    # The demo's folder holds its log and the Playgrounds' files whichever store it runs on.
    db.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if reset and not on_cosmos:
        for leftover in db.parent.glob("panel.db*"):
            leftover.unlink()
    if reset or on_cosmos:  # fresh data (a local Cosmos DB server starts empty): the real time again
        (db.parent / "clock").unlink(missing_ok=True)
    try:
        with contextlib.ExitStack() as stack:
            storage = {"STORAGE": f"sqlite:///{db}"}
            if on_cosmos:
                storage = _cosmos_environment(stack)
            return asyncio.run(_demo(port, playground_port, db, person, storage))
    except (PlaygroundUnavailable, LocalCosmosUnavailable, SettingsError) as error:
        print(error, file=sys.stderr)
        return 2


def _cosmos_environment(stack: contextlib.ExitStack) -> dict[str, str]:
    """STORAGE=cosmos: the Cosmos DB server named by COSMOS_ENDPOINT, which must be on this machine
    (the demo writes made-up people into it), or, with none named, a local server started here."""
    endpoint = os.environ.get("COSMOS_ENDPOINT", "").strip()
    if not endpoint:
        server = stack.enter_context(local_cosmos())
        print(f"Started a local Cosmos DB server at {server.endpoint} (in memory: gone when the demo stops).")
        return server.environment("demo")
    if urlsplit(endpoint).hostname not in LOOPBACK:
        raise SettingsError(
            "The demo seeds made-up people and cases, so it only runs against a Cosmos DB server on "
            "this machine (COSMOS_ENDPOINT=https://127.0.0.1:<port>), never a real account."
        )
    return {
        "STORAGE": "cosmos",
        "COSMOS_ENDPOINT": endpoint,
        "COSMOS_DATABASE": os.environ.get("COSMOS_DATABASE", "demo"),
        "COSMOS_KEY": os.environ.get("COSMOS_KEY", LOCAL_KEY),
        "COSMOS_VERIFY_TLS": os.environ.get("COSMOS_VERIFY_TLS", "false"),
    }


async def _demo(
    port: int, playground_port: int, db: Path, person: DemoPerson, storage: dict[str, str]
) -> int:
    env = {**os.environ, **storage, "MicrosoftAppId": "", "MicrosoftAppPassword": ""}
    # Links the bot hands out (the audit's one-time CSV downloads) must point at this demo's port.
    env.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    # The Playground's made-up tenant is the only one answered, as a force's own would be.
    env.setdefault("ALLOWED_TENANT_ID", TENANT_ID)
    # The demo makes its own database, with made-up people in it.
    settings = dataclasses.replace(load_settings(env), create_store=True)
    # The terminal is for the person trying the demo: the bot's event lines go to a file (the
    # made-up people whose Playground is not open are "unreachable" by design, not a failure).
    log_file = db.parent / "demo.log"
    configure_logging(settings.log_level, file=log_file)
    # OTEL_TRACES_EXPORTER=console make demo: each turn's spans are printed here as they end.
    telemetry.configure_telemetry(settings.telemetry, settings.identity_hash_key)
    # One clock for the demo: the system's, moved forward by `reminders run --now` (cli/demo_clock).
    clock_file = db.parent / "clock"
    app = create_app(settings, clock=DemoClock(clock_file))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", port).start()
    except OSError:
        await runner.cleanup()
        print(f"Port {port} is already in use (another demo?). Stop it, or use --port.", file=sys.stderr)
        return 2
    try:
        deps = app[DEPS]
        if not await app[STORE].ping():
            print("The store cannot be reached; is the Cosmos DB server running?", file=sys.stderr)
            return 2
        if await _is_empty(deps):
            seeded = await seed_demo(deps)
            unlisted = f", and {seeded.unlisted} on no agenda yet" if seeded.unlisted else ""
            closed = (
                f" Case {seeded.closed} was heard last month and has closed since." if seeded.closed else ""
            )
            print(
                f"\nSeeded the demo: {len(DEMO_ROSTER)} made-up people, cases {', '.join(seeded.references)} "
                f"on today's agenda{unlisted}. The coordinator can find {seeded.references[0]} by the "
                f"made-up force reference {DEMO_FORCE_REFERENCE} (say find).{closed}"
            )
            print_agenda(seeded.sitting, seeded.sitting.schedule())
        elif (fresh := await book_fresh_sitting(deps)) is not None:
            print("\nToday's demo sitting has ended, so a fresh one is booked with the cases still open:")
            print_agenda(fresh, fresh.schedule())
        print(f"The bot's log: {log_file}")
        endpoint = f"http://127.0.0.1:{port}/api/messages"
        soo = SOO_ONE if person is not SOO_ONE else SOO_TWO
        async with (
            running_playground(endpoint, playground_port, person, _others(person), db.parent) as playground,
            running_playground(
                endpoint, playground_port + 1, soo, _others(soo), db.parent / soo.key, main=False
            ) as soo_playground,
        ):
            opened = await _chair_opens_for(playground.url, person, deps)
            _print_welcome(playground.url, person, soo_playground.url, soo, opened)
            _print_reminder_hint({**storage, ENV: str(clock_file)}, deps)
            await _until_interrupted()
    finally:
        await runner.cleanup()
    return 0


async def _is_empty(deps: Deps) -> bool:
    """A store with nobody on its roster has not been seeded yet."""
    async with deps.uow() as uow:
        return not await uow.roster.all()


def _print_reminder_hint(storage: dict[str, str], deps: Deps) -> None:
    today = to_london(deps.clock.now()).date()
    overdue = today + timedelta(days=4)
    while overdue.weekday() >= 5:  # reminders keep quiet at weekends by default
        overdue += timedelta(days=1)
    env = " ".join(f"{name}={value}" for name, value in storage.items())
    print(
        # In the order they can be run: the demo's clock only moves forward.
        "Reminders: to run the clock forward, in another terminal try\n"
        f"  {env} .venv/bin/panelbot reminders run --now {overdue}T09:05"
        "   (an action overdue)\n"
        f"  {env} .venv/bin/panelbot reminders run --now {today + timedelta(days=21)}T10:05"
        "   (a week before next month's sitting)\n",
        flush=True,
    )


def _in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _others(person: DemoPerson) -> list[DemoPerson]:
    return playground_users(person)


PAUSE_BETWEEN_SAYINGS = 1.0  # seconds, as in a chat


async def _chair_opens_for(url: str, person: DemoPerson, deps: Deps) -> bool:
    """For someone who sits on the panel but cannot run it (a member, a partner), the made-up chair
    starts today's sitting and calls its first case in the case-room chat, as the real chair would,
    so that they see a case being heard as their role sees it. If the sitting is already live
    (the role was switched mid-sitting, and this Playground's chat starts empty), the chair says
    `sitting` instead, which posts its cards again. True if it was done."""
    you = person.as_actor()
    if you.may(Permission.RUN_SITTING) or not you.may(Permission.VIEW_LIVE_CASE):
        return False
    sitting = await live.todays_sitting(deps, or_ended=True)
    if sitting is None or sitting.status is SittingStatus.ENDED:
        return False
    chair = {"id": CHAIR.teams_id, "name": CHAIR.display_name, "aadObjectId": CHAIR.aad_object_id}
    saying = ("start", "next") if sitting.status is SittingStatus.SCHEDULED else ("sitting",)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
        for said in saying:
            template = f"{url}/_internal/v1/customActivities/template?conversationId={CASE_ROOM_CHAT}"
            async with session.get(template) as response:
                activity = await response.json()
            activity.update(type="message", text=f"<at>{BOT_NAME}</at> {said}")
            # As Teams sends a mention: the bot hears a group chat's commands only when mentioned.
            activity["entities"] = [bot_mention()]
            activity["from"] = chair
            async with session.post(f"{url}/_internal/v1/customActivities", json=activity) as response:
                if response.status >= 300:
                    return False
            await asyncio.sleep(PAUSE_BETWEEN_SAYINGS)  # the bot answers each before the next is said
    return True


def _print_welcome(url: str, person: DemoPerson, soo_url: str, soo: DemoPerson, opened: bool = False) -> None:
    roles = ", ".join(sorted(label(r).lower() for r in person.roles))
    runs = person.as_actor().may(Permission.RUN_SITTING)
    case_room = (
        "  In the case room: `@Scrutiny Panel start`, then `next`, `extend 5`, `defer`, `end` (if the\n"
        "  sitting is already live, `@Scrutiny Panel sitting` posts its cards there again).\n"
        if runs
        else "  The chair runs the sitting in the case room; `help` says what you can do.\n"
    )
    if opened:
        case_room = (
            f"  The made-up chair, {CHAIR.display_name}, has started today's sitting (or, if it was\n"
            '  already live, posted its cards again) in the "Case room (demo)" chat: press "Show me the\n'
            '  details" on the sitting card and "Show me the case" on the case card. If they are not\n'
            f"  there, say `@{BOT_NAME} sitting`.\n"
        )
    print(
        f"\nThe bot and the Agents Playground are running.\n"
        f"  Open {url} in a browser.\n"
        f"  You are {person.display_name} ({roles}), a made-up person.\n"
        f"  A second Playground at {soo_url} is {soo.display_name}, a SOO. Open it before the chair calls\n"
        "  or moves on from their case, so the bot knows their chat: the call into the case room and,\n"
        "  after their slot, a short feedback card on the panel arrive there.\n"
        f"{case_room}"
        f"  Try `help` in the personal chat, or `@{BOT_NAME} help` in the case-room group chat.\n"
        "  To be someone else: `make demo AS=coordinator` (or "
        f"{', '.join(p.key for p in DEMO_ROSTER if p.key not in {'chair', 'coordinator'})}).\n"
        "Press Ctrl-C to stop.\n",
        flush=True,
    )


async def _until_interrupted() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
