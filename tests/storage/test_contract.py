"""The storage contract: every backend must pass these, unchanged."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from panel.actions import OwnerRole, PanelAction
from panel.agenda import Slot, SlotKind
from panel.case import (
    Case,
    CaseConferenceFlags,
    CaseStatus,
    Category,
    ConflictDeclaration,
    Hearing,
    HearingOutcome,
    ReferralRoute,
    RiskLevel,
)
from panel.case_facts import RecordedBy
from panel.errors import ConcurrencyConflict, NotFound
from panel.ports import AuditEvent, UnitOfWorkFactory
from panel.roles import Role
from panel.roster import RosterMember
from panel.sitting import Sitting
from panel.themes import ThemeRecord

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def a_case(case_id: str = "c1", reference: str = "K7F-2QM", soo: str | None = "soo-1") -> Case:
    return Case(
        case_id,
        reference,
        Category.BOTH_POLICE,
        ReferralRoute.IOPC_REFERRAL,
        date(2026, 11, 2),
        RiskLevel.HIGH,
        CaseConferenceFlags(counter_allegation=True),
        NOW,
        "coord",
        soo_id=soo,
    )


def a_sitting(sitting_id: str = "2026-12-01", day: date = date(2026, 12, 1)) -> Sitting:
    return Sitting(sitting_id, day, time(10, 0), datetime(2026, 12, 1, 10, 0, tzinfo=UTC), 180, "coord")


async def test_a_case_round_trips_with_everything_it_carries(uow_factory: UnitOfWorkFactory) -> None:
    case = a_case()
    case.actions.append(
        PanelAction("A1", "SOO to update the victim", OwnerRole.SOO, date(2026, 12, 7), "a", NOW)
    )
    case.hearings.append(Hearing("2026-11-01", date(2026, 11, 1), "new", 15, 17, HearingOutcome.HEARD))
    case.themes.append(ThemeRecord("delayed_victim_updates", None, "2026-11-01", "a", NOW))
    case.conflicts.append(ConflictDeclaration("member-1", "", "member-1", NOW))
    case.conflicts.append(ConflictDeclaration("member-2", "knows the family", "coord", NOW, "coord", NOW))
    case.facts.apply({"risk_level": RiskLevel.MEDIUM, "marac_referred": date(2026, 11, 3)}, date(2026, 11, 3))
    case.facts.apply({"risk_level": RiskLevel.STANDARD}, date(2026, 11, 20), RecordedBy.SOO)
    case.move_to(CaseStatus.LISTED, by="coord", at=NOW)
    async with uow_factory() as uow:
        uow.cases.add(case)
        await uow.commit()
    assert case.version == 1
    async with uow_factory() as uow:
        stored = await uow.cases.by_reference("K7F-2QM")
    assert stored == case
    assert stored.conflicted("member-1") and not stored.conflicted("member-2")  # withdrawn
    # Every change to a fact comes back, each with its day and role, so a past period reads as it stood.
    assert [(e.value, e.by) for e in stored.facts.entries("risk_level")] == [
        ("medium", RecordedBy.COORDINATOR),
        ("standard", RecordedBy.SOO),
    ]
    assert stored.facts.as_at(date(2026, 11, 19)).risk_level is RiskLevel.MEDIUM


async def test_a_sitting_round_trips_with_its_agenda(uow_factory: UnitOfWorkFactory) -> None:
    sitting = a_sitting()
    sitting.add_slot(Slot("s1", "c1", "K7F-2QM", SlotKind.COMPLEX, 30))
    sitting.start(NOW)
    sitting.next_case(NOW)
    async with uow_factory() as uow:
        uow.sittings.add(sitting)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.sittings.get("2026-12-01")
        assert await uow.sittings.exists("2026-12-01")
        assert not await uow.sittings.exists("2026-12-02")
    assert stored == sitting


async def test_missing_records_are_not_found(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(NotFound):
            await uow.cases.get("nope")
        with pytest.raises(NotFound):
            await uow.cases.by_reference("AAA-AAA")
        with pytest.raises(NotFound):
            await uow.sittings.get("2099-01-01")
        assert await uow.roster.get("00000000-0000-4000-8000-000000000099") is None


async def test_cases_are_found_by_soo_and_status(uow_factory: UnitOfWorkFactory) -> None:
    mine, theirs, closed = (
        a_case("c1", "AAA-AAA", "soo-1"),
        a_case("c2", "BBB-BBB", "soo-2"),
        a_case("c3", "CCC-CCC", "soo-1"),
    )
    closed.status = CaseStatus.CLOSED
    async with uow_factory() as uow:
        for case in (mine, theirs, closed):
            uow.cases.add(case)
        await uow.commit()
    async with uow_factory() as uow:
        assert [c.reference for c in await uow.cases.find(soo_id="soo-1")] == ["AAA-AAA", "CCC-CCC"]
        open_for_soo = await uow.cases.find(soo_id="soo-1", statuses=[CaseStatus.REGISTERED])
        assert [c.reference for c in open_for_soo] == ["AAA-AAA"]
        assert await uow.cases.find(statuses=[]) == []
        assert await uow.cases.reference_taken("BBB-BBB")
        assert not await uow.cases.reference_taken("DDD-DDD")


async def test_every_case_is_read_once_a_page_at_a_time(uow_factory: UnitOfWorkFactory) -> None:
    """The whole history for figures, in pages (on Cosmos DB, a hundred documents each), with
    every case exactly once, whatever its status, and nothing else."""
    for first in range(0, 240, 40):
        async with uow_factory() as uow:
            for n in range(first, first + 40):
                case = a_case(f"c{n}", f"K{n:02d}-{n:03d}", f"soo-{n % 3}")
                case.status = CaseStatus.CLOSED if n % 2 else CaseStatus.REGISTERED
                uow.cases.add(case)
            uow.sittings.add(a_sitting(f"s{first}"))
            await uow.commit()
    sizes: list[int] = []
    seen: list[str] = []
    async with uow_factory() as uow:
        async for page in uow.cases.pages():
            sizes.append(len(page))
            seen += [c.case_id for c in page]
    assert sorted(seen) == sorted(f"c{n}" for n in range(240))
    assert max(sizes) <= 500 and all(sizes)


async def test_sittings_are_found_by_date_and_liveness(uow_factory: UnitOfWorkFactory) -> None:
    early, late = a_sitting("2026-12-01", date(2026, 12, 1)), a_sitting("2027-01-05", date(2027, 1, 5))
    late.start(NOW)
    async with uow_factory() as uow:
        uow.sittings.add(late)
        uow.sittings.add(early)
        await uow.commit()
    async with uow_factory() as uow:
        assert [s.sitting_id for s in await uow.sittings.find()] == ["2026-12-01", "2027-01-05"]
        assert [s.sitting_id for s in await uow.sittings.find(live=True)] == ["2027-01-05"]
        assert [s.sitting_id for s in await uow.sittings.find(on_or_after=date(2027, 1, 1))] == ["2027-01-05"]


async def test_a_stale_write_raises_the_domain_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        uow.cases.add(a_case())
        await uow.commit()
    async with uow_factory() as first, uow_factory() as second:
        mine = await first.cases.get("c1")
        theirs = await second.cases.get("c1")
        mine.risk = RiskLevel.STANDARD
        first.cases.save(mine)
        await first.commit()
        theirs.risk = RiskLevel.MEDIUM
        second.cases.save(theirs)
        with pytest.raises(ConcurrencyConflict):
            await second.commit()
    async with uow_factory() as uow:
        stored = await uow.cases.get("c1")
    assert (stored.risk, stored.version) == (RiskLevel.STANDARD, 2)


async def test_a_duplicate_new_record_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        uow.cases.add(a_case("c1", "AAA-AAA"))
        await uow.commit()
    async with uow_factory() as uow:
        uow.cases.add(a_case("c2", "AAA-AAA"))
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()


async def test_a_multi_record_change_is_all_or_nothing(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        uow.cases.add(a_case())
        uow.sittings.add(a_sitting())
        await uow.commit()
    async with uow_factory() as stale:
        case = await stale.cases.get("c1")
        sitting = await stale.sittings.get("2026-12-01")
        async with uow_factory() as other:
            newer = await other.cases.get("c1")
            other.cases.save(newer)
            await other.commit()
        sitting.add_slot(Slot("s1", "c1", "K7F-2QM", SlotKind.NEW, 15))
        case.move_to(CaseStatus.LISTED, by="coord", at=NOW)
        stale.sittings.save(sitting)
        stale.cases.save(case)
        stale.audit.record(AuditEvent(NOW, "coord", "agenda.case_listed", "2026-12-01"))
        with pytest.raises(ConcurrencyConflict):
            await stale.commit()
    async with uow_factory() as uow:
        assert (await uow.sittings.get("2026-12-01")).slots == []
        assert await uow.audit.for_subject("2026-12-01") == []


async def test_nothing_is_written_without_commit(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            uow.cases.add(a_case())
            uow.audit.record(AuditEvent(NOW, "coord", "case.registered", "c1"))
            raise RuntimeError("failure half way")
    async with uow_factory() as uow:
        assert await uow.cases.find() == []
        assert await uow.audit.for_subject("c1") == []


async def test_saving_twice_in_one_unit_of_work_is_one_write(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        case = a_case()
        uow.cases.add(case)
        case.risk = RiskLevel.MEDIUM
        uow.cases.save(case)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.cases.get("c1")
        stored.move_to(CaseStatus.LISTED, by="c", at=NOW)
        uow.cases.save(stored)
        stored.move_to(CaseStatus.HEARD, by="c", at=NOW)
        uow.cases.save(stored)
        await uow.commit()
    async with uow_factory() as uow:
        final = await uow.cases.get("c1")
    assert (final.risk, final.status, final.version) == (RiskLevel.MEDIUM, CaseStatus.HEARD, 2)


async def test_roster_members_round_trip_and_update(uow_factory: UnitOfWorkFactory) -> None:
    member = RosterMember("00000000-0000-4000-8000-000000000005", "Alex Renshaw", frozenset({Role.SOO}))
    async with uow_factory() as uow:
        uow.roster.add(member)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.roster.get(member.aad_object_id)
        assert stored == member
        stored.roles = frozenset({Role.SOO, Role.MEMBER})
        uow.roster.save(stored)
        await uow.commit()
    async with uow_factory() as uow:
        assert [m.roles for m in await uow.roster.all()] == [frozenset({Role.SOO, Role.MEMBER})]


async def test_party_name_hashes_are_kept_once_per_case(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        uow.cases.add(a_case())
        uow.party_names.add("c1", {"h1", "h2"})
        await uow.commit()
    async with uow_factory() as uow:
        uow.party_names.add("c1", {"h2", "h3"})
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.party_names.all_hashes() == frozenset({"h1", "h2", "h3"})
        assert await uow.party_names.count_for_case("c1") == 3
        assert await uow.party_names.count_for_case("c2") == 0


async def test_audit_events_come_back_in_order(uow_factory: UnitOfWorkFactory) -> None:
    events = [AuditEvent(NOW, "coord", name, "c1", "") for name in ("case.registered", "case.soo_appointed")]
    async with uow_factory() as uow:
        for event in events:
            uow.audit.record(event)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.audit.for_subject("c1") == events


async def test_a_processed_key_is_remembered_and_a_second_use_conflicts(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        assert not await uow.processed.seen("activity-1")
        uow.processed.mark("activity-1")
        uow.audit.record(AuditEvent(NOW, "chair", "sitting.next_case", "s"))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.processed.seen("activity-1")
        uow.processed.mark("activity-1")
        uow.audit.record(AuditEvent(NOW, "chair", "sitting.next_case", "s"))
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
    async with uow_factory() as uow:
        assert len(await uow.audit.for_subject("s")) == 1  # the duplicate changed nothing


async def test_addresses_are_kept_and_replaced(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.addresses.get("user:1") is None
        uow.addresses.put("user:1", {"conversation": {"id": "a"}, "serviceUrl": "https://x"})
        await uow.commit()
    async with uow_factory() as uow:
        uow.addresses.put("user:1", {"conversation": {"id": "b"}})
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.addresses.get("user:1") == {"conversation": {"id": "b"}}


async def test_a_reminder_is_claimed_once_until_its_claim_expires(uow_factory: UnitOfWorkFactory) -> None:
    from datetime import timedelta

    later = NOW + timedelta(minutes=2)
    async with uow_factory() as uow:
        uow.reminders.claim("r1", "instance-a", later, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        uow.reminders.claim("r1", "instance-b", later, NOW + timedelta(minutes=1))
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
    async with uow_factory() as uow:  # instance a crashed: after the claim expires, b may try
        uow.reminders.claim("r1", "instance-b", later + timedelta(minutes=2), later)
        await uow.commit()
    async with uow_factory() as uow:
        uow.reminders.mark_sent("r1", "instance-a", later)  # a's claim is gone: it may not mark
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
    async with uow_factory() as uow:
        uow.reminders.mark_sent("r1", "instance-b", later)
        await uow.commit()
    async with uow_factory() as uow:
        uow.reminders.claim("r1", "instance-a", later + timedelta(hours=1), later + timedelta(hours=1))
        with pytest.raises(ConcurrencyConflict):  # a sent reminder is never claimed again
            await uow.commit()
        states = await uow.reminders.states(["r1", "r2"])
    assert set(states) == {"r1"} and states["r1"].sent_at == later and states["r1"].snoozed_until is None


async def test_a_snoozed_reminder_cannot_be_claimed_before_its_time(uow_factory: UnitOfWorkFactory) -> None:
    from datetime import timedelta

    until = NOW + timedelta(days=1)
    async with uow_factory() as uow:
        uow.reminders.snooze("never-sent", until)
        with pytest.raises(ConcurrencyConflict):  # only a reminder that exists can be snoozed
            await uow.commit()
    async with uow_factory() as uow:
        uow.reminders.claim("r1", "a", NOW + timedelta(minutes=2), NOW, "soo-1")
        await uow.commit()
    async with uow_factory() as uow:
        uow.reminders.mark_sent("r1", "a", NOW)
        await uow.commit()
    async with uow_factory() as uow:
        uow.reminders.snooze("r1", until)
        await uow.commit()
    async with uow_factory() as uow:
        state = (await uow.reminders.states(["r1"]))["r1"]
        assert (state.snoozed_until, state.sent_at, state.recipient) == (until, None, "soo-1")
        uow.reminders.claim("r1", "a", NOW + timedelta(minutes=2), NOW)
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
    async with uow_factory() as uow:
        uow.reminders.claim("r1", "a", until + timedelta(minutes=2), until)
        await uow.commit()


async def test_the_change_token_grows_with_every_new_hash_and_only_then(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        empty = await uow.party_names.change_token()
        uow.cases.add(a_case())
        uow.party_names.add("c1", {"h1", "h2"})
        await uow.commit()
    async with uow_factory() as uow:
        first = await uow.party_names.change_token()
        uow.party_names.add("c1", {"h1"})  # already there: nothing new
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.party_names.change_token() == first > empty
        uow.party_names.add("c1", {"h3"})
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.party_names.change_token() > first
