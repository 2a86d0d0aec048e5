"""`panelbot audit verify|show` and `panelbot retention run`: the audit trail and the retention
policy from the server, for information security and the force's IT operators."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from bot.audit_witness import keep_witness, witnesses_in
from panel.errors import ValidationFailed
from panel.reference import parse_reference
from panel.roles import Actor, Role
from panel.usecases.audit_trail import AuditFilter, check_audit, entries_csv, export_audit, read_audit
from panel.usecases.deps import Deps
from panel.usecases.retention import run_retention

SHOW_LIMIT = 200


def reviewer() -> Actor:
    """Whoever runs an audit command on the server, as information security (recorded as such)."""
    return replace(Actor.operator(getpass.getuser()), roles=frozenset({Role.INFORMATION_SECURITY}))


async def audit_verify(deps: Deps, actor: Actor, args: argparse.Namespace) -> int:
    """panelbot audit verify [--checkpoint FILE]: exit 0 when the chain is intact and reaches every
    witness (those given, and the witness file's), 1 naming the first bad entry or what is missing."""
    files = [Path(f) for f in args.checkpoint]
    kept = args.settings.audit_witness_file
    if kept is not None and kept.exists():
        files.append(kept)
    try:
        witnesses = witnesses_in(files)
    except OSError as error:
        print(
            f"A checkpoint file could not be read ({type(error).__name__}); nothing was verified.",
            file=sys.stderr,
        )
        return 2
    report = await check_audit(deps, reviewer(), witnesses)
    if report.intact:
        await keep_witness(deps, kept)  # each verification is itself a witness of the length
        erased = (
            f"; entries before {report.erased_before} were erased by policy" if report.erased_before else ""
        )
        held = f", and it reaches all {len(witnesses)} witness(es)" if witnesses else ""
        print(f"The audit trail is intact: {report.checked} entries verified{erased}{held}.")
        return 0
    print(f"The audit trail is NOT intact: {report.problem}.", file=sys.stderr)
    print("Keep the store as it is for the investigation: nothing was repaired.", file=sys.stderr)
    return 1


async def audit_checkpoint(deps: Deps, actor: Actor, args: argparse.Namespace) -> int:
    """panelbot audit checkpoint: print a sealed witness of the trail's head, for the information
    security officer to keep somewhere the database's editor cannot reach."""
    seen = await keep_witness(deps, args.settings.audit_witness_file)
    if seen is None:
        print("The audit trail is empty: nothing to witness yet.", file=sys.stderr)
        return 2
    print(seen.line())
    return 0


async def audit_show(deps: Deps, actor: Actor, args: argparse.Namespace) -> int:
    """panelbot audit show [--case REF] [--actor AAD_ID] [--from DATE] [--to DATE] [--csv FILE]"""
    try:
        wanted = AuditFilter(
            parse_reference(args.case) if args.case else None,
            args.actor.lower() if args.actor else None,
            date.fromisoformat(args.since) if args.since else None,
            date.fromisoformat(args.until) if args.until else None,
        )
    except ValueError:
        raise ValidationFailed("--from and --to are dates like 2026-12-07.") from None
    if args.csv:
        name, content = await export_audit(deps, reviewer(), wanted)
        await asyncio.to_thread(Path(args.csv).write_text, content, encoding="utf-8")
        print(f"Wrote {content.count(chr(10)) - 1} entries to {args.csv}.")
        return 0
    entries = await read_audit(deps, reviewer(), wanted, SHOW_LIMIT)
    sys.stdout.write(entries_csv(entries))
    return 0


async def retention_run(deps: Deps, actor: Actor, args: argparse.Namespace) -> int:
    """panelbot retention run [--dry-run]"""
    report = await run_retention(deps, actor, dry_run=args.dry_run)
    verb = "Would erase" if report.dry_run else "Erased"
    cases = ": " + ", ".join(report.erased) if report.erased else ""
    print(f"{verb} {len(report.erased)} closed case(s){cases}.")
    if report.held:
        print(f"Held from erasure by the coordinator: {', '.join(report.held)}.")
    print(f"{verb} {report.audit_entries} audit entries past their period.")
    return 0
