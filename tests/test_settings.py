"""Settings are validated at start-up: every problem reported at once, secrets never printed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from panel.roles import Role
from settings import SettingsError, load_settings

TENANT = "0a0a0a0a-0000-4000-8000-00000000f0ce"
PUBLIC = {"PUBLIC_BASE_URL": "https://panel-bot.example.org", "ALLOWED_TENANT_ID": TENANT}


def test_a_deployed_bot_needs_its_public_https_address() -> None:
    env = {"IDENTITY_HASH_KEY": "k" * 32, "MicrosoftAppId": "1", "MicrosoftAppPassword": "p"}
    with pytest.raises(SettingsError, match="PUBLIC_BASE_URL must be"):
        load_settings({**env, "ALLOWED_TENANT_ID": TENANT})
    assert load_settings({**env, **PUBLIC}).public_base_url == "https://panel-bot.example.org"


def test_defaults_run_locally_with_sqlite_and_a_generated_key(tmp_path: Path) -> None:
    settings = load_settings({"STORAGE": f"sqlite:///{tmp_path}/db/panel.db"})
    assert settings.sqlite_path == tmp_path / "db" / "panel.db"
    assert not settings.authenticated
    key_file = tmp_path / "db" / "panel.db.identity-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = load_settings({"STORAGE": f"sqlite:///{tmp_path}/db/panel.db"})
    assert again.identity_hash_key == settings.identity_hash_key  # names stay caught across restarts


def test_relative_and_absolute_sqlite_urls() -> None:
    env = {"IDENTITY_HASH_KEY": "k" * 32}
    assert load_settings({**env, "STORAGE": "sqlite:///data/panel.db"}).sqlite_path == Path("data/panel.db")
    assert load_settings({**env, "STORAGE": "sqlite:////srv/panel.db"}).sqlite_path == Path("/srv/panel.db")


def test_every_problem_is_listed_and_no_secret_is_printed() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "MicrosoftAppId": "11111111-2222-4333-8444-555555555555",
                "MicrosoftAppType": "SingleTenant",
                "STORAGE": "postgres://x",
                "SLOT_MINUTES_NEW": "lots",
                "IDENTITY_HASH_KEY": "short-secret-value",
                "LOG_LEVEL": "chatty",
            }
        )
    text = str(caught.value)
    for expected in [
        "MicrosoftAppPassword",
        "MicrosoftAppTenantId",
        "STORAGE",
        "SLOT_MINUTES_NEW",
        "IDENTITY_HASH_KEY",
        "LOG_LEVEL",
    ]:
        assert expected in text
    assert "short-secret-value" not in text


def test_a_deployed_bot_answers_one_tenant_which_must_be_named() -> None:
    env = {"IDENTITY_HASH_KEY": "k" * 32, "MicrosoftAppId": "1", "MicrosoftAppPassword": "p", **PUBLIC}
    assert load_settings(env).allowed_tenant_id == TENANT
    with pytest.raises(SettingsError, match="ALLOWED_TENANT_ID is required"):
        load_settings({k: v for k, v in env.items() if k != "ALLOWED_TENANT_ID"})
    with pytest.raises(SettingsError, match="ALLOWED_TENANT_ID must be"):
        load_settings({**env, "ALLOWED_TENANT_ID": "contoso.onmicrosoft.com"})
    # Upper-case as the Entra portal sometimes shows it: the same tenant.
    assert load_settings({**env, "ALLOWED_TENANT_ID": TENANT.upper()}).allowed_tenant_id == TENANT


def test_production_needs_a_configured_identity_key() -> None:
    with pytest.raises(SettingsError, match="IDENTITY_HASH_KEY is required"):
        load_settings({"MicrosoftAppId": "11111111-2222-4333-8444-555555555555", "MicrosoftAppPassword": "p"})


ACCOUNT = {
    "STORAGE": "cosmos",
    "COSMOS_ENDPOINT": "https://force-panel.documents.azure.com:443/",
    "COSMOS_DATABASE": "scrutiny",
    "IDENTITY_HASH_KEY": "k" * 32,
}


def test_cosmos_is_chosen_by_configuration_with_a_key_or_the_managed_identity() -> None:
    keyed = load_settings({**ACCOUNT, "COSMOS_KEY": "c2VjcmV0LWtleQ==", "COSMOS_THROTTLE_RETRIES": "3"})
    assert keyed.cosmos is not None
    assert (keyed.cosmos.endpoint, keyed.cosmos.database, keyed.cosmos.container) == (
        "https://force-panel.documents.azure.com:443",
        "scrutiny",
        "panel",
    )
    assert keyed.cosmos.key == "c2VjcmV0LWtleQ==" and keyed.cosmos.throttle_retries == 3
    assert "c2VjcmV0LWtleQ" not in repr(keyed)
    managed = load_settings({**ACCOUNT, "PANEL_ID": "north-panel"})
    assert managed.cosmos is not None and managed.cosmos.key == ""  # DefaultAzureCredential
    assert managed.cosmos.panel_id == "north-panel"
    assert load_settings({"IDENTITY_HASH_KEY": "k" * 32}).cosmos is None  # SQLite stays the default


def test_cosmos_settings_are_checked_and_every_problem_listed() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "STORAGE": "cosmos",
                "COSMOS_ENDPOINT": "force-panel.documents.azure.com",
                "COSMOS_DATABASE": "bad/name",
                "COSMOS_KEY": "do-not-print-me",
                "COSMOS_THROTTLE_RETRIES": "many",
            }
        )
    text = str(caught.value)
    for expected in ["COSMOS_ENDPOINT", "COSMOS_DATABASE", "COSMOS_THROTTLE_RETRIES"]:
        assert expected in text
    assert "do-not-print-me" not in text


def test_a_real_account_needs_checked_tls_and_a_shared_identity_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a local server's generated key file goes under ./data
    with pytest.raises(SettingsError, match="only for a local server"):
        load_settings({**ACCOUNT, "COSMOS_VERIFY_TLS": "false"})
    without_key = {k: v for k, v in ACCOUNT.items() if k != "IDENTITY_HASH_KEY"}
    with pytest.raises(SettingsError, match="every app instance must hash"):
        load_settings(without_key)
    local = {**without_key, "COSMOS_ENDPOINT": "https://127.0.0.1:8081", "COSMOS_VERIFY_TLS": "false"}
    assert load_settings(local).cosmos is not None  # the demo's local server


def test_force_settings_reach_the_panel_config() -> None:
    settings = load_settings(
        {"IDENTITY_HASH_KEY": "k" * 32, "SLOT_MINUTES_COMPLEX": "45", "CLOSURE_NEEDS_CHAIR_APPROVAL": "yes"}
    )
    assert settings.panel.slot_lengths.complex == 45
    assert settings.panel.closure_needs_chair_approval


def test_the_force_names_who_audits_cases_from_the_roles_that_see_any_case() -> None:
    default = load_settings({"IDENTITY_HASH_KEY": "k" * 32})
    assert default.panel.audit_roles == {Role.COORDINATOR, Role.CHAIR}
    named = load_settings(
        {"IDENTITY_HASH_KEY": "k" * 32, "CASE_AUDIT_ROLES": " Deputy_Chair, administrator "}
    )
    assert named.panel.audit_roles == {Role.DEPUTY_CHAIR, Role.ADMINISTRATOR}
    for wrong in ("soo", "partner", "member", "", "chair;coordinator"):
        with pytest.raises(SettingsError, match="CASE_AUDIT_ROLES must list"):
            load_settings({"IDENTITY_HASH_KEY": "k" * 32, "CASE_AUDIT_ROLES": wrong})


def test_an_unauthenticated_bot_listens_on_loopback_only() -> None:
    settings = load_settings({"IDENTITY_HASH_KEY": "k" * 32})
    settings.check_host("127.0.0.1")
    with pytest.raises(SettingsError, match="only listen on 127.0.0.1"):
        settings.check_host("0.0.0.0")
    secured = load_settings(
        {"IDENTITY_HASH_KEY": "k" * 32, "MicrosoftAppId": "1", "MicrosoftAppPassword": "p", **PUBLIC}
    )
    secured.check_host("0.0.0.0")


def test_the_password_is_not_in_the_settings_repr() -> None:
    settings = load_settings(
        {
            "IDENTITY_HASH_KEY": "k" * 32,
            "MicrosoftAppId": "1",
            "MicrosoftAppPassword": "hunter2-secret",
            **PUBLIC,
        }
    )
    assert "hunter2-secret" not in repr(settings) and "kkkk" not in repr(settings)


def test_reminder_intervals_and_quiet_hours_are_the_forces_to_set() -> None:
    settings = load_settings(
        {
            "IDENTITY_HASH_KEY": "k" * 32,
            "REMIND_ACTION_DUE_DAYS": "5",
            "REMIND_SLOT_MINUTES": "20",
            "QUIET_HOURS": "21:30-06:30",
            "QUIET_WEEKENDS": "false",
        }
    )
    policy = settings.panel.reminders
    assert (policy.action_due_days, policy.slot_lead.seconds // 60, policy.quiet_weekends) == (5, 20, False)
    assert (f"{policy.quiet_from:%H:%M}", f"{policy.quiet_until:%H:%M}") == ("21:30", "06:30")
    with pytest.raises(SettingsError, match="REMIND_NOT_HEARD_DAYS must be"):
        load_settings({"IDENTITY_HASH_KEY": "k" * 32, "REMIND_NOT_HEARD_DAYS": "never"})
    with pytest.raises(SettingsError, match="QUIET_HOURS must be like"):
        load_settings({"IDENTITY_HASH_KEY": "k" * 32, "QUIET_HOURS": "evenings"})


def test_the_early_warning_limits_are_the_forces_to_set() -> None:
    settings = load_settings(
        {"IDENTITY_HASH_KEY": "k" * 32, "WARN_VICTIM_NOT_UPDATED_DAYS": "10", "WARN_INVESTIGATION_DAYS": "60"}
    )
    limits = settings.panel.confidence
    assert (limits.days_without_victim_update, limits.investigator_changes, limits.investigation_days) == (
        10,
        2,
        60,
    )
    with pytest.raises(SettingsError, match="WARN_INVESTIGATOR_CHANGES must be"):
        load_settings({"IDENTITY_HASH_KEY": "k" * 32, "WARN_INVESTIGATOR_CHANGES": "lots"})
