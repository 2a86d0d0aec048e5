"""`make dist`: the zip App Service builds the bot from. The product's code (with the identity
guard's name lists) and a requirements.txt of exactly the runtime packages requirements.lock pins,
found by walking the dependencies pyproject.toml declares. No tests, no demo, no virtualenv."""

from __future__ import annotations

import re
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "scrutiny-panel-app.zip"
PACKAGES = ("panel", "storage", "bot", "cards", "cli")
MODULES = ("app.py", "settings.py")
# The demo's made-up people and its Playground driver: never part of a force's deployment.
LEFT_OUT = {
    "cli/demo.py",
    "cli/demo_data.py",
    "cli/playground.py",
    "cli/local_cosmos.py",
    "cli/package.py",
    "cli/dist.py",
}
STAMP = (2026, 1, 1, 0, 0, 0)  # every entry dated alike: the same code makes the same zip


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", requirement).lower()


def runtime_requirements() -> list[str]:
    """The exact pins of everything the runtime dependencies need, from requirements.lock."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[_name(name)] = f"{name}=={version.strip()}"
    wanted: set[str] = set()
    todo = [Requirement(r) for r in project["dependencies"]]
    while todo:
        requirement = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = _name(requirement.name)
        if name in wanted:
            continue
        if name not in pins:
            raise SystemExit(f"{requirement.name} is needed at run time but not pinned in requirements.lock")
        wanted.add(name)
        todo.extend(Requirement(r) for r in metadata.requires(requirement.name) or [])
    return sorted(pins[name] for name in wanted)


def files() -> list[Path]:
    """The product's source files and data, in a stable order."""
    found = [ROOT / m for m in MODULES]
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.is_file() and "__pycache__" not in path.parts and relative not in LEFT_OUT:
                found.append(path)
    return found


def build(out: Path = OUT) -> Path:
    """Write the zip; its path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files():
            info = zipfile.ZipInfo(path.relative_to(ROOT).as_posix(), STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
        requirements = "\n".join(runtime_requirements()) + "\n"
        archive.writestr(zipfile.ZipInfo("requirements.txt", STAMP), requirements)
    return out


def main() -> int:
    """Build and say where the zip is."""
    out = build()
    where = out.relative_to(ROOT)
    print(f"{where}: deploy it with `az webapp deploy --type zip --src-path {where}` (DEPLOY.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
