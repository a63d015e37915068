"""How answer spans are cut from a parsed sentence: numbers with their currency, dates with their
parenthetical, names the small spaCy model misses, quotes, and the dependency-tree distances that tie a span
to the question's words. Pure functions over spaCy Docs/Spans; no models are loaded here."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span

from bot.lexicon import LENGTH_UNITS, is_title
from bot.question import NOUN_KINDS

PERSON_NOUNS = frozenset(NOUN_KINDS["person"])

QUOTE = re.compile(r"[“\"]([^”\"]{3,})[”\"]")


def quotes(text: str, min_chars: int = 12) -> list[str]:
    """Quoted passages; shorter ones are mostly scare quotes, except where a word is what someone was called
    ("called the results "striking"")."""
    found = (m.group(1).strip(" ,.") for m in QUOTE.finditer(text))
    return [q for q in found if len(q) >= min_chars]


def quote_continuation(text: str) -> str | None:
    """A sentence that is all quotation, its speaker named in another sentence ('"A fine is nothing.', 'It is
    cheaper to pay."'): its words without the marks, else None."""
    body = text.strip()
    if len(body) < 12 or QUOTE.search(body):
        return None
    opens, closes = body[0] in "\"“", body[-1] in "\"”"
    return body.strip("\"“” ").rstrip(",.") if opens != closes else None


_LINKS = {"and", "of", "for", "&"}  # inside a name: "HM Revenue and Customs", "Department for Transport"


def acronyms(doc) -> dict[str, int]:
    """Initialisms of capitalised word runs: "National Cyber Security Centre" → {"ncsc": index of Centre}; "HM
    Revenue and Customs" → "hmrc" (a short upper-case word gives all its letters, a linking word none or its
    first: "dft")."""
    def named(tok) -> bool:
        return tok.is_alpha and (tok.is_title or tok.is_upper and len(tok) <= 4)

    out: dict[str, int] = {}
    run: list = []
    for k, tok in enumerate(list(doc) + [None]):
        if tok is not None and (named(tok) or run and tok.lower_ in _LINKS and k + 1 < len(doc) and named(doc[k + 1])):
            run.append(tok)
            continue
        for i in range(len(run)):
            for j in range(i + 2, len(run) + 1):
                part = run[i:j]
                if part[0].lower_ in _LINKS or part[-1].lower_ in _LINKS:
                    continue
                letters = [t.text if t.is_upper and len(t) > 1 else t.text[0] for t in part]
                for form in ("".join(w for w, t in zip(letters, part) if t.lower_ not in _LINKS), "".join(letters)):
                    out.setdefault(form.lower(), run[j - 1].i)
        run = []
    return out


MAGNITUDES = {"m", "bn", "b", "k", "mn", "tn", "trn"}  # "£41.5m", "$2bn"


def is_glued_number(tok) -> bool:
    """The 5 of "5G": a digit run glued to letters is a model name, not a quantity (but "41.5m" is one)."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return tok.like_num and not tok.whitespace_ and nxt is not None and nxt.is_alpha and nxt.lower_ not in MAGNITUDES


BASE_WORDS = {"base", "based", "headquarter", "headquartered", "headquarters", "hq", "locate", "located"}


def is_base_of(span) -> bool:
    """"Cambridge" of "Cambridge-based Halvern": the place something is based in."""
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text == "-" and doc[span.end + 1].lower_ in BASE_WORDS


def list_members(doc, i: int) -> list:
    """The heads of the coordinated names that the token's name is one of ("Britain, Germany and Spain"), or []."""
    tok = doc[i]
    while tok.dep_ == "compound" and tok.head.ent_type_ == tok.ent_type_:
        tok = tok.head
    if not tok.ent_type_:
        return []
    first = tok
    while first.dep_ == "conj":
        first = first.head
    members, stack = [], [first]
    while stack:
        t = stack.pop()
        members.append(t)
        stack += [c for c in t.children if c.dep_ == "conj"]
    return [m for m in members if m.ent_type_ == tok.ent_type_] if tok in members else []


_LOCATIVE = {"at", "in", "on", "near", "inside", "outside"}


def is_venue(span) -> bool:
    """The name is where something happens: the object of "at" ("at Ashby Community Hospital"), directly or
    beside its noun ("at the conciliation service Acas")."""
    root = span.root
    if root.dep_ in ("appos", "compound") and root.head.dep_ == "pobj":
        root = root.head
    return root.dep_ == "pobj" and root.head.lower_ == "at"


def in_predicate_of(doc, token_i: int, subject_i: int) -> bool:
    """Does the token belong to the predicate of the subject ("Construction at sea is due to begin in the summer
    of 2026": the summer is when construction begins), through its chain of verbs but no clause of its own
    ("with first power delivered in late 2028")?"""
    subject = doc[subject_i]
    while subject.dep_ == "compound" and subject.pos_ != "PROPN":  # "Huawei base stations" are not Huawei
        subject = subject.head
    if subject.dep_ == "pobj" and subject.head.lower_ == "of" and subject.head.head.dep_ in ("nsubj", "nsubjpass"):
        subject = subject.head.head  # "the largest number of Huawei base stations have been installed in X"
    subject_i = subject.i
    tok, seen_verb = doc[token_i], False
    for _ in range(12):
        if tok.i == subject.head.i and subject.dep_ in ("nsubj", "nsubjpass"):
            return True
        if tok.dep_ == "relcl" and tok.head.i == subject_i:  # "The campaign, which is due to last 10 days"
            return True
        if tok.i != token_i and tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "pobj":
            return False  # "who appointed a 44-year-old banker": the age is the banker's
        seen_verb = seen_verb or tok.pos_ in ("VERB", "AUX")
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        if tok.dep_ == "ROOT" or seen_verb and not (tok.dep_ in ("xcomp", "acomp", "relcl") or tok.dep_ == "conj" and not own_subject):
            return False
        tok = tok.head
    return False


def located_at(doc, token_i: int, anchor_i: int) -> bool:
    """Is the token where the anchor is, through locative phrases only ("a medical at Redmarsh's training ground
    in Cheshire": Cheshire is where the medical is)?"""
    tok = doc[token_i]
    for _ in range(8):
        if tok.dep_ not in ("pobj", "prep", "compound", "poss", "appos") or (tok.dep_ == "prep" and tok.lower_ not in _LOCATIVE):
            return False
        tok = tok.head
        if tok.i == anchor_i:
            return True
    return False


def with_magnitude(span):
    """"£41.5" of "£41.5m": the glued magnitude belongs to the amount."""
    doc = span.doc
    # at a sentence's end the tokenizer keeps the full stop on it: "£6.4m."
    if span.end < len(doc) and not doc[span.end - 1].whitespace_ and doc[span.end].lower_.rstrip(".") in MAGNITUDES:
        return doc[span.start : span.end + 1]
    return span


def trim(span):
    """Drop a glued number at the end of an entity ("more than 40,000 5" of "40,000 5G")."""
    end = span.end
    while end > span.start and is_glued_number(span.doc[end - 1]):
        end -= 1
    if end in (span.end, span.start):
        return span
    return Span(span.doc, span.start, end, label=span.label_)  # keep the entity label


def _bracket_after(doc, span) -> int | None:
    """Where a bracket opened right after the span closes, if it closes within a few words."""
    if span.end + 2 < len(doc) and doc[span.end].text == "(":
        return next((t.i for t in doc[span.end + 1 : span.end + 8] if t.text == ")"), None)
    return None


def with_parenthetical(doc, span):
    """"this morning (20 February)" as one answer."""
    close = _bracket_after(doc, span)
    if close is not None and any(t.ent_type_ in ("DATE", "TIME") for t in doc[span.end + 1 : close]):
        return Span(doc, span.start, close + 1, label=span.label_)  # still a time: "5:42 p.m. (1642 GMT)"
    return span


CURRENCIES = set(
    "euro euros dollar dollars pound pounds sterling yen yuan renminbi crown crowns krone kroner kronor krona franc "
    "francs rupee rupees peso pesos won rand ruble rubles rouble roubles lira shekel shekels dirham dirhams riyal "
    "riyals zloty zlotys forint baht ringgit cent cents pence penny ore oere øre sol soles reais lei leu lev leva kuna "
    "hryvnia naira cedi cedis shilling shillings birr kwacha dinar dinars taka rial rials bitcoin usd eur gbp".split()
)
CURRENCY_SIGNS = set("$€£¥₹")


def is_money(span) -> bool:
    return any(t.ent_type_ == "MONEY" or t.text in CURRENCY_SIGNS or t.lower_ in CURRENCIES for t in span)


def with_currency(span):
    """The amount with its currency ("620 million euro", "61.20 Danish crowns"), labelled MONEY whatever the
    small model called it, or None if it has none."""
    doc = span.doc
    span = with_magnitude(span)
    if span.start > 0 and doc[span.start - 1].text in CURRENCY_SIGNS:  # "£" left out of "£28.6bn"
        return Span(doc, span.start - 1, span.end, label="MONEY")
    if any(ch in CURRENCY_SIGNS for ch in span.text) or span[-1].lower_ in CURRENCIES:
        return Span(doc, span.start, span.end, label="MONEY")  # "250 million pound", tagged QUANTITY
    for end in (span.end, span.end + 1):  # "euros", or one adjective before it ("Danish crowns")
        if end < len(doc) and doc[end].lower_ in CURRENCIES and all(t.pos_ in ("ADJ", "PROPN") for t in doc[span.end : end]):
            # also for a MONEY that left it out: "between 560 million and 600 million"
            return Span(doc, span.start, end + 1, label="MONEY")
    return span if span.label_ == "MONEY" else None


def with_conversion(span):
    """"68 million euros ($74 million)" as one answer, from either sum: a reader may ask in either currency."""
    doc = span.doc
    close = _bracket_after(doc, span)
    if close is not None and is_money(doc[span.end + 1 : close]):
        return Span(doc, span.start, close + 1, label="MONEY")
    if span.start >= 2 and doc[span.start - 1].text == "(" and span.end < len(doc) and doc[span.end].text == ")":
        sums = (with_currency(trim(e)) for e in doc.ents if span.start - 3 <= e.end <= span.start - 1)
        before = next((sp for sp in sums if sp is not None and sp.end == span.start - 1), None)  # "68 million" + "euro"
        if before is not None:
            return Span(doc, before.start, span.end + 1, label="MONEY")
    return span


_RATE_NOUNS = {"hour", "day", "week", "month", "year", "night", "person", "head", "share", "passenger",
               "household", "tonne", "ton", "kilogram", "kilo", "kg", "barrel", "litre", "liter", "gallon",
               "kilowatt-hour", "kwh", "megawatt-hour", "mwh", "unit", "seat", "ticket"}


def with_rate(span):
    """"$11,000" + "a tonne", "8 kilometres" + "per hour", "24.72" + "per euro": what the figure is counted per
    belongs to it."""
    doc, end = span.doc, span.end + 2
    if end > len(doc) or doc[span.end].lower_ not in ("per", "a", "an"):
        return span
    per = doc[end - 1].lower_
    # "24.72 per euro": an exchange rate
    if not (per in _RATE_NOUNS or doc[span.end].lower_ == "per" and per in CURRENCIES):
        return span
    # "a year earlier", "a year on" say when, not what it is counted per
    if end < len(doc) and doc[end - 1].lower_ in TIME_UNITS and doc[end].lower_ in ("earlier", "ago", "before", "later", "on"):
        return span
    return Span(doc, span.start, end, label=span.label_)


UNITS = set("tonne tonnes ton tons barrel barrels litre litres liter liters gallon gallons hectare hectares acre acres "
            "kilogram kilograms kg kilo kilos gram grams ounce ounces megawatt megawatts mw gigawatt gigawatts "
            "gw kilowatt kilowatts kwh mwh twh metre metres meter meters kilometre kilometres km mile miles foot feet "
            "terabyte terabytes tb gigabyte gigabytes gb petabyte petabytes bitcoin storey storeys stories floors "
            "millimetre millimetres millimeter millimeters mm centimetre centimetres centimeter centimeters cm inch inches "
            "yard yards knot knots mph kph degree degrees calorie calories watt watts kw megabyte megabytes mb "
            "times".split())  # "2.6 times higher", "four times the permitted maximum"
_AREA = {"square", "cubic", "sq"}  # "3,400 square kilometres"

_RAIN = "millimetre millimetres millimeter millimeters mm centimetre centimetres cm inch inches".split()
# What a measure noun's value is given in: "what area" → "12 square kilometres", "how much rain" → "610 millimetres"
MEASURE_UNITS = {
    "area": {"hectare", "hectares", "acre", "acres"},  # and any unit after "square"
    "length": set(LENGTH_UNITS), "distance": set(LENGTH_UNITS), "height": set(LENGTH_UNITS), "depth": set(LENGTH_UNITS),
    "width": set(LENGTH_UNITS), "radius": set(LENGTH_UNITS), "altitude": set(LENGTH_UNITS),
    "weight": {"tonne", "tonnes", "ton", "tons", "kilogram", "kilograms", "kg", "kilo", "kilos", "gram", "grams"},
    "volume": {"litre", "litres", "liter", "liters", "gallon", "gallons", "barrel", "barrels"},
    "rainfall": set(_RAIN), "rain": set(_RAIN), "snowfall": set(_RAIN), "snow": set(_RAIN),
    "speed": {"mph", "kph", "knot", "knots"},
    "temperature": {"degree", "degrees"},
}


def measured_in(noun: str, doc) -> list[int]:
    """The units, each after a number, in which the sentence gives the measure `noun` asks for: "area" →
    "kilometres" of "12 square kilometres"."""
    units = MEASURE_UNITS.get(noun, set())
    return [t.i for t in doc if t.i > 0 and (t.lower_ in units or noun == "area" and t.lower_ in UNITS
                                              and doc[t.i - 1].lower_ in _AREA and t.i > 1 and doc[t.i - 2].like_num)
            and (doc[t.i - 1].like_num or noun == "area" and doc[t.i - 1].lower_ in _AREA)]


def is_length(span) -> bool:
    """"41 light years", "330 metres", "12 km": a figure given in a unit of length (how far, tall, deep)."""
    words = [t.lower_ for t in span]
    return any(w in LENGTH_UNITS for w in words) or any(a == "light" and b in ("year", "years") for a, b in zip(words, words[1:]))


def with_unit(span):
    """A bare number and the unit after it ("142,500 tonnes", "1.3 terabytes"), or None without a unit."""
    doc = span.doc
    span = with_magnitude(span)
    if span.end < len(doc) and doc[span.end].lower_ in UNITS:
        return doc[span.start : span.end + 1]
    if span.end + 1 < len(doc) and doc[span.end].lower_ in _AREA and doc[span.end + 1].lower_ in UNITS:
        return doc[span.start : span.end + 2]
    return None


YEAR = re.compile(r"(1[5-9]|20)\d\d")
MONTHS = set("jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july august "
              "september october november december".split())


NAME_PARTICLES = {"de", "del", "della", "di", "da", "la", "le", "van", "von", "der", "den", "du", "of", "al", "bin"}


def proper_runs(doc) -> list:
    """Runs of capitalised words (with name particles: "Avenida del Puerto") or initialisms that are not already one
    entity."""
    entities = {(e.start, e.end) for e in doc.ents}
    runs, start = [], None
    for i in range(1, len(doc) + 1):  # the sentence's first word is capitalised anyway
        tok = doc[i] if i < len(doc) else None
        particle = (tok is not None and start is not None and tok.lower_ in NAME_PARTICLES | {"'s", "’s"}
                    and i + 1 < len(doc) and doc[i + 1].is_title)
        # "Draa-Tafilalet", "Marques-Duarte": a hyphen glued between two capitalised words
        particle = particle or (tok is not None and start is not None and tok.text == "-" and not doc[i - 1].whitespace_
                                and not tok.whitespace_ and i + 1 < len(doc) and (doc[i + 1].is_title or doc[i + 1].is_upper))
        # "the fishing association APPN": an initialism the small model leaves unlabelled is a name too
        if tok is not None and ((tok.is_alpha and (tok.is_title or tok.is_upper and len(tok) > 1)) or particle):
            start = i if start is None else start
            continue
        single_name = i - start == 1 and doc[start].pos_ == "PROPN" and not doc[start].ent_type_ if start is not None else False
        if start is not None and (i - start > 1 or single_name) and (start, i) not in entities:
            runs.append(doc[start:i])
        start = None
    return runs


def is_label_number(span) -> bool:
    """Numbers that name rather than count: "Line 12", "Oct 29"."""
    if span.start == 0 or len(span) != 1:
        return False
    doc = span.doc
    before = doc[span.start - 1]
    # "ATR 72-600", "Boeing 737-800": a model number glued to a maker's name and a variant
    variant = span.end + 1 < len(doc) and doc[span.end].text == "-" and not doc[span.end].whitespace_ and doc[span.end + 1].like_num
    if before.text == "-" and span.start >= 2 and doc[span.start - 2].like_num:  # the 600 of "ATR 72-600"
        return is_label_number(doc[span.start - 2 : span.start - 1])
    return (
        before.lower_.rstrip(".") in MONTHS
        or (before.is_title and before.pos_ in ("PROPN", "NOUN") and span.root.head.i == before.i)
        or (variant and before.pos_ == "PROPN" and (before.is_upper or before.is_title))
    )


def with_head_noun(span):
    """"Hansen" in "the Hansen family foundation" → the whole phrase: the name only modifies the answer."""
    head = span.root.head
    if head.lemma_.lower() in PERSON_NOUNS:
        return span  # "the former Braga coach": the name is the club, the phrase a person
    if span.root.dep_ in ("compound", "nmod") and head.pos_ == "NOUN" and head.i >= span.end:
        if all(t.dep_ in ("compound", "amod", "nmod") for t in span.doc[span.end : head.i]):
            left = min(head.left_edge.i, span.start)
            return span.doc[left : head.i + 1]
    return span


def _next_conjunct(doc, end: int, links: tuple[str, ...], ent_types: frozenset[str]) -> int | None:
    """The end of an entity of these types that follows `end` after one of `links` ("and", ","), or None."""
    if end + 1 < len(doc) and doc[end].lower_ in links and doc[end + 1].ent_type_ in ent_types \
            and doc[end + 1].ent_iob_ == "B":
        return _number_end(doc, end + 1)
    return None


def with_conjoined(span):
    """"two months" + "and ten days" → one span when the same kind of entity follows after "and"."""
    end = _next_conjunct(span.doc, span.end, ("and",), frozenset({span.label_}) - {""})
    return span.doc[span.start : end] if end is not None else span


RANGES = {"between": "and", "from": "to"}


def _number_end(doc, i: int) -> int:
    """The end of the entity or bare amount ("£", "50", "m") that starts at token i, or i if none does."""
    if doc[i].ent_iob_ == "B":
        end = i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return end
    end = i
    while end < len(doc) and (doc[end].like_num or doc[end].text in CURRENCY_SIGNS or doc[end].lower_ in MAGNITUDES):
        end += 1
    return end


def _same_sort(tok, span) -> bool:
    """The token starts an amount like the span: the same entity type, or a bare number or currency sign."""
    return tok.like_num or tok.text in CURRENCY_SIGNS or (tok.ent_type_ != "" and tok.ent_type_ == (span.label_ or span.root.ent_type_))


def with_range(span):
    """Both ends of a range: "between £35m and £50m", "from autumn 2026 to spring 2027" (from either end), and
    the second side of a size ("six metres by four")."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start else ""
    if span.end + 1 < len(doc):
        word = doc[span.end].lower_
        if before in RANGES and word == RANGES[before] and _same_sort(doc[span.end + 1], span):
            end = _number_end(doc, span.end + 1)
            if end > span.end + 1:
                return Span(doc, span.start - 1, end, label=span.label_)
        if word == "by" and doc[span.end + 1].like_num and any(t.ent_type_ == "QUANTITY" for t in span):
            return Span(doc, span.start, _number_end(doc, span.end + 1), label=span.label_)
    if before in ("and", "to"):
        for k in range(span.start - 2, max(-1, span.start - 8), -1):
            if RANGES.get(doc[k].lower_) == before:
                if _same_sort(doc[k + 1], span) and _number_end(doc, k + 1) > k + 1:
                    return Span(doc, k, span.end, label=span.label_)
                break
    return span


_TALLY_LINKS = {"to", "-", "–"}


def with_tally(span):
    """Both sides of a vote or a score: "19 to 14", "38 votes to 21", "7-2", whichever side was found."""
    doc = span.doc
    k = span.end + (span.end < len(doc) and doc[span.end].lemma_.lower() == "vote")
    if k + 1 < len(doc) and doc[k].lower_ in _TALLY_LINKS and doc[k + 1].like_num:
        return Span(doc, span.start, k + 2, label=span.label_)
    k = span.start - 1
    if k >= 1 and doc[k].lower_ in _TALLY_LINKS:
        first = k - 1 - (doc[k - 1].lemma_.lower() == "vote")
        if first >= 0 and doc[first].like_num:
            return Span(doc, first, span.end, label=span.label_)
    return span


def is_tally_side(token) -> bool:
    """"31" or "24" of "voted 31 to 24": one side of a tally, which counts votes or goals, not the noun beside it."""
    doc = token.doc
    after, before = doc[token.i + 1 : token.i + 3], doc[max(0, token.i - 2) : token.i]
    return (len(after) == 2 and after[0].lower_ in _TALLY_LINKS and after[1].like_num) or (
        len(before) == 2 and before[1].lower_ in _TALLY_LINKS and before[0].like_num)


def is_tally(span) -> bool:
    """"31 to 24", "38 votes to 21", "7-2": both sides of a vote or score."""
    inner = span[1:-1]
    return len(span) >= 3 and span[0].like_num and span[-1].like_num and any(t.lower_ in _TALLY_LINKS for t in inner)


def tallies(doc) -> list[Span]:
    """Every vote or score a sentence gives: "38 votes to 21", "7-2"."""
    found = {}
    for tok in doc:
        if tok.like_num:
            span = with_tally(doc[tok.i : tok.i + 1])
            if is_tally(span):
                found[(span.start, span.end)] = span
    return list(found.values())


def with_time(span):
    """"Wednesday" + "evening": a time straight after a date belongs to it."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].ent_type_ in ("DATE", "TIME") and doc[span.end].ent_iob_ == "B":
        return Span(doc, span.start, _number_end(doc, span.end), label=span.label_)
    return span


_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})  # "Ivory Coast and Ghana": a LOC and a GPE to the small model
_THING_TYPES = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC"})  # "the Skerry Dawn and the Jutland Star"


def _name_sorts(ent_type: str) -> frozenset[str]:
    for sorts in (_PLACE_TYPES, _THING_TYPES):
        if ent_type in sorts:
            return sorts
    return frozenset({ent_type})


def _conjunct_before(doc, start: int, sorts: frozenset[str]) -> int | None:
    """The start of a name of these sorts that ends just before `start` and a link ("Utrecht and"), or None."""
    if start >= 2 and doc[start - 1].lower_ in (",", "and", "or") and doc[start - 2].ent_type_ in sorts:
        i = start - 2
        while doc[i].ent_iob_ == "I" and i > 0:
            i -= 1
        return i
    return None


def with_conjoined_names(span):
    """"Italy" of "Italy and Greece" (or "Greece" of "Italy, Greece and Spain"): the whole list of names of that
    sort."""
    if not span.root.ent_type_:
        return span
    doc, start, end = span.doc, span.start, span.end
    sorts = _name_sorts(span.root.ent_type_)
    while (following := _next_conjunct(doc, end, (",", "and", "or"), sorts)) is not None:
        end = following
    if start >= 2 and doc[start - 1].lower_ in ("and", "or") or end > span.end:
        while (preceding := _conjunct_before(doc, start, sorts)) is not None:
            start = preceding
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label_)


def title_before(doc, name_token):
    """"general secretary" of "SUCA general secretary Julien Morvan", "Deputy Health Minister" of "Deputy Health
    Minister Ricardo Ozuna": the title words just before a name, or None."""
    first = min((t.i for t in name_token.subtree if t.ent_type_ == name_token.ent_type_), default=name_token.i)
    start = first
    while start > 0 and doc[start - 1].is_lower and doc[start - 1].pos_ in ("NOUN", "ADJ"):
        start -= 1
    if start < first:
        return doc[start:first] if doc[first - 1].pos_ == "NOUN" else None
    # "Deputy Health Minister Ricardo Ozuna": news prose capitalises a title before a name
    if first == 0 or not doc[first - 1].is_title or doc[first - 1].lower_ not in PERSON_NOUNS:
        return None
    while start > 0 and _part_of_title(doc[start - 1]):
        start -= 1
    return doc[start:first]


def _part_of_title(tok) -> bool:
    """A capitalised word of a title, not the sentence's "On" or "Yesterday" before it."""
    return tok.is_title and tok.ent_type_ not in ("PERSON", "DATE") and not tok.is_stop and tok.pos_ not in (
        "ADP", "ADV", "DET", "SCONJ", "CCONJ")


_FREQUENCY_WORDS = {"every", "each", "per", "a", "an", "daily", "weekly", "monthly", "yearly", "annual", "annually", "hourly",
                    "nightly", "quarterly", "twice", "once", "times"}


def with_every(span):
    """"half hour" of "every half hour": the frequency word before a time belongs to it."""
    if span.start and span.doc[span.start - 1].lower_ in ("every", "each"):
        return span.doc[span.start - 1 : span.end]
    return span


def is_frequency(span) -> bool:
    """"every half hour", "twice a week", "monthly" say how often; "Two open days" does not."""
    words = [t.lower_ for t in span]
    return words[0] in ("every", "each") or any(w in _FREQUENCY_WORDS - {"a", "an"} for w in words) or (
        len(words) > 1 and words[-2] in ("a", "an", "per")
    )


def as_percent(span):
    """"about 68 per cent", whatever the small model labelled it, or None where the span is no share."""
    doc, end = span.doc, span.end
    if span[-1].lower_ in ("cent", "percent", "%"):
        return span
    if end < len(doc) and doc[end].lower_ in ("percent", "%"):
        return doc[span.start : end + 1]
    if end + 1 < len(doc) and doc[end].lower_ == "per" and doc[end + 1].lower_ == "cent":
        return doc[span.start : end + 2]
    return None


_TIMES = {"once", "twice", "thrice"}  # a count of times in one word


def frequencies(doc) -> list[Span]:
    """"once an hour", "three times a week", "twice per season", "about 110 concerts a year": how often, which the
    small model does not see as a time ("every 15 minutes" it does)."""
    out = []
    for tok in doc:
        if tok.lower_ in _TIMES:
            start, i = tok.i, tok.i + 1
        elif tok.lower_ == "times" and tok.i and doc[tok.i - 1].like_num:
            start, i = tok.i - 1, tok.i + 1
        elif tok.lower_ in ("every", "each"):
            start, i = tok.i, tok.i  # "tested ... every week", "every other month"
        elif tok.like_num and tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "NOUN":
            start, i = tok.i, tok.i + 1
            while i < len(doc) and doc[i].pos_ == "NOUN":  # "110 concerts", "40 bus services"
                i += 1
        else:
            continue
        if i < len(doc) and doc[i].lower_ in ("a", "an", "per", "every", "each"):
            i += 1
            while i < len(doc) and (doc[i].like_num or doc[i].pos_ == "ADJ"):  # "once every two weeks"
                i += 1
            if i < len(doc) and doc[i].lemma_.lower() in _UNITS_OF_TIME | {"fortnight", "quarter", "weekend"}:
                out.append(Span(doc, start, i + 1, label="DATE"))
    # "every" of "once every two weeks" or "110 concerts each year" is part of the longer one
    return [sp for sp in out if not any(o.start <= sp.start and sp.end <= o.end and len(o) > len(sp) for o in out)]


def _day_of_month(doc, i: int) -> int | None:
    """The end of "Nov 3", "3 November" or "November 3, 2025" starting at token i, or None."""
    def month(j):
        return j < len(doc) and doc[j].lower_.rstrip(".") in MONTHS and doc[j].text[:1].isupper()

    def day(j):
        return j < len(doc) and doc[j].is_digit and 1 <= int(doc[j].text) <= 31
    if not (month(i) and day(i + 1) or day(i) and month(i + 1)):
        return None
    end = i + 2
    if end + 1 < len(doc) and doc[end].text == "," and YEAR.fullmatch(doc[end + 1].text):
        end += 2
    return end


def with_calendar_date(span):
    """"Monday" + ", Nov 3": the date a weekday stands beside is part of it, labelled or not; "14" of "Aug 14"
    is its day, whose month the small model left out."""
    doc = span.doc
    if span.start > 0:
        end = _day_of_month(doc, span.start - 1)
        if end is not None and end >= span.end:
            return Span(doc, span.start - 1, end, label=span.label_)
    if span[-1].lower_ in WEEKDAYS and span.end + 1 < len(doc) and doc[span.end].text == ",":
        end = _day_of_month(doc, span.end + 1)
        if end is not None:
            return Span(doc, span.start, end, label=span.label_)
    return span


def calendar_dates(doc) -> list[Span]:
    """"Nov 3", "3 November": days of a month the small model left unlabelled."""
    out = []
    for tok in doc:
        end = _day_of_month(doc, tok.i)
        if end is not None and not any(t.ent_type_ == "DATE" for t in doc[tok.i : end]):
            out.append(Span(doc, tok.i, end, label="DATE"))
    return out


TIME_UNITS = {"day", "week", "month", "year", "hour", "minute", "decade", "season", "night"}
_UNITS_OF_TIME = TIME_UNITS | {"second"}  # "second" is an ordinal too: only where a span is already a time


_DEICTIC = {"next", "last", "this", "ago", "yesterday", "today", "tomorrow", "tonight", "coming", "recent"}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_MOMENT_WORDS = _DEICTIC | WEEKDAYS
_UNTIL = {"until", "till", "through", "to", "by"}


def is_moment(span) -> bool:
    """"next week", "on Tuesday": a point in time, with no number of units to measure a length."""
    words = {t.lower_.rstrip(".") for t in span}
    counted = any(t.like_num and t.head.lemma_.lower() in TIME_UNITS for t in span)
    # "in September", "on 3 May 2024" place a moment; "until June 2027" does say how long
    before = span.doc[span.start - 1].lower_ if span.start else ""
    calendar = bool(words & MONTHS) and all(w in MONTHS or w.isdigit() or w in ("the", "of") for w in words)
    clock = bool(words & {"a.m", "p.m", "gmt", "utc"})  # "7:30 p.m." is when, not how long
    return clock or not counted and (bool(words & _MOMENT_WORDS) or calendar and before not in _UNTIL)


_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_CLOCK_AFTER = {"a.m.", "p.m.", "am", "pm", "gmt", "utc", "bst", "cet", "cest", "est", "edt", "pst", "local"}


def clock_times(doc) -> list[Span]:
    """"06:42 local time", "0742 GMT", "2:40 a.m.", "7:52pm": times of day, with what says which clock (the small
    model calls "7:52pm" a number)."""
    out = []
    for tok in doc:
        nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
        if not (_CLOCK.fullmatch(tok.text) or _AM_PM.fullmatch(tok.lower_)
                or tok.is_digit and len(tok) == 4 and nxt in ("gmt", "utc")):
            continue
        end = tok.i + 1
        # "a.m.", "GMT", "local time" (but "time" only after "local")
        while end < len(doc) and (doc[end].lower_ in _CLOCK_AFTER or doc[end].lower_ == "time" and doc[end - 1].lower_ == "local"):
            end += 1
        out.append(Span(doc, tok.i, end, label="TIME"))
    return out


_ELAPSED = re.compile(r"\d{1,2}:\d{2}:\d{2}(?:\.\d+)?")


def elapsed_times(doc) -> list[Span]:
    """"2:00:35", "2:03:41.5": hours, minutes and seconds a race or a task took, which the model calls a number."""
    return [Span(doc, t.i, t.i + 1, label="QUANTITY") for t in doc if _ELAPSED.fullmatch(t.text)]


def is_clock_time(span) -> bool:
    """"2:40 a.m.", "9pm", "0742 GMT": a time of day, not "six hours"."""
    return span.label_ == "TIME" and any(_CLOCK.fullmatch(t.text) or t.lower_ in _CLOCK_AFTER for t in span)


_AM_PM = re.compile(r"\d{1,2}(?:[.:]\d{2})?(?:am|pm)")  # "7.30am", "9pm": one token to the tokenizer
_DAY_PARTS = {"midnight", "noon", "midday", "morning", "afternoon", "evening", "night", "overnight", "dawn", "dusk",
              "lunchtime", "o'clock"}


def is_time_of_day(span) -> bool:
    """"2:40 a.m.", "midnight", "the early hours", "Wednesday evening": when in the day, not only which day (nor
    "the final hour", which the model calls a time too)."""
    words = {t.lower_ for t in span}
    measured = any(t.lemma_.lower() in _UNITS_OF_TIME for t in span)  # "almost 14 minutes": how long
    timed = span.label_ == "TIME" and (any(t.like_num for t in span) and not measured or bool(words & {"early", "small"}))
    return timed or is_clock_time(span) or any(t.lower_ in _DAY_PARTS or _AM_PM.fullmatch(t.lower_) for t in span)


_COUNTING_WORDS = {"a", "an", "half", "several", "few", "couple", "many", "some", "dozen", "dozens", "past", "hundreds"}


def is_length_of_time(span) -> bool:
    """"almost 14 minutes", "a decade", "2:03:41": a number of units of time, not a year ("2019"), a period
    named by no count ("the season") nor another measure ("11 kilometres")."""
    if any(_ELAPSED.fullmatch(t.text) for t in span):
        return True
    counted = any(t.like_num or t.lower_ in _COUNTING_WORDS for t in span)
    return counted and any(t.lemma_.lower() in _UNITS_OF_TIME | {"fortnight", "century"} for t in span)


def is_bare_unit(span) -> bool:
    """"seconds", "hours": a unit of time with no number is no time."""
    return all(t.lemma_.lower() in _UNITS_OF_TIME for t in span)


def is_duration(span) -> bool:
    """"for 10 days", "three years": a length of time, unless it places a moment ("three years ago", "a week
    later")."""
    doc = span.doc
    if span.root.lemma_.lower() not in TIME_UNITS or not any(c.like_num for c in span.root.children):
        return False
    if span.root.dep_ == "pobj" and span.root.head.lower_ in ("for", "over", "within"):
        return True
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return after not in ("ago", "later", "earlier", "before", "after") and not any(t.lower_ in ("ago", "later", "earlier") for t in span)


_TITLE_WORDS = {"chief", "executive", "officer", "financial", "operating", "managing", "director", "chairman",
                "chairwoman", "chair", "president", "vice", "general", "secretary", "minister", "mayor", "head", "coach",
                "manager", "founder", "governor", "commissioner", "dr", "dr.", "professor", "prof", "councillor", "senator",
                "chancellor", "vice-chancellor", "deputy", "prime", "premier", "ceo", "cfo", "judge", "justice", "inspector",
                "superintendent", "constable", "bishop", "editor", "dean", "principal", "captain", "ambassador", "lord", "sir",
                "leader", "spokesman", "spokeswoman", "spokesperson"}


def without_title(span):
    """"Chief Executive Maeve Doolan" → "Maeve Doolan", "Calder Water Chief Executive Anders Holt" → "Anders Holt":
    the name after the last title word, when the model took the title (and whose it is) into the name."""
    doc = span.doc
    titles = [k for k in range(span.start, span.end - 1) if doc[k].lower_ in _TITLE_WORDS and doc[k + 1].lower_ not in _TITLE_WORDS]
    if not titles or doc[titles[-1] + 1].pos_ != "PROPN":
        return span
    return Span(doc, titles[-1] + 1, span.end, label=span.label_)


def title_owner(span) -> list:
    """"Solberg Chief Executive Anders Kjeldsen" → [Solberg]: the name (an entity) written before the title before a
    name; [] for "Fisheries Minister X", whose first word only says which minister."""
    doc, k = span.doc, span.start - 1
    while k >= 0 and doc[k].pos_ == "PROPN" and doc[k].lower_ not in _TITLE_WORDS and doc[k].head.i in range(k + 1, span.end):
        k -= 1  # the rest of the name ("Anders" of "Anders Kjeldsen")
    if k < 0 or doc[k].lower_ not in _TITLE_WORDS:
        return []
    while k >= 0 and (doc[k].lower_ in _TITLE_WORDS or doc[k].text == "-"):  # "Vice-Chancellor Professor"
        k -= 1
    owner = []
    while k >= 0 and doc[k].pos_ == "PROPN" and doc[k].is_alpha and doc[k].lower_ not in _TITLE_WORDS:
        owner.insert(0, doc[k])
        k -= 1
    # a lone word the model names nothing ("Fisheries") says which minister; "Calder Water" or "Solberg" whose
    return owner if len(owner) > 1 or any(t.ent_type_ for t in owner) else []


def title_owners(title) -> list:
    """The words a title belongs to: "Lydia" of "Lydia's chief executive", "Agency" of "president of the Agency"."""
    owners = [c for c in title.children if c.dep_ == "poss"]
    return owners + [g for c in title.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]


def appositive_title_owner(span) -> list:
    """"Ricardo Conde-Pinto, president of the Portuguese Space Agency", "Lydia's chief executive, Sofia Bergmark"
    → the tokens of the named body whose title the person holds; [] when the title names none ("the company's")."""
    doc, root = span.doc, span.root
    titles = [c for c in root.children if c.dep_ == "appos"] + ([root.head] if root.dep_ == "appos" else [])
    for title in titles:
        if title.pos_ != "NOUN" or title.lemma_.lower() not in PERSON_NOUNS and not is_title(title.lower_):
            continue
        for owner in title_owners(title):
            entity = next((e for e in doc.ents if e.start <= owner.i < e.end), None)
            if entity is not None and entity.label_ in ("ORG", "GPE", "NORP", "FAC", "PRODUCT"):
                return [t for t in entity if t.is_alpha and t.lower_ != "the"]
    return []


def named_person(chunk):
    """The named person a description stands beside: "Aigerim Sadykova, 41, the agency's chief wildlife
    scientist", "the group's spokeswoman, Ines Furtado", "X, the trust's director ... and the report's lead
    author"; None when the description is all the sentence says of whoever it is."""
    tok = chunk.root
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    linked = [tok.head] if tok.dep_ == "appos" else []
    linked += [c for c in tok.children if c.dep_ == "appos"]
    return next((t for t in linked if t.ent_type_ == "PERSON"), None)


def whose_title(doc, span, noun_i: int) -> bool:
    """Is the span the body a title belongs to ("president of the Portuguese Space Agency", "Lydia's chief
    executive") rather than who holds it?"""
    return any(owner.i == span.root.i for owner in title_owners(doc[noun_i]))


def owns_a_title(span) -> bool:
    """"Solberg" of "Solberg Chief Executive Anders Kjeldsen": a name before a title before a name is whose the title is."""
    doc, k = span.doc, span.end
    if k >= len(doc) or doc[k].lower_ not in _TITLE_WORDS:
        return False
    while k < len(doc) and doc[k].lower_ in _TITLE_WORDS:
        k += 1
    return k < len(doc) and doc[k].pos_ == "PROPN"


def named_example(chunk):
    """"its Western allies, including the UK" → "the UK"; "ports such as Rotterdam" → "Rotterdam"; else None."""
    doc = chunk.doc
    for prep in chunk.root.children:
        is_such_as = prep.lower_ == "as" and prep.i > 0 and doc[prep.i - 1].lower_ == "such"
        if prep.dep_ == "prep" and (prep.lower_ in ("including", "like") or is_such_as):
            named = next((o for o in prep.children if o.dep_ == "pobj" and o.ent_type_), None)
            if named is not None:
                return doc[named.left_edge.i : named.i + 1]
    return None


_PERSONAL_PRONOUNS = {"he", "she", "i", "they", "we"}


def is_age(span) -> bool:
    """"Moreira, 23," / "aged 40" / "a 23-year-old": a number that is someone's age."""
    doc = span.doc
    after = doc[span.end : span.end + 2].text.lower()
    before = doc[span.start - 1].lower_ if span.start else ""
    # "Keller, 51, who joined ...": a bare number set off by commas right after a name
    after_name = before == "," and after.startswith(",") and span.start >= 2 and doc[span.start - 2].pos_ == "PROPN"
    numeric = span.root.like_num and len(span) == 1
    if any(t.lower_.rstrip(".") in MONTHS for t in span):
        return False  # "this morning (20 February)" is an appositive date
    # the tagger often takes the marker into the span: "21-year-old", "five-year-old", "the age of 15"
    inside = re.fullmatch(r"(\d+|[a-z]+(-[a-z]+)?)-year-old|(the )?age of \d+", span.text.lower()) is not None
    # "who has coached her since she was 14": a bare number someone "was", with no noun after it
    was_then = numeric and before in ("was", "were") and span.start >= 2 \
        and doc[span.start - 2].lower_ in _PERSONAL_PRONOUNS \
        and not (span.end < len(doc) and doc[span.end].pos_ in ("NOUN", "PROPN", "ADP"))
    return span.root.dep_ == "appos" and any(t.like_num for t in span) or before in ("aged", "age") or after.startswith(("years old", "-year-old")) or (
        numeric and after_name
    ) or inside or was_then


def phrase_head(token):
    """The noun a compound modifier belongs to: "battery" → plant in "a battery cell plant"."""
    while token.dep_ == "compound" and token.head.i != token.i:
        token = token.head
    return token


def is_whole_of_part(span) -> bool:
    """"two of the 14 cameras": 14 is the whole a part is counted out of."""
    root = span.root
    of = root.head.head
    return root.dep_ == "nummod" and root.head.dep_ == "pobj" and of.lower_ == "of" and of.head.like_num


def is_multiplier(span) -> bool:
    """"1.8 times more likely", "four times the permitted maximum": a factor, not a count of anything."""
    doc = span.doc
    return (span.end + 1 < len(doc) and doc[span.end].lower_ == "times"
            and doc[span.end + 1].lower_ in ("more", "less", "higher", "lower", "bigger", "larger", "greater", "the", "as"))


def number_in(span):
    """The one number of a span that holds a single number ("21-year-old" → 21), else the span."""
    numbers = [t for t in span if t.like_num]
    return span.doc[numbers[0].i : numbers[0].i + 1] if len(numbers) == 1 and len(span) > 1 else span


def with_region(span):
    """"Esbjerg, Denmark" as one answer: a place followed by the wider place it lies in."""
    doc = span.doc
    if span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].ent_type_ in ("GPE", "LOC"):
        end = span.end + 1
        while end < len(doc) and doc[end].ent_iob_ == "I" or end == span.end + 1:
            end += 1
        return doc[span.start : end]
    return span


FRACTION = re.compile(r"\b(one|two|three|four|\d+) (in|out of) (two|three|four|five|six|seven|eight|nine|ten|\d+)\b|"
                       r"\b(half|(?:a|one|two|three|four|nine)[- ](?:third|quarter|fifth|tenth)s?)\b", re.I)


def fractions(doc) -> list:
    """"one in three", "half": shares the small model does not tag as PERCENT."""
    out = []
    for m in FRACTION.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None:
            out.append(span)
    return out


def is_doer(doc, span, verb_i: int) -> bool:
    """Is the span the subject or by-agent of the verb (through a relative pronoun: "Mensah, who led ...")?"""
    verb = doc[verb_i]
    relative = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("WP", "WDT")), None)
    if verb.dep_ in ("relcl", "acl") and relative is not None:
        antecedent = verb.head
        if relative.lower_ == "who":
            # "Mensah, a cardiologist at the University in Kumasi, who led the study": the parser hangs the
            # clause on the nearest noun; "who" means the nearest person above it
            antecedent = next((t for t in [antecedent, *antecedent.ancestors] if t.ent_type_ == "PERSON"), antecedent)
        if span.start <= antecedent.i < span.end or tree_distance(doc, span.root.i, antecedent.i) <= 1:
            return True
    for child in verb.children:
        if child.dep_ in ("nsubj", "agent") and (child.left_edge.i <= span.root.i <= child.right_edge.i):
            return True
        if child.dep_ == "agent" and any(t.i in range(span.start, span.end) for t in child.subtree):
            return True
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    # "The union said it would seek talks": the pronoun is the speaker (unless the verb names its own doer)
    return (subject is not None and subject.tag_ == "PRP" and verb.dep_ in ("ccomp", "xcomp", "conj")
            and verb.head.i != verb_i and is_doer(doc, span, verb.head.i))


def _preposition_object(span):
    """The noun a preposition governs for this name: "with regional lender Harbury ..." → lender."""
    root = span.root
    return root.head if root.dep_ in ("appos", "compound") and root.head.dep_ == "pobj" else root


def by_agent(doc, span, noun_i: int) -> bool:
    """Is the span the "by" agent of an event noun ("a home defeat by Millbrook Town", "modelling by
    consultants Halberd & Lowe"), or where it came "from" ("drew criticism from the Players' Council")?"""
    root = _preposition_object(span)
    if root.dep_ != "pobj" and span.start and doc[span.start - 1].pos_ == "NOUN":  # the parser may hang the name elsewhere
        root = doc[span.start - 1]
    if root.dep_ != "pobj":
        return False
    noun, holder = doc[noun_i], root.head.head
    if root.head.lower_ == "by":
        return holder.i == noun_i
    # the parser hangs "from" on the verb that has the noun as its object: "drew criticism from X"
    return root.head.lower_ == "from" and (holder.i == noun_i or noun.dep_ == "dobj" and noun.head.i == holder.i)


def is_party(doc, span, noun_i: int) -> bool:
    """Is the span the other side of an agreement noun ("a supply deal with cloud provider Stratacore")?"""
    root = _preposition_object(span)
    # the parser may hang "with" on the verb: "signed a deal with X"
    owner = root.head.head.i if root.dep_ == "pobj" else -1
    return root.head.lower_ in ("with", "between") and owner >= 0 and (owner == noun_i or doc[noun_i].head.i == owner)


def works_at(doc, span, name_i: int) -> bool:
    """Is the span where the named person works ("Karin Ottesen, an aviation analyst at Skagen Securities")?"""
    root = span.root
    if root.dep_ != "pobj" or root.head.lower_ not in ("at", "with", "for"):
        return False
    role = root.head.head
    return role.pos_ == "NOUN" and (role.head.i == name_i or tree_distance(doc, role.i, name_i) <= 1)


def holds_title(doc, span, noun_i: int) -> bool:
    """Does the span name who holds the role noun ("Martin Hale, the leader of ...", "its spokesman, David
    Crewe", "chairman Richard Moss")?"""
    noun, root = doc[noun_i], span.root
    if span.start <= noun_i < span.end:
        return True
    # "Chief Executive Maeve Doolan": the title hangs on the first name, which hangs on the last
    head = noun
    while head.dep_ == "compound" and head.head.i != head.i:
        head = head.head
        if head.i == root.i:
            return True
    linked = (noun.head.i == root.i and noun.dep_ in ("appos", "compound", "nmod")) or (
        root.head.i == noun_i and root.dep_ in ("appos", "compound", "nmod")
    )
    return linked or is_predicated(doc, span, noun_i)


def is_predicated(doc, span, noun_i: int) -> bool:
    """"Okafor was declared mayor", "Lee became chief executive": the noun is said of the span, the verb's subject."""
    noun, root = doc[noun_i], span.root
    return noun.dep_ in ("attr", "oprd") and root.head.i == noun.head.i and root.dep_ in ("nsubj", "nsubjpass")


def in_agent(doc, token_i: int, verb_i: int) -> bool:
    """Is the token inside the subject (or by-agent) of the verb?"""
    verb = doc[verb_i]
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "agent") and child.left_edge.i <= token_i <= child.right_edge.i:
            return True
    return False


AGENT_SUFFIXES = ("er", "or", "ist", "ers", "ors", "ists")


@lru_cache(maxsize=1 << 16)
def same_stem(a: str, b: str) -> bool:
    """European/Europe, warning/warn, announced/announcement: a shared prefix covering most of the shorter
    word — but not a doer and the deed (founder/found, commissioner/commission)."""
    n = min(len(a), len(b))
    if n < 4:
        return False
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and long_[len(short):] in AGENT_SUFFIXES:
        return False
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    # "heads" is not "headquarters": the shared part must be at least half of the longer word too
    return common >= 4 and common >= 0.75 * n and 2 * common >= len(long_)


_CLAUSE_LINKS = {"advcl", "conj", "ccomp", "relcl", "parataxis"}


def governing_verb(token):
    """The nearest verb above a token (or the sentence's root where there is none)."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token


def clause_of(doc, i: int) -> frozenset[int]:
    """The tokens of the clause holding token i: its nearest verb's subtree, less the clauses hung on it ("Sales in
    North America dropped 22%, while sales in Britain slipped 3%": 22% and 3% each have their own)."""
    head = governing_verb(doc[i])
    cache = doc.user_data.setdefault("clauses", {})  # a parsed sentence is kept for the process: found once
    if head.i not in cache:
        out, stack = set(), [head]
        while stack:
            tok = stack.pop()
            out.add(tok.i)
            stack += [c for c in tok.children if not (c.dep_ in _CLAUSE_LINKS and c.pos_ in ("VERB", "AUX"))]
        cache[head.i] = frozenset(out)
    return cache[head.i]


def tree_distance(doc, i: int, j: int) -> int:
    if i == j:
        return 0
    path_i = [doc[i]] + list(doc[i].ancestors)
    depth = {t.i: d for d, t in enumerate(path_i)}
    for d, t in enumerate([doc[j]] + list(doc[j].ancestors)):
        if t.i in depth:
            return depth[t.i] + d
    return len(path_i) + 10


def clause_verb(token):
    """The nearest verb above the token (itself included), else the sentence root."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token


def clause_subject(doc, token):
    """The subject of the nearest verb above the token (itself included), or None."""
    verb = clause_verb(token)
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    # "An outbreak traced to ... has sickened 214 people": a coordinated verb without one shares its head's
    verbs = [verb, verb.head] if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") else [verb]
    return next((c for v in verbs for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def figure_phrase(figure):
    """The noun a number counts ("760" → "beds" of "760 beds"), or the number itself when it stands alone."""
    return figure.head if figure.dep_ in ("nummod", "compound", "quantmod") else figure


def in_another_clause(doc, figure_i: int, word_i: int) -> bool:
    """"has 760 beds and 4,300 staff, while Brant Moor has 310 beds": Brant Moor is in a clause that neither holds
    the figure 4,300 nor hangs on its noun ("18 contracts, which were in Europe")."""
    figure, word = doc[figure_i], doc[word_i]
    own, other = clause_verb(figure), clause_verb(word)
    phrase = figure_phrase(figure)
    return own.i != other.i and not other.is_ancestor(figure) and not phrase.is_ancestor(other)


def on_shared_verb(doc, figure_i: int, word_i: int, figures: list[int]) -> bool:
    """"carry 210,000 passengers and 38,000 freight units in the first full year": a phrase on the verb after the
    objects it coordinates tells of each of them, unless a figure has a phrase of its own ("18 in Europe")."""
    figure = doc[figure_i]
    phrase = figure_phrase(figure)
    verb = clause_verb(figure)
    top = doc[word_i]
    while top.head.i != verb.i and top.head.i != top.i:
        top = top.head
    between = [f for f in figures if figure_i < f < word_i]
    return (top.head.i == verb.i and top.dep_ in ("prep", "npadvmod") and top.i > phrase.i
            and not any(c.dep_ == "prep" for c in phrase.children)
            and all(_conjoined_with(phrase, doc[f]) or _change_end(doc[f], verb) for f in between)
            and not any(top.left_edge.i <= f <= top.right_edge.i for f in figures))  # "on top of the 50,000 paid"


def _conjoined_with(phrase, figure) -> bool:
    """"210,000 passengers and 38,000 freight units": the later figure's noun is coordinated with the phrase."""
    other = figure_phrase(figure)
    while other.dep_ == "conj" and other.head.i != other.i:
        other = other.head
        if other.i == phrase.i:
            return True
    return False


def _change_end(figure, verb) -> bool:
    """"fell 3.8% to 64.20 crowns": where a change ended, on the same verb as the change."""
    other = figure_phrase(figure)
    return other.dep_ == "pobj" and other.head.lower_ in ("to", "from") and other.head.head.i == verb.i


def in_clause_subject(doc, figure_i: int, word_i: int) -> bool:
    """"while the smaller Brant Moor has 310 beds": the subject of the figure's own clause."""
    subject = clause_subject(doc, doc[figure_i])
    for _ in range(3):  # "NorthSky ... said it had grounded 96 aircraft": "it" is the reporting clause's subject
        if subject is None or subject.lower_ not in ("it", "they"):
            break
        verb = subject.head.head if subject.head.dep_ in ("ccomp", "conj", "xcomp") else None
        while verb is not None and verb.dep_ == "conj" and clause_subject(doc, verb) is None:
            verb = verb.head  # "cancelled all 640 ... and said it had grounded": the subject both verbs share
        subject = clause_subject(doc, verb) if verb is not None else None
    return subject is not None and subject.left_edge.i <= word_i <= subject.right_edge.i


def conjoined_verbs(verb) -> set[int]:
    """The clauses coordinated with this verb ("spent ..., raised ... and collected ..."), itself included. Not
    clausal complements: in "Ding said the company had signed 30" the speaker owns no figure."""
    top = verb
    while top.dep_ == "conj" and top.head.i != top.i:
        top = top.head
    return {top.i} | {c.i for c in top.subtree if c.pos_ in ("VERB", "AUX") and _conj_chain(c, top)}


def _conj_chain(token, top) -> bool:
    while token.i != top.i:
        if token.dep_ != "conj":
            return False
        token = token.head
    return True
