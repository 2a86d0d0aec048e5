"""`panelbot report`: the panel's outputs for a period on the server, and the commissioner's CSV
with small numbers hidden."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
from pathlib import Path

from cli.import_files import ImportFailed
from panel.report import HANDED_ON_ONLY, last_quarter
from panel.roles import Actor
from panel.usecases import reporting
from panel.usecases.deps import Deps


async def report(deps: Deps, operator: Actor, args: argparse.Namespace) -> int:
    """Print the outputs for the period (last quarter by default); with --csv, write the CSV to hand
    on (small numbers hidden); the operator reads as the coordinator and is recorded as such."""
    default = last_quarter(deps.today())
    try:
        start = date.fromisoformat(args.since) if args.since else default.start
        end = date.fromisoformat(args.until) if args.until else default.end
    except ValueError:
        raise ImportFailed(["--from and --to are YYYY-MM-DD"]) from None
    period = reporting.period_between(start, end)
    if args.facts_csv:
        _, content = await reporting.export_case_facts(deps, operator, period)
        await asyncio.to_thread(Path(args.facts_csv).write_text, content, encoding="utf-8")
        print(f"Wrote the facts of {content.count(chr(10)) - 1} cases, by reference, to {args.facts_csv}.")
    if args.csv:
        _, content = await reporting.export_outputs(deps, operator, period)
        await asyncio.to_thread(Path(args.csv).write_text, content, encoding="utf-8")
        print(
            f"Wrote the outputs for {period.words()} to {args.csv} (counts under "
            f"{deps.config.small_numbers} hidden)."
        )
    if args.csv or args.facts_csv:
        return 0
    read = await reporting.read_outputs(deps, operator, period)
    previous = dict(read.report.previous)
    print(f"Outputs for {period.words()} (the period before in brackets):")
    for name, value in read.report.figures:
        if name not in HANDED_ON_ONLY:  # in the CSV only, small numbers hidden
            print(f"  {name}: {value} ({previous.get(name, 0)})")
    for breakdown in read.report.breakdowns:
        if breakdown.counts:
            parts = ", ".join(f"{k} {v}" for k, v in breakdown.counts)
            print(f"  {breakdown.title}: {parts}")
    print(f"  Cases live or closed in the last 12 months: {len(read.report.audit_list)}")
    return 0
