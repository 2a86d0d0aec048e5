"""`panelbot doctor`: one line a check, exit 1 when any fails, nothing secret printed."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import stat
import zipfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from cli.doctor import run_doctor
from cli.main import main

TENANT = "0a0a0a0a-0000-4000-8000-00000000f0ce"
DEPLOYED = {
    "MicrosoftAppId": "11111111-2222-4333-8444-555555555555",
    "MicrosoftAppType": "UserAssignedMSI",
    "MicrosoftAppTenantId": TENANT,
    "IDENTITY_HASH_KEY": "secret-key-value-" * 3,
    "PUBLIC_BASE_URL": "https://panel-bot.example.org",
    "ALLOWED_TENANT_ID": TENANT,
}


async def a_token() -> str | None:
    return "made-up-token"


def now_header() -> str:
    return format_datetime(datetime.now(UTC), usegmt=True)


def doctor(
    env: dict[str, str],
    *,
    package: Path | None = None,
    token: Callable[[], Awaitable[str | None]] = a_token,
    server_date: Callable[[], Awaitable[str | None]] | None = None,
) -> tuple[int, str]:
    """The doctor's exit code and lines, with the network (token service, clock) played here."""

    async def right_now() -> str | None:
        return now_header()

    lines: list[str] = []
    code = asyncio.run(
        run_doctor(env, lines, package=package, token=token, server_date=server_date or right_now)
    )
    return code, "\n".join(lines)


def init(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE", f"sqlite:///{db}")
    assert main(["init"]) == 0
    monkeypatch.delenv("STORAGE")


def test_a_new_database_and_its_files_are_the_service_accounts_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "panel" / "panel.db"
    init(db, monkeypatch)
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    for made in db.parent.iterdir():
        assert stat.S_IMODE(made.stat().st_mode) & 0o077 == 0, made.name
    code, said = doctor({"STORAGE": f"sqlite:///{db}"})
    assert "✓ The database's folder and files are readable by this account only" in said


def test_wider_modes_fail_the_preflight_with_the_command_to_mend_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "panel" / "panel.db"
    init(db, monkeypatch)
    db.chmod(0o644)
    db.parent.chmod(0o755)
    code, said = doctor({"STORAGE": f"sqlite:///{db}"})
    assert code == 1
    assert "✗ 2 of the database's folder and files can be read by other accounts — run: chmod 700" in said


def test_a_deployed_bot_must_answer_one_tenant_and_is_steered_off_multitenant(tmp_path: Path) -> None:
    env = {**DEPLOYED, "STORAGE": f"sqlite:///{tmp_path}/missing.db"}
    code, said = doctor(env)
    assert "✓ Only the force's tenant is answered (ALLOWED_TENANT_ID)" in said
    assert "✓ MicrosoftAppType is UserAssignedMSI" in said
    assert code == 1 and "✗ The database" in said  # the store is missing: that fails
    multi = {**env, "MicrosoftAppType": "MultiTenant", "MicrosoftAppPassword": "client-secret-value"}
    code, said = doctor(multi)
    assert "! MicrosoftAppType is MultiTenant — use UserAssignedMSI" in said
    no_tenant = {k: v for k, v in env.items() if k != "ALLOWED_TENANT_ID"}
    code, said = doctor(no_tenant)
    assert code == 1 and "✗ Settings — ALLOWED_TENANT_ID is required" in said
    for secret in ("secret-key-value", "client-secret-value"):
        assert secret not in said


async def test_the_write_ahead_log_and_shared_memory_are_private_too(tmp_path: Path) -> None:
    from storage.sqlite import SqliteStore

    db = tmp_path / "new" / "panel.db"
    store = SqliteStore(db, audit_key=b"k" * 32, create=True)
    await store.open()
    try:
        made = {p.name: stat.S_IMODE(p.stat().st_mode) for p in db.parent.iterdir()}
    finally:
        await store.close()
    assert made == {"panel.db": 0o600, "panel.db-wal": 0o600, "panel.db-shm": 0o600}
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


ROSTER = """aad_object_id,display_name,roles
00000000-0000-4000-8000-000000000001,Morgan Hale,chair
00000000-0000-4000-8000-000000000002,Priya Okafor,coordinator
"""
KEY = "doctor-test-key-0123456789-0123456789"
OTHER_KEY = "another-key-entirely-0123456789-012345"
CASE_ROOM = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_Q2FzZVJvb20%40thread.v2/0"
WAITING = "19:meeting_V2FpdGluZ1Jvb20@thread.v2"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A local installation: initialised, with a chair and a coordinator, and a sitting booked with
    both rooms."""
    env = {"STORAGE": f"sqlite:///{tmp_path / 'panel' / 'panel.db'}", "IDENTITY_HASH_KEY": KEY}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["init"]) == 0
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["roster", "import", str(roster)]) == 0
    day = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    made = main(
        ["sitting", "create", "--date", day, "--start", "10:00"]
        + ["--case-room-link", CASE_ROOM, "--waiting-room-meeting", WAITING]
    )
    assert made == 0
    for name in env:
        monkeypatch.delenv(name)
    return env


def test_an_installation_ready_for_its_first_sitting_passes(installed: dict[str, str]) -> None:
    code, said = doctor(installed)
    assert code == 0, said
    for line in (
        "✓ IDENTITY_HASH_KEY is the key this store was written with",
        "✓ The roster has a chair",
        "✓ The roster has a coordinator",
        "has both rooms",
        "✓ Its case room and waiting room are different meetings",
    ):
        assert line in said


def test_another_identity_hash_key_is_caught_before_it_does_harm(installed: dict[str, str]) -> None:
    code, said = doctor({**installed, "IDENTITY_HASH_KEY": OTHER_KEY})
    assert code == 1
    assert "✗ IDENTITY_HASH_KEY is the key this store was written with — this is another key" in said
    assert OTHER_KEY not in said and KEY not in said


def test_a_store_from_before_the_check_value_is_judged_by_its_audit_trail(
    installed: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Path(installed["STORAGE"].removeprefix("sqlite:///"))
    with sqlite3.connect(db) as conn:  # as an installation made before the check value existed
        conn.execute("DELETE FROM addresses WHERE key = 'install:identity-key-check'")
    code, said = doctor({**installed, "IDENTITY_HASH_KEY": OTHER_KEY})
    assert code == 1 and "✗ IDENTITY_HASH_KEY is the key this store was written with" in said
    code, said = doctor(installed)
    assert code == 0 and "✓ IDENTITY_HASH_KEY is the key this store was written with" in said
    # `panelbot init` records the check value for it, and changes nothing else.
    for name, value in installed.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("IDENTITY_HASH_KEY", OTHER_KEY)
    assert main(["init"]) == 2  # not with another key
    monkeypatch.setenv("IDENTITY_HASH_KEY", KEY)
    assert main(["init"]) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute(
            "SELECT COUNT(*) FROM addresses WHERE key = 'install:identity-key-check'"
        ).fetchone()[0]


def test_a_roster_without_a_chair_or_coordinator_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "panel" / "panel.db"
    init(db, monkeypatch)
    code, said = doctor({"STORAGE": f"sqlite:///{db}"})
    assert code == 1
    assert "✗ The roster has a chair — import the roster" in said
    assert "✗ The roster has a coordinator — import the roster" in said
    assert "! No sitting is booked" in said


def test_the_next_sitting_needs_two_different_rooms(installed: dict[str, str]) -> None:
    db = Path(installed["STORAGE"].removeprefix("sqlite:///"))
    with sqlite3.connect(db) as conn:
        (doc,) = conn.execute("SELECT doc FROM sittings").fetchone()
        sitting = json.loads(doc)
        # A record from before the two rooms were checked: the waiting room is the case room.
        sitting["waiting_room_meeting_id"] = "19:meeting_Q2FzZVJvb20@thread.v2"
        conn.execute("UPDATE sittings SET doc = ?", (json.dumps(sitting),))
    code, said = doctor(installed)
    assert code == 1 and "✗ Its case room and waiting room are different meetings" in said
    with sqlite3.connect(db) as conn:
        sitting["waiting_room_meeting_id"] = None
        conn.execute("UPDATE sittings SET doc = ?", (json.dumps(sitting),))
    code, said = doctor(installed)
    assert code == 1 and "has both rooms — give it the case room's join link" in said


def test_a_key_vault_reference_app_service_did_not_resolve_is_named(tmp_path: Path) -> None:
    reference = "@Microsoft.KeyVault(SecretUri=https://panel-kv.vault.azure.net/secrets/identity-hash-key)"
    env = {**DEPLOYED, "IDENTITY_HASH_KEY": reference, "STORAGE": f"sqlite:///{tmp_path}/missing.db"}
    code, said = doctor(env)
    assert code == 1
    assert "✗ IDENTITY_HASH_KEY is still a Key Vault reference — App Service could not resolve it" in said
    assert "panel-kv" not in said


def test_the_identity_and_its_tenant_must_agree(tmp_path: Path) -> None:
    env = {**DEPLOYED, "STORAGE": f"sqlite:///{tmp_path}/missing.db"}
    code, said = doctor({**env, "MicrosoftAppPassword": "left-over-client-secret"})
    assert (
        code == 1 and "✗ No app password is set for a managed identity — remove MicrosoftAppPassword" in said
    )
    assert "left-over-client-secret" not in said
    other_tenant = "0b0b0b0b-0000-4000-8000-00000000f0ce"
    code, said = doctor({**env, "MicrosoftAppTenantId": other_tenant})
    assert code == 1 and "✗ MicrosoftAppTenantId and ALLOWED_TENANT_ID name the same tenant" in said
    code, said = doctor({**env, "MicrosoftAppId": "panel-bot"})
    assert code == 1 and "✗ MicrosoftAppId is an Entra client id" in said


def package_with(path: Path, bot_id: str, domain: str) -> Path:
    manifest = {"bots": [{"botId": bot_id}], "validDomains": [domain]}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
    return path


def test_the_teams_package_must_be_built_for_this_bot(tmp_path: Path) -> None:
    env = {**DEPLOYED, "STORAGE": f"sqlite:///{tmp_path}/missing.db"}
    right = package_with(tmp_path / "right.zip", DEPLOYED["MicrosoftAppId"], "panel-bot.example.org")
    code, said = doctor(env, package=right)
    assert "✓ The app package's bot id is MicrosoftAppId" in said
    assert "✓ PUBLIC_BASE_URL's host (panel-bot.example.org) is among the package's validDomains" in said
    wrong = package_with(
        tmp_path / "wrong.zip", "99999999-2222-4333-8444-555555555555", "old-bot.example.org"
    )
    code, said = doctor(env, package=wrong)
    assert code == 1
    assert "✗ The app package's bot id is MicrosoftAppId — build the package again" in said
    assert "✗ PUBLIC_BASE_URL's host (panel-bot.example.org) is among the package's validDomains" in said
    code, said = doctor(env, package=tmp_path / "none.zip")
    assert "! No Teams app package here to compare with" in said


def test_no_token_or_a_wrong_clock_fails_a_deployed_bot(tmp_path: Path) -> None:
    env = {**DEPLOYED, "STORAGE": f"sqlite:///{tmp_path}/missing.db"}

    async def refused() -> str | None:
        return None

    async def five_minutes_out() -> str | None:
        return format_datetime(datetime.now(UTC) - timedelta(minutes=5), usegmt=True)

    code, said = doctor(env)
    assert "✓ The bot gets a token for the Bot Connector" in said
    assert "✓ The clock is within a minute of Microsoft's" in said
    code, said = doctor(env, token=refused)
    assert (
        code == 1 and "✗ The bot gets a token for the Bot Connector — the identity or its credentials" in said
    )
    code, said = doctor(env, server_date=five_minutes_out)
    assert code == 1 and "✗ The clock is within a minute of Microsoft's — it is 300 s out" in said
    code, said = doctor(env, server_date=refused)
    assert code == 1 and "✗ The clock could not be compared" in said


def test_the_preflight_changes_nothing_not_even_a_missing_local_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = tmp_path / "fresh" / "panel.db"
    code, _ = doctor({"STORAGE": f"sqlite:///{fresh}"})
    assert code == 1 and not fresh.parent.exists()  # no folder, no key file made
    db = tmp_path / "panel" / "panel.db"
    init(db, monkeypatch)
    key_file = db.with_name("panel.db.identity-key")
    key_file.unlink()  # the local key lost: the store cannot be read as it was written
    code, said = doctor({"STORAGE": f"sqlite:///{db}"})
    assert code == 1 and "✗ IDENTITY_HASH_KEY is the key this store was written with" in said
    assert not key_file.exists()


def test_a_pending_migration_is_reported_and_nothing_is_migrated(
    installed: dict[str, str],
) -> None:
    db = Path(installed["STORAGE"].removeprefix("sqlite:///"))
    with sqlite3.connect(db) as conn:  # as a database written by the version before this one
        latest = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
        conn.execute("DELETE FROM schema_migrations WHERE version = ?", (latest,))
    code, said = doctor(installed)
    assert f"! The database is at schema version {latest - 1}; this version of the bot migrates it" in said
    assert "back it up first" in said
    with sqlite3.connect(db) as conn:  # and the preflight did not migrate it
        assert conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == latest - 1


def test_a_database_folder_that_is_a_file_is_named_not_chmodded(tmp_path: Path) -> None:
    (tmp_path / "notadir").write_text("a file", encoding="utf-8")
    code, said = doctor({"STORAGE": f"sqlite:///{tmp_path / 'notadir' / 'panel.db'}"})
    assert code == 1 and "is a file, not a folder — move that file aside" in said
    assert "chmod" not in said
