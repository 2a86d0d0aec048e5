"""The baseline `make bench` measures the panel's turns against: a bare botbuilder bot that answers
every message with one message and does nothing else."""

from __future__ import annotations

from botbuilder.core import ActivityHandler, MessageFactory, TurnContext


class EchoBot(ActivityHandler):
    """Replies to each message with its text: one turn, one outgoing message, no store."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """Echo the text back."""
        await turn_context.send_activity(MessageFactory.text(f"You said: {turn_context.activity.text}"))
