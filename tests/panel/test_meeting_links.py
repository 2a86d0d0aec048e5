"""The case-room link goes to every SOO on their call card: only a Teams meeting join link, whose
every part has a known shape, is accepted; anything that could carry a name or lead elsewhere is not."""

from __future__ import annotations

import pytest

from panel.errors import ValidationFailed
from panel.sitting import validate_case_room_link

CONTEXT = (
    "%7b%22Tid%22%3a%2200000000-0000-4000-8000-0000000000aa%22"
    "%2c%22Oid%22%3a%2200000000-0000-4000-8000-000000000001%22%7d"
)
CLASSIC = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NmZhZDQ3YzUtZjE2Ny00YjY1%40thread.v2/0"


@pytest.mark.parametrize(
    "link",
    [
        CLASSIC,
        f"{CLASSIC}?context={CONTEXT}",
        "https://teams.microsoft.com/l/meetup-join/19:meeting_NmZhZDQ3YzUtZjE2Ny00YjY1@thread.v2/0",
        "https://teams.microsoft.com/meet/2345678901?p=AbCd1234",
        "https://gov.teams.microsoft.us/meet/2345678901?p=AbCd1234",
        f"  {CLASSIC}  ",  # pasted with spaces around it
    ],
)
def test_teams_join_links_are_accepted(link: str) -> None:
    assert validate_case_room_link(link) == link.strip()


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "http://teams.microsoft.com/meet/2345678901?p=AbCd1234",  # not https
        "https://teams.microsoft.com.evil.example/meet/2345678901",  # another site
        "https://evil.example/l/meetup-join/19%3ameeting_x%40thread.v2/0",
        "https://teams.microsoft.com/l/meetup-join/jordan.blackwood%40example.org/0",  # an address
        "https://teams.microsoft.com/l/meetup-join/firstname.lastname@example.org",
        f"{CLASSIC}?context={CONTEXT}&note=Casey%20Marlowe",  # an extra parameter
        f"{CLASSIC}?context=%7b%22Tid%22%3a%22Casey%20Marlowe%22%7d",  # a context that is not GUIDs
        "https://teams.microsoft.com/meet/2345678901?p=Casey+Marlowe",
        f"{CLASSIC}#Casey",
        "https://user:pass@teams.microsoft.com/meet/2345678901",
        "https://teams.microsoft.com/meet/2345678901?p=AbCd1234" + "x" * 3000,
        "https://teams.microsoft.com/meet/23456789é1",
    ],
)
def test_anything_else_is_refused(link: str) -> None:
    with pytest.raises(ValidationFailed, match="join link"):
        validate_case_room_link(link)
