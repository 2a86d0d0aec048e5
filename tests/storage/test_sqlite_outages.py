"""When the SQLite file goes, is replaced or is corrupt: the app says it cannot reach its records,
`/healthz` says down, nothing is confirmed that was not kept, and it never starts afresh on an
empty database in place of one that existed."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from app import create_app
from cli.demo import Seeded
from cli.demo_data import ADMINISTRATOR, CHAIR
from cli.main import main
from panel.errors import StorageUnavailable
from settings import Settings
from storage.sqlite import SqliteStore, StoreMissing
from tests.bot.world import World, running_world, seeded_template
from tests.conftest import TEST_AUDIT_KEY, TEST_KEY
from tests.fake_teams import personal, text_of

CANNOT_REACH = "I can't reach the panel's records just now"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


@pytest.fixture
async def world(template: tuple[Path, Seeded], tmp_path: Path) -> AsyncIterator[World]:
    async with running_world(*template, tmp_path / "data") as running:
        yield running


async def health(world: World) -> int:
    url = world.teams.bot_url.replace("/api/messages", "/healthz")
    async with world.teams.session.get(url) as response:
        return response.status


def remove_database(db: Path) -> None:
    for leftover in db.parent.glob(db.name + "*"):
        leftover.unlink()


async def test_a_database_deleted_under_the_running_app_is_reported_down_and_nothing_is_confirmed(
    world: World,
) -> None:
    assert await health(world) == 200
    remove_database(world.db)
    assert await health(world) == 503
    said = text_of(
        await world.teams.say(
            ADMINISTRATOR, personal(ADMINISTRATOR), "conflict " + world.seeded.references[0]
        )
    )
    assert CANNOT_REACH in said and "declared" not in said
    pressed = text_of(
        await world.teams.press(
            CHAIR, personal(CHAIR), "conflict.declare", {"case": world.seeded.references[1]}
        )
    )
    assert CANNOT_REACH in pressed
    assert not world.db.exists()  # and no new, empty one was made in its place


async def test_a_database_replaced_under_the_running_app_is_not_written_to(world: World) -> None:
    replacement = world.db.with_name("other.db")
    replacement.write_bytes(world.db.read_bytes())
    os.replace(replacement, world.db)
    assert await health(world) == 503
    said = text_of(await world.teams.say(CHAIR, personal(CHAIR), "help"))
    assert CANNOT_REACH in said


async def test_a_corrupt_database_gets_the_plain_answer_not_an_internal_error(world: World) -> None:
    with world.db.open("r+b") as handle:  # the same file, its pages overwritten
        handle.seek(0)
        handle.write(b"\0garbage" * 4096)
    (world.db.parent / (world.db.name + "-wal")).unlink(missing_ok=True)
    said = text_of(await world.teams.say(CHAIR, personal(CHAIR), "cases"))
    assert CANNOT_REACH in said
    answer = await world.teams.press(
        CHAIR, personal(CHAIR), "case.open", {"case": world.seeded.references[0]}
    )
    assert CANNOT_REACH in text_of(answer)
    assert await health(world) == 503


async def test_the_app_never_creates_a_database_in_place_of_a_missing_one(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "panel.db"
    with pytest.raises(StoreMissing, match="panelbot init"):
        await SqliteStore(missing, audit_key=TEST_AUDIT_KEY).open()
    assert not missing.exists()
    settings = Settings(sqlite_path=missing, identity_hash_key=TEST_KEY)
    server = TestServer(create_app(settings, background=False))
    with pytest.raises(StorageUnavailable):
        await server.start_server()
    await server.close()
    assert not missing.exists()


@pytest.mark.parametrize(
    ("prepare", "says"),
    [
        (lambda db: None, "does not exist"),
        (lambda db: db.write_bytes(b"this is not a database at all" * 100), "may be corrupt"),
        (lambda db: db.mkdir(), "cannot be read or written"),
    ],
)
def test_serve_with_an_unusable_store_exits_with_one_clear_line(
    prepare: object,
    says: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "panel.db"
    prepare(db)  # type: ignore[operator]
    monkeypatch.setenv("STORAGE", f"sqlite:///{db}")
    monkeypatch.setenv("IDENTITY_HASH_KEY", "outage-test-key-0123456789-0123456789")
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert main(["serve", "--port", "9"]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_init_creates_a_database_once_and_never_touches_an_existing_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "panel.db"
    monkeypatch.setenv("STORAGE", f"sqlite:///{db}")
    monkeypatch.setenv("IDENTITY_HASH_KEY", "outage-test-key-0123456789-0123456789")
    assert main(["init"]) == 0 and db.exists()
    before = db.read_bytes()
    assert main(["init"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert db.read_bytes() == before


def key_file_is_a_folder(db: Path) -> None:
    db.with_name(db.name + ".identity-key").mkdir(parents=True)


def folder_cannot_be_made(db: Path) -> Path:
    db.parent.parent.mkdir(parents=True, exist_ok=True)
    db.parent.write_text("a file where the folder should be", encoding="utf-8")
    return db


@pytest.mark.parametrize(
    ("prepare", "says"),
    [
        (key_file_is_a_folder, "cannot be read or made (IsADirectoryError)"),
        (folder_cannot_be_made, "cannot be read or made (FileExistsError)"),
    ],
)
def test_a_local_key_that_cannot_be_read_or_made_stops_serve_with_one_line(
    prepare: object,
    says: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "data" / "panel.db"
    prepare(db)  # type: ignore[operator]
    monkeypatch.setenv("STORAGE", f"sqlite:///{db}")
    monkeypatch.delenv("IDENTITY_HASH_KEY", raising=False)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert main(["serve", "--port", "9"]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and len(err.strip().splitlines()) == 2  # heading and line


async def test_a_database_this_account_can_no_longer_open_is_reported_down(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As `chmod 000` under the running app does: open handles still work, but the account could not
    # open the file again. CI runs as root, for whom chmod changes nothing, so the operating
    # system's answer to "may this account read and write it" is played here.
    import storage.sqlite

    assert await health(world) == 200
    real_access = os.access
    monkeypatch.setattr(
        storage.sqlite.os,
        "access",
        lambda path, mode: False if Path(path) == world.db else real_access(path, mode),
    )
    assert await health(world) == 503
    said = text_of(
        await world.teams.say(
            ADMINISTRATOR, personal(ADMINISTRATOR), "conflict " + world.seeded.references[0]
        )
    )
    assert CANNOT_REACH in said and "declared" not in said
