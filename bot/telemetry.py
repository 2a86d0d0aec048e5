"""Traces, metrics and logs for the force's operators, through OpenTelemetry: to Application
Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set, to the console when the standard
OTEL_*_EXPORTER variables say `console`, and nowhere otherwise (the API's no-op, which costs next
to nothing). Nothing identifying leaves: spans and metrics carry event names, verb and command
names, outcomes and status codes; a person is a keyed pseudonym; log lines are scrubbed of ids
before export; exceptions are recorded by type only; no library instrumentation records a URL."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from opentelemetry import metrics, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

logger = logging.getLogger(__name__)
NAME = "scrutiny-panel"
TRACER = trace.get_tracer(NAME)
METER = metrics.get_meter(NAME)

TURNS = METER.create_counter("panel.turns", description="Activities handled, by kind and outcome")
TURN_MS = METER.create_histogram("panel.turn.duration", unit="ms", description="Time to answer an activity")
CALL_MS = METER.create_histogram(
    "panel.call.latency", unit="ms", description="From the chair's next to the SOO's call leaving"
)
CONNECTOR = METER.create_counter(
    "panel.connector.calls", description="Bot Connector and meeting API calls, by operation and status"
)
UNDELIVERED = METER.create_counter(
    "panel.deliveries.failed", description="Messages that could not be delivered"
)
REMINDERS = METER.create_counter(
    "panel.reminders", description="Reminders sent, held for quiet hours, snoozed"
)
GUARD = METER.create_counter("panel.guard.refusals", description="Text the identity guard refused, by kind")
RATE_LIMITED = METER.create_counter("panel.rate_limited", description="Requests refused as too many at once")
STORE_DOWN = METER.create_counter("panel.store.unavailable", description="Turns the store could not serve")
_LAST_ROUND: dict[str, float] = {}


def count_refusals(findings: Iterable[Any]) -> None:
    """The identity guard refused some text: one count for each kind it found (never the text)."""
    for kind in {finding.kind for finding in findings}:
        GUARD.add(1, {"kind": kind})


def round_done(job: str) -> None:
    """A background round (the slot timer, the reminders) finished."""
    _LAST_ROUND[job] = time.monotonic()


def _round_ages(_: metrics.CallbackOptions) -> list[metrics.Observation]:
    now = time.monotonic()
    return [metrics.Observation(now - at, {"job": job}) for job, at in _LAST_ROUND.items()]


# Seconds since each background round last finished: an alert fires when the reminders stall.
METER.create_observable_gauge("panel.round.age", callbacks=[_round_ages], unit="s")


@dataclass
class TurnRecord:
    """What one activity's span says: filled in by the handler as it learns it."""

    kind: str
    started: float = field(default_factory=time.monotonic)
    name: str = ""
    outcome: str = "done"


_TURN: ContextVar[TurnRecord | None] = ContextVar("panel_turn", default=None)


def note_name(name: str) -> None:
    """The command or verb this turn is (names from the bot's own fixed lists, never user text)."""
    record = _TURN.get()
    if record is not None:
        record.name = name[:64]


def note_outcome(outcome: str) -> None:
    """How this turn ended: done, refused:<reason>, redelivered, storage_unavailable…"""
    record = _TURN.get()
    if record is not None:
        record.outcome = outcome[:64]


def note_kind(kind: str) -> None:
    """The activity's type, once the body is read."""
    record = _TURN.get()
    if record is not None:
        record.kind = kind[:40]


_PSEUDONYMS: list[Pseudonyms] = []


def use_pseudonyms(pseudonyms: Pseudonyms) -> None:
    """The keyed pseudonyms spans name people by (set when the app is made)."""
    _PSEUDONYMS[:] = [pseudonyms]


def who(identifier: str) -> str:
    """A person as telemetry may name them: a keyed pseudonym, or nothing before the app is made."""
    return _PSEUDONYMS[0].of(identifier) if _PSEUDONYMS else ""


def since_turn_ms() -> float | None:
    """Milliseconds since this turn's activity arrived, or None outside a turn."""
    record = _TURN.get()
    return None if record is None else (time.monotonic() - record.started) * 1000


@contextmanager
def turn_span(kind: str, carrier: Mapping[str, str]) -> Iterator[TurnRecord]:
    """A span for one incoming activity, continuing the caller's W3C traceparent, with the turn's
    count and latency recorded when it ends."""
    from opentelemetry import propagate

    record = TurnRecord(kind[:40])
    token = _TURN.set(record)
    parent = propagate.extract(dict(carrier))
    try:
        with TRACER.start_as_current_span(
            "panel.turn", context=parent, kind=SpanKind.SERVER, record_exception=False
        ) as span:
            try:
                yield record
            except BaseException as error:
                record.outcome = f"failed:{type(error).__name__}"
                raise
            finally:
                attributes = {"panel.activity.type": record.kind, "panel.outcome": record.outcome}
                if record.name:
                    attributes["panel.name"] = record.name
                span.set_attributes(attributes)
                if record.outcome.startswith("failed"):
                    span.set_status(Status(StatusCode.ERROR))
                TURNS.add(1, {"kind": record.kind, "outcome": record.outcome.split(":")[0]})
                TURN_MS.record((time.monotonic() - record.started) * 1000, {"kind": record.kind})
    finally:
        _TURN.reset(token)


@contextmanager
def span(name: str, *, client: bool = False, **attributes: str | int | bool) -> Iterator[Span]:
    """A child span for a unit of work (a store transaction, a timer round; `client`: a call to
    another service); an exception is recorded by its type alone."""
    kind = SpanKind.CLIENT if client else SpanKind.INTERNAL
    with TRACER.start_as_current_span(
        name, kind=kind, record_exception=False, set_status_on_exception=False
    ) as current:
        if attributes:
            # Keyword names become the panel's attribute names: job -> panel.job.
            current.set_attributes(
                {
                    key if key.startswith("panel.") else f"panel.{key}": value
                    for key, value in attributes.items()
                }
            )
        try:
            yield current
        except BaseException as error:
            current.set_attribute("panel.error", type(error).__name__)
            current.set_status(Status(StatusCode.ERROR))
            raise


def status_class(status: int | None) -> str:
    """A connector call's status as an alert wants it: 2xx, 429, 4xx, 5xx, or error (no answer)."""
    if status is None or status == 0:
        return "error"
    if status == 429:
        return "429"
    return f"{status // 100}xx"


class Pseudonyms:
    """Keyed pseudonyms for people in telemetry: the same person reads the same in every span, and
    nobody without the deployment's key can say who it is."""

    def __init__(self, identity_key: bytes) -> None:
        self._key = hmac.new(identity_key, b"telemetry-pseudonym-v1", hashlib.sha256).digest()

    def of(self, identifier: str) -> str:
        """The pseudonym of an Entra object id (or any id)."""
        return "p-" + hmac.new(self._key, identifier.lower().encode(), hashlib.sha256).hexdigest()[:16]


_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TEAMS_ID = re.compile(r"\b(?:19|28|29|a|8):[^\s,;]+")
_URL = re.compile(r"https?://\S+")
# A case reference (panel/reference.py: three and three of its alphabet); any like it goes.
_REFERENCE = re.compile(r"\b[0-9A-Za-z]{3}-[0-9A-Za-z]{3}\b")


def scrub(text: str, pseudonyms: Pseudonyms) -> str:
    """A log line as telemetry may carry it: Entra ids as pseudonyms, Teams ids and addresses
    removed, case references removed. (The lines themselves never hold user text: bot/errors.py.)"""
    text = _URL.sub("[address]", text)
    text = _TEAMS_ID.sub("[teams-id]", text)
    text = _GUID.sub(lambda m: pseudonyms.of(m.group()), text)
    return _REFERENCE.sub("[case]", text)


@dataclass(frozen=True)
class TelemetrySetup:
    """Where telemetry goes: "azure-monitor", "console", or "off"."""

    destination: str


# Every library instrumentation the Azure Monitor distribution would switch on: each records full
# URLs (msal's token requests name the tenant and client; the managed identity endpoint the
# client id), so the bot's own spans are the only ones.
_NO_LIBRARY_INSTRUMENTATION = {
    name: {"enabled": False}
    for name in (
        "azure_sdk",
        "django",
        "fastapi",
        "flask",
        "psycopg2",
        "requests",
        "urllib",
        "urllib3",
        "httpx",
    )
}


def configure_telemetry(env: Mapping[str, str], identity_key: bytes, client_id: str = "") -> TelemetrySetup:
    """Set up exporting from the environment; "off" leaves OpenTelemetry's no-op in place."""
    pseudonyms = Pseudonyms(identity_key)
    connection = env.get("APPLICATIONINSIGHTS_CONNECTION_STRING", "").strip()
    if connection:
        return _azure_monitor(connection, pseudonyms, client_id)
    wanted = {
        kind: env.get(f"OTEL_{kind.upper()}_EXPORTER", "none").strip().lower()
        for kind in ("traces", "metrics", "logs")
    }
    if not any(value == "console" for value in wanted.values()):
        unsupported = sorted(v for v in wanted.values() if v not in {"none", ""})
        if unsupported:
            logger.warning("telemetry.exporter_unsupported exporters=%s", ",".join(unsupported))
        return TelemetrySetup("off")
    _console(wanted, env.get("OTEL_SERVICE_NAME", NAME), pseudonyms)
    return TelemetrySetup("console")


def _azure_monitor(connection: str, pseudonyms: Pseudonyms, client_id: str) -> TelemetrySetup:
    from azure.identity import ManagedIdentityCredential
    from azure.monitor.opentelemetry import configure_azure_monitor

    # Application Insights accepts telemetry only from an Entra identity here (local auth is off).
    credential = ManagedIdentityCredential(client_id=client_id) if client_id else None
    configure_azure_monitor(
        connection_string=connection,
        credential=credential,
        instrumentation_options=_NO_LIBRARY_INSTRUMENTATION,
        logger_name=NAME + ".export",  # only lines the bot hands over, scrubbed (below)
        enable_live_metrics=False,
    )
    _export_logs(pseudonyms)
    return TelemetrySetup("azure-monitor")


def _console(wanted: Mapping[str, str], service: str, pseudonyms: Pseudonyms) -> None:
    from opentelemetry.sdk._logs import LoggerProvider
    from opentelemetry.sdk._logs.export import ConsoleLogExporter, SimpleLogRecordProcessor
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import ConsoleMetricExporter, PeriodicExportingMetricReader
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

    resource = Resource.create({"service.name": service})
    if wanted["traces"] == "console":
        provider = TracerProvider(resource=resource)
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(formatter=_one_line)))
        trace.set_tracer_provider(provider)
    if wanted["metrics"] == "console":
        exporter = ConsoleMetricExporter(formatter=lambda data: data.to_json(indent=None) + "\n")
        reader = PeriodicExportingMetricReader(exporter, export_interval_millis=60_000)
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=[reader]))
    if wanted["logs"] == "console":
        from opentelemetry._logs import set_logger_provider

        logs = LoggerProvider(resource=resource)
        logs.add_log_record_processor(
            SimpleLogRecordProcessor(ConsoleLogExporter(formatter=lambda r: r.to_json(indent=None) + "\n"))
        )
        set_logger_provider(logs)
        _export_logs(pseudonyms)


def _one_line(span: Any) -> str:
    """A span as one line for a person reading the console: name, kind, duration, attributes."""
    took = (span.end_time - span.start_time) / 1e6 if span.end_time and span.start_time else 0.0
    parent = f" parent={span.parent.span_id:016x}" if span.parent else ""
    context = span.get_span_context()
    return (
        f"span {span.name} trace={context.trace_id:032x} id={context.span_id:016x}{parent} "
        f"{took:.1f} ms {json.dumps(dict(span.attributes or {}), sort_keys=True)}\n"
    )


# The product's own loggers: only their lines are exported (a library's may hold a URL or a body).
OWN_LOGGERS = ("app", "bot", "cli", "panel", "storage")


def _export_logs(pseudonyms: Pseudonyms) -> None:
    """Hand the product's own log lines, scrubbed, to the configured logger provider."""
    from opentelemetry.instrumentation.logging.handler import LoggingHandler

    class ScrubbedHandler(LoggingHandler):
        """Exports a new record holding only the level, the logger's name and the scrubbed line;
        the record other handlers see is untouched."""

        def emit(self, record: logging.LogRecord) -> None:
            clean = logging.LogRecord(
                record.name, record.levelno, "", 0, scrub(record.getMessage(), pseudonyms), None, None
            )
            clean.created = record.created
            super().emit(clean)

    handler = ScrubbedHandler(level=logging.INFO)
    for name in OWN_LOGGERS:
        logging.getLogger(name).addHandler(handler)
