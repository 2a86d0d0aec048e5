"""One-time download links as a link preview, a proxy and a person meet them: opening the link
(GET or HEAD) shows a page and uses nothing; its button (POST) downloads once; the download is in
the audit trail as taken by whoever held the link; and the page is the same for a link that does
not exist, so it tells nobody which links are live."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from cards import verbs
from cli.demo_data import INFOSEC
from panel.ports import AuditQuery
from tests.bot.world import running_world
from tests.fake_teams import personal, text_of


async def test_a_preview_uses_nothing_and_the_button_downloads_once(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(INFOSEC, personal(INFOSEC), "audit")
        answer = await world.teams.press(
            INFOSEC, personal(INFOSEC), verbs.AUDIT_EXPORT, {"case": world.seeded.references[0]}
        )
        found = re.search(r"https?://[^\s\"']+/exports/[\w-]+", text_of(answer))
        assert found, text_of(answer)
        base = world.teams.bot_url.removesuffix("/api/messages")
        link = base + urlsplit(found.group()).path
        session = world.teams.session
        for _ in range(3):  # a link preview, a proxy's check, the person opening it
            async with session.head(link) as head:
                assert head.status == 200
            async with session.get(link) as page:
                body = await page.text()
                assert page.status == 200 and page.content_type == "text/html"
                assert '<form method="post">' in body and "case_reference" not in body
                assert "form-action 'self'" in page.headers["Content-Security-Policy"]
        async with session.post(link) as download:
            assert download.status == 200 and download.content_type == "text/csv"
            assert "case_reference" in await download.text()
        async with session.post(link) as again:
            assert again.status == 404 and "used or has expired" in await again.text()  # once only
            assert again.content_type == "text/html"  # a page, as the person pressed a button
        async with session.get(base + "/exports/" + "n" * 32) as unknown:
            assert unknown.status == 200 and await unknown.text() == body  # no oracle for live links
        async with world.deps.uow() as uow:
            taken = [e for e in await uow.audit.search(AuditQuery()) if e.event.event == "export.downloaded"]
        assert [e.event.actor_id for e in taken] == ["system:link-holder"]
        # And the reviewer's card says so in words, not "the bot".
        trail = text_of(await world.teams.press(INFOSEC, personal(INFOSEC), verbs.AUDIT_SEARCH, {}))
        assert "whoever held the download link" in trail and "downloaded a one-time export" in trail
