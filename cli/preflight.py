"""The deployment checks of `panelbot doctor`, beyond the settings themselves: Key Vault references
App Service did not resolve, the identity-hash key against the store, the app's identity and
tenant, the address against the Teams app package, the roster and the next sitting, and (when
deployed) a token for the Bot Connector and the clock. Each returns lines for the doctor to print;
none prints a secret."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from cli import key_check
from panel.ports import UnitOfWork
from panel.roles import Role
from panel.sitting import same_meeting
from settings import GUID, Settings

KEY_VAULT_REFERENCE = re.compile(r"^\s*@Microsoft\.KeyVault\(", re.IGNORECASE)
MAX_CLOCK_SKEW = timedelta(minutes=1)


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


def unresolved_references(env: Mapping[str, str]) -> list[Check]:
    """A setting that still reads @Microsoft.KeyVault(...) was not resolved by App Service: the
    identity cannot read the vault, or the secret's address is wrong."""
    names = sorted(name for name, value in env.items() if KEY_VAULT_REFERENCE.match(value or ""))
    if not names:
        return []
    return [
        Check(
            False,
            f"{name} is still a Key Vault reference",
            "App Service could not resolve it: give the bot's identity 'Key Vault Secrets User' on the "
            "vault, check the secret's address, and see the web app's Environment variables blade",
        )
        for name in names
    ]


def pending_migration(settings: Settings) -> Check | None:
    """A SQLite database written by an earlier version, read without changing it: opening it would
    migrate it, which a preflight must not do unasked."""
    import sqlite3

    from storage.sqlite_schema import MIGRATIONS

    if settings.cosmos is not None or not settings.sqlite_path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{settings.sqlite_path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    except sqlite3.Error:
        return None  # the store checks say what is wrong with it
    at, latest = (row[0] or 0) if row else 0, MIGRATIONS[-1][0]
    if at >= latest:
        return None
    return Check(
        False,
        f"The database is at schema version {at}; this version of the bot migrates it to {latest} when "
        "it starts, so the store's other checks wait until then",
        'back it up first (DEPLOY.md, "Upgrading"), then start the bot or run `panelbot init`, and run '
        "`panelbot doctor` again",
        warning=True,
    )


def identity_checks(settings: Settings, env: Mapping[str, str]) -> list[Check]:
    """The app id, its type and its tenant agree with one another."""
    if not settings.authenticated:
        return []
    checks = [
        Check(
            bool(GUID.fullmatch(settings.app_id.lower())),
            "MicrosoftAppId is an Entra client id",
            "set it to the managed identity's client id (the deployment's botAppId output)",
        )
    ]
    if settings.app_type == "UserAssignedMSI":
        checks.append(
            Check(
                not env.get("MicrosoftAppPassword"),
                "No app password is set for a managed identity",
                "remove MicrosoftAppPassword: a managed identity has no secret, and one lying here is a leak",
            )
        )
    if settings.app_type in {"SingleTenant", "UserAssignedMSI"} and settings.allowed_tenant_id:
        checks.append(
            Check(
                settings.app_tenant_id.lower() == settings.allowed_tenant_id,
                "MicrosoftAppTenantId and ALLOWED_TENANT_ID name the same tenant",
                "both must be the force's Entra tenant id",
            )
        )
    return checks


def package_checks(settings: Settings, package: Path | None) -> list[Check]:
    """The Teams app package was built for this bot: its bot id and valid domain are this app's."""
    if not settings.authenticated:
        return []
    host = urlsplit(settings.public_base_url).hostname or ""
    if package is None or not package.exists():
        return [
            Check(
                False,
                "No Teams app package here to compare with",
                "run `make package` with these settings, or pass --package FILE",
                warning=True,
            )
        ]
    try:
        with zipfile.ZipFile(package) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return [Check(False, f"{package} is not a Teams app package", "build it again with `make package`")]
    bots = [b.get("botId") for b in manifest.get("bots", []) if isinstance(b, dict)]
    return [
        Check(
            bots == [settings.app_id],
            "The app package's bot id is MicrosoftAppId",
            "build the package again with `make package` from these settings",
        ),
        Check(
            host in manifest.get("validDomains", []),
            f"PUBLIC_BASE_URL's host ({host}) is among the package's validDomains",
            "build the package again with `make package` from these settings",
        ),
    ]


async def key_checks(uow: UnitOfWork, settings: Settings) -> list[Check]:
    """The identity-hash key is the one the store was written with."""
    matched = await key_check.matches(uow, settings.identity_hash_key)
    if matched is None:
        # An installation made before the check value existed: the audit trail's seals tell.
        matched = await key_check.seals_match(uow, settings.audit_key)
        if matched is None:
            return [
                Check(
                    False,
                    "The store has no record of which identity-hash key it was written with",
                    "run `panelbot init` once more: it records the key's check value, nothing else",
                    warning=True,
                )
            ]
    return [
        Check(
            matched,
            "IDENTITY_HASH_KEY is the key this store was written with",
            "this is another key: registered names would be invisible to the guard and the audit "
            "trail could not be verified. Do not serve; set the key the data was written with",
        )
    ]


async def panel_checks(uow: UnitOfWork, today: date) -> list[Check]:
    """A chair and a coordinator on the roster; the next sitting's two rooms, and different ones."""
    members = [m for m in await uow.roster.all() if m.active]
    checks = [
        Check(
            any(Role.CHAIR in m.roles or Role.DEPUTY_CHAIR in m.roles for m in members),
            "The roster has a chair",
            "import the roster: `panelbot roster import FILE`",
        ),
        Check(
            any(Role.COORDINATOR in m.roles for m in members),
            "The roster has a coordinator",
            "import the roster: `panelbot roster import FILE`",
        ),
    ]
    upcoming = await uow.sittings.find(on_or_after=today)
    if not upcoming:
        checks.append(
            Check(False, "No sitting is booked", "the coordinator books one: say `sittings`", warning=True)
        )
        return checks
    sitting = upcoming[0]
    both = bool(sitting.case_room_link and sitting.waiting_room_meeting_id)
    checks.append(
        Check(
            both,
            f"The next sitting ({sitting.sitting_date:%a %d %b %Y}) has both rooms",
            "give it the case room's join link and the waiting room's meeting (`panelbot agenda` or the "
            "coordinator's card)",
        )
    )
    if both:
        checks.append(
            Check(
                not same_meeting(str(sitting.case_room_link), str(sitting.waiting_room_meeting_id)),
                "Its case room and waiting room are different meetings",
                "a SOO waiting would hear the case before theirs: make them two meetings",
            )
        )
    return checks


TokenCheck = Callable[[], Awaitable[str | None]]
ServerTime = Callable[[], Awaitable[str | None]]


async def network_checks(settings: Settings, token: TokenCheck, server_date: ServerTime) -> list[Check]:
    """A token for the Bot Connector with the bot's own credentials, and the clock against
    Microsoft's sign-in service (a token's times are checked to the minute)."""
    if not settings.authenticated:
        return []
    got = await token()
    checks = [
        Check(
            bool(got),
            "The bot gets a token for the Bot Connector",
            "the identity or its credentials are refused, or login.microsoftonline.com cannot be reached "
            "from here: see the log line meeting_api.token_failed",
        )
    ]
    header = await server_date()
    try:
        theirs = parsedate_to_datetime(header) if header else None
    except (TypeError, ValueError):
        theirs = None
    if theirs is None:
        checks.append(Check(False, "The clock could not be compared", "the sign-in service did not answer"))
    else:
        skew = abs(datetime.now(UTC) - theirs)
        checks.append(
            Check(
                skew <= MAX_CLOCK_SKEW,
                "The clock is within a minute of Microsoft's",
                f"it is {int(skew.total_seconds())} s out: tokens would be refused; fix the time service",
            )
        )
    return checks
