"""`panelbot doctor`: one line a check, exit 1 when any fails, nothing secret printed."""

from __future__ import annotations

import asyncio
import stat
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


def doctor(env: dict[str, str]) -> tuple[int, str]:
    lines: list[str] = []
    code = asyncio.run(run_doctor(env, lines))
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
    assert code == 0, said
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
