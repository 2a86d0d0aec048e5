"""The Azure infrastructure in infra/, checked offline: checkov's Azure rules pass with every skip
explained, and the app settings the Bicep sets are exactly the settings the bot reads, at the
bot's own defaults, with the secret as a Key Vault reference and the bot id from one identity.
(No Bicep compiler is reachable from here: DEPLOY.md says what was only checked.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from settings import load_settings
from storage.cosmos import PARTITION_KEY_PATH

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
CHECKOV = ROOT / ".venv-infra" / "bin" / "checkov"
APP = (INFRA / "modules" / "app.bicep").read_text(encoding="utf-8")
MAIN = (INFRA / "main.bicep").read_text(encoding="utf-8")
BOT = (INFRA / "modules" / "bot.bicep").read_text(encoding="utf-8")
COSMOS = (INFRA / "modules" / "cosmos.bicep").read_text(encoding="utf-8")

# Read by the bot but deliberately not set by the deployment, each for a reason.
NOT_SET = {
    "MicrosoftAppPassword": "a managed identity has no secret",
    "COSMOS_KEY": "the account's keys are disabled; the identity's data role is used",
    "COSMOS_VERIFY_TLS": "always on; turning it off is only for a local server",
    "PORT": "given by App Service itself",
    "WEBSITES_PORT": "given by App Service itself",
    "OTEL_TRACES_EXPORTER": "the console exporters are for a person trying the demo",
    "OTEL_METRICS_EXPORTER": "the console exporters are for a person trying the demo",
    "OTEL_LOGS_EXPORTER": "the console exporters are for a person trying the demo",
    "OTEL_SERVICE_NAME": "the console exporters are for a person trying the demo",
    "AUDIT_WITNESS_FILE": "a force's own choice; the log stream always gets the witnesses",
}
# Set by the deployment for something other than settings.py to read.
FOR_THE_PLATFORM = {
    "AZURE_CLIENT_ID": "azure-identity picks the user-assigned identity for Cosmos DB",
    "SCM_DO_BUILD_DURING_DEPLOYMENT": "App Service's build installs requirements.txt",
}


class Recording(dict[str, str]):
    """An environment that remembers every name asked of it."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.asked: set[str] = set()

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        self.asked.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return super().__contains__(key)


DEPLOYED = {
    "MicrosoftAppId": "11111111-2222-4333-8444-555555555555",
    "MicrosoftAppType": "UserAssignedMSI",
    "MicrosoftAppTenantId": "0a0a0a0a-0000-4000-8000-00000000f0ce",
    "ALLOWED_TENANT_ID": "0a0a0a0a-0000-4000-8000-00000000f0ce",
    "PUBLIC_BASE_URL": "https://panel-bot.azurewebsites.net",
    "IDENTITY_HASH_KEY": "k" * 48,
    "STORAGE": "cosmos",
    "COSMOS_ENDPOINT": "https://panel-cosmos.documents.azure.com",
    "COSMOS_DATABASE": "scrutiny-panel",
}


def settings_the_bot_reads() -> set[str]:
    """Every environment name settings.py asks for, on a deployed configuration's paths."""
    env = Recording(dict(DEPLOYED))
    load_settings(env)
    return env.asked


def fixed_settings() -> dict[str, str]:
    """The app settings app.bicep sets from the deployment: name -> value expression."""
    block = APP[APP.index("var fixedSettings = [") : APP.index("resource plan")]
    return dict(re.findall(r"name: '([A-Za-z_]+)'\s+value: ([^\n]+)", block))


def default_settings() -> dict[str, str]:
    """The panel settings app.bicep sets at their defaults: name -> value."""
    block = APP[APP.index("var defaults = {") : APP.index("var tuning =")]
    return dict(re.findall(r"^\s+([A-Z_]+): '([^']*)'", block, re.MULTILINE))


def test_the_deployment_sets_exactly_the_settings_the_bot_reads() -> None:
    set_here = set(fixed_settings()) | set(default_settings())
    read = settings_the_bot_reads()
    assert read - set_here == set(NOT_SET), "read by the bot but not set by the deployment"
    assert set_here - read == set(FOR_THE_PLATFORM), "set by the deployment but read by nobody"


def test_the_deployments_defaults_are_the_bots_own() -> None:
    # The same settings with and without the Bicep's values: any default that differs shows here.
    assert load_settings({**DEPLOYED, **default_settings()}) == load_settings(DEPLOYED)


def test_the_secret_is_a_key_vault_reference_and_no_secret_is_written_down() -> None:
    fixed = fixed_settings()
    assert fixed["IDENTITY_HASH_KEY"].startswith("'@Microsoft.KeyVault(SecretUri=${identityHashKeyUri})'")
    assert "MicrosoftAppPassword" not in fixed and "COSMOS_KEY" not in fixed
    everything = "\n".join(p.read_text(encoding="utf-8") for p in INFRA.rglob("*.bicep"))
    assert "listKeys(" not in everything and "@secure()" not in everything  # no secret passes through


def test_the_bot_id_is_one_identity_everywhere() -> None:
    # The web app's MicrosoftAppId, Azure Bot's app id, and the output the Teams package is made from.
    assert fixed_settings()["MicrosoftAppId"].strip() == "identityClientId"
    assert "msaAppId: identityClientId" in BOT and "msaAppType: 'UserAssignedMSI'" in BOT
    assert MAIN.count("identityClientId: identity.properties.clientId") == 2  # the app and the bot
    assert "output botAppId string = identity.properties.clientId" in MAIN


def test_the_container_is_partitioned_as_the_store_expects() -> None:
    assert f"'{PARTITION_KEY_PATH}'" in COSMOS.split("partitionKey:")[1].split("}")[0]


def test_app_service_runs_the_bot_on_the_port_it_gives() -> None:
    assert "appCommandLine: 'python -m cli.main serve --host 0.0.0.0'" in APP  # the port: PORT
    settings = load_settings({**DEPLOYED, "PORT": "8000"})
    assert settings.port == 8000 and load_settings({**DEPLOYED, "WEBSITES_PORT": "8181"}).port == 8181


def test_no_platform_log_records_a_downloads_one_time_token() -> None:
    """App Service's HTTP logs, failed-request traces and detailed error pages record full URLs,
    and an export's download URL carries its one-time token: the deployment turns them all off."""
    for setting in ("httpLoggingEnabled", "detailedErrorLoggingEnabled", "requestTracingEnabled"):
        assert re.search(rf"^\s*{setting}: false$", APP, re.MULTILINE), setting
    assert "AppServiceHTTPLogs" not in APP


def test_checkov_passes_every_azure_rule_it_applies_with_each_skip_explained() -> None:
    if not CHECKOV.exists():
        pytest.fail("checkov is missing: `make test` installs it into .venv-infra from infra/checkov.lock")
    ran = subprocess.run(
        [str(CHECKOV), "-d", str(INFRA), "--framework", "bicep", "-o", "json"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
        check=False,
    )
    report = json.loads(ran.stdout)
    report = report[0] if isinstance(report, list) else report
    summary = report["summary"]
    assert summary["parsing_errors"] == 0, report["results"]["parsing_errors"]
    failed = [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]]
    assert summary["failed"] == 0, failed
    assert summary["passed"] >= 15  # it did look at the resources
    for skipped in report["results"]["skipped_checks"]:
        assert len(skipped["check_result"].get("suppress_comment", "")) > 20, skipped["check_id"]


def test_every_alert_watches_a_metric_the_bot_exports() -> None:
    alerts = (INFRA / "modules" / "alerts.bicep").read_text(encoding="utf-8")
    watched = set(re.findall(r'name == \\"(panel\.[a-z_.]+)\\"', alerts)) | set(
        re.findall(r'name == "(panel\.[a-z_.]+)"', alerts)
    )
    exported = set(
        re.findall(r'"(panel\.[a-z_.]+)"', (ROOT / "bot" / "telemetry.py").read_text(encoding="utf-8"))
    )
    assert watched and watched <= exported, watched - exported
    assert "metricName: 'HealthCheckStatus'" in alerts and "module alerts 'modules/alerts.bicep'" in MAIN
