"""Sending to several chats at once must still keep Teams' per-chat limits (7 a second, 8 in two
seconds, 60 in thirty) and the order of new messages within a chat."""

from __future__ import annotations

import asyncio

import pytest

from bot.send_pace import TEAMS_WINDOWS, SendPace


class FakeTime:
    """A clock that moves only when the pace sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def paced() -> tuple[SendPace, FakeTime]:
    time = FakeTime()
    return SendPace(TEAMS_WINDOWS, time.clock, time.sleep), time


@pytest.mark.asyncio
async def test_an_eighth_send_to_one_chat_inside_a_second_waits_for_the_window() -> None:
    pace, time = paced()
    for _ in range(7):
        assert await pace.clear_to_send("chat-a") == 0.0
    waited = await pace.clear_to_send("chat-a")
    assert waited == pytest.approx(1.0)  # the first of the seven leaves the one-second window


@pytest.mark.asyncio
async def test_two_seconds_allow_eight_sends_not_fourteen() -> None:
    pace, time = paced()
    for _ in range(7):
        await pace.clear_to_send("chat-a")
    time.now = 1.0
    assert await pace.clear_to_send("chat-a") == 0.0  # the eighth, a second later
    waited = await pace.clear_to_send("chat-a")  # a ninth inside two seconds must wait
    assert waited == pytest.approx(1.0)
    assert time.now == pytest.approx(2.0)


@pytest.mark.asyncio
async def test_other_chats_do_not_wait_for_a_busy_one() -> None:
    pace, time = paced()
    for _ in range(8):
        await pace.clear_to_send("chat-a")
    assert await pace.clear_to_send("chat-b") == 0.0


@pytest.mark.asyncio
async def test_thirty_seconds_allow_sixty_sends_to_one_chat() -> None:
    pace, time = paced()
    for _ in range(60):
        await pace.clear_to_send("chat-a")
    started = time.now
    await pace.clear_to_send("chat-a")
    assert time.now >= 30.0 and time.now > started


@pytest.mark.asyncio
async def test_new_messages_to_one_chat_keep_the_order_they_were_sent_in_when_sent_at_once() -> None:
    pace = SendPace()
    arrived: list[str] = []

    async def post(chat: str, text: str, takes_s: float) -> None:
        async with pace.in_order(chat):
            await asyncio.sleep(takes_s)  # the first is slow to reach Teams
            arrived.append(text)

    await asyncio.gather(
        post("room", "case card", 0.05), post("room", "conflict notice", 0.0), post("soo", "call", 0.0)
    )
    assert arrived.index("case card") < arrived.index("conflict notice")
    assert arrived[0] == "call"  # another chat is not held up by the slow one


@pytest.mark.asyncio
async def test_with_no_limits_nothing_waits() -> None:
    time = FakeTime()
    pace = SendPace((), time.clock, time.sleep)
    for _ in range(50):
        assert await pace.clear_to_send("chat-a") == 0.0
    assert time.slept == []


@pytest.mark.asyncio
async def test_order_holds_for_every_message_queued_behind_a_slow_one_and_nothing_is_kept_after() -> None:
    pace = SendPace()
    arrived: list[int] = []

    async def post(number: int) -> None:
        async with pace.in_order("room"):
            await asyncio.sleep(0.02 if number == 0 else 0)
            arrived.append(number)

    await asyncio.gather(*(post(n) for n in range(6)))
    assert arrived == list(range(6))
    assert pace._order == {}  # no chat is held once its sends are done
