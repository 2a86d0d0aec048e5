"""Descriptions that point at one person without naming them. In a force, a post tied to a place,
a team or a shift ("the custody sergeant at Havant on lates"), a description marked as unique ("the
only Polish officer on the Petersfield team", "the PC who got the medal"), or a relative tied to a
named business ("his wife owns Harbour Nails") is a name to everyone in the room.

Talk about posts and places that points at nobody passes: plural or generic roles ("custody
sergeants across the force", "any inspector can authorise it"), rules ("the custody sergeant should
check…"), places as places ("the Havant custody suite reopens"), and roles used as labels
("the duty inspector rota").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from panel.guard_words import RELATIONSHIPS

_W = r"[A-Za-z][\w'’&.-]*"


def _alternatives(text: str) -> str:
    """A regex alternation of the phrases, longest first, one phrase a line or separated by commas."""
    phrases = sorted({p.strip() for p in re.split(r"[,\n]", text) if p.strip()}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)


# A person by post, rank, job or trade, singular. Abbreviations as officers write them.
POSTS = _alternatives("""
    sergeant, sgt, sarge, inspector, insp, ch insp, chief inspector, superintendent, supt, super,
    chief superintendent, pc, dc, ds, di, dci, dsu, tdc, pcso, special, special constable, constable,
    detective, officer, police officer, detention officer, custody officer, custody nurse, nurse,
    call handler, dispatcher, controller, comms supervisor, control room supervisor, supervisor,
    analyst, intel analyst, trainer, firearms trainer, rep, fed rep, federation rep, unison rep,
    union rep, clerk, front counter clerk, station enquiry officer, enquiry officer, handler,
    dog handler, manager, investigator, probationer, recruit, commander, soco, csi, csi manager,
    scenes of crime officer, beat manager, liaison officer, school liaison officer, licensing officer,
    firearms licensing officer, business partner, hr business partner, chef, licensee, landlord,
    landlady, owner, pharmacist, vet, gp, doctor, paramedic, teacher, head teacher, headteacher,
    teaching assistant, receptionist, caretaker, groundsman, vicar, doorman, bouncer, driver,
    practice manager, shift manager, deputy head, mechanic, hairdresser, barber,
    cleaner, instructor, coach, councillor, secretary, pa
""")
# A relative or associate (not "the victim" or "the suspect": "the victim works in the control room"
# says where a party works, which the post-and-place rule judges on its own).
_PARTIES = {"victim", "suspect", "perpetrator", "complainant", "witness"}
RELATIONS = _alternatives(
    ",".join(sorted(RELATIONSHIPS - _PARTIES))
    + """,
    ex, hubby, bloke, fella, new partner, best friend, brother in law, sister in law, stepdad,
    stepmum, the son, the daughter, the wife, the husband
"""
)
# What ties a post to one place, unit, team or shift.
UNITS = _alternatives("""
    cid, response, custody, control room, team, section, shift, relief, group, unit, department,
    ward, station, nick, hq, headquarters, range, training school, intake, district, area, beat,
    lates, nights, earlies, days, dog section, roads policing, traffic, firearms
""")
_SHIFT = r"(?:[A-Da-d]\s+(?:shift|relief|group|team|section)|lates|nights|earlies)"
# "at Havant", "on Portsmouth CID", "for Stanmore ward", "out of Hamble", "based at", "covering".
# Not "from": "the Detective Inspector from PSD" is how a panel member is introduced.
_TIE = (
    r"(?i:(?:based\s+)?(?:at|in|on|for|out\s+of)|covering|who\s+covers|that\s+covers|covers"
    r"|who\s+runs|runs|who\s+works\s+(?:at|on|in|for))"
)
# What makes a tie generic or part of the case itself: "on any shift", "at every station", "the
# officer in the case", "the inspector on the victim's team".
_GENERIC = (
    r"(?i:(?:any|every|each|all|most|some|their|our|this|that|it|them)\b"
    r"|the\s+(?:day|night|same|whole|rota|phone|list|case|investigation|victim|suspect|file|panel)\b)"
)
_DEF = r"(?i:the|her|his|their|its|vic'?s|victim'?s|suspect'?s|susp'?s)"

# The place is written with a capital (a town, a station, a named team) or is a unit or shift word.
_POST_PLACE = re.compile(
    rf"\b{_DEF}\s+(?i:(?:new|only|acting|duty|senior|female|male|current|local|trainee)\s+)*"
    rf"(?:[A-Za-z]+\s+){{0,2}}(?i:{POSTS})\s+{_TIE}\s+(?!{_GENERIC})(?i:the\s+)?"
    rf"(?:(?![A-Z]{{2,4}}\b)[A-Z]\w+|(?i:{_SHIFT})|(?i:{UNITS})\b)",  # not a department alone: "in PSD"
)
_POST_SHIFT = re.compile(rf"\b{_DEF}\s+(?:[A-Za-z]+\s+){{0,3}}(?i:{POSTS})\s+(?i:on)\s+(?i:{_SHIFT})\b")
# What a post does in the case itself ("the sergeant who took the first report", "the inspector who
# leads on DA"): that is the case's business, not a description of who someone is.
_CASE_WORK = (
    r"(?:took|takes|leads|led|attended|attends|reviewed|reviews|handled|handles|deals|dealt|investigated"
    r"|investigates|arrested|interviewed|signed|completed|should|must|can|will|may|is\s+on\s+duty)\b"
)
# "the only Polish officer…", "the one who…", "the PC who got…", "the first female firearms commander".
_UNIQUE = re.compile(
    rf"\bthe\s+(?:only|first|oldest|youngest)\s+(?:[A-Za-z'’-]+\s+){{0,5}}?"
    rf"(?:{POSTS}|member\s+of\s+staff|recruit|speaker|one)\b"
    rf"|\bthe\s+one\s+(?:who|that|whose|known|they\s+call)\b(?!\s+{_CASE_WORK})"
    rf"|\bthe\s+(?:(?:new|trainee|female|male|acting|guy|woman|lady|man|bloke)\s+)*(?:{POSTS}|guy|woman|lady|man|bloke)"
    rf"\s+(?:who|that|whose|who'?s|whos|that'?s)\s+(?!{_CASE_WORK})",
    re.IGNORECASE,
)
# A relative tied to a business or job: "his wife owns Harbour Nails", "her brother runs the garage".
_RELATION_BUSINESS = re.compile(
    rf"\b(?:her|his|their|the|victim'?s|vic'?s|suspect'?s|susp'?s|partner'?s)\s+(?:new\s+|ex\s+|best\s+)?"
    rf"(?:{RELATIONS})\s+(?:owns|runs|manages|chairs|drives\s+for|works\s+(?:at|on|in|for|reception)"
    rf"|is\s+(?:a|an|the|head)\b|'s\s+(?:a|an|the)\b)",
    re.IGNORECASE,
)
# Someone by a trade at a named place: "the licensee of the Red Lion", "the owner of…", "the woman who runs…".
_TRADE_AT = re.compile(
    r"\b(?i:the)\s+(?i:licensee|landlord|landlady|owner|manager|chef|pharmacist|vet|receptionist|caretaker"
    r"|woman|lady|man|bloke|guy)\s+(?i:of|at|who\s+runs|who\s+owns|that\s+runs)\s+(?i:the\s+)?[A-Z]\w+",
)
PATTERNS = (_POST_PLACE, _POST_SHIFT, _UNIQUE, _RELATION_BUSINESS, _TRADE_AT)


def descriptions(text: str) -> Iterator[tuple[int, int]]:
    """Where the text describes one person without naming them."""
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            yield match.start(), match.end()


# A nickname: what people call someone, in the words that say so ("the lads call him Tank", "refers
# to her as 'Jojo'", "known to everyone as Smudge", "his nickname on the radio is Viper", "aka 'the
# Prof'"). The name is a capitalised word or two, or anything in quotes.
_NICK_CONTEXT = (
    r"(?i:\bcall(?:s|ed)?\s+(?:him|her|them)"
    r"|\b(?:they|everyone|everybody|people|lads|lot|mates|team|all)\s+(?:all\s+)?call"
    r"|\b(?:refers?|referred|referring)\s+to\s+(?:him|her|them)\s+as"
    r"|\bknown\s+(?:to\s+\w+\s+)?as|\bknows?\s+(?:him|her|them)\s+as"
    r"|\bnickname(?:d|\s+(?:on\s+the\s+\w+\s+)?is)?|\baka|\bgoes\s+by)"
)
_NICKNAME = re.compile(
    rf"{_NICK_CONTEXT}\s+(?:[\"'‘“]\s?[^\"'’”]{{1,24}}?[\"'’”]|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
)


def nicknames(text: str) -> Iterator[tuple[int, int]]:
    """Where the text gives what someone is called."""
    for match in _NICKNAME.finditer(text):
        yield match.start(), match.end()
