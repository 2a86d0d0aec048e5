"""`make dist`: the zip App Service builds from holds the product and its runtime pins, nothing of
the tests, the demo or a virtualenv, and runs on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from cli.dist import build

ROOT = Path(__file__).resolve().parents[2]


def test_the_zip_holds_the_product_and_only_runtime_pins(tmp_path: Path) -> None:
    out = build(tmp_path / "app.zip")
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        requirements = archive.read("requirements.txt").decode().split()
    assert {
        "app.py",
        "settings.py",
        "cli/main.py",
        "bot/teams/handler.py",
        "panel/data/forenames.txt.gz",
    } <= names
    assert not [n for n in names if n.startswith(("tests/", ".venv", "data/", "node_modules/", "infra/"))]
    assert not {"cli/demo.py", "cli/demo_data.py", "cli/playground.py"} & names  # no made-up people
    pinned = {line.split("==")[0].lower() for line in requirements}
    assert {"botbuilder-core", "aiohttp", "azure-cosmos", "azure-identity", "msal"} <= pinned
    assert not {"pytest", "ruff", "mypy", "playwright", "hypothesis"} & pinned
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").split()
    assert set(requirements) <= set(lock)  # exactly the versions CI tested
    assert build(tmp_path / "again.zip").read_bytes() == out.read_bytes()  # the same code, the same zip


def test_the_unpacked_zip_runs_without_the_repository(tmp_path: Path) -> None:
    with zipfile.ZipFile(build(tmp_path / "app.zip")) as archive:
        archive.extractall(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "COSMOS", "PYTHONPATH"))}
    env["STORAGE"] = f"sqlite:///{tmp_path / 'data' / 'panel.db'}"
    env["IDENTITY_HASH_KEY"] = "dist-test-key-0123456789-0123456789"
    # Run from the unpacked site: its own files come first on the path, before the repository's.
    code = "import sys; sys.argv = ['panelbot', 'init']; from cli.main import main; raise SystemExit(main())"
    ran = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path / "site",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert "Created" in ran.stdout
    probe = "import cli.main, sys; print(cli.main.__file__)"
    where = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path / "site",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(tmp_path / "site"))
