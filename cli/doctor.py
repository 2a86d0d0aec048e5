"""`panelbot doctor`: a preflight a force runs after deploying and before each sitting. One line a
check, ✓ or ✗ with what to do (! for advice that does not fail it), exit 1 if any fails; nothing
secret is ever printed."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bot.teams.meeting_api import msal_token_source
from cli.operations import check_store
from cli.preflight import (
    Check,
    ServerTime,
    TokenCheck,
    identity_checks,
    key_checks,
    network_checks,
    package_checks,
    panel_checks,
    pending_migration,
    unresolved_references,
)
from panel.clock import london_today
from panel.errors import StorageUnavailable
from settings import Settings, SettingsError, load_settings
from storage.backends import store_for
from storage.sqlite import wider_than_private

PACKAGE = Path(__file__).resolve().parent.parent / "build" / "scrutiny-panel.zip"
SIGN_IN = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"


def tenant_checks(settings: Settings) -> list[Check]:
    """Who the bot answers: one tenant when deployed; this machine only when local."""
    if not settings.authenticated:
        return [
            Check(
                True,
                "Local mode (no MicrosoftAppId): no token is checked, so only requests addressed to this "
                "machine are answered",
            )
        ]
    return [
        Check(
            bool(settings.allowed_tenant_id),
            "Only the force's tenant is answered (ALLOWED_TENANT_ID)",
            "set ALLOWED_TENANT_ID to the force's Entra tenant id",
        ),
        Check(
            settings.app_type in {"SingleTenant", "UserAssignedMSI"},
            f"MicrosoftAppType is {settings.app_type}",
            "use UserAssignedMSI (a managed identity, no secret to leak) or SingleTenant: Azure no longer "
            "creates multi-tenant bots, and a multi-tenant registration accepts tokens for any tenant",
            warning=True,
        ),
    ]


def file_checks(settings: Settings) -> list[Check]:
    """The SQLite database, its log and its key file are the service account's alone."""
    if settings.cosmos is not None:
        return []
    folder = settings.sqlite_path.parent
    if folder.exists() and not folder.is_dir():
        return [
            Check(
                False,
                f"The database's folder {folder} is a file, not a folder",
                "move that file aside, or set STORAGE to a path in a folder of this account's",
            )
        ]
    wide = wider_than_private(settings.sqlite_path)
    return [
        Check(
            not wide,
            "The database's folder and files are readable by this account only"
            if not wide
            else f"{len(wide)} of the database's folder and files can be read by other accounts",
            _private(settings.sqlite_path.parent, [p for p in wide if p != settings.sqlite_path.parent]),
        )
    ]


def _private(folder: Path, files: list[Path]) -> str:
    """The commands that make the database's folder and files this account's alone."""
    commands = [f"chmod 700 {folder}"] + ([f"chmod 600 {' '.join(map(str, files))}"] if files else [])
    return "run: " + " && ".join(commands)


async def store_checks(settings: Settings) -> list[Check]:
    """The store answers and is initialised; the key, the roster and the next sitting in it (not
    while a migration is pending: opening the store would carry it out)."""
    if (pending := pending_migration(settings)) is not None:
        return [pending]
    problem = await check_store(settings)
    where = "Cosmos DB container" if settings.cosmos else f"database {settings.sqlite_path}"
    checks = [Check(problem is None, f"The {where} answers", problem or "")]
    if problem is not None:
        return checks
    store = store_for(settings.sqlite_path, settings.cosmos, audit_key=settings.audit_key)
    try:
        await store.open()
        async with store.unit_of_work() as uow:
            checks += await key_checks(uow, settings)
            checks += await panel_checks(uow, london_today(datetime.now(UTC)))
    except StorageUnavailable as error:
        checks.append(Check(False, "The store could be read", error.message))
    finally:
        await store.close()
    return checks


def real_token(settings: Settings) -> TokenCheck:
    """The bot's own token for the Bot Connector, as the running bot gets it."""
    app = settings
    return msal_token_source(app.app_id, app.app_password, app.app_tenant_id, app.app_type)


async def sign_in_date() -> str | None:
    """The Date header of Microsoft's sign-in service."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
            session.get(SIGN_IN) as response,
        ):
            return response.headers.get("Date")
    except (aiohttp.ClientError, TimeoutError):
        return None


async def run_doctor(
    env: Mapping[str, str] | None = None,
    out: list[str] | None = None,
    *,
    package: Path | None = PACKAGE,
    token: TokenCheck | None = None,
    server_date: ServerTime = sign_in_date,
) -> int:
    """Run every check and print one line each; 0 when all pass, 1 otherwise."""
    env = os.environ if env is None else env
    lines = out if out is not None else []
    checks = unresolved_references(env)
    try:
        settings = load_settings(env, make_local_key=False)  # the preflight changes nothing
    except SettingsError as error:
        problems = [line.removeprefix("- ") for line in str(error).splitlines()[1:]]
        checks += [Check(False, "Settings", problem) for problem in problems]
    else:
        checks = [Check(True, "Settings are valid"), *checks, *tenant_checks(settings)]
        checks += identity_checks(settings, env)
        checks += package_checks(settings, package)
        checks += file_checks(settings)
        checks += await store_checks(settings)
        checks += await network_checks(settings, token or real_token(settings), server_date)
    lines.extend(check.line() for check in checks)
    if out is None:
        print("\n".join(lines))
    return 0 if all(c.ok or c.warning for c in checks) else 1
