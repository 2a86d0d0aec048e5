"""`panelbot doctor`: a preflight a force runs after deploying and before each sitting. One line a
check, ✓ or ✗ with what to do (! for advice that does not fail it), exit 1 if any fails; nothing
secret is ever printed."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from cli.operations import check_store
from settings import Settings, SettingsError, load_settings
from storage.sqlite import wider_than_private


@dataclass(frozen=True)
class Check:
    """One line of the preflight."""

    ok: bool
    said: str
    advice: str = ""
    warning: bool = False  # worth doing, but the bot is safe to run without it

    def line(self) -> str:
        """The line as printed."""
        mark = "✓" if self.ok else ("!" if self.warning else "✗")
        return f"{mark} {self.said}" + (f" — {self.advice}" if self.advice and not self.ok else "")


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
    checks = [
        Check(
            bool(settings.allowed_tenant_id),
            "Only the force's tenant is answered (ALLOWED_TENANT_ID)",
            "set ALLOWED_TENANT_ID to the force's Entra tenant id",
        )
    ]
    checks.append(
        Check(
            settings.app_type in {"SingleTenant", "UserAssignedMSI"},
            f"MicrosoftAppType is {settings.app_type}",
            "use UserAssignedMSI (a managed identity, no secret to leak) or SingleTenant: Azure no longer "
            "creates multi-tenant bots, and a multi-tenant registration accepts tokens for any tenant",
            warning=True,
        )
    )
    return checks


def file_checks(settings: Settings) -> list[Check]:
    """The SQLite database, its log and its key file are the service account's alone."""
    if settings.cosmos is not None:
        return []
    wide = wider_than_private(settings.sqlite_path)
    return [
        Check(
            not wide,
            "The database's folder and files are readable by this account only"
            if not wide
            else f"{len(wide)} of the database's folder and files can be read by other accounts",
            "run: chmod 700 "
            + str(settings.sqlite_path.parent)
            + " && chmod 600 "
            + " ".join(str(p) for p in wide if p != settings.sqlite_path.parent),
        )
    ]


async def store_checks(settings: Settings) -> list[Check]:
    """The store answers and is initialised."""
    problem = await check_store(settings)
    where = "Cosmos DB container" if settings.cosmos else f"database {settings.sqlite_path}"
    return [Check(problem is None, f"The {where} answers", problem or "")]


async def run_doctor(env: Mapping[str, str] | None = None, out: list[str] | None = None) -> int:
    """Run every check and print one line each; 0 when all pass, 1 otherwise."""
    lines = out if out is not None else []
    try:
        settings = load_settings(os.environ if env is None else env)
    except SettingsError as error:
        problems = [line.removeprefix("- ") for line in str(error).splitlines()[1:]]
        checks = [Check(False, "Settings", problem) for problem in problems]
    else:
        checks = [Check(True, "Settings are valid"), *tenant_checks(settings)]
        checks += file_checks(settings)
        checks += await store_checks(settings)
    lines.extend(check.line() for check in checks)
    if out is None:
        print("\n".join(lines))
    return 0 if all(c.ok or c.warning for c in checks) else 1
