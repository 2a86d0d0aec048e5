"""How cards flag things: text in the default colour on a styled container.

Coloured text is hard to read in some themes (Teams' yellow "warning" text on white is about 1.5:1);
a container's style is drawn by each theme (default, dark, high contrast) with its own readable
pair of background and foreground, so the words keep their contrast and the box carries the alarm.
"""

from __future__ import annotations

from adaptive_cards.card import Container, TextBlock
from adaptive_cards.types import ContainerStyle, Spacing


def warning(text: str) -> Container:
    """Something to act on soon (an agenda that overruns, a case conference recommended)."""
    return Container(
        style=ContainerStyle.WARNING, spacing=Spacing.SMALL, items=[TextBlock(text=text, wrap=True)]
    )


def attention(text: str) -> Container:
    """Something wrong now (an early-warning flag, someone who should not be in the room)."""
    return Container(
        style=ContainerStyle.ATTENTION, spacing=Spacing.SMALL, items=[TextBlock(text=text, wrap=True)]
    )
