"""`make package`: the Teams app package, with ids filled from the environment and checked against
Microsoft's schema for the manifest version it declares. The repository holds placeholders only."""

from __future__ import annotations

import json
import os
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_DIR = ROOT / "manifest"
SCHEMAS = ROOT / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams"
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class PackageError(Exception):
    """The package cannot be made; the message says why."""


def values_from(env: Mapping[str, str]) -> dict[str, str]:
    """The placeholder values: the app id, the bot's public host, the force's name."""
    app_id = env.get("MicrosoftAppId", "").strip().lower()
    if not GUID.fullmatch(app_id):
        raise PackageError("MicrosoftAppId must be the bot's Entra app id (a GUID) to make the package.")
    host = urlsplit(env.get("PUBLIC_BASE_URL", "").strip()).hostname or ""
    if not env.get("PUBLIC_BASE_URL", "").startswith("https://") or not host:
        raise PackageError("PUBLIC_BASE_URL must be the bot's https:// address to make the package.")
    return {
        "MICROSOFT_APP_ID": app_id,
        "BOT_DOMAIN": host,
        "FORCE_NAME": env.get("FORCE_NAME", "Police force")[:32],
    }


def render(values: Mapping[str, str]) -> dict[str, Any]:
    """The manifest with every placeholder filled; an unknown placeholder is an error."""
    text = (MANIFEST_DIR / "manifest.json").read_text(encoding="utf-8")
    missing = sorted(set(PLACEHOLDER.findall(text)) - set(values))
    if missing:
        raise PackageError(f"no value for {', '.join(missing)}")
    manifest: dict[str, Any] = json.loads(PLACEHOLDER.sub(lambda m: values[m.group(1)], text))
    return manifest


def validate(manifest: Mapping[str, Any]) -> None:
    """Check the manifest against Microsoft's schema for the version it declares."""
    schema_path = SCHEMAS / f"v{manifest['manifestVersion']}" / "MicrosoftTeams.schema.json"
    if not schema_path.exists():
        raise PackageError("Microsoft's manifest schemas are not installed: run `npm ci` (make does this).")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(manifest), key=lambda e: list(e.path))
    if errors:
        raise PackageError(
            "; ".join(f"{'/'.join(map(str, e.path)) or 'manifest'}: {e.message}" for e in errors[:5])
        )


def build(values: Mapping[str, str], out: Path) -> Path:
    """Write the zip Teams accepts: manifest.json and both icons at its root."""
    manifest = render(values)
    validate(manifest)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2))
        for icon in ("color.png", "outline.png"):
            package.write(MANIFEST_DIR / icon, icon)
    return out


def main() -> int:
    """Entry point of `make package`."""
    try:
        out = build(values_from(os.environ), ROOT / "build" / "scrutiny-panel.zip")
    except PackageError as error:
        print(f"Package not made: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {out.relative_to(ROOT)}")
    return 0


def png(width: int, height: int, pixel: Any) -> bytes:
    """A minimal RGBA PNG (filter 0 on every row), so the icons need no imaging library."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def draw_icons() -> None:
    """Draw the two icons: a white shield on the accent colour, and its white outline on transparency."""
    accent = (0x3B, 0x2E, 0x7E, 255)

    def shield(x: float, y: float) -> float:
        """Signed distance-like test: < 0 inside a simple shield shape on the unit square."""
        if y < 0.18 or y > 0.86:
            return 1.0
        half = 0.32 if y < 0.55 else 0.32 * (0.86 - y) / 0.31
        return abs(x - 0.5) - half

    def color(x: int, y: int) -> tuple[int, int, int, int]:
        return (255, 255, 255, 255) if shield(x / 192, y / 192) < 0 else accent

    def outline(x: int, y: int) -> tuple[int, int, int, int]:
        d = shield((x + 0.5) / 32, (y + 0.5) / 32)
        inner = shield(0.5 + ((x + 0.5) / 32 - 0.5) * 1.25, 0.52 + ((y + 0.5) / 32 - 0.52) * 1.25)
        return (255, 255, 255, 255) if d < 0 <= inner else (0, 0, 0, 0)

    (MANIFEST_DIR / "color.png").write_bytes(png(192, 192, color))
    (MANIFEST_DIR / "outline.png").write_bytes(png(32, 32, outline))


if __name__ == "__main__":
    if sys.argv[1:] == ["--draw-icons"]:
        draw_icons()
        raise SystemExit(0)
    raise SystemExit(main())
