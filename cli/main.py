"""`panelbot`: serve the bot, run the demo, import rosters and cases, set up sittings and agendas."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sys
from collections.abc import Sequence

from settings import SettingsError, load_settings

logger = logging.getLogger("cli")


def build_parser() -> argparse.ArgumentParser:
    """The command line, in one place."""
    parser = argparse.ArgumentParser(
        prog="panelbot", description="Run the workplace domestic abuse scrutiny panel bot."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the bot for Teams")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, help="default: PORT or WEBSITES_PORT (App Service), else 3978")

    demo = sub.add_parser("demo", help="seed made-up data and run the bot with the Agents Playground")
    demo.add_argument("--port", type=int, default=3978, help="the bot's port")
    demo.add_argument("--playground-port", type=int, default=56150)
    demo.add_argument("--data-dir", default="data/demo", help="where the demo database lives")
    demo.add_argument(
        "--as",
        dest="as_key",
        default="chair",
        help="who you are in the Playground: chair, coordinator, administrator, partner, soo1, soo2",
    )
    demo.add_argument("--reset", action="store_true", help="start again from freshly seeded data")

    roster = sub.add_parser("roster", help="the panel's roster").add_subparsers(dest="action", required=True)
    roster_import = roster.add_parser("import", help="add or update people from a CSV or YAML file")
    roster_import.add_argument("file")

    cases = sub.add_parser("cases", help="cases").add_subparsers(dest="action", required=True)
    cases_import = cases.add_parser("import", help="register cases from a CSV or YAML file")
    cases_import.add_argument("file")

    sitting = sub.add_parser("sitting", help="sittings").add_subparsers(dest="action", required=True)
    create = sitting.add_parser("create", help="create a sitting")
    create.add_argument("--date", required=True, help="YYYY-MM-DD")
    create.add_argument("--start", required=True, help="HH:MM, London time")
    create.add_argument("--length", type=int, default=180, help="minutes (default 180)")
    create.add_argument("--case-room-link", help="https link to the case-room meeting")
    create.add_argument("--waiting-room-meeting", help="the waiting-room meeting's Teams id")

    agenda = sub.add_parser("agenda", help="a sitting's agenda").add_subparsers(dest="action", required=True)
    add = agenda.add_parser("add", help="list a case on a sitting")
    add.add_argument("sitting")
    add.add_argument("case", help="the case reference, e.g. K7F-2QM")
    add.add_argument("--kind", default="update", help="new, update, complex, or a number of minutes")
    show = agenda.add_parser("show", help="the timed agenda of a sitting")
    show.add_argument("sitting")

    sub.add_parser("init", help="create the panel's database (once, on a new installation)")
    sub.add_parser("doctor", help="check this installation before a sitting: one line a check")

    audit = sub.add_parser("audit", help="the audit trail").add_subparsers(dest="action", required=True)
    verify = audit.add_parser(
        "verify", help="check the trail's chain: exit 0 if intact, 1 naming the first bad entry"
    )
    verify.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        help="a file of witnesses (from `audit checkpoint` or the log stream) the trail must still reach",
    )
    audit.add_parser("checkpoint", help="print a sealed witness of how far the trail reaches now, to keep")
    audit_show = audit.add_parser("show", help="who accessed what, newest first (as CSV)")
    audit_show.add_argument("--case", help="a case reference, e.g. K7F-2QM")
    audit_show.add_argument("--actor", help="a roster member's Entra object id")
    audit_show.add_argument("--from", dest="since", help="YYYY-MM-DD (London)")
    audit_show.add_argument("--to", dest="until", help="YYYY-MM-DD (London, inclusive)")
    audit_show.add_argument("--csv", help="write the entries to this file instead")

    outputs = sub.add_parser(
        "report", help="the panel's outputs for a period (last quarter unless --from/--to)"
    )
    outputs.add_argument("--from", dest="since", help="YYYY-MM-DD (London)")
    outputs.add_argument("--to", dest="until", help="YYYY-MM-DD (London, inclusive)")
    outputs.add_argument("--csv", help="write the CSV to hand on (small numbers hidden) to this file")
    outputs.add_argument(
        "--facts-csv", help="write per-case facts, by reference only, for the cases to audit, to this file"
    )
    outputs.set_defaults(action="outputs")
    retention = sub.add_parser("retention", help="the retention policy").add_subparsers(
        dest="action", required=True
    )
    retention_run = retention.add_parser("run", help="erase closed cases and audit entries past their time")
    retention_run.add_argument("--dry-run", action="store_true", help="only say what would be erased")

    reminders = sub.add_parser("reminders", help="reminders").add_subparsers(dest="action", required=True)
    run = reminders.add_parser(
        "run", help="send the reminders due now (or at --now, to run the clock forward)"
    )
    run.add_argument("--now", help="the moment to act as, e.g. 2026-12-07T09:00 (London)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `panelbot` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "demo":  # the demo makes its own settings: local, with made-up data
        from cli.demo import run_demo

        return run_demo(args.port, args.playground_port, args.data_dir, args.as_key, args.reset)
    if args.command == "doctor":  # reads the settings itself, to report every problem as a line
        from cli.doctor import run_doctor

        return asyncio.run(run_doctor())
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    if args.command == "init":
        from cli.operations import init_store

        return asyncio.run(init_store(settings))
    if args.command == "serve":
        from app import serve
        from cli.operations import check_store

        # A store that is missing, unreadable or corrupt stops the start with one line, not a traceback.
        if (problem := asyncio.run(check_store(settings))) is not None:
            print(problem, file=sys.stderr)
            return 2
        port = args.port or settings.port or 3978
        if "PUBLIC_BASE_URL" not in os.environ and not settings.authenticated:
            # Unconfigured and local: the links the bot hands out follow the port it listens on.
            settings = dataclasses.replace(settings, public_base_url=f"http://127.0.0.1:{port}")
        try:
            serve(settings, args.host, port)
        except SettingsError as error:
            print(error, file=sys.stderr)
            return 2
        return 0
    from cli.operations import run_operation

    return asyncio.run(run_operation(settings, args))


if __name__ == "__main__":
    raise SystemExit(main())
