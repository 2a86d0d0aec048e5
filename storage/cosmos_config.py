"""How to reach a Cosmos DB account: read from settings, free of the Azure SDK so settings stay light."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_CONTAINER = "panel"
DEFAULT_PANEL_ID = "panel"
# Teams waits about 15 seconds for a card action's answer, so throttling is retried for less than that
# by default; a force with a busy shared account can raise both limits.
DEFAULT_THROTTLE_RETRIES = 5
DEFAULT_THROTTLE_WAIT_SECONDS = 8
DEFAULT_TIMEOUT_SECONDS = 5
# Cosmos DB runs at most 100 operations in one transactional batch.
MAX_BATCH_OPERATIONS = 100


@dataclass(frozen=True)
class CosmosConfig:
    """One panel's place in a Cosmos DB account."""

    endpoint: str
    database: str
    key: str = field(default="", repr=False)  # empty: use DefaultAzureCredential (managed identity)
    container: str = DEFAULT_CONTAINER
    panel_id: str = DEFAULT_PANEL_ID
    throttle_retries: int = DEFAULT_THROTTLE_RETRIES
    throttle_wait_seconds: int = DEFAULT_THROTTLE_WAIT_SECONDS
    timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS
    verify_tls: bool = True  # off only for a local protocol server's self-signed certificate
    page_size: int = 100
