"""The identity guard's vocabulary: the name lists it ships, and the words that tell a name from
ordinary panel language (titles and ranks, relationship words, the names of institutions, places,
months and street types).

The name lists are package data (panel/data, see its README for sources and licences), read once
on first use; nothing is downloaded.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources


@dataclass(frozen=True)
class Gazetteer:
    """Forenames, surnames, and the names that are also ordinary English words."""

    forenames: frozenset[str]
    surnames: frozenset[str]
    ordinary: frozenset[str]
    # Every ordinary English word (the dictionary's lower-case entries): a word in a person's place
    # that is none of these is read as a name, whether or not any list knows it.
    english: frozenset[str] = frozenset()


def _read(filename: str) -> frozenset[str]:
    data = resources.files("panel").joinpath("data", filename).read_bytes()
    return frozenset(gzip.decompress(data).decode("ascii").split())


@cache
def gazetteer() -> Gazetteer:
    """The shipped name lists, loaded once per process."""
    return Gazetteer(
        forenames=_read("forenames.txt.gz"),
        surnames=_read("surnames.txt.gz"),
        ordinary=_read("ordinary_names.txt.gz") | FUNCTION_WORDS | PANEL_WORDS,
        english=_read("english_words.txt.gz") | FUNCTION_WORDS | PANEL_WORDS,
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words before a surname that make it a person: courtesy titles, and police ranks in full and in
# the forms officers write them. Matched in any case ("DI", "di", "Di").
TITLES = _words("""
    mr mrs ms miss mx dr prof sir dame lord lady rev revd cllr councillor judge
    pc dc ps ds di dci dsu dcs ci cs supt sgt insp pcso tdc tdi tds det ch acc dcc
    constable sergeant inspector superintendent detective officer commander
""")
# Titles with no other everyday meaning: after one of these even a lower-case surname is a name.
COURTESY_TITLES = _words("mr mrs mx dr")

# A first name alone after one of these is a person ("her partner Jason", "the son, Kai").
RELATIONSHIPS = _words("""
    partner expartner ex husband wife exhusband exwife boyfriend girlfriend exboyfriend
    exgirlfriend fiance fiancee spouse son daughter stepson stepdaughter child baby mother father
    mum mam mom dad stepmother stepfather stepmum stepdad sister brother stepsister stepbrother
    halfsister halfbrother sibling aunt auntie aunty uncle niece nephew cousin grandmother
    grandfather nan nana nanna gran grandma granny grandad granddad grandson granddaughter
    motherinlaw fatherinlaw sisterinlaw brotherinlaw soninlaw daughterinlaw friend neighbour
    neighbor colleague flatmate housemate lodger carer victim suspect perpetrator complainant
    witness landlord landlady employer solicitor manager supervisor
""")
# After these, any capitalised word is a name: "known as Kez", "called Dee".
NAMING_WORDS = _words("called named nicknamed aka alias")

FUNCTION_WORDS = _words("""
    a an the and or but nor if so as at by for from in into of off on onto out over per to up upon
    via with within without about above after against along among around before behind below
    beside between beyond during except inside near since than through till until under unlike
    is am are was were be been being has have had do does did would shall should can could
    may might must not no yes all any both each every few more most other some such only own same
    too very just also again then once here there when where why how what which who whom whose
    this that these those i me my we us our you your he him his she her it its they them their
    re cc fyi eg ie etc nb ok tbc tba asap
""")

# Month abbreviations that are also names (Jan, Jun, Dec) are left out: "Jan Kowalski".
MONTHS = _words("""
    january february march april may june july august september october november december
    feb apr aug sep sept oct nov
""")
WEEKDAYS = _words(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun"
)

# Words in the names of institutions, roles, legislation, systems and events that panel language
# capitalises; a capitalised pair that includes one is not a person's name.
INSTITUTIONS = _words("""
    police constabulary force forces service services professional standards department directorate
    unit team teams lead leads panel board group command gold silver bronze chief deputy assistant
    head heads chair coordinator administrator analyst member members secretary director
    court courts crown magistrates family county council borough city district region regional
    national local home office government ministry justice health nhs trust hospital surgery
    school college university academy social care children childrens adult adults safeguarding
    hub partnership partnerships agency agencies refuge aid women womens men mens support
    victims witnesses prosecution iopc hmicfrs policing federation union unison human resources
    occupational wellbeing welfare legal law laws act acts order orders notice notices scheme
    disclosure protection prevention domestic abuse violence stalking harassment coercive control
    controlling behaviour sexual offences offence serious crime criminal evidence review reviews
    scrutiny conference case cases action actions theme themes meeting meetings sitting sittings
    agenda minutes report reports microsoft outlook niche athena storm connect pnc pnd lead
    bank holiday christmas easter new year eve day days week weeks month months quarter
    north south east west northern southern eastern western central greater upper lower mid
    saint st great old royal kings queens princess prince
    vetting misconduct gross hearing hearings meeting tribunal appeal appeals inquest coroner
    training learning development policy procedure guidance standard standards college code ethics
    response neighbourhood neighbourhoods patrol custody control room investigation investigations
    operation operations operational intelligence public protection risk management plan
    marac mash idva isva dash dvpn dvpo dvds cps hr psd soo sio ppu cid moj ho
    english welsh british scottish irish polish romanian indian pakistani
    trust foundation fund programme project ward advice citizens charity ysgol ysbyty canolfan
    soteria comms sharepoint ofsted capita crimestoppers phoneline whatsapp teams onedrive
    dapn dapo 
    farm estate village
    chairs panels partner partners victim suspect perpetrator officer officers staff
    superintendent inspector sergeant constable detective
    barnardo barnardos llamau galop safelives respect hestia solace nspcc childline cafcass samaritans relate
    shelter karma nirvana hafan cymru calan dvs rape crisis ahimsa paladin suzy lamplugh tender
    leap mankind surviving economic southall black sisters imkaan sanctuary
""")
# Everyday words of police and panel work that the dictionary lacks, and loanwords people write:
# ordinary words, never names, wherever they stand.
PANEL_WORDS = _words("rota rotas deja vu")
# What inns and pubs are called after "the": "the Red Lion", "the Royal Oak", "the Crown and Anchor".
PUB_WORDS = _words("""
    lion crown anchor arms inn oak bell swan plough ship star mitre feathers chequers bull horse hart
    stag fox hound falcon eagle dragon castle tavern head
""")

# How panel members write people's roles in a hurry: "vic says", "perp was bailed", "non mol".
PANEL_SHORTHAND = _words("vic vics perp perps sus susp mol nonmol oic sio sgt insp dcs dsu supt")

# Rivers, coasts and landmarks: "River Severn", "Nash Point". And vehicle makes and models:
# "Ford Fiesta", "red Corsa".
LANDMARKS = _words("""
    river canal point bay beach lake bridge forest moor valley island head mount mountain reservoir
    brook falls cliffs harbour marina pier junction retail centre infirmary hospital station airport
    services motorway bypass roundabout
""")
VEHICLE_MAKES = _words("""
    ford vauxhall corsa astra fiesta focus golf polo bmw audi mercedes toyota nissan honda kia
    hyundai peugeot renault citroen skoda seat volvo tesla mini rover jaguar transit sprinter
    qashqai yaris juke clio octavia
""")

# Counties, police force areas and large towns of England and Wales. A capitalised pair that
# starts with one ("Preston Crown Court", "Kent Police") is a place, not a person.
PLACES = _words("""
    england wales scotland britain uk cymru ireland
    avon somerset bedfordshire berkshire buckinghamshire cambridgeshire cheshire cleveland cornwall
    cumbria derbyshire devon dorset durham dyfed powys essex gloucestershire gwent hampshire
    herefordshire hertfordshire humberside kent lancashire leicestershire lincolnshire london
    merseyside mercia norfolk northamptonshire northumbria northumberland nottinghamshire
    oxfordshire rutland shropshire staffordshire suffolk surrey sussex thames valley warwickshire
    wiltshire worcestershire yorkshire midlands manchester glamorgan gwynedd anglesey conwy
    denbighshire flintshire wrexham ceredigion carmarthenshire pembrokeshire monmouthshire
    swansea cardiff newport bristol bath wight tyne wear teesside
    birmingham leeds sheffield bradford liverpool salford bolton wigan oldham rochdale stockport
    bury tameside trafford preston blackburn blackpool burnley lancaster carlisle kendal barrow
    workington whitehaven penrith newcastle sunderland gateshead darlington middlesbrough
    hartlepool stockton york hull scarborough harrogate wakefield huddersfield halifax doncaster
    rotherham barnsley grimsby scunthorpe lincoln boston nottingham derby leicester coventry
    wolverhampton walsall dudley sandwell solihull stoke stafford telford shrewsbury worcester
    hereford gloucester cheltenham swindon oxford reading slough luton bedford milton keynes
    northampton peterborough cambridge norwich ipswich colchester chelmsford southend basildon
    brighton hove crawley worthing eastbourne hastings guildford woking maidstone canterbury
    dover ashford chatham medway portsmouth southampton winchester bournemouth poole exeter
    plymouth torquay truro taunton yeovil salisbury chester warrington crewe macclesfield
    birkenhead wirral southport chorley warrington widnes runcorn st helens
    camden hackney islington lambeth southwark croydon bromley barnet brent ealing enfield
    haringey harrow hillingdon hounslow lewisham merton newham redbridge richmond sutton
    tower hamlets waltham wandsworth westminster greenwich bexley havering kingston barking
    dagenham hammersmith fulham kensington chelsea
""")

# What follows a house number and a street's name: "7 Orchard Close", "22 Queen St".
STREET_TYPES = _words("""
    street st road rd avenue ave lane ln close cl drive dr way crescent cres court ct place pl
    gardens gdns grove gr terrace tce park hill mews square sq walk view rise row green parade pde
    vale wharf quay yard boulevard gate meadow meadows fold croft chase bank brow heights glen
    wynd circus embankment approach highway hollow nook passage path precinct promenade villas wood
    paddock paddocks pastures lea leys grange cottages buildings estate side
""")
# Street types that are never an everyday word after a number, so they need no capital letter.
PLAIN_STREET_TYPES = _words("street road avenue lane crescent terrace gardens mews grove rd ave")

# Street types that are also common surnames ("Kerry Hill", "Jo Lane") still count as names.
SURNAME_STREET_TYPES = _words("lane hill wood green park bank gate croft chase vale grange lea brow glen")

NOT_A_NAME = (
    FUNCTION_WORDS
    | MONTHS
    | WEEKDAYS
    | INSTITUTIONS
    | PLACES
    | TITLES
    | (STREET_TYPES - SURNAME_STREET_TYPES)
    | LANDMARKS
    | VEHICLE_MAKES
)
# After a title or a relationship word, a town's name is a surname: "DS Harrow", "PC Preston".
NOT_A_NAME_AFTER_TITLE = NOT_A_NAME - PLACES

# What follows a person's name at the head of a sentence ("Dawn Fisher has been moved"), which an
# everyday phrase ("Mark Green done") does not have.
PREDICATES = _words("""
    is was has had have gave gives reported reports asked asks wants wanted said says called calls
    rang attended attends told tells made makes declined refused agreed returned moved works worked
    lives lived left admits admitted denies denied confirmed disclosed phoned texted emailed
    messaged sent received needs needed did does will would should can could must isnt wasnt hasnt
    doesnt didnt wont cant who whose
""")

# What a person does, said right after them: "X rang", "X came round", "X is off sick". A word there
# is in a person's place.
PERSON_VERBS = (PREDICATES - _words("have were are")) | _words("""
    came comes went goes turned arrived threatened hit pushed grabbed knows knew thinks thought got
    gets kept keeps tried tries wrote saw sees rings spoke speaks claims claimed stayed stays drove
    shouted followed messages texts emails phones calls visits visited mentioned raised withdrew
    assaulted couldnt wouldnt shouldnt sends apologised joined signed
""")  # not "have", "are", "were": "Llamau have a refuge space" is an organisation
# Words after which the next is someone spoken to or about: "spoke to X", "according to X", "ask X".
# (Not "visited" or "rang", which take places too: "visited Gosport".)
PERSON_OBJECT_AFTER = _words("""
    told asked ask tell contacted contact phoned texted emailed messaged interviewed arrested chase
    chased chasing ring invite invited inviting thank thanks thanked supervise supervised
    supervising reach reached met meet saw seen cc ccd copy copied loop looped brief briefed remind
    reminded ping pinged message text phone email warn warned get got put meant add added leaving
    leave thx cheers
""")
# Words that open a question, before the word that asks it: "How did X grade the risk?".
QUESTION_WORDS = _words("how when why where what which who whom")
# Words a person follows as much as a place does ("from X", "with X", "for X", "to X"), read as a
# person's place unless a move came before ("moved to X", "came from X"), where a town is as likely.
PERSON_PREPOSITIONS = _words("from by with for to without than re w per like nor")
MOVES = _words("""
    move moved moving went go going gone goes travel travelled drove drive driving transferred posted
    relocated returned headed referred way next due near came come coming far close trip in working
    joining calling dialling dial based travelling
""")
# "waiting on X", "relying on X".
PERSON_OBJECT_AFTER_ON = _words("waiting wait waited relying rely depending depend chasing")
# A question put about someone: "Is X still the OIC?", "Did X ever get it?".
QUESTION_OPENERS = _words("""
    is was has had did does can could would will should may might are were isnt wasnt hasnt didnt
    doesnt cant wont
""")
# What people type in a hurry, which is no one's name: "thx, will chase", "apols, running late".
CHAT_SHORTHAND = _words("""
    thx thnx ty pls plz tbh afaik iirc brb fyi imo imho asap tbc tba mins min hrs apols approx
    refurb obvs wots nvm lol ok okay cheers ta soz bwv refs req reqs whos whats thats theres hes
    shes im ive youre theyre wasnt isnt dont didnt doesnt cant wont couldnt wouldnt shouldnt hasnt
    havent arent werent lets ill youve weve
""")
PERSON_OBJECT_AFTER_TO = _words("spoke speak speaking spoken talked talk talking according")
# Words before a noun that make it a thing's or a role's: "the sergeant said", "our team rang".
DETERMINERS = _words(
    "the a an this that these those our their his her my your its every each no any some another"
)

# Words before a name that say it is a place, not a person: "in Bishop Auckland", "at Marsh Farm".
PLACE_PREPOSITIONS = _words("in at near around outside inside across towards")
# Roles that, in brackets or after a dash, say the name before them is a person's: "Adeyemi (suspect)".
ROLES = RELATIONSHIPS | _words(
    "oic sio idva witness officer pc dc ds pcso staff civilian member constable sergeant inspector"
)


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=2048)
def near_english(word: str) -> bool:
    """Whether a word of five letters or more is one slip of a key from an ordinary English word
    ("recieved", "tommorow"): a typo, not a name no list knows."""
    english = gazetteer().english
    if len(word) < 5:
        return False
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail and head + tail[1:] in english:
            return True
        if len(tail) > 1 and head + tail[1] + tail[0] + tail[2:] in english:
            return True
        for letter in _LETTERS:
            if (tail and head + letter + tail[1:] in english) or head + letter + tail in english:
                return True
    return False
