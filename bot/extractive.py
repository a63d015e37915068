"""The offline answer engine: picks the shortest span of a retrieved sentence that answers the question.

No QA model exists on this machine, so the engine combines what does:
- spaCy's parse and entities of the question and the retrieved sentences (answer kind, candidate spans);
- MiniLM word vectors to match paraphrased question words against sentence words (deals ~ contracts);
- the retriever's dense and BM25 scores.
A sentence may answer only if it supports the question's words (names must be present nearby, the asked-about
noun must match); otherwise the engine abstains rather than guess.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

from bot import spans
from bot.clauses import clause_around_matches, clause_candidates, qualifier_candidates
from bot.evidence import Candidate, Evidence, in_question
from bot.index_store import SentenceIndex
from bot.lexicon import TOP_TITLES, WordVectors, contrasting, is_in_charge, is_profession, is_title, same_name, synonyms
from bot.matching import WORD_MATCH_MIN, ArticleNames, cached, heads_a_function, is_figure, match_terms, whole_names
from bot.models import get_embeddings, get_nlp
from bot.people import marked_as_person
from bot.pipeline import QAState, context_citations
from bot.question import CHANGE_VERBS, GENERIC_NOUNS, LIGHT_WORDS, NOUN_KINDS, NUMBER_WORDS, QuestionInfo, Term, analyze
from bot.schema import Answer, Citation, Retrieved, Sentence

NOT_IN_ARTICLE = "The article doesn't say."

FOCUS_MATCH_MIN = 0.6  # the asked-about noun needs a closer paraphrase than other words (measured 0.5-0.7)
# a sentence this close to the question, holding most of its words, may say the asked-about noun in other words
# ("the river peaked at 6.9 meters" for "what height did the river reach")
FOCUS_WAIVER_DENSE = 0.7
FOCUS_WAIVER_SUPPORT = 0.6
SUPPORT_MIN = 0.45  # share of the question's weighted terms a sentence must support
DENSE_MIN = 0.1  # below this cosine a sentence needs STRONG_SUPPORT to count
STRONG_SUPPORT = 0.65
CLOSE_SUPPORT_MIN = 0.3  # a sentence as close as CLOSE_DENSE needs less of the question's wording
CLOSE_DENSE = 0.6  # a sentence this close to the question may answer it with words the question doesn't use
CONTINUATION_DENSE = 0.8  # a pronoun-led next sentence borrows this share of its antecedent's dense score
MAX_CITATIONS = 2
OTHER_LABEL_PENALTY = 0.15  # a name of another type may answer (the small model mislabels), but less likely
DENSE_WEIGHT = 1.5  # how much the sentence's closeness to the question counts towards a candidate (measured: 0.5-3)
CONSTRAINT_WEIGHT = 0.5  # how much sitting next to the question's other words ("in 2019", "in Europe") counts
PRELOAD_LIMIT = 3000  # sentences; larger corpora are parsed and embedded word by word as questions need them
OWNER_SIMILARITY = 0.45  # a sum belongs to a paraphrase of the asked-for word (pay ~ earn, but fee ≁ earn)
PERCENT_FOR_COUNT_PENALTY = 0.7  # a share answers "how many" only where no number counts the thing
TALLY_BONUS = 0.3  # "what was the result of the vote?": a tally ("31 to 24") over a single number
AGREEING_MARGIN = 0.35  # another sentence whose candidate says the same, this close to the best, is cited too
VERB_ARGUMENT_BONUS = 0.3  # a number on the asked-about noun that is what the question's verb did or had done to it
FAR_PENALTY = 0.3  # the sentence's only option of the asked type, but far from the question's words
FOCUS_REACH = 3  # how far (dependency edges) an answer may sit from the noun it must quantify or name
AGE_REACH = 5  # "Mbemba, who joined the academy at the age of 15": an age may sit in a clause on its owner
NUMERIC_KINDS = ("count", "amount", "percent", "money", "distance")
UNREFERRED_CARRY = 0.2  # a name from a sentence just before one without a pronoun, which may be about another
NEIGHBOURS = 2  # names may be supplied by this many preceding sentences (coreference by proximity)
TOPIC_WEIGHT = 0.2  # how much a topic word counts towards support
TOPIC_SHARE = 0.25  # a word in this share of an article's sentences is its topic (e.g. the company it is about)
LEDE_SENTENCES = 3  # headline, dateline and first paragraph: they introduce who and where the article is about
_LEDE_ACTORS = {"ORG", "PRODUCT", "FAC"}  # labels of the body a lede introduces (a product to the model, often)

_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "attr", "agent", "dative", "ROOT"}
_NAME_KINDS = ("person", "org", "place", "event")
PLACE_NOUNS = frozenset(NOUN_KINDS["place"])
EVENT_NOUNS = frozenset(NOUN_KINDS["event"]) | {"games", "olympics", "cup", "championship", "championships", "expo", "forum",
                                                "week", "convention", "awards", "tournament", "marathon", "election"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
REPORTING_VERBS = {"say", "announce", "report", "tell", "publish", "release", "unveil", "confirm", "disclose", "reveal",
                   "state", "file"}
_FIRST_PERSON = {"i", "me", "my", "we", "us", "our", "you", "your"}
_COMPARING = {"from", "than", "against", "versus"}  # "up from 34.8%", "against 38 percent"
_EARLIER = {"previous", "earlier", "former", "old", "prior", "original", "initial"}  # "the previous record of 6.3 meters"
_YEAR = re.compile(r"(1[5-9]|20)\d\d")
# "WANG ZHAO/AFP/Getty Images", "Photo: Jane Doe/Reuters", "(Photograph by X/EPA)": names joined by slashes
_NAME_PART = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*"
_CREDIT_LINE = re.compile(rf"\(?(?:(?:Photo|Photograph|Picture|Image)s?(?: by|:)\s*)?{_NAME_PART}(?:\s?/\s?{_NAME_PART})+\)?\.?")
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"}
_QUALIFIER_LABELS = {"GPE", "LOC", "NORP", "ORG", "PERSON", "FAC"}


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, index: SentenceIndex, nlp=None, words: WordVectors | None = None) -> None:
        self.index = index
        self.nlp = nlp or get_nlp()
        self.words = words or WordVectors(get_embeddings())
        self._docs: dict[str, object] = {}
        self._docs_lock = threading.Lock()
        self._topic = self._topic_words(index.sentences)
        self._by_source: dict[str, list[Sentence]] = {}
        for s in index.sentences:
            self._by_source.setdefault(s.source, []).append(s)
        self._names = {src: ArticleNames(" ".join(s.text for s in group)) for src, group in self._by_source.items()}
        self._credit_lines = [s for s in index.sentences if _CREDIT_LINE.fullmatch(s.text.strip())]
        self._person_words: dict[str, set[str]] = {}
        self._lede_actor: dict[str, set[str]] = {}  # the words of the body each article's lede is about
        if len(index.sentences) <= PRELOAD_LIMIT:
            # a small corpus is parsed and its vocabulary embedded now, so no question pays for it
            docs = self.parsed(index.sentences)
            self.words.ensure({w for d in docs for t in d if not t.is_punct and not t.is_space for w in (t.lower_, t.lemma_.lower())})
            # the surnames of people named in full ("Gareth Pellow"): "Pellow" alone is no place, whatever its tag
            for sentence, doc in zip(index.sentences, docs):
                self._person_words.setdefault(sentence.source, set()).update(
                    e[-1].lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2 and e[-1].is_title)
                if sentence.source not in self._lede_actor and sentence.position < LEDE_SENTENCES and not _is_headline(sentence.text):
                    actor = _lede_actor(sentence.text, doc)
                    if actor is not None:
                        self._lede_actor[sentence.source] = {t.lower_ for t in actor if t.is_alpha}

    # -- caches ---------------------------------------------------------------------------------------------

    @staticmethod
    def _topic_words(sentences: list[Sentence]) -> dict[str, set[str]]:
        per_source: dict[str, Counter] = {}
        totals: Counter = Counter()
        for s in sentences:
            totals[s.source] += 1
            per_source.setdefault(s.source, Counter()).update({w.lower() for w in re.findall(r"\w+", s.text)})
        topic = {
            src: {w for w, n in counts.items() if n >= max(2, TOPIC_SHARE * totals[src])}
            for src, counts in per_source.items()
        }
        # Names in the headline and dateline set the scene for the whole article ("VALENCIA, Spain - ...").
        for s in sentences:
            if s.position < LEDE_SENTENCES:
                dateline = _DATELINE.match(s.text)
                scene = dateline.group(1) if dateline else s.text if _is_headline(s.text) else ""
                topic[s.source] |= {w.lower() for w in re.findall(r"\b[A-Z][\w-]*", scene)}
        return topic

    def parsed(self, sentences: list[Sentence]) -> list:
        missing = [s for s in sentences if s.id not in self._docs]
        if missing:
            docs = list(self.nlp.pipe(s.text for s in missing))
            with self._docs_lock:
                self._docs.update((s.id, d) for s, d in zip(missing, docs))
        return [self._docs[s.id] for s in sentences]

    def _carried_matches(self, terms: list[Term], matches, sentence: Sentence, memo: dict) -> list[float]:
        """Terms missing from the sentence but found just before it ("The British government ... While it
        enjoys ..."): names count 0.8, other words 0.5 — coreference by proximity. `memo` keeps one question's
        matches in a preceding sentence, which several retrieved sentences share (the lede, a neighbour)."""
        # a figure is not carried: "the second half of 2026" before it says nothing of this sentence's quarter
        missing = [i for i, (m, _) in enumerate(matches) if m == 0 and not is_figure(terms[i].text)]
        carried = [0.0] * len(terms)
        if not missing:
            return carried
        siblings = self._by_source.get(sentence.source, [])
        near = siblings[max(0, sentence.position - NEIGHBOURS) : sentence.position]
        # The lede introduces who the article is about ("Danish wind turbine maker Nordvind"), so its common
        # nouns may stand behind a later "the company"; names are not carried that far.
        lede = [s for s in siblings[: LEDE_SENTENCES + 1] if s.position < sentence.position and s not in near]
        names = self._names.get(sentence.source)
        asked = [terms[i] for i in missing]
        # a name carries its full weight only into a sentence that points back to someone or something ("it", "his")
        refers_back = any(t.tag_ in ("PRP", "PRP$") and t.lower_ not in _FIRST_PERSON for t in self.parsed([sentence])[0])
        for prev, from_lede in [(s, False) for s in near] + [(s, True) for s in lede]:
            key = (prev.id, tuple(missing))
            if key not in memo:
                memo[key] = whole_names(asked, match_terms(self.words, asked, self.parsed([prev])[0]), names)
            for i, (m, _) in zip(missing, memo[key]):
                if m > 0 and not (from_lede and terms[i].is_name):
                    strength = (0.8 if refers_back else UNREFERRED_CARRY) if terms[i].is_name else 0.5
                    carried[i] = max(carried[i], m * strength)
        return carried

    def _with_continuations(self, retrieved: list[Retrieved]) -> list[Retrieved]:
        """Add the sentence after a retrieved one when it goes on about the same thing through a pronoun ("...
        the Supporters' Trust said ... Its chairwoman, Karen Doyle, said"): retrieval ranks such sentences low
        because their subject is only a pronoun. For names, numbers and dates only: a clause cut from a sentence
        that merely follows a relevant one is rarely the answer."""
        seen = {r.sentence.id for r in retrieved}
        extra = []
        for r in retrieved:
            siblings = self._by_source.get(r.sentence.source, [])
            nxt = siblings[r.sentence.position + 1] if r.sentence.position + 1 < len(siblings) else None
            if nxt is None or nxt.id in seen:
                continue
            first = self.parsed([nxt])[0][0]
            if first.tag_ in ("PRP", "PRP$") or first.lower_ in ("this", "these", "that"):
                seen.add(nxt.id)
                extra.append(Retrieved(sentence=nxt, dense=r.dense * CONTINUATION_DENSE))
        return retrieved + extra

    def _with_title_holders(self, info: QuestionInfo, retrieved: list[Retrieved]) -> list[Retrieved]:
        """"Who runs Veltrion?": add the sentences that name someone by a top title ("said chief executive Priya
        Raman"). Quotes carry such titles and rarely the company's name, so retrieval ranks them low."""
        if not _asks_in_charge(info) or not retrieved:
            return retrieved
        seen = {r.sentence.id for r in retrieved}
        sources = {r.sentence.source for r in retrieved}
        floor = max(DENSE_MIN, min(r.dense for r in retrieved))
        extra = []
        for source in sources:
            siblings = self._by_source.get(source, [])
            if len(siblings) > PRELOAD_LIMIT:
                continue  # only where the article's sentences are parsed already
            for sentence, doc in zip(siblings, self.parsed(siblings)):
                if sentence.id not in seen and _top_titles(doc):
                    extra.append(Retrieved(sentence=sentence, dense=floor))
        return retrieved + extra

    # -- matching -------------------------------------------------------------------------------------------

    def _evidence(self, info: QuestionInfo, retrieved: list[Retrieved]) -> list[Evidence]:
        docs = self.parsed([r.sentence for r in retrieved])
        out, memo = [], {}
        in_charge = info.kind == "person" and _asks_in_charge(info)
        for r, doc in zip(retrieved, docs):
            matches = whole_names(info.terms, match_terms(self.words, info.terms, doc), self._names.get(r.sentence.source))
            topic = self._topic.get(r.sentence.source, set())
            carried = self._carried_matches(info.terms, matches, r.sentence, memo)
            if in_charge and _bare_top_title(doc):
                # "Who is the boss of Atlantis Launch Systems?" → "..., chief executive Helena Marques-Duarte told
                # reporters": a top title naming no body is one of the body the lede introduced
                topic = topic | self._lede_actor.get(r.sentence.source, set())
            names_ok = all(m > 0 or c > 0 or t.text in topic for t, (m, _), c in zip(info.terms, matches, carried) if t.is_name)
            if info.kind in NUMERIC_KINDS and names_ok:
                names_ok = not _one_of_a_list(info, doc, matches)
            # The article's topic words (the company it is about) are everywhere: they prove little.
            weights = [t.weight * (TOPIC_WEIGHT if t.text in topic else 1.0) for t in info.terms]
            strengths = [max(m, c) for (m, _), c in zip(matches, carried)]
            support = sum(w * m for w, m in zip(weights, strengths)) / (sum(weights) or 1.0)
            # the head of the focus phrase must match ("base station *cost*", not just "station")
            head = [(m, w) for t, (m, w) in zip(info.terms, matches) if t.is_focus and t.lemma == info.focus[-1]]
            focus_ok = not (info.focus_required and head) or (
                max(m for m, _ in head) >= FOCUS_MATCH_MIN and not _other_sort(info, doc, max(head)[1])
            ) or (r.dense >= FOCUS_WAIVER_DENSE and support >= FOCUS_WAIVER_SUPPORT and max(m for m, _ in head) == 0
                  and not any(contrasting(info.focus[-1], t.lower_) or contrasting(info.focus[-1], t.lemma_.lower()) for t in doc))
            out.append(Evidence(r, doc, matches, support, names_ok, focus_ok))
        return out

    # -- candidates -----------------------------------------------------------------------------------------

    def _entity_options(self, info: QuestionInfo, doc) -> list:
        """The spans of the sentence that are of the asked-for kind: numbers with their currency, names
        whatever label the small model gave them, ages, years, frequencies, person descriptions."""
        numeric = info.kind in NUMERIC_KINDS
        if info.kind in ("money", "amount"):
            # spaCy's small model often tags "620 million euro" as a bare CARDINAL: the currency decides.
            options = [spans.with_currency(spans.trim(e)) for e in doc.ents if e.label_ in ("MONEY", "CARDINAL", "QUANTITY")]
            options = [sp for sp in options if sp is not None]
            if info.kind == "amount":
                options += [spans.trim(e) for e in doc.ents if e.label_ in ("PERCENT", "QUANTITY")]
                # "142,500 tonnes" is often a CARDINAL and a noun to the small model
                units = [spans.with_unit(spans.trim(e)) for e in doc.ents if e.label_ == "CARDINAL"]
                options += [sp for sp in units if sp is not None]
        elif info.kind == "percent":
            options = [spans.trim(e) for e in doc.ents if e.label_ == "PERCENT"] + spans.fractions(doc)
        else:
            options = [spans.trim(e) for e in doc.ents if e.label_ in info.labels]
            if info.kind in _NAME_KINDS:
                # the small model's labels are unreliable ("Betaalnet" as a place): other names may answer too,
                # but a nationality or a city is not who did something
                others = set() if info.kind == "place" else _NAME_LABELS - info.labels - {"GPE", "NORP", "LOC"}
                if info.kind == "org":
                    others.add("LOC")  # "a home defeat by Millbrook Town": teams pass for places to the small model
                # but not a name its sentence marks as a person's ("Mirela Ionescu, 39, the company's head of safety")
                options += [e for e in doc.ents if e.label_ in others and not (info.kind == "org" and marked_as_person(e))]
                if info.kind == "place":  # "the museum in Bristol" tagged ORG: a short name may still be the place
                    options += [e for e in doc.ents if e.label_ == "ORG" and len(e) <= 2]
                    # a venue, whatever the model calls it: "at Ashby Community Hospital", "at the service Acas"
                    options += [e for e in doc.ents if e.label_ in _NAME_LABELS - info.labels and spans.is_venue(e)]
                    # "the town of Odemira", whatever label the model gave the name
                    options += [e for e in doc.ents if e.label_ in _NAME_LABELS and e.root.head.lower_ == "of"
                                and e.root.head.head.lemma_.lower() in PLACE_NOUNS]
        if info.kind == "duration":  # "between 250 and 300 days" tagged MONEY: the time unit decides
            options += [e for e in doc.ents if e.label_ not in info.labels and e[-1].lemma_.lower() in spans.TIME_UNITS
                        and any(t.like_num for t in e)]
        if info.kind == "count" and info.focus and info.focus[-1] in spans.TIME_UNITS:
            # "how many days": "11 days of strikes" is a DATE to the small model
            options += [e for e in doc.ents if e.label_ == "DATE" and any(t.like_num for t in e)]
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
                      and not any(t.like_num and t.dep_ == "nummod" and t.head.i == nc.root.i for t in nc)
                      and spans.named_person(nc) is None]
        if info.kind == "thing" and info.focus:
            # plain noun phrases only when they are of the asked-for sort ("which operators" → "mobile operators")
            # "its Western allies, including the UK" for "which ally": the example named, not the sort again
            options += [spans.named_example(nc) or nc for nc in doc.noun_chunks if nc.root.ent_type_ == ""
                      and self.words.similarity(info.focus[-1], nc.root.lower_) >= WORD_MATCH_MIN]
        if info.kind in ("place", "org", "person", "thing", "event"):
            options += spans.proper_runs(doc)  # "Avenida del Puerto", which the small model misses or mislabels
        if info.kind in ("date", "duration"):
            # "Moreira, 23," is often tagged DATE; "two months and ten days" comes in two pieces; "30 years old" is an age
            options = [spans.with_parenthetical(doc, spans.with_conjoined(sp)) for sp in options
                     if not (len(sp) == 1 and sp[0].like_num and len(sp[0].text) < 3) and not spans.is_age(sp)
                     and sp[-1].lower_ != "old"]
        if info.kind == "duration":  # "next week", "on Tuesday" place a moment; they say nothing of how long
            options = [sp for sp in options if not spans.is_moment(sp)]
        if info.kind == "date":
            # "on Wednesday evening" comes as a date and a time; "monthly" says how often, not when; "within
            # seconds" says neither
            options = [spans.with_time(sp) for sp in options if not spans.is_frequency(sp) and not spans.is_bare_unit(sp)]
            # "at 06:42 local time (0742 GMT)", which the small model does not see as a time
            options += [spans.with_parenthetical(doc, sp) for sp in spans.clock_times(doc)
                        if not any(o.start <= sp.start < o.end for o in options)]
        if info.kind == "date" and info.focus and info.focus[-1] == "year":  # "in what year" → a year, not "Wednesday"
            options = [sp for sp in options if any(_YEAR.fullmatch(t.text) or t.lower_ == "year" for t in sp)]
        if info.kind == "frequency":  # "how often" → "every half hour", "twice a week", "monthly"
            options = [spans.with_every(sp) for sp in options if spans.is_frequency(spans.with_every(sp))]
        if info.kind == "age":  # only a number that is someone's age ("Keller, 51,"), not any date
            # "21-year-old", "the age of 15" → the number itself
            options = [spans.number_in(e) for e in doc.ents if e.label_ in ("CARDINAL", "DATE") and spans.is_age(e)]
        if info.kind == "place":
            starts_of = {sp.end for sp in options}
            # "BRISTOL, England": England only says where Bristol is
            options = [spans.with_region(sp) for sp in options
                       if not (sp.start >= 2 and doc[sp.start - 1].text == "," and sp.start - 1 in starts_of)]
        if info.kind in ("person", "org", "thing"):
            options = [sp if _echoes(sp, info.terms) else spans.with_head_noun(sp) for sp in options]
        if info.wants_several and info.kind in _NAME_KINDS:  # "which countries" → "Italy and Greece"
            options = [spans.with_conjoined_names(sp) for sp in options]
        options = [sp for sp in options if len(sp) and not spans.is_glued_number(sp[-1])]
        if info.wants_name:  # a description ("a 68-year-old shepherd") is no name
            options = [sp for sp in options if any(t.pos_ == "PROPN" for t in sp)]
        if info.kind == "person":  # "Chief Executive Maeve Doolan" tagged as one name: the title is no part of it
            options = [spans.without_title(sp) for sp in options]
        if info.kind == "person":  # a name run the model calls a place is not who did it ("São Teotónio")
            options = [sp for sp in options if not any(t.ent_type_ in _PLACE_LABELS for t in sp)]
        return options

    def _counted_paraphrases(self, focus: str, doc, found: list[int]) -> list[int]:
        """Nouns carrying a number that paraphrase the asked-about noun, for when its match is no number's noun:
        for "how many travellers", "the travel plans of around 368,000 passengers" matches "travel" first."""
        counted = [t.i for t in doc if t.pos_ == "NOUN" and t.i not in found and any(c.dep_ == "nummod" for c in t.children)]
        if not counted:
            return []
        sims = self.words.matrix([focus]) @ self.words.matrix([doc[i].lower_ for i in counted]).T
        return [i for i, sim in zip(counted, sims[0]) if sim >= WORD_MATCH_MIN]

    def _entity_candidates(self, info: QuestionInfo, ev: Evidence, question_lower: str) -> list[Candidate]:
        """Score each option by how it ties to the question's words: on the asked-about noun, beside the
        question's names, the doer of its verb, holding its title."""
        doc = ev.doc
        numeric = info.kind in NUMERIC_KINDS
        options = self._entity_options(info, doc)
        focus_tokens = [w for t, (m, w) in zip(info.terms, ev.matches) if t.is_focus and m >= WORD_MATCH_MIN]
        if numeric and focus_tokens and not any(
            spans.tree_distance(doc, sp.root.i, f) <= FOCUS_REACH for sp in options for f in focus_tokens
        ):
            focus_tokens += self._counted_paraphrases(info.focus[-1], doc, focus_tokens)
        # Terms that tell one candidate from another: names and nouns other than the focus.
        topic = self._topic.get(ev.sentence.source, set())
        constraints = [
            (t.weight * m, w) for t, (m, w) in zip(info.terms, ev.matches)
            if m > 0 and not t.is_focus and t.pos in ("PROPN", "NOUN", "NUM", "ADJ") and t.text not in topic
        ]
        verb_tokens = [w for t, (m, w) in zip(info.terms, ev.matches) if m > 0 and t.lemma == info.verb]
        real_verbs = [v for v in verb_tokens if doc[v].pos_ == "VERB"]
        # "modelling by consultants X" for "which firm carried out the modelling"
        event_nouns = [w for t, (m, w) in zip(info.terms, ev.matches) if m > 0 and doc[w].pos_ == "NOUN"]
        # "who leads" → "the leader, X", "the project's lead archaeologist, X"
        role_nouns = [doc[v].head.i if doc[v].dep_ in ("amod", "compound") and doc[v].head.pos_ == "NOUN" else v
                      for v in verb_tokens if doc[v].pos_ == "NOUN" or doc[v].head.pos_ == "NOUN" and doc[v].dep_ == "amod"
                      or is_title(doc[v].lower_)]  # "Chief Executive Maeve Doolan": a title tagged a proper noun
        if not verb_tokens:
            # the question's verb isn't here ("supplied" for "donated"): whoever did what happened to the asked-
            # about thing ("the pills were donated by X", "Excavations, which were led by X") may still be the doer
            # ("will build a battery cell plant": the matched words may modify the object)
            objects = [spans.phrase_head(doc[w]) for t, (m, w) in zip(info.terms, ev.matches) if m > 0]
            real_verbs = [o.head.i for o in objects if o.dep_ in ("dobj", "nsubjpass") and o.head.pos_ == "VERB"]
            real_verbs += [c.i for t, (m, w) in zip(info.terms, ev.matches) if m > 0 and not t.is_name
                           for c in doc[w].children if c.dep_ in ("relcl", "acl") and c.pos_ == "VERB"]
        # Times, places and ages hang on the verb; where the sentence lacks it, they must at least sit next to
        # the question's other words.
        anchors = None
        if info.kind in ("place", "date", "age", "duration") and not verb_tokens:
            anchors = [w for t, (m, w) in zip(info.terms, ev.matches) if m > 0 and not (t.is_focus and not info.focus_required)]
            if info.kind == "age" and not anchors:
                # "How old is Pellow?": the age must be his, not that of "Okonjo, a 41-year-old pharmacist" beside him
                anchors = [w for t, (m, w) in zip(info.terms, ev.matches) if m > 0 and t.is_name] or None
        starts = sorted(sp.start for sp in options)
        # the asked-for sort of place, word for word ("which town" → "the town of Odemira")
        named_places = [w for t, (m, w) in zip(info.terms, ev.matches) if t.is_focus and m >= 0.9]

        def owner_end(span) -> int:  # a number owns the words up to the next number
            return next((st for st in starts if st > span.start), len(doc))

        names = self._names.get(ev.sentence.source)
        named = [w for t, (m, w) in zip(info.terms, ev.matches) if m > 0 and t.is_name and t.text not in topic]
        asked_names = {w for t, (m, w) in zip(info.terms, ev.matches) if m > 0 and t.is_name}
        question_names = {t.text for t in info.terms if t.is_name}
        question_words = {t.text for t in info.terms}  # "the minister responsible for maritime affairs" names its sort
        asks_base = any(t.lemma in spans.BASE_WORDS or t.text in spans.BASE_WORDS for t in info.terms)
        # "the project's lead archaeologist, Dr Rachel Amis": naming the person noun is answering "who"
        person_nouns = {t.i for t in doc if t.lemma_.lower() in spans.PERSON_NOUNS or is_profession(t.lower_)} if info.kind == "person" else set()
        described = {w for t, (m, w) in zip(info.terms, ev.matches)
                     if m >= WORD_MATCH_MIN and t.pos == "NOUN" and not t.is_focus and not t.is_predicate}
        # A bare number standing for an elided noun ("... and nine in the Middle East") shares the focus
        # attachment of the numbers beside it.
        # measured from the number where the parser hangs a figure's last piece elsewhere ("m" of "£1.8m")
        focus_distance = {sp.start: min((spans.tree_distance(doc, _figure(sp).i, f) for f in focus_tokens), default=99) for sp in options}
        if numeric and focus_distance:
            attached = min(focus_distance.values())
            for sp in options:
                # a bare number, its noun left unsaid (an amount of money has its own noun: the currency)
                if sp.root.pos_ == "NUM" and sp.root.dep_ != "nummod" and not spans.is_money(sp) and not spans.is_tally_side(sp.root):
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
        # "LISBON, June 18 (Reuters) -": when, where and by whom the story was filed, which answers only "when did
        # X say", not when, where or by whom anything happened
        dateline = _DATELINE.match(ev.sentence.text) if info.verb not in REPORTING_VERBS else None
        if asks_base and _based_elsewhere(doc, asked_names):
            return []  # "Where is Huawei headquartered?": "a London-based think-tank" is all the sentence has
        people = self._person_words.get(ev.sentence.source, set()) if info.kind in ("place", "org") else set()
        out = []
        for span in options:
            text = span.text.strip(" ,.;:")
            if re.search(r"\b[ap]\.m$", text):
                text += "."  # "2:40 a.m." keeps its last full stop
            if _echoes(span, info.terms):
                continue
            if people and len(span) == 1 and span[0].lower_ in people:
                continue  # "Pellow" tagged a place: the article calls him Gareth Pellow
            if dateline and span.start_char < dateline.end():
                continue
            if text.endswith(")") and "(" not in text or text.startswith("(") and ")" not in text:
                text = text.strip("()")
            if not text or in_question(text, question_lower):
                continue
            if not (span.label_ == "DATE" and info.kind == "count") and any(  # "6 days" counts days; "the head" doesn't
                w == span.root.i and m >= WORD_MATCH_MIN
                for t, (m, w) in zip(info.terms, ev.matches)
                if not (t.is_focus and not info.focus_required) and t.lemma not in GENERIC_NOUNS  # "proportion" ~ "92 percent"
                # "who spoke" is answered by "a spokesperson", though "when will it start" not by "the start of"
                and not (t.pos == "VERB" and doc[w].pos_ == "NOUN" and doc[w].lemma_.lower() != t.lemma)
            ):
                continue  # the span is one of the question's own words ("the head" for "who is the boss")
            if info.kind == "person" and info.focus_required and info.verb in (None, "be") and focus_tokens and not any(
                spans.holds_title(doc, span, f) or spans.tree_distance(doc, span.root.i, f) <= 2 for f in focus_tokens
            ):
                continue  # "Who is Redmarsh's manager?": whoever holds the title, not anyone near it
            if info.kind == "person" and any(f in person_nouns and spans.whose_title(doc, span, f) for f in focus_tokens):
                continue  # "Ricardo Conde-Pinto, president of the Portuguese Space Agency": the agency is no boss
            if info.wants_name and not any(spans.tree_distance(doc, span.root.i, f) <= 2 for f in focus_tokens):
                continue  # "the name of the shepherd": a name given to the shepherd ("the shepherd, João Silva")
            if info.kind == "person" and spans.owns_a_title(span):
                continue  # "Solberg Chief Executive Anders Kjeldsen": Solberg is whose chief executive he is
            owner = spans.title_owner(span) or spans.appositive_title_owner(span) if info.kind == "person" else []
            # "Nordvik Air chief executive X" runs the Nordvik the question asks about: its own name may be short
            if owner and question_names and not all(t.lower_ in question_words for t in owner) and not (
                names is not None and any(t.lower_ in question_words and names.is_proper(t.lower_) for t in owner)
            ):
                continue  # "Who is Tarnbeck's chief executive?": "Solberg Chief Executive Anders Kjeldsen" runs Solberg
            if info.kind == "person" and info.focus_required and any(span.start <= w < span.end for w in focus_tokens):
                continue  # "Westerly's chief executive" is the asked-for role, not who holds it
            root = span.root.i
            # the sentence calls it the asked-for sort of place ("the town of Odemira")
            called_so = info.kind == "place" and any(spans.tree_distance(doc, root, f) <= 2 for f in named_places)
            if info.focus_required and focus_tokens and focus_distance[span.start] > FOCUS_REACH and not (
                info.kind in ("date", "duration") and any(spans.in_predicate_of(doc, root, f) for f in focus_tokens)
            ):
                continue  # "how many contracts" wants a number of contracts, not any number in the sentence
            far = anchors is not None and not called_so and not any(
                spans.located_at(doc, root, a) or spans.in_predicate_of(doc, root, a) for a in anchors) and min(
                (spans.tree_distance(doc, root, a) for a in anchors), default=99
            ) > _reach(info, span)
            if far and not only_one:
                continue  # "In which city is the congress held?": London is where someone spoke, not the congress
            if span.label_ == "GPE" and info.kind == "person" and span.root.dep_ not in _ARGUMENT_DEPS:
                continue  # "a London-based think-tank" names no one
            if info.wh_is_subject and info.kind in ("person", "org") and info.verb not in LIGHT_WORDS and not (
                any(spans.is_doer(doc, span, v) for v in real_verbs)
                or any(spans.holds_title(doc, span, v) or spans.by_agent(doc, span, v) for v in role_nouns)
                or any(spans.by_agent(doc, span, n) or spans.is_party(doc, span, n) for n in event_nouns)
                # "Which firm employs Karin Ottesen?": "Karin Ottesen, an analyst at Skagen Securities"
                or info.kind == "org" and any(spans.works_at(doc, span, n) for n in asked_names)
                # the verb isn't here, but the asked-for role is: "Holloway, an epidemiologist ..." for "which expert"
                or (not verb_tokens and any(spans.holds_title(doc, span, f) for f in focus_tokens))
            ):
                continue  # "Who founded Klarvik?" — "Klarvik, founded in 2009, ..." names no founder
            if info.kind == "money" and not _owner_is_asked(self.words, info, ev, span, owner_end(span)):
                continue  # "a compensation fee of £1.8m" is the fee, not what he earns; "revenue" is no profit
            if _names_question_noun(span, described - person_nouns, asked_names):
                continue  # "the boss of the turbine maker": in "turbine maker Nordvind", Nordvind *is* the maker
            score = 0.0
            if focus_tokens:
                # a number directly on the asked-about noun ("41 countries") beats one a few edges away
                score += (1.0 if numeric else 0.6) / max(1, focus_distance[span.start])
                if numeric and any(doc[f].head.i in verb_tokens and doc[f].dep_ in _ARGUMENT_DEPS
                                   and spans.tree_distance(doc, root, f) <= 1 for f in focus_tokens):
                    score += VERB_ARGUMENT_BONUS  # "1,450 firefighters were battling", not "two firefighters were injured"
                if info.kind == "thing" and root in focus_tokens:
                    score += 0.3  # the noun chunk is the asked-about noun itself ("which operators")
                if info.kind == "thing" and not any(t.pos_ in ("PROPN", "NUM") for t in span):
                    score -= 0.3  # "which models" → "the Aria and the Kestrel", rather than "mainly older models"
            elif info.kind == "thing":
                continue
            if constraints:
                if numeric:
                    # "18 contracts in Europe and nine in the Middle East": a number owns the words up to the next one.
                    nxt = owner_end(span)
                    near = [w_ / (1 if span.start <= w < nxt else 2 + spans.tree_distance(doc, root, w)) for w_, w in constraints]
                else:
                    near = [w_ / (1 + spans.tree_distance(doc, root, w)) for w_, w in constraints]
                score += CONSTRAINT_WEIGHT * sum(near) / sum(w_ for w_, _ in constraints)
            if numeric and named and not any(span.start <= w < owner_end(span) for w in named):
                score -= 0.5  # "visitors in 2019": the number whose own words hold the year, not another one
            if numeric:
                # "18 contracts with carriers in Europe" answers "how many contracts" less well than an
                # unqualified total: penalise names the question did not ask about in the number's own words.
                nxt = owner_end(span)
                asked = {w for _, w in ev.matches}
                extra = {e.start for e in doc.ents if e.label_ in _QUALIFIER_LABELS and span.end <= e.start < nxt
                         and not any(t.i in asked for t in e)}
                score -= 0.15 * min(2, len(extra))
            if verb_tokens and not (numeric and focus_tokens):
                d = min(spans.tree_distance(doc, root, v) for v in verb_tokens)
                lin = min(abs(root - v) for v in verb_tokens)
                # times and places belong to their own verb ("said on Wednesday" is not when it will close)
                weight = 0.6 if info.kind in ("date", "place", "duration") else 0.3
                score += weight / (1 + max(0, d - 1)) + 0.05 / (1 + lin / 5)
                if info.kind in ("person", "org") and any(
                    span.root.dep_ in ("nsubj", "nsubjpass", "agent") and span.root.head.i == v or spans.in_agent(doc, root, v)
                    for v in verb_tokens
                ):
                    score += 0.4
            if info.asks_change and span.root.dep_ == "pobj" and span.root.head.lower_ in ("to", "from"):
                score -= 0.3  # "grew 9% to £2.9bn": £2.9bn is where it ended, not how much it grew
            if info.asks_change and span.label_ == "PERCENT":
                score += 0.3  # "how much did the shares drop?" → 8.4 percent, not the $14 billion they lost
            if info.wants_tally:
                score += TALLY_BONUS if spans.is_tally(span) else -TALLY_BONUS  # "what was the result?" → both sides
            if numeric and _is_compared(span):
                # "from 1.87 billion" is the figure before: the answer to "what was it before?", not to "what is it?"
                score += 0.4 if info.asks_before else -0.1
            if info.kind == "count" and span.label_ == "PERCENT":
                score -= PERCENT_FOR_COUNT_PENALTY
            if span.label_ in info.labels:
                score += 0.15 if span.label_ == _preferred_label(info.kind) else 0.05
            elif span.label_ in _NAME_LABELS:
                score -= OTHER_LABEL_PENALTY
            if called_so:
                score += 0.3
            if far:
                score -= FAR_PENALTY
            if info.kind == "place" and asks_base and spans.is_base_of(span):
                score += 0.8  # "Cambridge-based Halvern" says where Halvern is based; a dateline only where it reports
            if info.kind == "date":
                if spans.is_duration(span):
                    score -= 0.5  # "10 days" is how long, not when
                if info.focus and info.focus[-1] == "year" and any(_YEAR.fullmatch(t.text) for t in span):
                    score += 0.3  # "in what year" → 2009, not "almost six years"
                elif info.focus and info.focus[-1] == "time" and spans.is_clock_time(span):
                    score += 0.3  # "at what time" → "2:40 a.m.", rather than "on Sunday"
                elif any(t.is_digit for t in span):
                    score += 0.1  # "on 2 March 2026" is more precise than "next spring"
            elif info.focus and not info.focus_required:
                # "which event" → Mobile World *Congress*: the category word resembles the answer's head word
                score += 0.4 * max(0.0, self.words.similarity(info.focus[-1], span.root.lower_))
            if info.kind == "event" and span[-1].lower_ in EVENT_NOUNS:
                score += 0.4  # a name that says it is an event ("Mobile World Congress"), whatever its label
            elif info.kind == "event" and span.label_ != "EVENT":
                score -= 0.3  # "Huawei" is a company, whatever sentence it is in
            out.append(Candidate(text, ev, score))
        return out

    # -- answer ---------------------------------------------------------------------------------------------

    def answer(self, state: QAState) -> Answer:
        question = state.resolved or state.question
        info = analyze(self.nlp(question))
        retrieved = list(state.retrieved)
        if info.labels:
            retrieved = self._with_title_holders(info, self._with_continuations(retrieved))
        evidence = self._evidence(info, retrieved)
        base = dict(question=state.question, resolved_question=question, context=context_citations(state), engine=self.name)
        credit = self._credit_line(evidence) if info.asks_credit else None
        if credit is not None:  # a picture's credit is a line of its own, sharing no word with the question
            return Answer(answer=credit.text.strip(), abstained=False, citations=[Citation.of(credit)], confidence=0.9, **base)
        eligible = [ev for ev in evidence if self._eligible(info, ev)]
        if not eligible:
            return Answer(answer=NOT_IN_ARTICLE, abstained=True, confidence=_confidence(evidence), **base)

        question_lower = question.lower()
        candidates: list[Candidate] = []
        for ev in eligible:
            if info.kind == "kind":
                found = qualifier_candidates(info, ev)
            elif info.kind == "yesno":
                found = clause_around_matches(ev)
            else:
                found = self._entity_candidates(info, ev, question_lower) if info.labels else []
                if not found and (not info.labels or info.kind == "thing"):
                    found = clause_candidates(self.words, info, ev, question_lower)
            for c in found:
                c.score += ev.support + DENSE_WEIGHT * ev.retrieved.dense
            candidates += found

        if candidates:
            best = max(candidates, key=lambda c: c.score)
            # Other sentences that give the same answer are evidence too (headline and body, say); the more
            # precise wording wins ("more than 40,000" over "40,000").
            # A headline only restates its story: the body's sentence with the same answer is cited beside it.
            margin = 2 * AGREEING_MARGIN if _is_headline(best.evidence.sentence.text) else AGREEING_MARGIN
            agreeing = [c for c in candidates if _same_answer(c.text, best.text) and c.score >= best.score - margin]
            text = max((c.text for c in agreeing), key=len)
            cited = list({c.evidence.sentence.id: c.evidence.sentence for c in sorted(agreeing, key=lambda c: -c.score)}.values())
            return Answer(
                answer=text,
                abstained=False,
                citations=[Citation.of(s) for s in cited[:MAX_CITATIONS]],
                confidence=round(min(1.0, best.evidence.support), 3),
                **base,
            )
        # The sentences match the question but hold nothing of the asked-for kind (no date, no number, no name).
        # A whole sentence answers only an open question, and only where it names what was asked about
        # ("the population of Harwick" needs a population, not any sentence about Harwick).
        wholes = [ev for ev in eligible if _names_focus(info, ev) or ev.retrieved.dense >= CLOSE_DENSE]
        if info.labels or not wholes:
            return Answer(answer=NOT_IN_ARTICLE, abstained=True, confidence=_confidence(evidence), **base)
        ev = max(wholes, key=lambda e: e.support + 0.5 * e.retrieved.dense)
        return Answer(
            answer=ev.sentence.text,
            abstained=False,
            citations=[Citation.of(ev.sentence)],
            confidence=round(min(1.0, ev.support) * 0.8, 3),
            **base,
        )

    def _credit_line(self, evidence: list[Evidence]) -> Sentence | None:
        """The article's picture credit ("WANG ZHAO/AFP/Getty Images"); with several articles, the one the
        question's best sentences come from."""
        lines = [s for s in self._credit_lines if s.source in {ev.sentence.source for ev in evidence[:3]}]
        return (lines or self._credit_lines or [None])[0]

    @staticmethod
    def _eligible(info: QuestionInfo, ev: Evidence) -> bool:
        close = ev.retrieved.dense >= CLOSE_DENSE and ev.support >= CLOSE_SUPPORT_MIN
        if not (ev.names_ok and ev.focus_ok and (ev.support >= SUPPORT_MIN or close)):
            return False
        return ev.retrieved.dense >= DENSE_MIN or ev.support >= STRONG_SUPPORT

    def supports(self, question: str, answer_text: str, sentences: list[Sentence]) -> bool:
        """Do these sentences support this answer to this question? (Used to verify generated answers.)"""
        if not sentences or not answer_text.strip():
            return False
        info = analyze(self.nlp(question))
        retrieved = [Retrieved(sentence=s, dense=1.0) for s in sentences]
        if not any(ev.names_ok and ev.support >= SUPPORT_MIN for ev in self._evidence(info, retrieved)):
            return False
        answer_info = analyze(self.nlp(answer_text))
        answer_terms = [t for t in answer_info.terms if t.pos in ("PROPN", "NOUN", "NUM", "ADJ", "VERB")]
        if not answer_terms:
            return True
        docs = self.parsed(sentences)
        best = [max(m for m, _ in ms) if ms else 0 for ms in zip(*(match_terms(self.words, answer_terms, d) for d in docs))]
        numbers_ok = all(
            any(t.text in s.text.lower() for s in sentences) for t in answer_terms if t.pos == "NUM"
        )
        return numbers_ok and sum(1 for b in best if b > 0) >= 0.6 * len(answer_terms)


# -- helpers ------------------------------------------------------------------------------------------------


def _one_of_a_list(info: QuestionInfo, doc, matches) -> bool:
    """"How many patients were recruited in Spain?" against "1,840 patients across hospitals in Britain, Germany
    and Spain": a figure for a list of three or more names is not the figure for the one asked about."""
    asked = {w for m, w in matches if m > 0}
    for t, (m, w) in zip(info.terms, matches):
        if t.is_name and m > 0:
            members = spans.list_members(doc, w)
            if len(members) >= 3 and not all(x.i in asked or any(c.i in asked for c in x.children if c.dep_ == "compound")
                                             for x in members):
                return True
    return False


def _other_sort(info: QuestionInfo, doc, head_i: int) -> bool:
    """The evidence's title is another one than the asked-for: "agriculture minister" for "prime minister",
    "finance director" for "sporting director"."""
    if info.kind != "person" or not info.focus_modifiers or head_i < 0:
        return False
    own = {c.lemma_.lower() for c in doc[head_i].children if c.dep_ == "compound" and c.i < head_i}
    # the question may name the sort elsewhere: "the Norwegian minister responsible for fisheries"
    asked = set(info.focus_modifiers) | {t.lemma for t in info.terms} | {t.text for t in info.terms}
    return bool(own) and not own & asked


def _names_focus(info: QuestionInfo, ev: Evidence) -> bool:
    """The asked-about noun ("What is the *population* of ...") is in the sentence, unless it only frames."""
    if not info.focus or info.focus[-1] in GENERIC_NOUNS:
        return True
    return any(m >= WORD_MATCH_MIN for t, (m, _) in zip(info.terms, ev.matches) if t.is_focus and t.lemma == info.focus[-1])


def _lede_actor(text: str, doc):
    """The body the lede is about: its first organisation after the dateline ("... (Reuters) - Lisbon-based rocket
    maker Atlantis Launch Systems successfully placed ..."), or None."""
    dateline = _DATELINE.match(text)
    after = dateline.end() if dateline else 0
    # or a name the small model missed ("Halvsted Bank, Denmark's third-largest lender, said ...")
    unlabelled = [r for r in spans.proper_runs(doc) if not any(t.ent_type_ for t in r)]
    names = sorted([e for e in doc.ents if e.label_ in _LEDE_ACTORS] + unlabelled, key=lambda e: e.start)
    return next((e for e in names if e.start_char >= after), None)


def _asks_in_charge(info: QuestionInfo) -> bool:
    """"Who is the boss of X?", "the Huawei executive": the question is about whoever runs something."""
    return any(is_in_charge(t.text) for t in info.terms)


def _top_titles(doc) -> list:
    """The sentence's top-title words ("chief", "president"), not inside another name; found once per sentence."""
    return cached(doc, "top_titles", lambda d: [t for t in d if t.lower_ in TOP_TITLES and t.ent_type_ in ("", "PERSON")])


def _bare_top_title(doc) -> bool:
    """A top title that names no body: "chief executive Helena Marques-Duarte", not "Lydia's chief executive"; nor a
    "Chief Financial Officer", who heads a function, not the body."""
    titles = [t if t.dep_ not in ("amod", "compound") else t.head for t in _top_titles(doc) if not heads_a_function(t)]
    return any(not spans.title_owners(t) for t in titles)


def _echoes(span, terms: list[Term]) -> bool:
    """Every word of the span is one of the question's own (or its demonym: "British" for "UK")."""
    words = [t.lower_ for t in span if not t.is_stop and not t.is_punct]
    question = {t.text for t in terms} | {t.lemma for t in terms}
    return bool(words) and all(w in question or any(same_name(q, w) for q in question) for w in words)


def _based_elsewhere(doc, asked_names: set[int]) -> bool:
    """The sentence's only word for being based is "X-based" on something new ("a London-based think-tank"), not
    on the names the question asks about."""
    based = [t for t in doc if t.lower_ in spans.BASE_WORDS]
    return bool(based) and bool(asked_names) and all(
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


def _same_answer(a: str, b: str) -> bool:
    x, y = " ".join(re.findall(r"\w+", a.lower())), " ".join(re.findall(r"\w+", b.lower()))
    return bool(x and y) and (x in y or y in x)


_DATELINE = re.compile(r"^([A-Z][\w .,'/()-]{1,60}?)\s[-–—]\s")  # "ROTTERDAM, October 23 (Reuters) - "


def _is_headline(text: str) -> bool:
    return len(text.split()) <= 16 and not text.rstrip().endswith((".", "!", "?", '"', "”"))


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


def _preferred_label(kind: str) -> str:
    return {"count": "CARDINAL", "person": "PERSON", "org": "ORG", "place": "GPE", "date": "DATE",
            "money": "MONEY", "percent": "PERCENT"}.get(kind, "")


def _confidence(evidence: list[Evidence]) -> float:
    return round(max((ev.support for ev in evidence), default=0.0), 3)
