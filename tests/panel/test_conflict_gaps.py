"""A declared conflict keeps its declarer out of the case everywhere, and what a reviewer types
never reaches the trail unchecked; one-time downloads do not outlive their links."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cli.demo_data import COORDINATOR, INFOSEC, SOO_ONE
from panel.clock import FixedClock
from panel.errors import NotPermitted, ValidationFailed
from panel.report import Period
from panel.usecases import conflicts, retention
from panel.usecases.audit_trail import AuditFilter, export_audit, read_audit
from panel.usecases.cases import register_party_names
from panel.usecases.deps import Deps
from panel.usecases.reporting import export_case_facts
from tests.conftest import actor
from tests.panel.helpers import new_case


async def test_a_coordinator_with_a_conflict_cannot_register_names_on_that_case(deps: Deps) -> None:
    first, second = await new_case(deps, SOO_ONE), await new_case(deps, SOO_ONE)
    await register_party_names(deps, actor(COORDINATOR), second.reference, ["Rowan Thistlewood"])
    await conflicts.declare_conflict(deps, actor(COORDINATOR), first.reference)
    async with deps.uow() as uow:
        before = await uow.party_names.all_hashes()
    with pytest.raises(NotPermitted):
        # Had it gone through, it would also have said the name is registered on the second case.
        await register_party_names(deps, actor(COORDINATOR), first.reference, ["Rowan Thistlewood"])
    async with deps.uow() as uow:
        assert await uow.party_names.all_hashes() == before


async def test_the_case_facts_csv_leaves_out_a_case_its_reader_declared_a_conflict_for(deps: Deps) -> None:
    first, second = await new_case(deps, SOO_ONE), await new_case(deps, SOO_ONE)
    period = Period(date(2026, 9, 1), date(2026, 11, 30))
    _, before = await export_case_facts(deps, actor(COORDINATOR), period)
    assert first.reference in before and second.reference in before
    await conflicts.declare_conflict(deps, actor(COORDINATOR), first.reference)
    _, after = await export_case_facts(deps, actor(COORDINATOR), period)
    assert first.reference not in after and second.reference in after


@pytest.mark.parametrize("person", ["Kerry Hodgson", "07700 900123", "operator:", "x" * 40])
async def test_the_audit_search_takes_a_person_only_as_an_id(deps: Deps, person: str) -> None:
    for search in (read_audit, export_audit):
        with pytest.raises(ValidationFailed, match="not one of the choices"):
            await search(deps, actor(INFOSEC), AuditFilter(actor_id=person))
    entries = await read_audit(deps, actor(INFOSEC), AuditFilter())
    assert all(person not in e.event.detail for e in entries)
    # An id is taken as it always was.
    await read_audit(deps, actor(INFOSEC), AuditFilter(actor_id=SOO_ONE.aad_object_id))


async def test_a_download_nobody_took_is_gone_once_its_time_has_passed(deps: Deps, clock: FixedClock) -> None:
    async with deps.uow() as uow:
        uow.exports.put("t" * 32, "facts.csv", "reference,status", clock.now() + timedelta(minutes=10))
        await uow.commit()
    clock.advance(timedelta(minutes=11))
    await retention.purge_expired_exports(deps)
    found: list[tuple[str, str]] = []
    async with deps.uow() as uow:
        uow.exports.take("t" * 32, clock.now(), found)
        await uow.commit()
    assert found == []


async def test_an_expired_download_leaves_no_bytes_in_the_sqlite_file(tmp_path: object) -> None:
    from datetime import UTC, datetime
    from pathlib import Path

    from storage.sqlite import SqliteStore
    from tests.conftest import TEST_KEY

    assert isinstance(tmp_path, Path)
    store = SqliteStore(tmp_path / "p.db", audit_key=TEST_KEY, create=True)
    await store.open()
    clock = FixedClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    deps = Deps(uow=store.unit_of_work, clock=clock, notifier=None, identity_key=TEST_KEY)  # type: ignore[arg-type]
    try:
        async with deps.uow() as uow:
            uow.exports.put("u" * 32, "facts.csv", "reference,status", clock.now() + timedelta(minutes=10))
            await uow.commit()
        clock.advance(timedelta(minutes=11))
        await retention.purge_expired_exports(deps)
        assert await store.fetch("SELECT COUNT(*) FROM exports", ()) == [(0,)]
    finally:
        await store.close()


async def test_the_running_bot_clears_unclaimed_downloads_by_itself(tmp_path: object) -> None:
    """Nobody has to download another export for an old one to go: the bot's own round does it."""
    import asyncio
    from pathlib import Path

    from aiohttp.test_utils import TestServer

    from app import DEPS, create_app
    from tests.bot.test_endpoint import local_settings

    assert isinstance(tmp_path, Path)
    app = create_app(local_settings(tmp_path), tick_seconds=3600, reminder_seconds=0.05)
    server = TestServer(app)
    await server.start_server()
    try:
        deps = app[DEPS]
        async with deps.uow() as uow:
            uow.exports.put(
                "v" * 32, "facts.csv", "reference,status", deps.clock.now() - timedelta(minutes=1)
            )
            await uow.commit()
        await asyncio.sleep(0.5)  # several rounds
        found: list[tuple[str, str]] = []
        async with deps.uow() as uow:
            uow.exports.take("v" * 32, deps.clock.now() - timedelta(minutes=2), found)
            await uow.commit()
        assert found == []
    finally:
        await server.close()
