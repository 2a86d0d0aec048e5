"""The Agents Playground's web UI in headless Chromium: cards drawn by Microsoft's own renderer and
pressed as a person presses them, so a card the client cannot handle fails the test.

Debian's chromium and Playwright for Python (no downloaded browser); see ../shared/TESTING.md.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, Locator, Page, async_playwright, expect

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CARD = ".ac-preview-panel > .ac-adaptiveCard"
COMPOSE = '[data-lexical-editor="true"][role="textbox"]'
WAIT_MS = 20_000
# The Playground asks for its fonts and icon from the internet, which these machines do not have.
IGNORED = re.compile(r"res-1\.cdn\.office\.net|favicon|ERR_NAME_NOT_RESOLVED|Failed to load resource")


@dataclass
class Chat:
    """One Playground page, as the person it belongs to sees it."""

    page: Page
    shots: Path
    errors: list[str] = field(default_factory=list)

    async def open(self, name: str) -> None:
        """Open a chat from the list on the left ("Personal Chat", "Case room (demo)")."""
        await self.page.get_by_role("treeitem", name=name).click()
        await self.page.locator(COMPOSE).wait_for()

    async def say(self, text: str, *, mention: bool = False) -> None:
        """Type a message and send it; in a group chat the bot is picked from the @ pop-up first."""
        box = self.page.locator(COMPOSE)
        await box.click()
        if mention:
            await box.type("@")
            await self.page.locator('#typeahead-menu [role="menuitem"]', has_text="Scrutiny Panel").click()
            await box.type(" ")
        await box.type(text)
        await self.page.get_by_role("button", name="Send Message").click()

    def cards(self, containing: str) -> Locator:
        """The cards in the open chat that contain this text."""
        return self.page.locator(CARD).filter(has_text=containing)

    async def card(self, containing: str) -> Locator:
        """The latest card containing this text, once it has arrived."""
        found = self.cards(containing).last
        await found.wait_for(timeout=WAIT_MS)
        await found.scroll_into_view_if_needed()
        return found

    async def text(self, containing: str) -> None:
        """Wait for a plain message containing this text."""
        await self.page.get_by_text(containing, exact=False).last.wait_for(timeout=WAIT_MS)

    async def press(self, card: Locator, button: str) -> None:
        """Press a button on a card (a ShowCard opens its sub-form; an Execute reaches the bot)."""
        # Actions are drawn as buttons (or links, for an Open URL) labelled with their title.
        quoted = button.replace('"', '\\"')
        target = card.locator(
            f'button[aria-label="{quoted}"], a[aria-label="{quoted}"], [role=link][aria-label="{quoted}"]'
        )
        await target.last.click()

    async def shot(self, name: str, card: Locator | None = None) -> None:
        """A screenshot, kept with the test's output to look at."""
        target = card if card is not None else self.page
        await target.screenshot(path=str(self.shots / f"{name}.png"))

    async def pick(self, card: Locator, label: str, option: str) -> None:
        """Choose an option of a drop-down (its options are drawn outside the card)."""
        await card.get_by_role("combobox", name=re.compile(re.escape(label))).click()
        await self.page.get_by_role("option", name=option).first.click()

    def renderer_errors(self) -> list[str]:
        """What the page threw or logged as an error, less the Playground's offline noise."""
        return [e for e in self.errors if not IGNORED.search(e)]


@dataclass
class Browser_:
    """A headless Chromium and a page per Playground."""

    browser: Browser
    shots: Path
    chats: list[Chat] = field(default_factory=list)

    async def open(self, url: str) -> Chat:
        """Open a Playground's UI."""
        context = await self.browser.new_context(viewport={"width": 1400, "height": 1800})
        page = await context.new_page()
        chat = Chat(page, self.shots)
        page.on("pageerror", lambda error: chat.errors.append(f"pageerror: {error}"))
        page.on("console", lambda m: chat.errors.append(f"console: {m.text}") if m.type == "error" else None)
        await page.goto(url, wait_until="networkidle")
        self.chats.append(chat)
        return chat


def browser_available() -> bool:
    """Whether Debian's chromium is installed (make test installs it)."""
    return shutil.which(CHROMIUM) is not None


@asynccontextmanager
async def chromium(shots: Path) -> AsyncIterator[Browser_]:
    """Headless Chromium for the test; fails the test if any page threw."""
    await asyncio.to_thread(shots.mkdir, parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        driver = Browser_(browser, shots)
        try:
            yield driver
        finally:
            await browser.close()
    problems = [e for chat in driver.chats for e in chat.renderer_errors()]
    assert not problems, f"the card renderer failed: {problems}"


__all__ = ["Browser_", "Chat", "chromium", "expect", "browser_available"]
