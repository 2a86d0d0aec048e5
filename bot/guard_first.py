"""The identity guard runs before any other check, on every free-text field a card sends: a form
refused for a past date must not first have read (or later send back) a name typed beside it."""

from __future__ import annotations

import asyncio
from typing import Any

from bot import telemetry
from bot.form_values import MAX_VALUE
from cards import verbs
from panel.errors import Finding, IdentifyingDetail
from panel.identity_guard import IdentityGuard
from panel.usecases.deps import Deps

LINK_INPUTS = frozenset({"link"})  # read with the ids Teams puts in every join link set aside
# Beyond this, the guard reads off the event loop so one large press cannot hold up other turns.
OFF_LOOP_CHARS = 2000


async def guard_first(deps: Deps, verb: str, data: Any) -> None:
    """Raise IdentifyingDetail if any of the verb's free-text fields carries an identifying detail
    (only its own fields: forged extra fields are never read, so a flood of them costs nothing)."""
    if not isinstance(data, dict):
        return
    fields = verbs.FREE_TEXT.get(verb, frozenset())
    typed = {
        name: value
        for name in fields
        if isinstance(value := data.get(name), str) and value.strip() and len(value) <= MAX_VALUE
    }
    refused = await refused_fields(deps, typed)
    if refused:
        findings = [finding for found in refused.values() for finding in found]
        telemetry.count_refusals(findings)
        raise IdentifyingDetail(findings)


async def refused_fields(deps: Deps, typed: dict[str, str]) -> dict[str, list[Finding]]:
    """Each field whose text the identity guard refuses, with what it found: a join link read with
    the ids Teams puts in it set aside, anything else as typed; off the event loop when large."""
    if not typed:
        return {}
    async with deps.uow() as uow:
        guard = await deps.guard(uow)
    if sum(map(len, typed.values())) > OFF_LOOP_CHARS:
        return await asyncio.to_thread(_findings, guard, typed)
    return _findings(guard, typed)


def _findings(guard: IdentityGuard, typed: dict[str, str]) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {}
    for name, value in typed.items():
        if name in LINK_INPUTS:
            try:
                guard.check_link(value)
            except IdentifyingDetail as refused:
                found[name] = list(refused.findings)
        elif findings := guard.scan(value):
            found[name] = findings
    return found
