"""Settings from the environment, validated at start-up so a bad deployment fails before it listens."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from panel.agenda import MAX_SLOT_MINUTES, SlotLengths
from panel.audit import RetentionPolicy, chain_key
from panel.confidence import ConfidenceThresholds
from panel.reminders import ReminderPolicy
from panel.roles import PERMISSIONS, Permission, Role
from panel.usecases.deps import PanelConfig
from storage.cosmos_config import (
    DEFAULT_CONTAINER,
    DEFAULT_PANEL_ID,
    DEFAULT_THROTTLE_RETRIES,
    DEFAULT_THROTTLE_WAIT_SECONDS,
    DEFAULT_TIMEOUT_SECONDS,
    CosmosConfig,
)

BOT_FRAMEWORK_OPENID = "https://login.botframework.com/v1/.well-known/openidconfiguration"
# Where Teams' Bot Connector service lives, in the commercial and government clouds.
TEAMS_SERVICE_URLS = (
    "https://smba.trafficmanager.net/",
    "https://smba.infra.gcc.teams.microsoft.com/",
    "https://smba.infra.gov.teams.microsoft.us/",
    "https://smba.infra.dod.teams.microsoft.us/",
)
DEFAULT_STORAGE = "sqlite:///data/panel.db"
APP_TYPES = {
    "multitenant": "MultiTenant",
    "singletenant": "SingleTenant",
    "userassignedmsi": "UserAssignedMSI",
}
MIN_KEY_LENGTH = 32
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
TELEMETRY_SETTINGS = (
    "APPLICATIONINSIGHTS_CONNECTION_STRING",
    "OTEL_TRACES_EXPORTER",
    "OTEL_METRICS_EXPORTER",
    "OTEL_LOGS_EXPORTER",
    "OTEL_SERVICE_NAME",
)
# Cosmos DB ids may not hold / \\ ? #; keep names plain so they also read well in the portal.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}")


class SettingsError(Exception):
    """One or more settings are wrong; the message lists every problem, never a secret's value."""


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment."""

    sqlite_path: Path
    identity_hash_key: bytes = field(repr=False)
    app_id: str = ""
    app_password: str = field(default="", repr=False)
    app_tenant_id: str = ""
    app_type: str = "MultiTenant"
    panel: PanelConfig = field(default_factory=PanelConfig)
    log_level: str = "INFO"
    public_base_url: str = "http://127.0.0.1:3978"
    cosmos: CosmosConfig | None = None  # set when STORAGE=cosmos; otherwise the SQLite file is used
    # Whether a missing SQLite database may be created: only by `panelbot init`, the demo and tests.
    create_store: bool = False
    # Where the Bot Framework publishes its signing keys, and which service addresses may be answered.
    openid_metadata_url: str = BOT_FRAMEWORK_OPENID
    service_urls: tuple[str, ...] = TEAMS_SERVICE_URLS
    # The force's own Entra tenant: an activity from any other is refused at the edge.
    allowed_tenant_id: str = ""
    # "json": one JSON object a line (Log Analytics); "text": plain lines.
    log_format: str = "text"
    # The port App Service gives (PORT, or WEBSITES_PORT); None: the command line's, or 3978.
    port: int | None = None
    # Where telemetry goes (bot/telemetry.py): the Application Insights connection string and the
    # standard OTEL_* exporter settings, as given; none set means no telemetry at all.
    telemetry: dict[str, str] = field(default_factory=dict)
    # Where witnesses of the audit trail's length are appended, besides the log stream (optional).
    audit_witness_file: Path | None = None

    @property
    def audit_key(self) -> bytes:
        """The key that seals the audit trail, derived from the identity hash key."""
        return chain_key(self.identity_hash_key)

    @property
    def authenticated(self) -> bool:
        """With an app id every request's token is checked; without one the bot is for local testing."""
        return bool(self.app_id)

    def check_host(self, host: str) -> None:
        """Refuse to listen beyond this machine when nobody's token is being checked."""
        if not self.authenticated and host not in LOOPBACK:
            raise SettingsError(
                f"MicrosoftAppId is not set, so requests are not authenticated: the bot will only "
                f"listen on 127.0.0.1, not {host}. Set MicrosoftAppId and MicrosoftAppPassword to "
                "serve Teams."
            )


def load_settings(env: Mapping[str, str] | None = None, *, make_local_key: bool = True) -> Settings:
    """Read and validate settings; raise SettingsError listing every problem at once. With
    `make_local_key` False (a preflight, which changes nothing), a missing local key file is not
    made: the key is then empty, and no store written with a real key will match it."""
    env = os.environ if env is None else env
    problems: list[str] = []
    app_id = env.get("MicrosoftAppId", "").strip()
    app_password = env.get("MicrosoftAppPassword", "")
    tenant = env.get("MicrosoftAppTenantId", "").strip()
    app_type = APP_TYPES.get(env.get("MicrosoftAppType", "MultiTenant").strip().lower(), "")
    if not app_type:
        problems.append("MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI.")
    if app_id and app_type != "UserAssignedMSI" and not app_password:
        problems.append("MicrosoftAppPassword is required when MicrosoftAppId is set.")
    if app_type in {"SingleTenant", "UserAssignedMSI"} and not tenant:
        problems.append(f"MicrosoftAppTenantId is required for MicrosoftAppType={app_type}.")
    if not app_id and app_password:
        problems.append("MicrosoftAppPassword is set but MicrosoftAppId is not.")
    allowed_tenant = env.get("ALLOWED_TENANT_ID", "").strip().lower()
    if allowed_tenant and not GUID.fullmatch(allowed_tenant):
        problems.append("ALLOWED_TENANT_ID must be the force's Entra tenant id (a GUID).")
    elif app_id and not allowed_tenant:
        problems.append(
            "ALLOWED_TENANT_ID is required when MicrosoftAppId is set: the force's Entra tenant id, so "
            "that nobody in another organisation can use the bot by uploading its app package."
        )

    storage = env.get("STORAGE", DEFAULT_STORAGE).strip()
    cosmos = _cosmos(env, problems) if storage == "cosmos" else None
    sqlite_path = (
        Path(DEFAULT_STORAGE.removeprefix("sqlite:///"))
        if storage == "cosmos"
        else _sqlite_path(storage, problems)
    )
    slot_lengths = SlotLengths(
        new=_minutes(env, "SLOT_MINUTES_NEW", 15, problems),
        update=_minutes(env, "SLOT_MINUTES_UPDATE", 10, problems),
        complex=_minutes(env, "SLOT_MINUTES_COMPLEX", 30, problems),
        closed_review=_minutes(env, "SLOT_MINUTES_CLOSED_REVIEW", 15, problems),
    )
    approval = _flag(env, "CLOSURE_NEEDS_CHAIR_APPROVAL", problems)
    quiet = _quiet_hours(env.get("QUIET_HOURS", "20:00-07:00"), problems)
    reminder_policy = ReminderPolicy(
        sitting_week_days=_count(env, "REMIND_SITTING_FIRST_DAYS", 7, problems),
        sitting_day_days=_count(env, "REMIND_SITTING_LAST_DAYS", 1, problems),
        slot_lead=timedelta(minutes=_count(env, "REMIND_SLOT_MINUTES", 15, problems)),
        action_due_days=_count(env, "REMIND_ACTION_DUE_DAYS", 3, problems),
        overdue_every_days=_count(env, "REMIND_OVERDUE_EVERY_DAYS", 7, problems),
        approval_working_days=_count(env, "REMIND_APPROVAL_WORKING_DAYS", 2, problems),
        not_listed_days=_count(env, "REMIND_NOT_LISTED_DAYS", 30, problems),
        not_heard_days=_count(env, "REMIND_NOT_HEARD_DAYS", 90, problems),
        quiet_from=quiet[0],
        quiet_until=quiet[1],
        quiet_weekends=_flag(env, "QUIET_WEEKENDS", problems, True),
    )
    confidence = ConfidenceThresholds(
        days_without_victim_update=_count(env, "WARN_VICTIM_NOT_UPDATED_DAYS", 14, problems),
        investigator_changes=_count(env, "WARN_INVESTIGATOR_CHANGES", 2, problems),
        investigation_days=_count(env, "WARN_INVESTIGATION_DAYS", 90, problems),
        risk_reassessment_days=_count(env, "WARN_RISK_NOT_REASSESSED_DAYS", 28, problems),
        senior_ranks_elsewhere=_flag(env, "SENIOR_RANKS_TO_ANOTHER_FORCE", problems),
    )
    small_numbers = _number(env, "SMALL_NUMBER_THRESHOLD", 5, 2, 20, problems)
    audit_roles = _audit_roles(env.get("CASE_AUDIT_ROLES", "coordinator,chair"), problems)
    retention = RetentionPolicy(
        closed_case_years=_number(env, "RETAIN_CLOSED_CASES_YEARS", 6, 1, 100, problems, " of years"),
        audit_years=_number(env, "RETAIN_AUDIT_YEARS", 7, 1, 100, problems, " of years"),
    )
    log_level = env.get("LOG_LEVEL", "INFO").strip().upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        problems.append("LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR.")
    log_format = env.get("LOG_FORMAT", "text").strip().lower()
    if log_format not in {"text", "json"}:
        problems.append("LOG_FORMAT must be text or json.")
    port = _port(env, problems)
    witness_file = env.get("AUDIT_WITNESS_FILE", "").strip()
    telemetry = {name: env.get(name, "").strip() for name in TELEMETRY_SETTINGS}
    for name in ("OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER"):
        if telemetry[name] not in {"", "none", "console"}:
            problems.append(f"{name} must be console or none (the OTLP exporter is not installed).")

    public_url = env.get("PUBLIC_BASE_URL", "http://127.0.0.1:3978").strip().rstrip("/")
    if app_id and not public_url.startswith("https://"):
        problems.append("PUBLIC_BASE_URL must be the bot's https:// address when MicrosoftAppId is set.")

    key_text = env.get("IDENTITY_HASH_KEY", "")
    if key_text and len(key_text) < MIN_KEY_LENGTH:
        problems.append(f"IDENTITY_HASH_KEY must be at least {MIN_KEY_LENGTH} characters.")
    if not key_text and app_id:
        problems.append(
            "IDENTITY_HASH_KEY is required when MicrosoftAppId is set: it keys the hashes of "
            "party names, and losing or changing it makes every registered name invisible."
        )
    elif not key_text and cosmos and not _is_loopback(cosmos.endpoint):
        problems.append(
            "IDENTITY_HASH_KEY is required with a Cosmos DB account: every app instance must hash "
            "party names with the same key, so it cannot be a file on one machine."
        )
    if problems or sqlite_path is None:
        raise SettingsError("Settings are not valid:\n- " + "\n- ".join(problems))
    try:
        key = key_text.encode("utf-8") if key_text else _local_key(sqlite_path, make_local_key)
    except OSError as error:
        # One line, never a traceback: the folder is gone and cannot be made, or the file unreadable.
        key_file = sqlite_path.with_name(sqlite_path.name + ".identity-key")
        raise SettingsError(
            f"Settings are not valid:\n- The local identity key {key_file} cannot be read or made "
            f"({type(error).__name__}): check that its folder exists and belongs to this account, or set "
            "IDENTITY_HASH_KEY."
        ) from None
    return Settings(
        sqlite_path=sqlite_path,
        identity_hash_key=key,
        app_id=app_id,
        app_password=app_password,
        app_tenant_id=tenant,
        app_type=app_type,
        panel=PanelConfig(
            slot_lengths=slot_lengths,
            closure_needs_chair_approval=approval,
            reminders=reminder_policy,
            retention=retention,
            confidence=confidence,
            small_numbers=small_numbers,
            audit_roles=audit_roles,
        ),
        log_level=log_level,
        public_base_url=public_url,
        cosmos=cosmos,
        allowed_tenant_id=allowed_tenant,
        log_format=log_format,
        port=port,
        telemetry={name: value for name, value in telemetry.items() if value},
        audit_witness_file=Path(witness_file) if witness_file else None,
    )


def _cosmos(env: Mapping[str, str], problems: list[str]) -> CosmosConfig | None:
    """The Cosmos DB settings, every problem listed; None when they cannot make a config."""
    endpoint = env.get("COSMOS_ENDPOINT", "").strip().rstrip("/")
    database = env.get("COSMOS_DATABASE", "").strip()
    container = env.get("COSMOS_CONTAINER", DEFAULT_CONTAINER).strip()
    panel_id = env.get("PANEL_ID", DEFAULT_PANEL_ID).strip()
    verify = _flag(env, "COSMOS_VERIFY_TLS", problems, True)
    before = len(problems)
    if not endpoint.startswith(("https://", "http://")) or not urlsplit(endpoint).hostname:
        problems.append(
            "COSMOS_ENDPOINT must be the account's address, e.g. https://<account>.documents.azure.com."
        )
    elif not _is_loopback(endpoint) and (not endpoint.startswith("https://") or not verify):
        problems.append(
            "COSMOS_ENDPOINT must use https with its certificate checked; COSMOS_VERIFY_TLS=false and "
            "http are only for a local server on this machine."
        )
    for name, value in (
        ("COSMOS_DATABASE", database),
        ("COSMOS_CONTAINER", container),
        ("PANEL_ID", panel_id),
    ):
        if not NAME.fullmatch(value):
            problems.append(
                f"{name} must be 1-63 letters, digits, '-' or '_', starting with a letter or digit."
            )
    retries = _number(env, "COSMOS_THROTTLE_RETRIES", DEFAULT_THROTTLE_RETRIES, 0, 30, problems)
    wait = _number(env, "COSMOS_THROTTLE_WAIT_SECONDS", DEFAULT_THROTTLE_WAIT_SECONDS, 1, 120, problems)
    timeout = _number(env, "COSMOS_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS, 1, 60, problems)
    if len(problems) > before:
        return None
    return CosmosConfig(
        endpoint=endpoint,
        database=database,
        key=env.get("COSMOS_KEY", "").strip(),
        container=container,
        panel_id=panel_id,
        throttle_retries=retries,
        throttle_wait_seconds=wait,
        timeout_seconds=timeout,
        verify_tls=verify,
    )


def _port(env: Mapping[str, str], problems: list[str]) -> int | None:
    """The port App Service tells the app to listen on: PORT, else WEBSITES_PORT."""
    for name in ("PORT", "WEBSITES_PORT"):
        raw = env.get(name, "").strip()
        if raw:
            if not raw.isdigit() or not 1 <= int(raw) <= 65535:
                problems.append(f"{name} must be a port number from 1 to 65535.")
                return None
            return int(raw)
    return None


def _is_loopback(url: str) -> bool:
    return urlsplit(url).hostname in LOOPBACK


def _number(
    env: Mapping[str, str], name: str, default: int, low: int, high: int, problems: list[str], unit: str = ""
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        problems.append(f"{name} must be a whole number{unit} from {low} to {high}.")
        return default
    return int(raw)


def _sqlite_path(url: str, problems: list[str]) -> Path | None:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or len(url) == len(prefix):
        problems.append(
            "STORAGE must be sqlite:///relative/path.db, sqlite:////absolute/path.db or cosmos "
            f"(default {DEFAULT_STORAGE})."
        )
        return None
    return Path(url[len(prefix) :])


def _minutes(env: Mapping[str, str], name: str, default: int, problems: list[str]) -> int:
    return _number(env, name, default, 1, MAX_SLOT_MINUTES, problems, " of minutes")


def _count(env: Mapping[str, str], name: str, default: int, problems: list[str]) -> int:
    return _number(env, name, default, 1, 365, problems)


def _quiet_hours(raw: str, problems: list[str]) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError:
        problems.append("QUIET_HOURS must be like 20:00-07:00.")
        return time(20, 0), time(7, 0)
    return start, end


def _audit_roles(raw: str, problems: list[str]) -> frozenset[Role]:
    """The roles that audit cases: only roles that may already see any case, since an audit reads
    one whole."""
    may_see = PERMISSIONS[Permission.VIEW_CASE]
    words = [w.strip().lower() for w in raw.split(",") if w.strip()]
    known = {r.value: r for r in may_see}
    if not words or any(w not in known for w in words):
        problems.append(
            "CASE_AUDIT_ROLES must list, with commas, roles that may see any case: "
            + ", ".join(sorted(known))
            + "."
        )
        return frozenset({Role.COORDINATOR, Role.CHAIR})
    return frozenset(known[w] for w in words)


def _flag(env: Mapping[str, str], name: str, problems: list[str], default: bool = False) -> bool:
    raw = env.get(name, "true" if default else "false").strip().lower()
    if raw not in {"true", "false", "1", "0", "yes", "no"}:
        problems.append(f"{name} must be true or false.")
    return raw in {"true", "1", "yes"}


def _local_key(sqlite_path: Path, make: bool = True) -> bytes:
    """For local, unauthenticated use only: a random key kept beside the database (mode 0600), so
    names registered in one run are still caught in the next."""
    key_file = sqlite_path.with_name(sqlite_path.name + ".identity-key")
    if not key_file.exists() and not make:
        return b""
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip().encode("utf-8")
