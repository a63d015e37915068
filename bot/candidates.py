"""Names, figures and dates as answers inside one evidence sentence.

`entity_options` lists the sentence's spans of the asked-for kind; `tie` works out once how the sentence's words
tie to the question; each of `RULES` rules an option out for one reason; `fit` scores the options left;
`judge_sentence` does all of it for one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from bot import spans
from bot.articles import DATELINE
from bot.evidence import Candidate, Evidence, in_question
from bot.lexicon import (WordVectors, contrast_group, contrasting, has_contrasts, is_country, is_profession, is_title,
                         same_name, synonyms)
from bot.matching import WORD_MATCH_MIN, ArticleNames, cached
from bot.people import marked_as_person
from bot.question import CHANGE_VERBS, GENERIC_NOUNS, LIGHT_WORDS, NOUN_KINDS, NUMBER_WORDS, QuestionInfo, Term, name_groups

OTHER_LABEL_PENALTY = 0.15  # a name of another type may answer (the small model mislabels), but less likely
CONSTRAINT_WEIGHT = 0.5  # how much sitting next to the question's other words ("in 2019", "in Europe") counts
OWNER_SIMILARITY = 0.45  # a sum belongs to a paraphrase of the asked-for word (pay ~ earn, but fee ≁ earn)
PERCENT_FOR_COUNT_PENALTY = 0.7  # a share answers "how many" only where no number counts the thing
TALLY_BONUS = 0.3  # "what was the result of the vote?": a tally ("31 to 24") over a single number
VERB_ARGUMENT_BONUS = 0.3  # a number on the asked-about noun that is what the question's verb did or had done to it
FAR_PENALTY = 0.3  # the sentence's only option of the asked type, but far from the question's words
FOCUS_REACH = 3  # how far (dependency edges) an answer may sit from the noun it must quantify or name
AGE_REACH = 5  # "Mbemba, who joined the academy at the age of 15": an age may sit in a clause on its owner
NUMERIC_KINDS = ("count", "amount", "percent", "money", "distance")

_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "attr", "agent", "dative", "ROOT"}
_NAME_KINDS = ("person", "org", "place", "event")
PLACE_NOUNS = frozenset(NOUN_KINDS["place"])
EVENT_NOUNS = frozenset(NOUN_KINDS["event"]) | {"games", "olympics", "cup", "championship", "championships", "expo", "forum",
                                                "week", "convention", "awards", "tournament", "marathon", "election"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
REPORTING_VERBS = {"say", "announce", "report", "tell", "publish", "release", "unveil", "confirm", "disclose", "reveal",
                   "state", "file"}
_COMPARING = {"from", "than", "against", "versus"}  # "up from 34.8%", "against 38 percent"
_EARLIER = {"previous", "earlier", "former", "old", "prior", "original", "initial"}  # "the previous record of 6.3 meters"
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"}
_ADDED = {"more", "additional", "extra", "further", "new"}  # "12 more", "850 additional nurses"
_QUALIFIER_LABELS = {"GPE", "LOC", "NORP", "ORG", "PERSON", "FAC"}


def entity_options(info: QuestionInfo, doc, words: WordVectors) -> list:
    """The spans of the sentence that are of the asked-for kind: numbers with their currency, names
    whatever label the small model gave them, ages, years, frequencies, person descriptions."""
    numeric = info.kind in NUMERIC_KINDS
    if info.kind in ("money", "amount"):
        # spaCy's small model often tags "620 million euro" as a bare CARDINAL: the currency decides.
        options = [spans.with_currency(spans.trim(e)) for e in doc.ents if e.label_ in ("MONEY", "CARDINAL", "QUANTITY")]
        # either sum of "68 million euro ($74 million)" gives the pair, once
        options = list({(sp.start, sp.end): sp for sp in (spans.with_conversion(o) for o in options if o is not None)}.values())
        if info.kind == "money" and "PERCENT" in info.labels:  # "what did they offer?" → 6.5% over two years
            options += [spans.trim(e) for e in doc.ents if e.label_ == "PERCENT"]
        if info.kind == "amount":
            options += [spans.trim(e) for e in doc.ents if e.label_ in ("PERCENT", "QUANTITY")]
            # "142,500 tonnes" is often a CARDINAL and a noun to the small model
            cardinals = [spans.trim(e) for e in doc.ents if e.label_ == "CARDINAL"]
            options += [sp for sp in map(spans.with_unit, cardinals) if sp is not None]
            # "The ground holds 21,340 spectators": a capacity or an attendance is a count of people; "limits
            # secondary classes to 30": a cap may be a bare count
            if info.focus and info.focus[-1] in _MEASURED_IN_PEOPLE | _LIMITS:
                options += cardinals
            # "to 24.72 per euro": a level given as an exchange rate
            options += [sp for sp in map(spans.with_rate, cardinals) if len(sp) > 2 and sp[-2].lower_ == "per"]
            # "a working majority of 46 seats": the asked-about noun measured in a count of things
            options += [doc[e.start : e.root.head.i + 1] for e in doc.ents if e.label_ == "CARDINAL" and e.root.dep_ == "nummod"
                        and e.root.head.dep_ == "pobj" and e.root.head.head.lower_ == "of"
                        and e.root.head.head.head.lemma_.lower() in info.focus]
    elif info.kind == "percent":
        options = [spans.trim(e) for e in doc.ents if e.label_ == "PERCENT"] + spans.fractions(doc)
        # "about 68 per cent" may be MONEY, or "About 68" a number, to the small model: the words decide
        options += [sp for e in doc.ents
                    if e.label_ != "PERCENT" and (sp := spans.as_percent(spans.trim(e))) is not None]
    else:
        options = [spans.trim(e) for e in doc.ents if e.label_ in info.labels]
        if info.kind in _NAME_KINDS:
            # the small model's labels are unreliable ("Betaalnet" as a place): other names may answer too,
            # but a nationality or a city is not who did something
            others = set() if info.kind == "place" else NAME_LABELS - info.labels - {"GPE", "NORP", "LOC"}
            if info.kind == "org":
                others.add("LOC")  # "a home defeat by Millbrook Town": teams pass for places to the small model
                if info.focus and info.focus[-1] in ("government", "administration", "regime"):
                    others.add("GPE")  # "which government" → Beijing, Washington: a capital for its government
            # but not a name its sentence marks as a person's ("Mirela Ionescu, 39, the company's head of safety")
            options += [e for e in doc.ents if e.label_ in others and not (info.kind == "org" and marked_as_person(e))]
            if info.kind == "place":  # "the museum in Bristol" tagged ORG: a short name may still be the place
                options += [e for e in doc.ents if e.label_ == "ORG" and len(e) <= 2]
                # a venue, whatever the model calls it: "at Ashby Community Hospital", "at the service Acas"
                options += [e for e in doc.ents if e.label_ in NAME_LABELS - info.labels and spans.is_venue(e)]
                # "the town of Odemira", whatever label the model gave the name
                options += [e for e in doc.ents if e.label_ in NAME_LABELS and e.root.head.lower_ == "of"
                            and e.root.head.head.lemma_.lower() in PLACE_NOUNS]
    if info.kind in ("amount", "duration"):  # "eclipsed the time of 2:00:35"
        options += [sp for sp in spans.elapsed_times(doc) if not any(o.start <= sp.start < o.end for o in options)]
    if info.kind == "duration":  # "between 250 and 300 days" tagged MONEY: the time unit decides
        options += [e for e in doc.ents if e.label_ not in info.labels and e[-1].lemma_.lower() in spans.TIME_UNITS
                    and any(t.like_num for t in e)]
    if info.kind == "count" and info.focus and info.focus[-1] in spans.TIME_UNITS:
        # "how many days": "11 days of strikes" is a DATE to the small model, "9,430 hours" a TIME
        options += [e for e in doc.ents if e.label_ in ("DATE", "TIME") and any(t.like_num for t in e)]
    if info.kind == "count":  # "how many respondents" → "83 percent of respondents", if nothing counts them
        options += [spans.trim(e) for e in doc.ents if e.label_ == "PERCENT"]
    if info.kind in ("count", "distance"):
        # "Eleven patients" opening a sentence is tagged ADJ
        options += [doc[t.i : t.i + 1] for t in doc if t.like_num and not t.ent_type_
                    and (t.pos_ == "NUM" or t.lower_ in NUMBER_WORDS)]
    if info.kind == "count":  # "1.8 times more likely" multiplies; "raised rates 14 times" counts
        options = [sp for sp in options if not spans.is_multiplier(sp)]
    if numeric:
        options = [sp for sp in options if not spans.is_label_number(sp)]
    if numeric or info.kind in ("date", "duration"):
        options = [spans.with_range(sp) for sp in options]
    if info.wants_tally:
        options = list({(sp.start, sp.end): sp for sp in map(spans.with_tally, options)}.values())
    if info.kind == "person":
        # "a 52-year-old man" describes someone; "41 people" counts them; a description beside a name yields to it
        options += [nc for nc in doc.noun_chunks if nc.root.lemma_.lower() in spans.PERSON_NOUNS and nc.root.ent_type_ == ""
                  and nc.root.pos_ != "PRON"  # "Sarah Whitlock, who has campaigned": the name answers, not "who"
                  and not any(t.like_num and t.dep_ == "nummod" and t.head.i == nc.root.i for t in nc)
                  and spans.named_person(nc) is None]
    if info.kind == "thing" and info.focus:
        # plain noun phrases only when they are of the asked-for sort ("which operators" → "mobile operators")
        # "its Western allies, including the UK" for "which ally": the example named, not the sort again
        options += [spans.named_example(nc) or nc for nc in doc.noun_chunks if nc.root.ent_type_ == ""
                  and words.similarity(info.focus[-1], nc.root.lower_) >= WORD_MATCH_MIN]
    if info.kind in ("place", "org", "person", "thing", "event"):
        options += spans.proper_runs(doc)  # "Avenida del Puerto", which the small model misses or mislabels
    if info.kind in ("date", "duration"):
        # "Moreira, 23," is often tagged DATE; "two months and ten days" comes in two pieces; "30 years old" is an age
        options = [spans.with_calendar_date(sp) for sp in options]
        options = [spans.with_parenthetical(doc, spans.with_conjoined(sp)) for sp in options
                 if not (len(sp) == 1 and sp[0].like_num and len(sp[0].text) < 3) and not spans.is_age(sp)
                 and sp[-1].lower_ != "old"]
    if info.kind == "duration":  # "next week", "on Tuesday" place a moment; they say nothing of how long
        options = [sp for sp in options if not spans.is_moment(sp) and spans.is_length_of_time(sp)]
    if info.kind == "date":
        # "on Wednesday evening" comes as a date and a time; "monthly" says how often, not when; "within
        # seconds" says neither
        options = [spans.with_time(sp) for sp in options if not spans.is_frequency(sp) and not spans.is_bare_unit(sp)]
        options += [sp for sp in spans.calendar_dates(doc) if not any(o.start <= sp.start < o.end for o in options)]
        # "at 06:42 local time (0742 GMT)", which the small model does not see as a time
        options += [spans.with_parenthetical(doc, sp) for sp in spans.clock_times(doc)
                    if not any(o.start <= sp.start < o.end for o in options)]
    if info.kind == "date" and info.focus and info.focus[-1] == "year":  # "in what year" → a year, not "Wednesday"
        options = [sp for sp in options if any(spans.YEAR.fullmatch(t.text) or t.lower_ == "year" for t in sp)]
    if info.kind == "date" and asks_clock(info):  # "at what time", "at what hour" → "2:40 a.m.", not "Sunday"
        options = [sp for sp in options if spans.is_time_of_day(sp)]
        clock = spans.clock_times(doc)
        clocks = [sp for sp in options if any(c.start < sp.end and sp.start < c.end for c in clock)]
        options = clocks or options  # "at 9:40 a.m., hours after ... late on Tuesday night": the clock says when
    if info.kind == "frequency":  # "how often" → "every half hour", "twice a week", "monthly"
        options = [spans.with_every(sp) for sp in options if spans.is_frequency(spans.with_every(sp))]
        options += [sp for sp in spans.frequencies(doc) if not any(o.start <= sp.start < o.end for o in options)]
    if info.kind == "age":  # only a number that is someone's age ("Keller, 51,"), not any date
        # "21-year-old", "the age of 15" → the number itself
        options = [spans.number_in(e) for e in doc.ents if e.label_ in ("CARDINAL", "DATE") and spans.is_age(e)]
    if info.kind == "place":
        starts_of = {sp.end for sp in options}
        # "BRISTOL, England": England only says where Bristol is
        options = [spans.with_region(sp) for sp in options
                   if not (sp.start >= 2 and doc[sp.start - 1].text == "," and sp.start - 1 in starts_of)]
    if info.kind in ("person", "org", "thing", "place"):  # "the Brolga Ridge wind farm"
        options = [sp if _echoes(sp, info.terms) or _not_a_place_noun(info, sp) else spans.with_head_noun(sp)
                   for sp in options]
    if info.kind in _NAME_KINDS:  # "which countries", "where were they taken" → "Utrecht and Apeldoorn"
        options = [spans.with_conjoined_names(sp) for sp in options]
    options = [sp for sp in options if len(sp) and not spans.is_glued_number(sp[-1])]
    if info.wants_name:  # a description ("a 68-year-old shepherd") is no name
        options = [sp for sp in options if any(t.pos_ == "PROPN" for t in sp)]
    if info.kind == "person":  # "Chief Executive Maeve Doolan" tagged as one name: the title is no part of it
        options = [spans.without_title(sp) for sp in options]
    if info.kind == "distance":  # "120 square kilometres" is an area, not how far; "1.4 times" no length at all
        options += [e for e in doc.ents if e.label_ == "DATE" and spans.is_length(e)]  # "41 light years": a DATE to the model
        options = [sp for sp in options if not any(t.lower_ in ("square", "sq") for t in sp)
                   and spans.is_length(spans.with_unit(sp) or sp)]
    if info.kind in ("person", "org"):  # "the village of Villaseca del Campo" is a place, whatever its label
        options = [sp for sp in options if not (sp.start >= 2 and doc[sp.start - 1].lower_ == "of"
                                                and doc[sp.start - 2].lemma_.lower() in PLACE_NOUNS)]
    if info.kind == "person" and "GPE" not in info.labels:  # a name run the model calls a place is not who did it
        options = [sp for sp in options if not any(t.ent_type_ in _PLACE_LABELS for t in sp)]  # ("São Teotónio")
    return options


def counted_paraphrases(words: WordVectors, focus: str, doc, found: list[int]) -> list[int]:
    """Nouns carrying a number that paraphrase the asked-about noun, for when its match is no number's noun:
    for "how many travellers", "the travel plans of around 368,000 passengers" matches "travel" first."""
    counted = [t.i for t in doc if t.pos_ == "NOUN" and t.i not in found and any(c.dep_ == "nummod" for c in t.children)]
    if not counted:
        return []
    sims = words.matrix([focus]) @ words.matrix([doc[i].lower_ for i in counted]).T
    return [i for i, sim in zip(counted, sims[0]) if sim >= WORD_MATCH_MIN]


@dataclass(frozen=True)
class ArticleFacts:
    """What the answerer knows of a sentence's article beyond the sentence itself."""

    topic: set[str] = field(default_factory=set)  # words in a large share of its sentences, and the lede's names
    names: ArticleNames | None = None
    person_words: set[str] = field(default_factory=set)  # surnames of people named in full


@dataclass
class Ties:
    """How one evidence sentence's words tie to the question, worked out once for all its options."""

    info: QuestionInfo
    ev: Evidence
    question_lower: str
    facts: ArticleFacts
    options: list
    focus_tokens: list[int]  # the asked-about noun, in the sentence
    constraints: list[tuple[float, int]]  # (weight, token) of the names and nouns that tell one option from another
    verb_tokens: list[int]  # the question's verb, in the sentence
    real_verbs: list[int]  # ... as a verb, or the verb that did something to the asked-about thing
    event_nouns: list[int]
    role_nouns: list[int]
    anchors: list[int] | None  # words a time, place or age must sit beside where the question's verb is missing
    named_places: list[int]
    named: list[int]
    asked_names: set[int]
    person_nouns: set[int]
    described: set[int]
    focus_distance: dict[int, int]  # option start → dependency edges to the asked-about noun
    only_one: bool
    dateline: re.Match | None
    people: set[str]
    words: WordVectors

    @property
    def doc(self):
        return self.ev.doc

    @property
    def numeric(self) -> bool:
        return self.info.kind in NUMERIC_KINDS

    @cached_property
    def starts(self) -> list[int]:
        return sorted(sp.start for sp in self.options)

    @cached_property
    def _term_places(self) -> list[tuple[float, set[int]]]:
        """Per question term found in the sentence: its weight times its match strength, and the tokens saying it
        (the match, and every token of its lemma)."""
        lemmas = cached(self.doc, "lower_lemmas", lambda d: [t.lemma_.lower() for t in d])
        return [(term.weight * m, {k} | {j for j, lemma in enumerate(lemmas) if lemma == term.lemma})
                for term, (m, k) in zip(self.info.terms, self.ev.matches) if m > 0]

    @cached_property
    def _asked_weight(self) -> float:
        return sum(term.weight for term in self.info.terms)

    def share_said_in(self, tokens) -> float:
        """How much of the question (its terms' weight) these tokens say, not the sentence around them."""
        if not self._asked_weight:
            return float("nan")
        return sum(said for said, places in self._term_places if not places.isdisjoint(tokens)) / self._asked_weight

    @cached_property
    def figures(self) -> list[int]:
        return [_figure(sp).i for sp in self.options]

    @cached_property
    def question_names(self) -> set[str]:
        return {t.text for t in self.info.terms if t.is_name}

    @cached_property
    def question_name_groups(self) -> list[set[str]]:
        """The words of each name in the question: {"marrowby", "airport"}."""
        terms = self.info.terms
        return [{terms[i].text for i in group} for group in name_groups(terms)]

    @cached_property
    def question_words(self) -> set[str]:  # "the minister responsible for maritime affairs" names its sort
        return {t.text for t in self.info.terms}

    @cached_property
    def asks_base(self) -> bool:
        return any(t.lemma in spans.BASE_WORDS or t.text in spans.BASE_WORDS for t in self.info.terms)

    def owner_end(self, span) -> int:
        """A number owns the words up to the next number."""
        return next((st for st in self.starts if st > span.start), len(self.doc))

    def owns(self, span, word_i: int, contrasted_subject: bool = False) -> bool:
        """A number owns the words up to the next number in its own clause, and the subject of that clause; with
        contrasted_subject, only a subject set against a figure of another clause ("has 760 beds, while Brant Moor
        has 310 beds"), so that a name before a figure does not make it the name's figure ("Mbemba will earn ...")."""
        doc, figure = self.doc, _figure(span).i
        # "two of the 14 cameras covering the gallery": the part counted owns all it is counted out of
        if doc[figure].pos_ == "NUM" and any(c.dep_ == "prep" and c.lower_ == "of" and c.left_edge.i <= word_i <= c.right_edge.i
                                             for c in doc[figure].children):
            return True
        if span.start <= word_i < self.owner_end(span):
            return not spans.in_another_clause(doc, figure, word_i)
        if word_i >= span.end and spans.on_shared_verb(doc, figure, word_i, self.figures):
            return True
        if word_i >= span.start or not spans.in_clause_subject(doc, figure, word_i):
            return False
        return not contrasted_subject or any(
            sp.start < word_i and spans.in_another_clause(doc, _figure(sp).i, word_i) for sp in self.options)

    def called_so(self, span) -> bool:
        """The sentence calls it the asked-for sort of place ("the town of Odemira")."""
        return self.info.kind == "place" and any(spans.tree_distance(self.doc, span.root.i, f) <= 2 for f in self.named_places)

    def far(self, span) -> bool:
        """A time, place or age away from the question's words, where the sentence lacks the question's verb."""
        root, doc = span.root.i, self.doc
        return self.anchors is not None and not self.called_so(span) and not any(
            spans.located_at(doc, root, a) or spans.in_predicate_of(doc, root, a) for a in self.anchors) and min(
            (spans.tree_distance(doc, root, a) for a in self.anchors), default=99
        ) > _reach(self.info, span)


def tie(info: QuestionInfo, ev: Evidence, question_lower: str, facts: ArticleFacts, words: WordVectors) -> Ties:
    doc = ev.doc
    numeric = info.kind in NUMERIC_KINDS
    options = entity_options(info, doc, words)
    pairs = list(zip(info.terms, ev.matches))
    # "which nation": every country's name resembles the word, so a resemblance marks none of them out
    category = info.kind == "place" and not info.focus_required
    focus_tokens = [w for t, (m, w) in pairs if t.is_focus and m >= WORD_MATCH_MIN
                    and not (category and m < 0.9 and doc[w].pos_ == "PROPN")]
    if numeric:  # "760 beds ..., while Brant Moor has 310 beds": the asked-about noun again, in a clause of its own
        focus_tokens += [k.i for k in doc if k.i not in focus_tokens and any(
            k.lemma_.lower() == doc[f].lemma_.lower() and k.pos_ == doc[f].pos_ and spans.in_another_clause(doc, f, k.i)
            for f in focus_tokens)]
    if numeric and focus_tokens and not any(
        spans.tree_distance(doc, sp.root.i, f) <= FOCUS_REACH for sp in options for f in focus_tokens
    ):
        focus_tokens += counted_paraphrases(words, info.focus[-1], doc, focus_tokens)
    topic = facts.topic
    constraints = [
        (t.weight * m, w) for t, (m, w) in pairs
        if m > 0 and not t.is_focus and t.pos in ("PROPN", "NOUN", "NUM", "ADJ") and t.text not in topic
    ]
    verb_tokens = [w for t, (m, w) in pairs if m > 0 and t.lemma == info.verb]
    real_verbs = [v for v in verb_tokens if doc[v].pos_ == "VERB"]
    # "modelling by consultants X" for "which firm carried out the modelling"
    event_nouns = [w for t, (m, w) in pairs if m > 0 and doc[w].pos_ == "NOUN"]
    # "who leads" → "the leader, X", "the project's lead archaeologist, X"
    role_nouns = [doc[v].head.i if doc[v].dep_ in ("amod", "compound") and doc[v].head.pos_ == "NOUN" else v
                  for v in verb_tokens if doc[v].pos_ == "NOUN" or doc[v].head.pos_ == "NOUN" and doc[v].dep_ == "amod"
                  or is_title(doc[v].lower_)]  # "Chief Executive Maeve Doolan": a title tagged a proper noun
    if not verb_tokens:
        # the question's verb isn't here ("supplied" for "donated"): whoever did what happened to the asked-
        # about thing ("the pills were donated by X", "Excavations, which were led by X") may still be the doer
        # ("will build a battery cell plant": the matched words may modify the object)
        objects = [spans.phrase_head(doc[w]) for t, (m, w) in pairs if m > 0]
        real_verbs = [o.head.i for o in objects if o.dep_ in ("dobj", "nsubjpass") and o.head.pos_ == "VERB"]
        real_verbs += [c.i for t, (m, w) in pairs if m > 0 and not t.is_name
                       for c in doc[w].children if c.dep_ in ("relcl", "acl") and c.pos_ == "VERB"]
    # Times, places and ages hang on the verb; where the sentence lacks it, they must at least sit next to
    # the question's other words.
    anchors = None
    if info.kind in ("place", "date", "age", "duration") and not verb_tokens:
        anchors = [w for t, (m, w) in pairs if m > 0 and not (t.is_focus and not info.focus_required)]
        if info.kind == "age" and not anchors:
            # "How old is Pellow?": the age must be his, not that of "Okonjo, a 41-year-old pharmacist" beside him
            anchors = [w for t, (m, w) in pairs if m > 0 and t.is_name] or None
    # "the project's lead archaeologist, Dr Rachel Amis": naming the person noun is answering "who"
    person_nouns = {t.i for t in doc if t.lemma_.lower() in spans.PERSON_NOUNS or is_profession(t.lower_)} if info.kind == "person" else set()
    # A bare number standing for an elided noun ("... and nine in the Middle East") shares the focus
    # attachment of the numbers beside it.
    # measured from the number where the parser hangs a figure's last piece elsewhere ("m" of "£1.8m")
    focus_distance = {sp.start: min((spans.tree_distance(doc, _figure(sp).i, f) for f in focus_tokens), default=99) for sp in options}
    if numeric and focus_distance:
        attached = min(focus_distance.values())
        for sp in options:
            if sp.root.pos_ != "NUM" or sp.root.dep_ == "nummod" or spans.is_money(sp) or spans.is_tally_side(sp.root):
                continue
            # "all 640 of its flights", "2,100 of Kattegat's 4,800 employees": the number counts the noun after "of"
            counted = [g for c in sp.root.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ == "pobj" and g.pos_ == "NOUN"]
            if counted:
                focus_distance[sp.start] = min((spans.tree_distance(doc, counted[0].i, f) for f in focus_tokens), default=99)
            else:  # a bare number, its noun left unsaid (an amount of money has its own noun: the currency)
                focus_distance[sp.start] = attached
        # "Turnout was 46.3%, up from 34.8%": the figure compared with is a figure of the same thing
        for sp in options:
            if _is_compared(sp):
                near = [focus_distance[o.start] for o in options
                        if o.start != sp.start and spans.tree_distance(doc, sp.root.i, o.root.i) <= 6]
                focus_distance[sp.start] = min([focus_distance[sp.start]] + near)
    # The sentence's only date is its answer even when far from the question's words ("send a corrected
    # version of the software, starting on 18 November"), though less surely. Not so a place: "London" may
    # be only where someone spoke. A date that modifies a noun ("the winter timetable") is no time of an event.
    only_one = anchors is not None and info.kind == "date" and sum(
        sp.label_ in info.labels and sp.root.dep_ not in ("compound", "amod") for sp in options) == 1
    return Ties(
        info=info,
        ev=ev,
        question_lower=question_lower,
        facts=facts,
        options=options,
        focus_tokens=focus_tokens,
        constraints=constraints,
        verb_tokens=verb_tokens,
        real_verbs=real_verbs,
        event_nouns=event_nouns,
        role_nouns=role_nouns,
        anchors=anchors,
        # the asked-for sort of place, word for word ("which town" → "the town of Odemira")
        named_places=[w for t, (m, w) in pairs if t.is_focus and m >= 0.9],
        named=[w for t, (m, w) in pairs if m > 0 and t.is_name and t.text not in topic],
        asked_names={w for t, (m, w) in pairs if m > 0 and t.is_name},
        person_nouns=person_nouns,
        described={w for t, (m, w) in pairs if m >= WORD_MATCH_MIN and t.pos == "NOUN" and not t.is_focus and not t.is_predicate},
        focus_distance=focus_distance,
        only_one=only_one,
        # "LISBON, June 18 (Reuters) -": when, where and by whom the story was filed, which answers only "when did
        # X say", not when, where or by whom anything happened
        dateline=DATELINE.match(ev.sentence.text) if info.verb not in REPORTING_VERBS else None,
        people=facts.person_words if info.kind in ("place", "org") else set(),
        words=words,
    )


# -- rules: each rules an option out, for a reason its name and docstring give ----------------------------


def _echoes_question(span, text, t: Ties) -> bool:
    """Every word of the option is the question's own."""
    return _echoes(span, t.info.terms)


def _surname_as_place(span, text, t: Ties) -> bool:
    """"Pellow" tagged a place: the article calls him Gareth Pellow."""
    return bool(t.people) and len(span) == 1 and span[0].lower_ in t.people


def _in_dateline(span, text, t: Ties) -> bool:
    return t.dateline is not None and span.start_char < t.dateline.end()


def _in_question(span, text, t: Ties) -> bool:
    return not text or in_question(text, t.question_lower)


def _a_question_word(span, text, t: Ties) -> bool:
    """The option is one of the question's own words ("the head" for "who is the boss"); "6 days" counts days, and
    "110 concerts a year" says how often they perform."""
    info, doc = t.info, t.doc
    return not (span.label_ == "DATE" and info.kind in ("count", "frequency")) and any(
        w == span.root.i and m >= WORD_MATCH_MIN
        for term, (m, w) in zip(info.terms, t.ev.matches)
        if not (term.is_focus and not info.focus_required) and term.lemma not in GENERIC_NOUNS  # "proportion" ~ "92 percent"
        # "who spoke" is answered by "a spokesperson", though "when will it start" not by "the start of"
        and not (term.pos == "VERB" and doc[w].pos_ == "NOUN" and doc[w].lemma_.lower() != term.lemma)
        # "what area" → "12 square kilometres": the unit says what is measured, not what the question says
        and not (term.is_focus and doc[w].lower_ in spans.UNITS and doc[w].lemma_.lower() != term.lemma)
    )


def _holds_an_asked_name(span, text, t: Ties) -> bool:
    """"Who runs Northway?" is not answered by "Northway Terminals": a name the question gives is who or what it
    asks about, never who answers it."""
    return t.info.kind in ("person", "org") and any(span.start <= w < span.end and t.doc[w].pos_ == "PROPN" for w in t.asked_names)


def _not_the_title_holder(span, text, t: Ties) -> bool:
    """"Who is Redmarsh's manager?": whoever holds the title, not anyone near it."""
    info = t.info
    return info.kind == "person" and info.focus_required and info.verb in (None, "be") and bool(t.focus_tokens) and not any(
        spans.holds_title(t.doc, span, f) or spans.tree_distance(t.doc, span.root.i, f) <= 2 for f in t.focus_tokens)


def _whose_title(span, text, t: Ties) -> bool:
    """"Ricardo Conde-Pinto, president of the Portuguese Space Agency": the agency is no boss."""
    return t.info.kind == "person" and any(f in t.person_nouns and spans.whose_title(t.doc, span, f) for f in t.focus_tokens)


def _not_named_so(span, text, t: Ties) -> bool:
    """"The name of the shepherd": a name given to the shepherd ("the shepherd, João Silva"). The parser may hang
    "to be called X" on the verb that made the thing ("set up a joint venture, to be called X")."""
    reach = 3 if span.root.dep_ == "oprd" and span.root.head.lemma_.lower() in ("call", "name") else 2
    return t.info.wants_name and not any(spans.tree_distance(t.doc, span.root.i, f) <= reach for f in t.focus_tokens)


def _owns_a_title(span, text, t: Ties) -> bool:
    """"Solberg Chief Executive Anders Kjeldsen": Solberg is whose chief executive he is."""
    return t.info.kind == "person" and spans.owns_a_title(span)


def _runs_another_body(span, text, t: Ties) -> bool:
    """"Who is Tarnbeck's chief executive?": "Solberg Chief Executive Anders Kjeldsen" runs Solberg. "Nordvik Air
    chief executive X" runs the Nordvik the question asks about: its own name may be short."""
    if t.info.kind != "person":
        return False
    owner = spans.title_owner(span) or spans.appositive_title_owner(span)
    names = t.facts.names
    matched = {w for m, w in t.ev.matches if m >= 0.9}  # "UNP president X" for "the Union of Nordic Pilots"
    owned = {w.lower_ for w in owner}
    # ... but "Marrowby City Council leader X" does not run "Marrowby Airport": a name the owner shares only in part
    shortened = not any(group & owned and not group <= owned for group in t.question_name_groups)
    return bool(owner) and bool(t.question_names) and not all(w.lower_ in t.question_words or w.i in matched for w in owner) and not (
        shortened and names is not None and any(w.lower_ in t.question_words and names.is_proper(w.lower_) for w in owner))


def _the_asked_role(span, text, t: Ties) -> bool:
    """"Westerly's chief executive" is the asked-for role, not who holds it."""
    info = t.info
    return info.kind == "person" and info.focus_required and any(span.start <= w < span.end for w in t.focus_tokens)


def _off_the_asked_noun(span, text, t: Ties) -> bool:
    """"How many contracts" wants a number of contracts, not any number in the sentence."""
    info = t.info
    if "how many more" in t.question_lower and any(_added(n) for n in t.doc if n.like_num):
        return not _added(span[-1])  # "employs 60 drivers and plans to hire 15 more": the more are the 15
    return info.focus_required and bool(t.focus_tokens) and t.focus_distance[span.start] > FOCUS_REACH and not (
        info.kind in ("date", "duration") and any(spans.in_predicate_of(t.doc, span.root.i, f) for f in t.focus_tokens))


def _added(number) -> bool:
    """"15 more", "850 additional nurses": a figure of more of something."""
    doc = number.doc
    return number.i + 1 < len(doc) and doc[number.i + 1].lower_ in _ADDED


def _not_in_the_measure(span, text, t: Ties) -> bool:
    """"What is the temperature?" is answered in degrees, "how much rain" in millimetres: "40 percent" of the
    star's mass is no temperature, where the sentence gives one."""
    if not t.numeric or not t.info.measure:
        return False
    units = spans.measured_in(t.info.measure, t.doc)  # where the sentence gives the measure, if anywhere
    given = spans.with_unit(span) or span
    return bool(units) and not any(given.start <= u < given.end for u in units)


def _describes_the_asked_noun(span, text, t: Ties) -> bool:
    """"340-gram jars" says how heavy each jar is, not how many jars; "a 14-member team" counts members (but
    "how big is the budget" is answered by "a 412 million-pound budget")."""
    doc = span.doc
    units = [doc[w.i + 1] for w in span if w.tag_ == "HYPH" and w.i + 1 < span.end]  # the "gram" of "340-gram"
    return t.info.kind == "count" and any(
        u.dep_ == "compound" and u.head.i in t.focus_tokens and u.i not in t.focus_tokens for u in units)


def _far_from_the_question(span, text, t: Ties) -> bool:
    """"In which city is the congress held?": London is where someone spoke, not the congress."""
    return t.far(span) and not t.only_one


def _place_for_a_person_or_body(span, text, t: Ties) -> bool:
    """"A London-based think-tank" names no one, and "produced by Rio de Janeiro-based Maré Filmes" names the
    producer after the place."""
    return span.label_ == "GPE" and t.info.kind in ("person", "org") and span.root.dep_ not in _ARGUMENT_DEPS


_SETTLEMENTS = {"city", "town", "village", "capital", "port"}
_CONTINENTS = {"europe", "asia", "africa", "america", "north america", "south america", "latin america", "oceania",
               "antarctica", "the middle east", "middle east", "the gulf", "scandinavia", "the balkans"}


def _person_for_a_body(span, text, t: Ties) -> bool:
    """"In which court was the case heard?" is not answered by "Richard Ellison, the barrister prosecuting": a
    name the article gives a person is no organisation or place."""
    return t.info.kind in ("org", "place") and span.label_ == "PERSON" and span[-1].lower_ in t.people


def _wider_than_asked(span, text, t: Ties) -> bool:
    """"Which city was he in?" is not answered by "Europe": a region or a country is no town."""
    if t.info.kind != "place" or not t.info.focus or t.info.focus[-1] not in _SETTLEMENTS:
        return False
    place = text.lower()
    return span.label_ == "LOC" or place in _CONTINENTS or is_country(place)


# "how long after takeoff", "how many days later"; not "how long did it go on after that?"
_FROM_AN_EVENT = re.compile(r"\b(later|earlier|ago|since|until|(after|before)(?! th(at|is)\b))\b")


def _a_point_in_time(span, text, t: Ties) -> bool:
    """"How long did it keep transmitting?" is not answered by "about nine minutes later": a time counted from an
    event says when something happened, not how long it went on, unless the question counts from one too ("how
    long after takeoff", "how many days later")."""
    return t.info.kind == "duration" and span[-1].lower_ in ("later", "earlier", "ago") \
        and not _FROM_AN_EVENT.search(t.question_lower)


def _not_the_doer(span, text, t: Ties) -> bool:
    """"Who founded Klarvik?": "Klarvik, founded in 2009, ..." names no founder."""
    info, doc = t.info, t.doc
    return info.wh_is_subject and info.kind in ("person", "org") and info.verb not in LIGHT_WORDS and not (
        any(spans.is_doer(doc, span, v) for v in t.real_verbs)
        or any(spans.holds_title(doc, span, v) or spans.by_agent(doc, span, v) for v in t.role_nouns)
        or any(spans.by_agent(doc, span, n) or spans.is_party(doc, span, n) or spans.is_predicated(doc, span, n) for n in t.event_nouns)
        # "Which firm employs Karin Ottesen?": "Karin Ottesen, an analyst at Skagen Securities"
        or info.kind == "org" and any(spans.works_at(doc, span, n) for n in t.asked_names)
        # the verb isn't here, but the asked-for role is: "Holloway, an epidemiologist ..." for "which expert"
        or (not t.verb_tokens and any(spans.holds_title(doc, span, f) for f in t.focus_tokens))
    )


def _another_doers(span, text, t: Ties) -> bool:
    """"How much did Moss Green raise?": in "the Harbour Party spent 1.2 million crowns, the Civic League raised
    800,000 crowns and Moss Green collected 150,000 crowns", each coordinated clause's figure is its subject's."""
    names = [w for w in t.asked_names if t.doc[w].pos_ == "PROPN"]
    if not t.numeric or not names:
        return False
    subject = spans.clause_subject(t.doc, span.root)
    if subject is None or any(subject.left_edge.i <= w <= subject.right_edge.i for w in names):
        return False
    conjoined = spans.conjoined_verbs(subject.head)
    others = [s for s in (spans.clause_subject(t.doc, t.doc[w]) for w in names)
              if s is not None and s.i != subject.i and s.head.i in conjoined]
    return any(s.left_edge.i <= w <= s.right_edge.i for s in others for w in names)


def _another_sum(span, text, t: Ties) -> bool:
    """"A compensation fee of £1.8m" is the fee, not what he earns; "revenue" is no profit."""
    return t.info.kind == "money" and not _owner_is_asked(t.words, t.info, t.ev, span, t.owner_end(span))


def _names_the_question_noun(span, text, t: Ties) -> bool:
    """"The boss of the turbine maker": in "turbine maker Nordvind", Nordvind *is* the maker. A figure before
    the noun is its value, no name of it ("a 12.5 percent royalty")."""
    value = t.numeric and span.label_ in t.info.labels and span.end <= span.root.head.i and span.root.head.i in t.described
    return not value and _names_question_noun(span, t.described - t.person_nouns, t.asked_names)


def _contrasted(span, text, t: Ties) -> bool:
    """"How many died?" is not answered by "134 people had been injured", nor "how many primary schools" by "42
    secondary schools": the figure's verb or its noun's modifier contrasts with a word of the question."""
    if not t.numeric:
        return False
    figure = _figure(span)
    noun = figure.head if figure.dep_ == "nummod" else figure
    asked = {w for term in t.info.terms for w in (term.text, term.lemma)}
    said = {w.lemma_.lower() for w in [spans.clause_verb(figure)] + [c for c in noun.children if c.dep_ == "amod"]}
    # "limits primary classes to 28 pupils and secondary classes to 30": the measure named just before the figure
    before = next((w for w in reversed(span.doc[max(0, span.start - 4) : span.start])
                   if w.like_num or has_contrasts(w.lower_)), None)
    if before is not None and not before.like_num:
        said.add(before.lower_)
    # "how much can a club lose ... under the profit rules?" → "limit losses to 105 million pounds": the measure
    # asked for is there too
    groups = {contrast_group(a) for a in asked} - {-1}
    return any(contrasting(w, a) for w in said for a in asked) and not any(
        w in asked or contrast_group(w) in groups or any(a in asked for a in synonyms(w))
        for w in said if has_contrasts(w))


def _the_whole_of_the_part(span, text, t: Ties) -> bool:
    """"How many branch libraries will open on Sundays?" → "Nine of the trust's 14 branch libraries will open":
    the 14 is the whole the part is counted out of, and the part is what does what was asked (unless the
    question asks for the total)."""
    if not (t.numeric and t.verb_tokens and spans.is_whole_of_part(span)):
        return False
    part = span.root.head.head.head  # 14 → libraries → of → Nine
    return part.dep_ in ("nsubj", "nsubjpass") and part.head.i in t.verb_tokens and not any(
        term.lemma in ("total", "all", "altogether", "overall") for term in t.info.terms)


def _no_asked_thing(span, text, t: Ties) -> bool:
    """"Which models?" with no models in the sentence: its noun phrases answer nothing."""
    return t.info.kind == "thing" and not t.focus_tokens


RULES = (
    _echoes_question, _surname_as_place, _in_dateline, _in_question, _a_question_word, _holds_an_asked_name,
    _not_the_title_holder, _whose_title, _not_named_so, _owns_a_title, _runs_another_body, _the_asked_role,
    _off_the_asked_noun, _not_in_the_measure, _describes_the_asked_noun, _far_from_the_question,
    _place_for_a_person_or_body, _not_the_doer, _another_doers, _another_sum, _names_the_question_noun, _no_asked_thing,
    _contrasted, _wider_than_asked, _person_for_a_body, _a_point_in_time, _the_whole_of_the_part,
)
RULE_NAMES = tuple(rule.__name__.lstrip("_") for rule in RULES)
BASED_ELSEWHERE = "based_elsewhere"  # not a rule of its own: it rules out every option of its sentence


def rejection(span, text: str, t: Ties) -> str | None:
    """The name of the first rule that rules the option out, or None."""
    return next((name for rule, name in zip(RULES, RULE_NAMES) if rule(span, text, t)), None)


def fit(span, t: Ties) -> float:
    """How well an option that passed the rules ties to the question: on the asked-about noun, beside the
    question's other words, the doer of its verb, of the preferred label."""
    info, doc, numeric = t.info, t.doc, t.numeric
    root = span.root.i
    score = 0.0
    if t.focus_tokens:
        # a number directly on the asked-about noun ("41 countries") beats one a few edges away
        score += (1.0 if numeric else 0.6) / max(1, t.focus_distance[span.start])
        if numeric and any(doc[f].head.i in t.verb_tokens and doc[f].dep_ in _ARGUMENT_DEPS
                           and spans.tree_distance(doc, root, f) <= 1 for f in t.focus_tokens):
            score += VERB_ARGUMENT_BONUS  # "1,450 firefighters were battling", not "two firefighters were injured"
        if info.kind == "thing" and root in t.focus_tokens:
            score += 0.3  # the noun chunk is the asked-about noun itself ("which operators")
        if info.kind == "thing" and not any(w.pos_ in ("PROPN", "NUM") for w in span):
            score -= 0.3  # "which models" → "the Aria and the Kestrel", rather than "mainly older models"
    if t.constraints:
        if numeric:
            # "18 contracts in Europe and nine in the Middle East": a number owns the words up to the next one.
            near = [w_ / (1 if t.owns(span, w) else 2 + spans.tree_distance(doc, root, w)) for w_, w in t.constraints]
        else:
            near = [w_ / (1 + spans.tree_distance(doc, root, w)) for w_, w in t.constraints]
        score += CONSTRAINT_WEIGHT * sum(near) / sum(w_ for w_, _ in t.constraints)
    if numeric and t.named and not any(t.owns(span, w, contrasted_subject=True) for w in t.named):
        score -= 0.5  # "visitors in 2019": the number whose own words hold the year, not another one
    if numeric:
        # "18 contracts with carriers in Europe" answers "how many contracts" less well than an
        # unqualified total: penalise names the question did not ask about in the number's own words.
        nxt = t.owner_end(span)
        asked = {w for _, w in t.ev.matches}
        extra = {e.start for e in doc.ents if e.label_ in _QUALIFIER_LABELS and span.end <= e.start < nxt
                 and not any(w.i in asked for w in e)}
        score -= 0.15 * min(2, len(extra))
    if t.verb_tokens and not (numeric and t.focus_tokens):
        d = min(spans.tree_distance(doc, root, v) for v in t.verb_tokens)
        lin = min(abs(root - v) for v in t.verb_tokens)
        # times and places belong to their own verb ("said on Wednesday" is not when it will close)
        weight = 0.6 if info.kind in ("date", "place", "duration") else 0.3
        score += weight / (1 + max(0, d - 1)) + 0.05 / (1 + lin / 5)
        if info.kind in ("person", "org") and any(
            span.root.dep_ in ("nsubj", "nsubjpass", "agent") and span.root.head.i == v or spans.in_agent(doc, root, v)
            for v in t.verb_tokens
        ):
            score += 0.4
    if info.wh_preposition and span.root.dep_ == "pobj" and span.root.head.lower_ == info.wh_preposition:
        score += 0.4  # "independently of whom?" → "independently of Beijing"
    if info.asks_change and span.root.dep_ == "pobj" and span.root.head.lower_ in ("to", "from"):
        score -= 0.3  # "grew 9% to £2.9bn": £2.9bn is where it ended, not how much it grew
    if info.asks_change and span.label_ == "PERCENT":
        score += 0.3  # "how much did the shares drop?" → 8.4 percent, not the $14 billion they lost
    if info.wants_tally:
        score += TALLY_BONUS if spans.is_tally(span) else -TALLY_BONUS  # "what was the result?" → both sides
    if numeric and _is_compared(span):
        # "from 1.87 billion" is the figure before: the answer to "what was it before?", not to "what is it?"
        score += 0.4 if info.asks_before else -0.1
    if numeric and spans.is_whole_of_part(span):
        # "how many cameras were out of action?" → the two, not all 14 of which they were; "in total" → the 14
        score += 0.3 if any(t.lemma in ("total", "all") for t in info.terms) else -0.5
    if info.kind == "count" and span.label_ == "PERCENT":
        score -= PERCENT_FOR_COUNT_PENALTY
    if span.label_ in info.labels:
        score += 0.15 if span.label_ == preferred_label(info.kind) else 0.05
    elif span.label_ in NAME_LABELS:
        score -= OTHER_LABEL_PENALTY
    if t.called_so(span):
        score += 0.3
    if t.far(span):
        score -= FAR_PENALTY
    if info.kind == "place" and t.asks_base and spans.is_base_of(span):
        score += 0.8  # "Cambridge-based Halvern" says where Halvern is based; a dateline only where it reports
    if info.kind == "date":
        if spans.is_duration(span):
            score -= 0.5  # "10 days" is how long, not when
        if info.focus and info.focus[-1] == "year" and any(spans.YEAR.fullmatch(w.text) for w in span):
            score += 0.3  # "in what year" → 2009, not "almost six years"
        elif asks_clock(info) and spans.is_clock_time(span):
            score += 0.3  # "at what time" → "2:40 a.m.", rather than "on Sunday"
        elif any(w.is_digit for w in span):
            score += 0.1  # "on 2 March 2026" is more precise than "next spring"
    elif info.focus and not info.focus_required:
        # "which event" → Mobile World *Congress*: the category word resembles the answer's head word
        score += 0.4 * max(0.0, t.words.similarity(info.focus[-1], span.root.lower_))
    if info.kind == "event" and span[-1].lower_ in EVENT_NOUNS:
        score += 0.4  # a name that says it is an event ("Mobile World Congress"), whatever its label
    elif info.kind == "event" and span.label_ != "EVENT":
        score -= 0.3  # "Huawei" is a company, whatever sentence it is in
    return score


def answer_text(span) -> str:
    """The option as an answer: without the punctuation around it or a stray bracket."""
    text = span.text.strip(" ,.;:")
    if re.search(r"\b[ap]\.m$", text):
        text += "."  # "2:40 a.m." keeps its last full stop
    if text.endswith(")") and "(" not in text or text.startswith("(") and ")" not in text:
        text = text.strip("()")
    return text


@dataclass(frozen=True)
class Judged:
    """One option of a sentence: the rule that ruled it out (None: it stands) and, if it stands, its fit."""

    text: str
    rule: str | None
    fit: float | None
    span: object = field(default=None, compare=False, repr=False)
    verdicts: tuple[bool, ...] = field(default=(), compare=False, repr=False)  # every rule's, when all were asked


@dataclass
class JudgedSentence:
    """A sentence's options of the asked-for kind, judged, with how the sentence ties to the question."""

    ties: Ties
    elsewhere: bool  # "a London-based think-tank": the sentence says only where something else is based
    options: list[Judged]

    def candidates(self) -> list[Candidate]:
        """The options no rule rules out, scored by `fit`."""
        return [Candidate(j.text, self.ties.ev, j.fit) for j in self.options if j.rule is None]


def judge_sentence(info: QuestionInfo, ev: Evidence, question_lower: str, facts: ArticleFacts, words: WordVectors,
                   every_rule: bool = False) -> JudgedSentence:
    """Each option with the first rule that rules it out and, if none does, its fit. `every_rule`: ask every rule
    and fit every option, ruled out or not (the learned ranker weighs all of it)."""
    t = tie(info, ev, question_lower, facts, words)
    # "Where is Huawei headquartered?": "a London-based think-tank" is all the sentence has
    elsewhere = t.asks_base and based_elsewhere(t.doc, t.asked_names, bool(t.question_names))
    judged = []
    for span in t.options:
        # "a tonne" is said of the figure, but is no part of what the figure is tied to ("£1.8m a year to its costs")
        text = answer_text(spans.with_rate(span) if info.kind in ("money", "amount", "distance") else span)
        verdicts = tuple(bool(rule(span, text, t)) for rule in RULES) if every_rule else ()
        if elsewhere:
            rule = BASED_ELSEWHERE
        elif every_rule:
            rule = next((name for name, fired in zip(RULE_NAMES, verdicts) if fired), None)
        else:
            rule = rejection(span, text, t)
        judged.append(Judged(text, rule, _fit_of_any(span, t) if every_rule else None if rule else fit(span, t),
                             span, verdicts))
    return JudgedSentence(t, elsewhere, judged)


def _fit_of_any(span, t: Ties) -> float:
    """`fit`, also for an option a rule rules out: NaN where it can't be placed (why some of the rules exist)."""
    try:
        return fit(span, t)
    except (IndexError, KeyError, ValueError):
        return float("nan")


# -- helpers ------------------------------------------------------------------------------------------------


_MEASURED_IN_PEOPLE = {"capacity", "attendance", "turnout", "crowd", "audience", "membership", "population",
                       "readership", "viewership", "ridership", "headcount", "workforce", "footfall", "traffic"}

_LIMITS = {"cap", "limit", "ceiling", "maximum", "minimum", "threshold", "quota"}


def asks_clock(info: QuestionInfo) -> bool:
    """"At what time", "at what hour": a time of day."""
    return bool(info.focus) and info.focus[-1] in ("time", "hour")


_BODY_NOUNS = frozenset(NOUN_KINDS["org"]) | frozenset(NOUN_KINDS["person"])


def _not_a_place_noun(info: QuestionInfo, span) -> bool:
    """"U.S." of "a U.S. cloud company" is where the company is; the company is no place."""
    return info.kind == "place" and span.root.head.lemma_.lower() in _BODY_NOUNS


def _echoes(span, terms: list[Term]) -> bool:
    """Every word of the span is one of the question's own (or its demonym: "British" for "UK")."""
    words = [t.lower_ for t in span if not t.is_stop and not t.is_punct]
    question = {t.text for t in terms} | {t.lemma for t in terms}
    return bool(words) and all(w in question or any(same_name(q, w) for q in question) for w in words)


def based_elsewhere(doc, asked_names: set[int], names_asked: bool) -> bool:
    """The sentence's only word for being based is "X-based" on something new ("a London-based think-tank"), not
    on the names the question asks about, whether or not the sentence names them."""
    based = [t for t in doc if t.lower_ in spans.BASE_WORDS]
    return bool(based) and names_asked and all(
        t.i > 1 and doc[t.i - 1].text == "-" and any(c.lower_ in ("a", "an") for c in t.head.children)
        and not any(spans.tree_distance(doc, t.head.i, w) <= 1 for w in asked_names)
        for t in based)


def _reach(info: QuestionInfo, span) -> int:
    """How far an answer may sit from the question's words: an age in a clause on its owner may sit further
    ("Mbemba, who joined the academy at the age of 15"); "a 44-year-old banker" is the banker's age."""
    if info.kind != "age":
        return FOCUS_REACH
    doc = span.doc
    adjectival = span.end + 1 < len(doc) and doc[span.end].text == "-" and doc[span.end + 1].lower_ == "year"
    return AGE_REACH - 1 if adjectival else AGE_REACH  # "44" → year → old → banker → ...


def _figure(span):
    """The span's root, unless the parser hung it on punctuation ("m" of "£1.8m"): then its number."""
    if span.root.dep_ != "punct":
        return span.root
    return next((t for t in span if t.like_num), span.root)


def _names_question_noun(span, described: set[int], names: set[int]) -> bool:
    """Is the span the name of a noun the question describes ("turbine maker Nordvind" is the maker)?"""
    root = span.root
    if root.dep_ in ("appos", "compound") and root.head.i in described:
        return True
    # a common word of the question inside the span is no description of it ("money" in Fair Money Scotland)
    return any(c.dep_ in ("appos", "compound") and c.i in described and (c.i in names or not span.start <= c.i < span.end)
               for c in root.children)


def _owner(span):
    """The noun or verb a figure belongs to: "revenue of £28.6bn" → revenue, "pay him £1.8m" → pay, "costs
    rose to €612m" → costs."""
    tok = span.root
    for _ in range(4):
        if tok.dep_ == "ROOT":
            return None
        # "confirmed that he would have £12m": reporting is not what the sum is for
        if tok.head.pos_ in ("NOUN", "VERB") and tok.head.lemma_ not in ("be", "have", "say") and tok.head.lemma_ not in REPORTING_VERBS:
            if tok.head.lemma_.lower() in CHANGE_VERBS:  # "fuel costs rose to €612m": the costs' figure
                changed = [c for c in tok.head.children if c.dep_ == "dobj"]  # "cut the penalty from €1.55bn"
                changed += [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
                return changed[0] if changed else tok.head
            return tok.head
        tok = tok.head
    return None


def _owner_is_asked(words: WordVectors, info: QuestionInfo, ev: Evidence, span, own_end: int) -> bool:
    owner = _owner(span)
    if owner is None or owner.lower_ in spans.CURRENCIES:  # "45 million soles ($12 million)" restates a sum
        return True
    if any(t.lemma == "money" for t in info.terms):  # "how much money": any sum the sentence's words tie to it
        return True
    asked = [w for m, w in ev.matches if m > 0]
    if any(c.dep_ == "relcl" and (c.i in asked or c.lemma_.lower() in {t.lemma for t in info.terms}) for c in span.root.children):
        return True  # "the 4.34 billion euros that Google was fined": the sum is what the clause's verb did
    # "£1.9 million went on forensic investigators": the asked-about things may follow the sum instead
    spent_on = [w for t, (m, w) in zip(info.terms, ev.matches)
                if m >= 0.9 and t.pos == "NOUN" and span.end <= w < own_end and ev.doc[w].ent_type_ not in ("DATE", "TIME")]
    own = owner.lemma_.lower()
    return bool(spent_on) or any(spans.tree_distance(ev.doc, owner.i, w) <= 1 for w in asked) or any(
        words.similarity(own, t.lemma) >= OWNER_SIMILARITY and not contrasting(own, t.lemma)
        or own in synonyms(t.lemma) | synonyms(t.text)  # "cut the penalty from €150,000" for "how much was it fined"
        for t in info.terms if t.pos in ("NOUN", "VERB"))


def _is_compared(span) -> bool:
    """"up from 34.8%", "the previous record of 6.3 meters": a figure that another one is compared with."""
    root = span.root
    # "the 655 recorded a year earlier"
    if any(c.dep_ == "acl" and any(t.lower_ in ("earlier", "before", "ago") for t in c.subtree) for c in root.children):
        return True
    if root.dep_ != "pobj":
        return False
    if root.head.lower_ in _COMPARING:
        return True
    return root.head.lower_ == "of" and any(c.dep_ == "amod" and c.lower_ in _EARLIER for c in root.head.head.children)


def preferred_label(kind: str) -> str:
    return {"count": "CARDINAL", "person": "PERSON", "org": "ORG", "place": "GPE", "date": "DATE",
            "money": "MONEY", "percent": "PERCENT"}.get(kind, "")
