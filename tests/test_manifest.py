"""The Teams app package: valid against Microsoft's schema, the meeting permissions, real icons,
placeholders only in the repository."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from cli.package import MANIFEST_DIR, PackageError, build, render, validate, values_from

ENV = {
    "MicrosoftAppId": "11111111-2222-4333-8444-555555555555",
    "PUBLIC_BASE_URL": "https://panel-bot.example.org",
}


def test_the_filled_manifest_is_valid_against_the_v1_30_schema() -> None:
    manifest = render(values_from(ENV))
    assert manifest["manifestVersion"] == "1.30"
    validate(manifest)
    assert (
        manifest["id"]
        == manifest["bots"][0]["botId"]
        == manifest["webApplicationInfo"]["id"]
        == ENV["MicrosoftAppId"]
    )
    assert manifest["validDomains"] == ["panel-bot.example.org"]


def test_an_invalid_manifest_is_caught_by_the_schema() -> None:
    manifest = render(values_from(ENV))
    manifest["bots"][0]["scopes"] = ["everywhere"]
    with pytest.raises(PackageError, match="scopes"):
        validate(manifest)


def test_the_bot_has_the_scopes_commands_and_meeting_permissions_it_needs() -> None:
    manifest = render(values_from(ENV))
    (bot,) = manifest["bots"]
    assert set(bot["scopes"]) == {"personal", "groupChat", "team"}
    group_commands = {c["title"] for c in bot["commandLists"][0]["commands"]}
    assert {"start", "next", "extend 5", "defer", "end", "agenda", "help"} <= group_commands
    rsc = {p["name"] for p in manifest["authorization"]["permissions"]["resourceSpecific"]}
    assert rsc == {
        "OnlineMeeting.ReadBasic.Chat",
        "OnlineMeetingParticipant.Read.Chat",
        "OnlineMeetingNotification.Send.Chat",
        # Every message in the case-room and waiting-room chats, so each is screened (not only those
        # that mention the bot).
        "ChatMessage.Read.Chat",
    }


def test_the_repository_holds_placeholders_not_ids() -> None:
    text = (MANIFEST_DIR / "manifest.json").read_text(encoding="utf-8")
    assert "{{MICROSOFT_APP_ID}}" in text and "{{BOT_DOMAIN}}" in text
    assert ENV["MicrosoftAppId"] not in text


@pytest.mark.parametrize(
    "env", [{}, {**ENV, "MicrosoftAppId": "not-a-guid"}, {**ENV, "PUBLIC_BASE_URL": "http://x"}]
)
def test_the_package_needs_real_values(env: dict[str, str]) -> None:
    with pytest.raises(PackageError):
        values_from(env)


def read_png(path: Path) -> tuple[int, int, int, list[bytes]]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    idat = data[data.index(b"IDAT") + 4 : data.index(b"IEND") - 8]
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    assert all(raw[y * stride] == 0 for y in range(height))  # our own icons use filter 0 throughout
    pixels = [
        raw[y * stride + 1 + x * 4 : y * stride + 5 + x * 4] for y in range(height) for x in range(width)
    ]
    return width, height, colour, pixels


def test_icons_are_192_colour_and_32_white_outline_on_transparency() -> None:
    width, height, _, pixels = read_png(MANIFEST_DIR / "color.png")
    assert (width, height) == (192, 192) and all(p[3] == 255 for p in pixels)
    width, height, colour, pixels = read_png(MANIFEST_DIR / "outline.png")
    assert (width, height, colour) == (32, 32, 6)
    assert set(pixels) == {b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"}


def test_the_package_zip_has_the_manifest_and_icons_at_its_root(tmp_path: Path) -> None:
    out = build(values_from(ENV), tmp_path / "app.zip")
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert json.loads(package.read("manifest.json"))["id"] == ENV["MicrosoftAppId"]
