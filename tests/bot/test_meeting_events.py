"""Meeting events are read from the raw payload, whatever the casing, and malformed members skipped."""

from __future__ import annotations

from bot.meeting_events import Participant, meeting_id_of, participants


def test_members_are_read_in_either_casing() -> None:
    value = {
        "Members": [
            {
                "User": {"Id": "29:abc", "AadObjectId": "00000000-0000-4000-8000-00000000000A"},
                "Meeting": {"InMeeting": True},
            },
            {
                "user": {"id": "29:def", "aadObjectId": "00000000-0000-4000-8000-000000000006"},
                "meeting": {"inMeeting": True},
            },
        ]
    }
    assert participants(value) == [
        Participant("00000000-0000-4000-8000-00000000000a", "29:abc"),
        Participant("00000000-0000-4000-8000-000000000006", "29:def"),
    ]


def test_malformed_payloads_give_nobody() -> None:
    assert participants(None) == []
    assert participants({"members": "everyone"}) == []
    assert participants({"members": [{"user": "x"}, {"user": {"aadObjectId": 7}}, 3]}) == []


def test_the_meeting_id_comes_from_channel_data() -> None:
    assert meeting_id_of({"meeting": {"id": "MCMxOTpt"}}) == "MCMxOTpt"
    assert meeting_id_of({"Meeting": {"Id": "MCMxOTpt"}}) == "MCMxOTpt"
    assert meeting_id_of({"tenant": {}}) is None
    assert meeting_id_of({"meeting": {"id": "x" * 600}}) is None
