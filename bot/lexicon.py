"""Word-level similarity from the sentence embedding model, so paraphrases match (deals ~ contracts, boss ~ head).

MiniLM embeds single words well enough for this; vectors are cached for the life of the process.
"""

from __future__ import annotations

import re
import threading
from typing import Iterable

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS


# Country names whose adjective shares no stem with them; embeddings put them close but not reliably so. Capitals
# that news prose uses for their governments ("Washington", "Beijing") count as the country.
_DEMONYM_GROUPS = [
    {"uk", "u.k.", "britain", "british", "united kingdom", "england", "english"},
    {"us", "u.s.", "usa", "america", "american", "united states", "washington"},
    {"netherlands", "dutch", "holland"},
    {"switzerland", "swiss"},
    {"france", "french"},
    {"spain", "spanish"},
    {"wales", "welsh"},
    {"ireland", "irish"},
    {"china", "chinese", "beijing"},
    {"poland", "polish"},
    {"denmark", "danish", "dane", "danes"},
    {"sweden", "swedish", "swede", "swedes"},
    {"finland", "finnish", "finn", "finns"},
    {"norway", "norwegian"},
    {"greece", "greek"},
    {"turkey", "turkish", "turk"},
    {"scotland", "scottish", "scot", "scots"},
    {"portugal", "portuguese"},
    {"thailand", "thai"},
    {"philippines", "filipino", "philippine"},
    {"iceland", "icelandic"},
    {"belgium", "belgian"},
    {"peru", "peruvian"},
    {"israel", "israeli"},
    {"iraq", "iraqi"},
    {"pakistan", "pakistani"},
    {"bangladesh", "bangladeshi"},
    {"czechia", "czech"},
    {"slovakia", "slovak"},
    {"croatia", "croatian", "croat"},
    {"vietnam", "vietnamese"},
    {"japan", "japanese", "tokyo"},
    {"russia", "russian", "moscow", "kremlin"},
    {"eu", "european union", "brussels"},
    {"netherlands", "dutch"},
]
_DEMONYMS = {name: group for group in _DEMONYM_GROUPS for name in group}
_CAPITAL_CITIES = {"washington", "beijing", "tokyo", "moscow", "brussels"}  # cities, though in the groups above


def demonyms(word: str) -> frozenset[str]:
    """The other names of a lower-cased country or nationality word: "uk" → british, england, ..."""
    return frozenset(_DEMONYMS.get(word, ())) - {word}


def is_country(word: str) -> bool:
    """A lower-cased country (or its people's name), not one of the capitals that stand for its government."""
    return word in _DEMONYMS and word not in _CAPITAL_CITIES


def same_name(a: str, b: str) -> bool:
    """UK ~ British, US ~ American (lower-cased words)."""
    return b in demonyms(a)


# Words for "whoever is in charge": their word vectors sit far from the titles they stand for.
_IN_CHARGE = {"boss", "head", "leader", "chief", "chiefs", "bosses", "heads", "leaders", "leads", "lead", "led", "runs",
              "run", "ran", "running", "heading", "chairs", "chaired", "chairing", "ceo", "ceos"}
TOP_TITLES = {"chief", "executive", "ceo", "chairman", "chairwoman", "chair", "president", "leader", "head", "boss"}
# A company's boss is its chief executive; a chairman runs its board, a president is often its figurehead
_RUNS_IT = {"chief", "ceo"}
_OTHER_TITLES = {"director", "manager", "founder", "owner", "captain", "coach", "governor", "mayor", "commissioner",
                 "secretary"}  # a union is led by its general secretary


# Words for "someone who knows" and the professions that make one.
_EXPERTS = {"expert", "experts", "specialist", "specialists", "academic", "academics", "scientist", "scientists"}
LENGTH_UNITS = frozenset("metre metres meter meters kilometre kilometres km mile miles foot feet yard yards centimetre "
                         "centimetres cm".split())
_PROFESSIONS = {"professor", "doctor", "lecturer", "researcher", "economist", "analyst", "physician", "surgeon",
                "engineer", "lawyer", "historian", "consultant"}
_PROFESSION_SUFFIX = re.compile(r"\w{4,}(ologist|ician|ist)s?$")  # epidemiologist, statistician, economist


def is_profession(word: str) -> bool:
    """A lower-cased common noun naming a profession: "economist", "archaeologists", "professor"."""
    return word in _PROFESSIONS or bool(_PROFESSION_SUFFIX.match(word))


def is_expert(word: str) -> bool:
    """"expert", "scientist": a word any profession answers ("a marine mammal ecologist")."""
    return word in _EXPERTS


def is_title(word: str) -> bool:
    """A lower-cased word for a post ("chief", "chairman", "coach"); news prose capitalises them before a name."""
    return word in TOP_TITLES or word in _OTHER_TITLES


# "a Huawei executive" is anyone with a senior title: its chief, or "the head of its carrier business"
_EXECUTIVES = {"executive", "executives", "official", "officials"}


def is_in_charge(word: str, before: str = "") -> bool:
    """Is the word for whoever is in charge, or for an expert? `before` is the word before it: a "chief
    executive" is one title, not any executive."""
    return word in _IN_CHARGE or word in _EXPERTS or (word in _EXECUTIVES and before != "chief")


def role_match(a: str, b: str) -> float:
    """boss ~ chief executive, head ~ chairman, expert ~ epidemiologist (lower-cased words): how well a word for
    the one in charge, or for an expert, matches a title or profession; 0 when it doesn't."""
    if a == b:
        return 0.0
    if a in _EXPERTS:
        return 0.7 if is_profession(b) else 0.0
    if a in _EXECUTIVES:
        return 0.7 if b in TOP_TITLES or b in _OTHER_TITLES else 0.0
    if a not in _IN_CHARGE:
        return 0.0
    if b in _RUNS_IT:
        return 0.9
    return 0.8 if b in TOP_TITLES else 0.6 if b in _OTHER_TITLES else 0.0


# Words news prose uses for one another that sit too far apart in embedding space ("fine" ~ "penalty" is 0.22).
# Whole word forms, not lemmas: "based" stands for "headquartered", but "base stations" does not.
_SYNONYM_GROUPS = [
    {"staff", "employee", "employees", "worker", "workers", "workforce", "headcount", "employs", "employ", "employed",
     "employing"},
    {"fine", "fines", "fined", "penalty", "penalties", "penalised", "penalized"},
    {"margin", "majority"},
    {"jailed", "jail", "prison", "imprisoned", "imprisonment", "sentenced", "sentence"},
    {"estimate", "estimated", "forecast", "forecasts", "projection", "projected"},
    {"headquartered", "headquarters", "based"},
    {"bought", "buy", "buys", "buying", "acquired", "acquire", "acquisition", "acquisitions", "purchase", "purchased"},
    {"killed", "died", "dead", "deaths", "death", "fatalities", "toll"},
    {"injured", "injuries", "hurt", "wounded"},
    {"missing", "unaccounted"},  # "How many people are still unaccounted for?" → "leaving 23 missing"
    {"ill", "sick", "sickened", "sicken", "sickens", "illness", "illnesses", "sickness"},
    {"people", "folks", "folk"},
    {"passenger", "passengers", "traveller", "travellers", "traveler", "travelers"},
    {"minister", "ministers", "secretary"},  # a British cabinet minister is "Transport Secretary"
    {"earn", "earns", "earned", "pocket", "pockets", "pocketed", "collect", "collects", "collected", "receive",
     "receives", "received"},
    # "how many kids will get free lunches" counts the pupils of a school story
    {"kids", "children", "child", "kid", "pupils", "pupil", "schoolchildren", "youngsters"},
    {"evacuated", "evacuation", "evacuations", "fled", "displaced"},
    {"sacked", "fired", "dismissed", "ousted"},
    {"shops", "stores", "outlets", "branches", "shop", "store", "outlet", "branch"},
    {"study", "trial", "research"},
    {"pupils", "students", "pupil", "student"},
    # "the evacuation of 3,200 people" moved residents; "how many people signed up" counts a trial's patients
    {"people", "residents", "inhabitants", "locals", "villagers", "patients", "participants", "volunteers", "persons",
     "individuals"},
    {"jobs", "job", "positions", "posts", "roles"},  # not the staff group: cutting 300 jobs is no headcount
    {"lawmakers", "legislators", "mps", "deputies", "parliamentarians", "seats", "seat"},
    {"lawmaker", "legislator", "mp", "parliamentarian", "congressman", "congresswoman", "senator"},
    {"takeoff", "take-off", "liftoff", "lift-off"},
    # "a 42,500-seat stadium" holds 42,500 fans
    {"spectators", "spectator", "fans", "attendees", "onlookers", "crowd", "crowds", "seat", "seats"},
    {"term", "mandate", "tenure"},  # "his six-year term" in office
    {"resign", "resigned", "resigns", "resigning", "resignation", "quit", "quits", "quitting"},
    {"departure", "resignation", "exit"},
    {"sponsor", "sponsors", "backer", "backers"},
    {"watchdog", "regulator"},
    {"published", "publish", "publishes", "publication", "released", "release", "releases"},
    {"measures", "restrictions", "curbs"},
    {"shareholders", "investors"},
    {"homes", "households", "houses", "home", "household", "house", "properties", "dwellings"},
    {"luggage", "baggage", "bags", "bag", "suitcases", "suitcase"},
    {"worth", "valued", "valuation"},  # "what was it worth?" → "valued at roughly $6.8 billion"
    {"suspension", "suspended", "ban", "banned"},  # a rider's "four-year ban"
    {"deal", "deals", "agreement", "agreements", "contract", "contracts", "accord", "pact"},
    {"deal", "deals", "takeover", "takeovers", "acquisition", "acquisitions", "merger", "mergers", "buyout"},
    {"matches", "match", "games", "appearances", "fixtures"},
    {"run", "runs", "running", "operate", "operates", "operated", "operating"},  # "operates 167 branches"
    {"run", "runs", "running", "ran", "led", "lead", "leads", "leading"},  # "has led the union since 2019"
    {"created", "create", "creation", "founded", "established", "formed", "launched"},
    {"sought", "seek", "seeks", "seeking", "demanded", "demand", "wanted", "requested"},  # a prosecutor "sought 12 years"
    {"campaigned", "campaign", "campaigning", "pushed", "pushing", "push", "lobbied", "lobbying"},
    {"start", "starts", "started", "starting", "begin", "begins", "began", "begun", "beginning"},
    {"strike", "strikes", "walkout", "walkouts", "stoppage", "stoppages", "dispute"},  # "a dispute that began on ..."
    {"fuel", "propellant"},
    {"total", "totals", "altogether", "combined", "overall"},  # "worth altogether" → "worth 210 million in total"
    {"signal", "signals", "transmit", "transmits", "transmitted", "transmitting", "transmission", "transmissions"},
    {"cap", "caps", "capped", "limit", "limits", "limited", "ceiling"},  # "caps class sizes" ~ "limits classes to 30"
    {"lawyer", "lawyers", "barrister", "barristers", "attorney", "attorneys", "solicitor", "solicitors", "counsel"},
    {"lawsuit", "lawsuits", "suit", "claim", "claims"},
    {"payout", "payouts", "compensation", "damages"},
    {"stock", "shares"},
    {"plane", "planes", "aircraft", "airliner", "airliners", "jet", "jets"},  # not "flights": a plane flies many
    # who did it, by the noun for the doer or by the verb ("the report's author" is who "wrote the report")
    {"author", "authors", "authored", "wrote", "written", "writer"},
    {"founder", "founders", "founded", "co-founder", "co-founded", "established", "started"},
    # "who owns the club?" → "owner Richard Calloway"; "Greystone is controlled by Rupert Ashdown"
    {"owner", "owners", "owns", "owned", "co-owner", "controlled", "controls"},
    {"online", "internet", "web"},  # "internet sales" ~ "online sales"
    {"height", "peak", "heyday"},  # "at its height, how many stores" → "at its peak in 2008"
    {"extra", "further", "additional"},  # "how much extra money" → "invest a further 7 million pounds"
    {"finish", "finished", "finishing", "complete", "completed", "completing", "concluded", "conclude"},
    {"owe", "owes", "owed", "owing", "debt", "debts", "arrears"},
    {"shortfall", "shortfalls", "deficit", "deficits", "gap", "gaps"},  # "a funding gap of £34 million"
    {"footfall", "visits", "visitors", "visitor"},
    {"infections", "infection", "cases"},  # "63 confirmed cases" of a disease
    # what someone said, whichever reporting verb the article or the reader chose
    {"said", "say", "says", "spoke", "told", "tell", "tells", "remark", "remarks",
     "remarked", "comment", "comments", "commented", "stated", "stressed", "insisted", "insists", "talk", "talked",
     "emphasised", "emphasized", "maintained", "maintains", "insist", "insisting", "stress", "stresses", "stressing",
     "emphasise", "emphasize", "emphasising", "emphasizing", "speak", "speaks", "speaking", "speech", "briefing",
     "briefed"},
]
# Words that sit close in embedding space but never stand for one another: revenue is not profit, and a
# profit is not a loss. Each set holds interchangeable words; two words from different sets never match.
_CONTRASTS = [
    {"revenue", "revenues", "sales", "turnover"},
    {"profit", "profits", "earnings", "income"},
    {"loss", "losses", "deficit", "lose", "loses", "lost", "losing"},
    {"cost", "costs", "spending", "expenditure", "expense", "expenses"},
    # the dead are not the injured: "134 people had been injured" says nothing of how many died
    {"killed", "kill", "kills", "died", "die", "dies", "dead", "deaths", "death", "fatalities"},
    {"injured", "injure", "injuries", "injury", "hurt", "wounded"},
    {"primary"},  # "42 secondary schools" are no primary schools
    {"secondary"},
]
_CONTRAST_OF = {w: n for n, group in enumerate(_CONTRASTS) for w in group}

_SYNONYMS: dict[str, set[str]] = {}
# a word in two groups ("people", "children") stands for the words of both; the words of one measure are
# interchangeable too ("turnover" ~ revenue, "spending" ~ costs), however far apart their vectors
for _group in _SYNONYM_GROUPS + _CONTRASTS:
    for _word in _group:
        _SYNONYMS.setdefault(_word, set()).update(_group)


def synonyms(word: str) -> frozenset[str]:
    """The other words of a lower-cased word's synonym group: "fine" → penalty, fined, ..."""
    return frozenset(_SYNONYMS.get(word, ())) - {word}


def has_contrasts(word: str) -> bool:
    return word in _CONTRAST_OF


def contrast_group(word: str) -> int:
    """The word's set of interchangeable measures (-1: none), for comparing many words at once."""
    return _CONTRAST_OF.get(word, -1)


def contrasting(a: str, b: str) -> bool:
    """Two measures a reader must not confuse: "revenue" for "profit", "loss" for "profit"."""
    return a in _CONTRAST_OF and b in _CONTRAST_OF and _CONTRAST_OF[a] != _CONTRAST_OF[b]


_WORD = re.compile(r"\w+")


class WordVectors:
    def __init__(self, embeddings) -> None:
        self._embeddings = embeddings
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def embed_query(self, text: str) -> np.ndarray:
        """The text's vector, computed in the same batch as its content words not seen yet: each model call
        streams all the weights through memory (~10 ms here), so one call, not two. A lemma the matching needs
        later ("worry" of "worried") comes by `ensure`; the article's lemmas are embedded when it loads."""
        missing = sorted({w for w in _WORD.findall(text.lower()) if w not in self._vectors and w not in STOP_WORDS})
        vectors = np.asarray(self._embeddings.embed_documents([text, *missing]), dtype="float32")
        with self._lock:
            self._vectors.update(zip(missing, vectors[1:]))
        return vectors[0]

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Vectors of whole texts (not kept): phrases around an answer, say."""
        return np.asarray(self._embeddings.embed_documents(texts), dtype="float32")

    def ensure(self, words: Iterable[str]) -> None:
        """Embed the words not seen yet, in one batch."""
        missing = sorted({w for w in words if w and w not in self._vectors})
        if not missing:
            return
        vectors = np.asarray(self._embeddings.embed_documents(missing), dtype="float32")
        with self._lock:
            self._vectors.update(zip(missing, vectors))

    def matrix(self, words: list[str]) -> np.ndarray:
        self.ensure(words)
        return np.stack([self._vectors[w] for w in words]) if words else np.zeros((0, 384), dtype="float32")

    def similarity(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        self.ensure((a, b))
        return float(self._vectors[a] @ self._vectors[b])
