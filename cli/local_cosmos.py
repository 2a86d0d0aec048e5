"""A local Cosmos DB protocol server (npm @vercel/cosmosdb-server) for the demo and the tests.

It speaks the Cosmos DB SQL REST API over HTTPS with a self-signed certificate and keeps its data in
memory, so it suits a demo and a test run, never a deployment. The project patches it (patches/) so
its transactional batches are atomic and take the request's partition key, as Cosmos DB's are, and
so it can keep connections open between requests, as Cosmos DB does. Two more patches keep its
speed from measuring itself: a query is parsed once, not again on every request to check its
partition key, and the query library it uses appends each matching document to its result instead
of copying the result for every document (which made every query quadratic in the collection's
size); a failed batch puts back only what it touched, from a journal, instead of the whole
collection being copied before every batch.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cli.playground import PROJECT_ROOT, free_port
from storage.cosmos_config import CosmosConfig

SERVER_BIN = PROJECT_ROOT / "node_modules" / ".bin" / "cosmosdb-server"
# The key Microsoft publishes for its local emulator; the local server accepts any base64 key.
LOCAL_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
READY_TIMEOUT_S = 30


class LocalCosmosUnavailable(RuntimeError):
    """The local server is not installed or did not start."""


@dataclass(frozen=True)
class LocalCosmos:
    """A running local server."""

    endpoint: str

    def config(self, database: str, *, panel_id: str = "panel", page_size: int = 100) -> CosmosConfig:
        """Settings for one database on this server (TLS not verified: its certificate is self-signed)."""
        return CosmosConfig(
            endpoint=self.endpoint,
            database=database,
            key=LOCAL_KEY,
            verify_tls=False,
            panel_id=panel_id,
            page_size=page_size,
        )

    def environment(self, database: str) -> dict[str, str]:
        """The same settings as environment variables, for `panelbot`."""
        return {
            "STORAGE": "cosmos",
            "COSMOS_ENDPOINT": self.endpoint,
            "COSMOS_DATABASE": database,
            "COSMOS_KEY": LOCAL_KEY,
            "COSMOS_VERIFY_TLS": "false",
        }


@contextmanager
def local_cosmos(port: int | None = None) -> Iterator[LocalCosmos]:
    """Start the server on a free port (or the one given), wait until it answers, stop it after."""
    if not SERVER_BIN.exists():
        raise LocalCosmosUnavailable(
            f"{SERVER_BIN.relative_to(PROJECT_ROOT)} is missing: run `make deps` (npm ci) first."
        )
    port = port or free_port()
    process = subprocess.Popen(
        # Connections are kept open between requests, as Cosmos DB keeps them: otherwise every
        # request pays a new TLS handshake, which no deployment does.
        [str(SERVER_BIN), "-p", str(port), "--keep-alive"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_until_listening(port, process)
        yield LocalCosmos(f"https://127.0.0.1:{port}")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def _wait_until_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = process.stderr.read().decode(errors="replace")[-500:] if process.stderr else ""
            raise LocalCosmosUnavailable(f"the local Cosmos DB server exited: {detail}")
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=1) as raw,
                context.wrap_socket(raw, server_hostname="127.0.0.1"),
            ):
                return
        except OSError:
            time.sleep(0.2)
    raise LocalCosmosUnavailable(f"the local Cosmos DB server did not listen on port {port}")
