"""Composition root: settings -> storage -> use-case dependencies -> bot; aiohttp routes; start/stop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot import telemetry
from bot.audit_flow import EXPORTS_PATH, AuditFlow
from bot.audit_witness import keep_witness
from bot.errors import log_exception
from bot.forms_flow import FormsFlow
from bot.limits import EdgeLimits
from bot.log_lines import configure_logging
from bot.meeting_checks import PANEL_READY_PATH
from bot.notifier import TeamsNotifier
from bot.reminder_runner import ReminderRunner
from bot.report_flow import ReportFlow
from bot.send_pace import SendPace
from bot.sitting_flow import SittingFlow
from bot.teams.adapter import BotCredentials, build_adapter
from bot.teams.auth import InboundAuth, TokenPolicy
from bot.teams.echo_baseline import EchoBot
from bot.teams.endpoint import messages_handler
from bot.teams.handler import PanelBot
from bot.teams.meeting_api import MeetingApi, msal_token_source, no_token
from bot.teams.messenger import Messenger
from bot.turn_mark import carrying_marks
from panel.audit import AuditCategory, AuditPurpose
from panel.clock import Clock
from panel.errors import StorageUnavailable
from panel.guard_words import gazetteer
from panel.ports import Notice, Notifier
from panel.roles import Actor, check_permission_table_is_complete
from panel.usecases import retention
from panel.usecases.access import record_access
from panel.usecases.deps import Deps
from settings import LOOPBACK, Settings
from storage.backends import store_for
from storage.cosmos_reads import turn_reads
from storage.store import Store

APP_VERSION = "0.1.0"
WITNESS_EVERY_S = 3600.0
STORE = web.AppKey("store", Store)
DEPS = web.AppKey("deps", Deps)
FLOW = web.AppKey("flow", SittingFlow)
TICK_SECONDS = 15.0
REMINDER_SECONDS = 60.0
logger = logging.getLogger("app")


class ForwardingNotifier:
    """Passes notices to a notifier set after construction."""

    def __init__(self) -> None:
        self.target: Notifier | None = None

    async def send(self, notice: Notice) -> None:
        """Deliver through the target."""
        if self.target is not None:
            await self.target.send(notice)


class SystemClock:
    """The real clock: aware UTC."""

    def now(self) -> datetime:
        """The current moment in UTC."""
        return datetime.now(UTC)


# These libraries log what they carry at DEBUG: msrest and botframework whole HTTP bodies (messages
# as typed), the Azure SDK its requests. Logs must never hold user text, so they stay at WARNING
# whatever LOG_LEVEL says.
CHATTY_LIBRARIES = ("msrest", "botframework", "botbuilder", "azure", "msal", "urllib3")


def quiet_libraries() -> None:
    """Cap the libraries that log payloads at WARNING."""
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    notifier: Notifier | None = None,
    meetings: MeetingApi | None = None,
    tick_seconds: float = TICK_SECONDS,
    reminder_seconds: float = REMINDER_SECONDS,
    background: bool = True,
    limits: EdgeLimits | None = None,
) -> web.Application:
    """Build the web app: the store opens on start-up and closes on shut-down. Without
    `background`, the slot timer and the reminder scheduler do not run (for tests that judge each
    request on its own)."""
    check_permission_table_is_complete()
    quiet_libraries()
    store = store or store_for(
        settings.sqlite_path, settings.cosmos, audit_key=settings.audit_key, create=settings.create_store
    )
    adapter = build_adapter(
        BotCredentials(settings.app_id, settings.app_password, settings.app_tenant_id, settings.app_type)
    )
    # The notifier needs the messenger, which needs the use-case dependencies: tie the knot with a
    # forwarding notifier that is pointed at Teams once the messenger exists.
    forwarding = ForwardingNotifier()
    telemetry.use_pseudonyms(telemetry.Pseudonyms(settings.identity_hash_key))
    deps = Deps(
        # A message's seen-mark travels with its turn's first commit (bot/turn_mark.py).
        uow=carrying_marks(store.unit_of_work),
        clock=clock or SystemClock(),
        notifier=notifier or forwarding,
        identity_key=settings.identity_hash_key,
        config=settings.panel,
    )
    if meetings is None:
        token = (
            msal_token_source(
                settings.app_id, settings.app_password, settings.app_tenant_id, settings.app_type
            )
            if settings.authenticated  # a managed identity has no password, and needs none
            else no_token
        )
        meetings = MeetingApi(token)
    edge = limits or EdgeLimits.default()
    messenger = Messenger(adapter, settings.app_id, deps, pace=SendPace(edge.sending))
    forwarding.target = TeamsNotifier(messenger, deps)
    runner = ReminderRunner(deps, messenger, owner=f"app-{uuid.uuid4().hex[:8]}")
    flow = SittingFlow(deps, messenger, meetings, settings.public_base_url)
    middlewares = (
        [_safe_headers, _json_errors, _reads_once]
        if settings.authenticated
        else [_safe_headers, _local_only, _json_errors, _reads_once]
    )
    app = web.Application(middlewares=middlewares, client_max_size=MAX_REQUEST_BYTES)
    app[STORE] = store
    app[DEPS] = deps
    app[FLOW] = flow

    async def store_lifetime(app: web.Application) -> AsyncIterator[None]:
        await app[STORE].open()
        # The identity guard's name lists load once; do it now, not in the first user's turn.
        await asyncio.to_thread(gazetteer)
        logger.info("app.started version=%s authenticated=%s", APP_VERSION, settings.authenticated)
        yield
        await app[STORE].close()

    async def timer_lifetime(app: web.Application) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(_every(tick_seconds, app[FLOW].tick, "timer")),
            asyncio.create_task(_every(reminder_seconds, runner.run_once, "reminders")),
            asyncio.create_task(
                _every(reminder_seconds, lambda: retention.purge_expired_exports(deps), "exports")
            ),
            # A witness of the audit trail's length, hourly, where the database's editor cannot reach.
            asyncio.create_task(
                _every(WITNESS_EVERY_S, lambda: keep_witness(deps, settings.audit_witness_file), "witness")
            ),
        ]
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app.cleanup_ctx.append(store_lifetime)
    if background:
        app.cleanup_ctx.append(timer_lifetime)  # after the store: it stops first, the store last
    bot = PanelBot(
        deps,
        messenger,
        flow,
        FormsFlow(deps, flow),
        AuditFlow(deps, settings.public_base_url, settings.audit_witness_file),
        ReportFlow(deps, settings.public_base_url),
    )
    auth = (
        InboundAuth(
            TokenPolicy(settings.app_id, settings.openid_metadata_url, settings.service_urls), adapter
        )
        if settings.authenticated
        else None
    )
    app.router.add_post(
        "/api/messages",
        messages_handler(adapter, bot, auth, edge, settings.allowed_tenant_id),
    )
    app.router.add_get("/healthz", _healthz)
    app.router.add_get(PANEL_READY_PATH, _panel_ready)
    app.router.add_get(EXPORTS_PATH + "/{token}", _export_page)  # HEAD too: neither uses the link
    app.router.add_post(EXPORTS_PATH + "/{token}", _export)
    return app


def create_echo_app(
    settings: Settings, limits: EdgeLimits | None = None, *, reuse_clients: bool = False
) -> web.Application:
    """A bare echo bot behind the panel's aiohttp set-up (middlewares, edge checks) and botbuilder's
    own adapter, which builds new connector clients every turn: the baseline each of `make bench`'s
    turn figures is a ratio to. With `reuse_clients`, the same echo with the panel's client reuse."""
    adapter = build_adapter(
        BotCredentials(settings.app_id, settings.app_password, settings.app_tenant_id, settings.app_type),
        reuse_clients=reuse_clients,
    )
    app = web.Application(middlewares=[_safe_headers, _json_errors])
    app.router.add_post(
        "/api/messages", messages_handler(adapter, EchoBot(), None, limits or EdgeLimits.default())
    )
    return app


async def _every(seconds: float, job: Callable[[], Awaitable[object]], name: str) -> None:
    """Run a background job for the app's lifetime: the slot timer resumes whatever sitting is live
    and the reminder scheduler catches up on what is due, so a restart loses nothing."""
    while True:
        try:
            with telemetry.span("panel.round", job=name):
                await job()
            telemetry.round_done(name)
        except StorageUnavailable:  # already logged by the store; the next round tries again
            logger.warning("%s.skipped reason=storage_unavailable", name)
        except Exception as error:  # one bad round must not stop the job
            log_exception(f"{name}.failed", error)
        await asyncio.sleep(seconds)


PANEL_READY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The panel is ready</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; margin: 1.5rem">
<h1 style="font-size: 1.3rem">The panel is ready for you</h1>
<p>Please join the case room now. Your chat with the Scrutiny Panel bot has the link.</p>
</body></html>
"""


async def _panel_ready(request: web.Request) -> web.Response:
    """The page a targeted in-meeting notification shows: nothing identifying, not even the case."""
    return web.Response(text=PANEL_READY_PAGE, content_type="text/html")


DOWNLOAD_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A one-time download</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; margin: 1.5rem; max-width: 36rem">
<h1 style="font-size: 1.3rem">A one-time download from the scrutiny panel</h1>
<p>It works once, within ten minutes of being made. Opening this page has not used it.</p>
<form method="post"><button type="submit" style="font-size: 1rem; padding: .5rem 1rem">Download
the file</button></form>
<p style="color: #555">Keep the file as the force keeps confidential records.</p>
</body></html>
"""
DOWNLOAD_GONE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Download used or expired</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; margin: 1.5rem; max-width: 36rem">
<h1 style="font-size: 1.3rem">That download has been used or has expired</h1>
<p>A one-time link works once, within ten minutes. Ask for a new one from the card in Teams.</p>
</body></html>
"""
# The page may post its own form and nothing else; it loads nothing and is framed by nobody.
DOWNLOAD_POLICY = "; ".join(
    (
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)


async def _export_page(request: web.Request) -> web.Response:
    """GET or HEAD of a one-time link (a person, a link preview, a proxy's check): a page with the
    button that downloads, which uses nothing. It reads nothing either, so it says the same for a
    link that exists and one that does not."""
    return web.Response(
        text=DOWNLOAD_PAGE,
        content_type="text/html",
        headers={**SAFE_HEADERS, "Content-Security-Policy": DOWNLOAD_POLICY},
    )


async def _export(request: web.Request) -> web.Response:
    """The page's button (POST): the one-time download, gone once taken or after ten minutes, and
    recorded in the audit trail as taken by whoever held the link."""
    token = request.match_info["token"]
    deps = request.app[DEPS]
    found: list[tuple[str, str]] = []
    if 16 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum():
        async with deps.uow() as uow:
            uow.exports.take(token, deps.clock.now(), found)
            await uow.commit()
    if not found:
        # The person pressed the page's button: answer as a page, not as JSON in the browser.
        return web.Response(
            text=DOWNLOAD_GONE_PAGE,
            status=404,
            content_type="text/html",
            headers={**SAFE_HEADERS, "Content-Security-Policy": DOWNLOAD_POLICY},
        )
    name, content = found[0]
    # Who pressed cannot be told outside Teams: the download is recorded as the link holder's.
    await record_access(
        deps,
        Actor.system("link-holder"),
        "export.downloaded",
        AuditCategory.DISCLOSURE,
        AuditPurpose.BREACH_REVIEW if name.startswith("audit-") else AuditPurpose.REPORT,
        subject_id="export",
        detail=f"file={name}",
    )
    logger.info("export.downloaded")
    return web.Response(
        text=content,
        content_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def _healthz(request: web.Request) -> web.Response:
    """Whether the app and its store are up, and which version is running."""
    store_up = await request.app[STORE].ping()
    body = {"status": "ok" if store_up else "degraded", "storage": "up" if store_up else "down"}
    return web.json_response({**body, "version": APP_VERSION}, status=200 if store_up else 503)


# The one page the app serves is shown inside Teams' meeting stage: it may be framed by Teams only,
# loads nothing, runs nothing.
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com "
    "https://*.teams.microsoft.us https://teams.live.com"
)


@web.middleware
async def _reads_once(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Each request is one turn: on Cosmos DB, what it has read is not asked for again in it."""
    with turn_reads():
        return await handler(request)


@web.middleware
async def _safe_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Every answer: not cached anywhere, not sniffed as another type, no referrer; pages locked down."""
    try:
        response = await handler(request)
    except web.HTTPException as refusal:  # the router's 404 and 405 get the same headers
        for name, value in SAFE_HEADERS.items():
            refusal.headers[name] = value
        raise
    for name, value in SAFE_HEADERS.items():
        response.headers[name] = value
    if response.content_type == "text/html":  # a page that sets its own policy keeps it
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    return response


@web.middleware
async def _json_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """No stack trace ever reaches a caller: unexpected failures become a short JSON 500."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception as error:
        # The route, never the path: a path can carry a one-time download token.
        logger.error("http.failed route=%s error=%s", route_of(request), type(error).__name__)
        return web.json_response({"error": "internal error"}, status=500)


# What any request to this app may carry: a Teams activity is well under this (the endpoint itself
# holds activities to 256 KB).
MAX_REQUEST_BYTES = 512 * 1024


@web.middleware
async def _local_only(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Without an app id nothing is authenticated: only requests addressed to this machine by name
    are answered, so a web page that rebinds its own name to 127.0.0.1 cannot drive the bot."""
    if host_name(request.headers.get("Host", "")) not in LOOPBACK:
        return web.json_response(
            {"error": "This local bot answers requests to this machine only."}, status=421
        )
    return await handler(request)


def host_name(header: str) -> str:
    """The host in a Host header, without its port ("[::1]:3978" -> "::1")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def route_of(request: web.Request) -> str:
    """The route a request matched, as registered ("/exports/{token}"), never the path it used."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


class RouteAccessLogger(AbstractAccessLogger):
    """One line per request with its method, route, status and time: aiohttp's own access log
    writes the full path, which for a one-time download is the token itself."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        """Write the request's line."""
        route = route_of(request) if isinstance(request, web.Request) else "unmatched"
        self.logger.info(
            "http.request method=%s route=%s status=%s seconds=%.3f",
            request.method,
            route,
            response.status,
            time,
        )


# App Service sends SIGTERM and waits before it kills: turns under way get this long to finish.
SHUTDOWN_GRACE_S = 20.0


async def settle_heap(_: web.Application | None = None) -> None:
    """Once started, everything built so far (the SDKs, the guard's name lists, the store's clients)
    lives as long as the process: it is moved out of the garbage collector's sight. A full
    collection otherwise walks all of it, tens of milliseconds during which no turn is answered."""
    gc.collect()
    gc.freeze()


def serve(settings: Settings, host: str, port: int) -> None:
    """Run the bot until SIGINT or SIGTERM: turns under way finish, then the timer and reminder loops
    stop and the store closes."""
    settings.check_host(host)
    configure_logging(settings.log_level, settings.log_format)
    identity = settings.app_id if settings.app_type == "UserAssignedMSI" else ""
    setup = telemetry.configure_telemetry(settings.telemetry, settings.identity_hash_key, identity)
    logger.info("serve.starting port=%s telemetry=%s", port, setup.destination)
    app = create_app(settings)
    app.on_startup.append(settle_heap)
    web.run_app(
        app,
        host=host,
        port=port,
        print=None,
        access_log_class=RouteAccessLogger,
        shutdown_timeout=SHUTDOWN_GRACE_S,
    )
    logger.info("serve.stopped")
