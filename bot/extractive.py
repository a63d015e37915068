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
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Span

from bot import ranker, spans
from bot.articles import DATELINE
from bot.candidates import NUMERIC_KINDS, ArticleFacts, Judged, JudgedSentence, asks_clock, judge_sentence
from bot.clauses import clause_around_matches, clause_candidates, qualifier_candidates
from bot.evidence import FOCUS_MATCH_MIN, Candidate, Evidence
from bot.index_store import SentenceIndex
from bot.lexicon import TOP_TITLES, WordVectors, contrasting, is_expert, is_in_charge, is_profession, role_match
from bot.matching import WORD_MATCH_MIN, ArticleNames, cached, heads_a_function, is_figure, match_terms, whole_names
from bot.models import get_embeddings, get_nlp
from bot.people import marked_as_person, roles_of_people, unnamed_role
from bot.pipeline import QAState, context_citations
from bot.question import GENERIC_NOUNS, QuestionInfo, Term, analyze
from bot.schema import Answer, Citation, Retrieved, Sentence

NOT_IN_ARTICLE = "The article doesn't say."

# a sentence this close to the question, holding most of its words, may say the asked-about noun in other words
# ("the river peaked at 6.9 meters" for "what height did the river reach")
MEASURE_MATCH = 0.8  # "what area" ~ "12 square kilometres": the unit says what is measured
FOCUS_WAIVER_DENSE = 0.7
FOCUS_WAIVER_SUPPORT = 0.6
SUPPORT_MIN = 0.45  # share of the question's weighted terms a sentence must support
VERB_ANCHORED_SUPPORT = 0.3  # ... or this share, with an answer of the asked kind on the question's verb
DENSE_MIN = 0.1  # below this cosine a sentence needs STRONG_SUPPORT to count
STRONG_SUPPORT = 0.65
CLOSE_SUPPORT_MIN = 0.3  # a sentence as close as CLOSE_DENSE needs less of the question's wording
CLOSE_DENSE = 0.6  # a sentence this close to the question may answer it with words the question doesn't use
CONTINUATION_DENSE = 0.8  # a pronoun-led next sentence borrows this share of its antecedent's dense score
MAX_CITATIONS = 2
RARE_ANSWERS = 3  # times of day (or tallies) in at most this many of an article's sentences: all of them are weighed
PRELOAD_LIMIT = 3000  # sentences; larger corpora are parsed and embedded word by word as questions need them
LEARNED_AGREEING_MARGIN = 0.2  # as AGREEING_MARGIN (below), on the learned ranker's probabilities
FULLER_WORDS = 3  # an agreeing answer this many words longer is a fuller wording of it ("more than 40,000")
AGREEING_MARGIN = 0.35  # another sentence whose candidate says the same, this close to the best, is cited too
UNREFERRED_CARRY = 0.2  # a name from a sentence just before one without a pronoun, which may be about another
NEIGHBOURS = 2  # names may be supplied by this many preceding sentences (coreference by proximity)
_MISLABELLED_PEOPLE = {"NORP", "GPE", "LOC", "FAC", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT"}
ROLE_MATCH = 0.8  # a role word found in how the article describes a person the sentence names
EPITHET_REACH = 2  # how many sentences further back "The 54-year-old" may point
# "The 54-year-old, a former nurse, ...", '"Everyone could see this coming," the 58-year-old said.'
_LEADING_EPITHET = re.compile(r"The \S+-year-old\b")
_AGE_EPITHET = re.compile(r"(?:^|[,.?!]['\"’”]? )[Tt]he \S+-year-old\b(?!-)(?! [a-z]+ [a-z])")
TOPIC_WEIGHT = 0.2  # how much a topic word counts towards support
TOPIC_SHARE = 0.25  # a word in this share of an article's sentences is its topic (e.g. the company it is about)
LEDE_SENTENCES = 3  # headline, dateline and first paragraph: they introduce who and where the article is about
_LEDE_ACTORS = {"ORG", "PRODUCT", "FAC"}  # labels of the body a lede introduces (a product to the model, often)

_FIRST_PERSON = {"i", "me", "my", "we", "us", "our", "you", "your"}
# "WANG ZHAO/AFP/Getty Images", "Photo: Jane Doe/Reuters", "(Photograph by X/EPA)": names joined by slashes
_NAME_PART = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*"
_CREDIT_LINE = re.compile(rf"\(?(?:(?:Photo|Photograph|Picture|Image)s?(?: by|:)\s*)?{_NAME_PART}(?:\s?/\s?{_NAME_PART})+\)?\.?")


@dataclass
class SentenceOptions:
    """What one sentence could answer: its names and figures of the asked-for kind, judged by the rules (None:
    the question asks for none), and its clauses, where the question is open."""

    evidence: Evidence
    entities: JudgedSentence | None
    clauses: list[Candidate]


@dataclass
class Weighed:
    """An answer and what it was chosen from: the rules' answer and every option, described for the ranker."""

    answer: Answer
    ruled: Answer
    options: list[ranker.Option]


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, index: SentenceIndex, nlp=None, words: WordVectors | None = None,
                 learned: ranker.LearnedRanker | None = None, record_options: bool = False) -> None:
        """`learned`: the ranker that chooses among all options (None: the rules choose). `record_options`:
        describe the options even without a ranker (to train one)."""
        self.index = index
        self.ranker = learned
        self.record_options = record_options
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
        self._roles: dict[str, dict[str, set[str]]] = {}  # source → surname → the words its people are described by
        self._contexts: dict[tuple[str, int, int], np.ndarray] = {}  # (sentence id, start, end) → window vector
        self._holding: dict[tuple[str, object], list[Sentence]] = {}  # (source, finder) → its sentences holding one
        self._lede_actor: dict[str, set[str]] = {}  # the words of the body each article's lede is about
        self._epithet_person: dict[str, str] = {}  # id of a sentence opening "The 61-year-old said" → their surname
        if len(index.sentences) <= PRELOAD_LIMIT:
            # a small corpus is parsed and its vocabulary embedded now, so no question pays for it
            docs = self.parsed(index.sentences)
            self.words.ensure({w for d in docs for t in d if not t.is_punct and not t.is_space for w in (t.lower_, t.lemma_.lower())})
            self._label_people_alike(docs)
            roles_by_sentence = [roles_of_people(doc) for doc in docs]
            # the surnames of people named in full ("Gareth Pellow"): "Pellow" alone is no place, whatever its tag
            for sentence, doc, roles in zip(index.sentences, docs, roles_by_sentence):
                self._person_words.setdefault(sentence.source, set()).update(
                    e[-1].lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2 and e[-1].is_title)
                for surname, words in roles.items():
                    self._roles.setdefault(sentence.source, {}).setdefault(surname, set()).update(words)
                if sentence.source not in self._lede_actor and sentence.position < LEDE_SENTENCES and not sentence.is_headline:
                    actor = _lede_actor(sentence.text, doc)
                    if actor is not None:
                        self._lede_actor[sentence.source] = {t.lower_ for t in actor if t.is_alpha}
            self._name_the_lede_role(docs, roles_by_sentence)
            self._epithet_person = self._people_behind_epithets(docs)
            if learned is not None or record_options:  # the words around every name and figure, for the ranker
                self._embed_contexts([(s, d, (sp.start, sp.end)) for s, d in zip(index.sentences, docs)
                                      for e in d.ents for sp in (e, spans.trim(e))])
        self._facts = {src: ArticleFacts(self._topic.get(src, set()), self._names[src], self._person_words.get(src, set()))
                       for src in self._by_source}

    def _label_people_alike(self, docs: list) -> None:
        """A name ending in the surname of someone the article marks as a person is that person, whatever the small
        model made of it in another sentence: "a co-production by Aibek Nurlanov" (NORP) of "Nurlanov, 33, was
        making his feature debut"."""
        surnames: dict[str, set[str]] = {}
        for sentence, doc in zip(self.index.sentences, docs):
            surnames.setdefault(sentence.source, set()).update(
                e[-1].lower_ for e in doc.ents if e.label_ == "PERSON" and e[-1].is_title and (len(e) >= 2 or marked_as_person(e)))
        for sentence, doc in zip(self.index.sentences, docs):
            known = surnames.get(sentence.source, set())
            if any(_mislabelled_person(e, known) for e in doc.ents):
                doc.ents = [Span(doc, e.start, e.end, label="PERSON") if _mislabelled_person(e, known) else e for e in doc.ents]

    def _name_the_lede_role(self, docs: list, roles_by_sentence: list[dict[str, set[str]]]) -> None:
        """A lede describes whom the story is about ("sentenced the former deputy governor of Harlow Province"),
        and the next sentence names them ("Tobias Wrenfield, 61, ..."): the name stands for that description.
        `docs` and `roles_by_sentence` (each sentence's roles_of_people) are in index order."""
        doc_of = {s.id: d for s, d in zip(self.index.sentences, docs)}
        roles_of = {s.id: r for s, r in zip(self.index.sentences, roles_by_sentence)}
        for source, siblings in self._by_source.items():
            lede = next((s for s in siblings[:LEDE_SENTENCES] if not s.is_headline), None)
            if lede is None or lede.position + 1 >= len(siblings):
                continue
            role = unnamed_role(doc_of[lede.id])
            after_id = siblings[lede.position + 1].id
            after = doc_of[after_id]
            titled = roles_of[after_id]  # "Judge Miriam Oduya ... found Tobias Wrenfield, 61, guilty": not the judge
            named = next((e for e in after.ents if e.label_ == "PERSON" and len(e) >= 2 and e[-1].lower_ not in titled), None)
            if role and named is not None:
                self._roles.setdefault(source, {}).setdefault(named[-1].lower_, set()).update(role)

    def _people_behind_epithets(self, docs: list) -> dict[str, str]:
        """"The 61-year-old, who took control of Northbridge in 2019, ..." a quote or two after "said chairman
        Desmond Achterberg": the epithet is the person last named before it, so it answers for their roles."""
        doc_of = {s.id: d for s, d in zip(self.index.sentences, docs)}
        out = {}
        for sentence, doc in zip(self.index.sentences, docs):
            # the sentence's subject is the epithet itself: "The 61-year-old said", not "The 44-year-old former banker"
            if _LEADING_EPITHET.match(sentence.text) is None or not any(
                    t.lower_ == "old" and t.dep_ in ("nsubj", "nsubjpass") for t in doc[:8]):
                continue
            siblings = self._by_source[sentence.source]
            reach = max(0, sentence.position - NEIGHBOURS - EPITHET_REACH)
            before = [doc_of[s.id] for s in siblings[reach : sentence.position]]
            surname = next((e[-1].lower_ for d in reversed(before) for e in reversed(d.ents) if e.label_ == "PERSON"),
                           None)
            if surname is not None:
                out[sentence.id] = surname
        return out

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
                dateline = DATELINE.match(s.text)
                scene = dateline.group(1) if dateline else s.text if s.is_headline else ""
                topic[s.source] |= {w.lower() for w in re.findall(r"\b[A-Z][\w-]*", scene)}
        return topic

    def parsed(self, sentences: list[Sentence]) -> list:
        missing = [s for s in sentences if s.id not in self._docs]
        if missing:
            docs = list(self.nlp.pipe(s.text for s in missing))
            with self._docs_lock:
                self._docs.update((s.id, d) for s, d in zip(missing, docs))
        return [self._docs[s.id] for s in sentences]

    def _embed_contexts(self, spans_: list[tuple[Sentence, object, tuple[int, int]]]) -> None:
        """Embed the words around each name or figure not seen yet, in one batch."""
        todo = {(s.id, *tokens): ranker.context_window(doc, tokens) for s, doc, tokens in spans_
                if (s.id, *tokens) not in self._contexts}
        if todo:
            vectors = self.words.embed_documents(list(todo.values()))
            with self._docs_lock:
                self._contexts.update(zip(todo, vectors))

    def _context_dense(self, options: list[ranker.Option], query_vector) -> None:
        """How close the words around each name or figure are to the question: in a long sentence, which of its
        clauses the option sits in."""
        placed = [o for o in options if o.tokens is not None]
        if query_vector is None or not placed:
            return
        self._embed_contexts([(o.evidence.sentence, o.evidence.doc, o.tokens) for o in placed])
        for o in placed:
            o.features["context_dense"] = float(self._contexts[(o.evidence.sentence.id, *o.tokens)] @ query_vector)

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
        # "The 54-year-old, a former nurse, ..." stands for the person last named, often a quote or two before
        epithet = _AGE_EPITHET.search(sentence.text) is not None
        near = siblings[max(0, sentence.position - NEIGHBOURS - (EPITHET_REACH if epithet else 0)) : sentence.position]
        # The lede introduces who the article is about ("Danish wind turbine maker Nordvind"), so its common
        # nouns may stand behind a later "the company"; names are not carried that far.
        lede = [s for s in siblings[: LEDE_SENTENCES + 1] if s.position < sentence.position and s not in near]
        names = self._names.get(sentence.source)
        asked = [terms[i] for i in missing]
        # a name carries its full weight only into a sentence that points back to someone or something ("it", "his")
        refers_back = epithet or cached(self.parsed([sentence])[0], "refers_back",
                                        lambda d: any(t.tag_ in ("PRP", "PRP$") and t.lower_ not in _FIRST_PERSON for t in d))
        for prev, from_lede in [(s, False) for s in near] + [(s, True) for s in lede]:
            key = (prev.id, tuple(missing))
            if key not in memo:
                prev_doc = self.parsed([prev])[0]
                memo[key] = whole_names(asked, match_terms(self.words, asked, prev_doc), names, prev_doc)
            for i, (m, _) in zip(missing, memo[key]):
                if m > 0 and not (from_lede and terms[i].is_name):
                    strength = (0.8 if refers_back else UNREFERRED_CARRY) if terms[i].is_name else 0.5
                    carried[i] = max(carried[i], m * strength)
        return carried

    def _with_roles(self, terms: list[Term], matches, sentence: Sentence, doc) -> list[tuple[float, int]]:
        """"When was the former deputy governor arrested?" of "Wrenfield ... was arrested on Oct. 5, 2021": a
        person the sentence names by surname is what the article calls them elsewhere, so the question's words
        for them match at the surname."""
        roles = self._roles.get(sentence.source)
        if not roles:
            return matches
        # by surname, whatever NER makes of it alone ("Wrenfield, who sat motionless" is often no PERSON)
        named = [(t.i, roles[t.lower_]) for t in doc if t.is_title and t.lower_ in roles]
        surname = self._epithet_person.get(sentence.id)
        if surname in roles:  # "The 61-year-old" (its first token) for the chairman named a quote before
            named.append((0, roles[surname]))
        out = list(matches)
        for i, (term, (m, _)) in enumerate(zip(terms, matches)):
            if m > 0 or term.is_name:
                continue
            at = next((k for k, words in named if term.lemma in words or any(role_match(term.text, w) for w in words)), None)
            if at is not None:
                out[i] = (ROLE_MATCH, at)
        return out

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
        Raman"). Quotes carry such titles and rarely the company's name, so retrieval ranks them low. "Which
        scientist?": add those that name someone by a profession ("Dr Miriam Okafor, a marine mammal ecologist")."""
        if not _asks_in_charge(info) or not retrieved:
            return retrieved
        asks_expert = any(is_expert(t.text) for t in info.terms)
        seen = {r.sentence.id for r in retrieved}
        sources = {r.sentence.source for r in retrieved}
        floor = max(DENSE_MIN, min(r.dense for r in retrieved))
        extra = []
        for source in sources:
            siblings = self._by_source.get(source, [])
            if len(siblings) > PRELOAD_LIMIT:
                continue  # only where the article's sentences are parsed already
            for sentence, doc in zip(siblings, self.parsed(siblings)):
                if sentence.id not in seen and (_top_titles(doc) or asks_expert and _professionals(doc)):
                    extra.append(Retrieved(sentence=sentence, dense=floor))
        return retrieved + extra

    def _with_rare_answers(self, info: QuestionInfo, retrieved: list[Retrieved]) -> list[Retrieved]:
        """"Roughly what time did the snowpack fail?", "What was the final tally of councillors?": an article gives
        a clock time or a vote's tally in a sentence or two ("The slide broke loose at about 11:40 a.m.", "approved
        the deal by 38 votes to 21"), which a paraphrase may leave unretrieved. Where such answers are that rare,
        each sentence holding one is weighed; the ranker judges how well it answers."""
        find = spans.clock_times if asks_clock(info) else spans.tallies if info.wants_tally else None
        if find is None or not retrieved:
            return retrieved
        seen = {r.sentence.id for r in retrieved}
        floor = max(DENSE_MIN, min(r.dense for r in retrieved))
        extra = []
        for source in {r.sentence.source for r in retrieved}:
            if len(self._by_source.get(source, [])) > PRELOAD_LIMIT:
                continue  # only where the article's sentences are parsed already
            sentences = self._sentences_holding(source, find)
            if len(sentences) <= RARE_ANSWERS:
                extra += [Retrieved(sentence=s, dense=floor) for s in sentences if s.id not in seen]
                seen.update(s.id for s in sentences)
        return retrieved + extra

    def _sentences_holding(self, source: str, find) -> list[Sentence]:
        """The article's sentences where `find` (spans.clock_times, spans.tallies) finds something, once per process."""
        if (source, find) not in self._holding:
            siblings = self._by_source.get(source, [])
            self._holding[(source, find)] = [s for s, d in zip(siblings, self.parsed(siblings)) if find(d)]
        return self._holding[(source, find)]

    # -- matching -------------------------------------------------------------------------------------------

    def _evidence(self, info: QuestionInfo, retrieved: list[Retrieved]) -> list[Evidence]:
        docs = self.parsed([r.sentence for r in retrieved])
        out, memo = [], {}
        in_charge = info.kind == "person" and _asks_in_charge(info)
        for r, doc in zip(retrieved, docs):
            matches = whole_names(info.terms, match_terms(self.words, info.terms, doc), self._names.get(r.sentence.source), doc)
            topic = self._topic.get(r.sentence.source, set())
            matches = self._with_roles(info.terms, matches, r.sentence, doc)
            carried = self._carried_matches(info.terms, matches, r.sentence, memo)
            matches = _with_measures(info, doc, matches)
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
            ) or (r.dense >= FOCUS_WAIVER_DENSE and support >= FOCUS_WAIVER_SUPPORT and max(m for m, _ in head) < FOCUS_MATCH_MIN
                  and not any(contrasting(info.focus[-1], t.lower_) or contrasting(info.focus[-1], t.lemma_.lower()) for t in doc))
            out.append(Evidence(r, doc, matches, support, names_ok, focus_ok))
        return out

    # -- answer ---------------------------------------------------------------------------------------------

    def answer(self, state: QAState) -> Answer:
        return self.weigh(state).answer

    def weigh(self, state: QAState) -> Weighed:
        """The answer, with every option weighed for it: the rules' choice, then the learned ranker's (if any)."""
        question = state.resolved or state.question
        info = analyze(self.nlp(question))
        retrieved = list(state.retrieved)
        if info.labels:
            retrieved = self._with_continuations(retrieved)
            retrieved = self._with_rare_answers(info, self._with_title_holders(info, retrieved))
        evidence = self._evidence(info, retrieved)
        base = dict(question=state.question, resolved_question=question, context=context_citations(state), engine=self.name)
        credit = self._credit_line(evidence) if info.asks_credit else None
        if credit is not None:  # a picture's credit is a line of its own, sharing no word with the question
            answer = Answer(answer=credit.text.strip(), abstained=False, citations=[Citation.of(credit)], confidence=0.9, **base)
            return Weighed(answer, answer, [])
        eligible = [self._eligible(info, ev) for ev in evidence]
        verb_holds = [_verb_holds_answer(info, ev) for ev in evidence]
        answerable = [a or b for a, b in zip(eligible, verb_holds)]
        weigh_all = self.ranker is not None or self.record_options  # the ranker weighs every sentence's every option
        question_lower = question.lower()
        found = [self._sentence_options(info, ev, question_lower, weigh_all) if weigh_all or ok else None
                 for ev, ok in zip(evidence, answerable)]
        ruled = self._rule_answer(info, [(ev, f) for ev, f, ok in zip(evidence, found, answerable) if ok], evidence, base)
        if not weigh_all:
            return Weighed(ruled, ruled, [])
        options = [o for f in found for o in self._options(info, f)]
        pick = None if ruled.abstained else (ruled.answer, frozenset(c.sentence_id for c in ruled.citations))
        ranker.describe(options, info, evidence, eligible, verb_holds, len(state.retrieved), pick, question_lower,
                        self._names_nowhere(info))
        self._context_dense(options, state.query_vector)
        if self.ranker is None:
            return Weighed(ruled, ruled, options)
        return Weighed(self._learned_answer(options, base), ruled, options)

    def _names_nowhere(self, info: QuestionInfo) -> int:
        """How many of the question's names no indexed article uses ("And Africa?" of a story that never names it)."""
        return sum(1 for t in info.terms if t.is_name and not any(n.mentions(t.text) for n in self._names.values()))

    def _sentence_options(self, info: QuestionInfo, ev: Evidence, question_lower: str, every: bool) -> SentenceOptions:
        """The sentence's options for the asked-for kind. `every`: all of them, judged by every rule; otherwise
        clauses are looked for only where no name or figure stands."""
        if info.kind == "kind":
            return SentenceOptions(ev, None, qualifier_candidates(info, ev))
        if info.kind == "yesno":
            return SentenceOptions(ev, None, clause_around_matches(ev))
        entities = None
        if info.labels:
            facts = self._facts.get(ev.sentence.source, ArticleFacts())
            entities = judge_sentence(info, ev, question_lower, facts, self.words, every_rule=every)
        standing = entities is not None and any(j.rule is None for j in entities.options)
        # "What is the name of the law ...?" wants a name: a clause about the law is none
        wants_clause = not info.labels or info.kind == "thing" and not info.wants_name
        clauses = clause_candidates(self.words, info, ev, question_lower) if wants_clause and (every or not standing) else []
        return SentenceOptions(ev, entities, clauses)

    @staticmethod
    def _options(info: QuestionInfo, found: SentenceOptions) -> list[ranker.Option]:
        """Every answer the sentence could give, ruled out or not, for the learned ranker."""
        options = ranker.entity_options(info, found.entities) if found.entities else []
        options += ranker.candidate_options(found.clauses, ranker.CLAUSE)
        if not info.labels and info.kind not in ("kind", "yesno"):  # an open question may be answered by the whole sentence
            options += ranker.candidate_options([Candidate(found.evidence.sentence.text, found.evidence, 0.0)], ranker.SENTENCE)
        return options

    def _learned_answer(self, options: list[ranker.Option], base: dict) -> Answer:
        best, scores = self.ranker.choose(options)
        if best is None:
            return Answer(answer=NOT_IN_ARTICLE, abstained=True, confidence=round(float(scores.max(initial=0.0)), 3), **base)
        chosen = options[best]
        # Other sentences giving the same answer, nearly as likely, are evidence too (headline and body); a
        # slightly fuller wording wins ("more than 40,000" over "40,000"), a whole sentence does not.
        agreeing = [(s, o) for s, o in zip(scores, options)
                    if _same_answer(o.text, chosen.text) and s >= scores[best] - LEARNED_AGREEING_MARGIN]
        fuller = [o.text for _, o in agreeing if len(o.text.split()) <= len(chosen.text.split()) + FULLER_WORDS]
        cited = {chosen.evidence.sentence.id: chosen.evidence.sentence}
        for _, o in sorted(agreeing, key=lambda p: -p[0]):
            cited.setdefault(o.evidence.sentence.id, o.evidence.sentence)
        return Answer(answer=max(fuller, key=len), abstained=False,
                      citations=[Citation.of(s) for s in list(cited.values())[:MAX_CITATIONS]],
                      confidence=round(float(scores[best]), 3), **base)

    def _rule_answer(self, info: QuestionInfo, answerable: list[tuple[Evidence, SentenceOptions]],
                     evidence: list[Evidence], base: dict) -> Answer:
        """The hand-written rules' answer: the best-fitting option that no rule rules out, in a sentence that
        supports the question."""
        if not answerable:
            return Answer(answer=NOT_IN_ARTICLE, abstained=True, confidence=_confidence(evidence), **base)

        candidates: list[Candidate] = []
        for ev, found in answerable:
            standing = found.entities.candidates() if found.entities else []
            if not standing and (not info.labels or info.kind in ("thing", "kind", "yesno")):
                standing = found.clauses
            candidates += [Candidate(c.text, ev, c.score + ev.weight) for c in standing]

        if candidates:
            best = max(candidates, key=lambda c: c.score)
            # Other sentences that give the same answer are evidence too (headline and body, say); the more
            # precise wording wins ("more than 40,000" over "40,000").
            # A headline only restates its story: the body's sentence with the same answer is cited beside it.
            margin = 2 * AGREEING_MARGIN if best.evidence.sentence.is_headline else AGREEING_MARGIN
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
        wholes = [ev for ev, _ in answerable if _names_focus(info, ev) or ev.retrieved.dense >= CLOSE_DENSE]
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

    def judge(self, question: str, sentence: Sentence) -> list[Judged]:
        """Each option of the asked-for kind in one sentence, with the rule that rules it out or its fit: why an
        answer was or was not taken from this sentence."""
        info = analyze(self.nlp(question))
        ev = self._evidence(info, [Retrieved(sentence=sentence, dense=1.0)])[0]
        return judge_sentence(info, ev, question.lower(), self._facts.get(sentence.source, ArticleFacts()), self.words).options

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


def _with_measures(info: QuestionInfo, doc, matches):
    """A measure the question asks for ("what area", "how much rain") matches the unit the sentence gives it in
    ("12 square kilometres", "610 millimetres"), where no word says it."""
    focus = [i for i, t in enumerate(info.terms) if t.is_focus and t.lemma == (info.focus or [""])[-1]]
    if not focus or matches[focus[0]][0] >= FOCUS_MATCH_MIN or info.kind not in NUMERIC_KINDS:
        return matches
    units = spans.measured_in(info.focus[-1], doc)
    if not units:
        return matches
    return [(MEASURE_MATCH, units[0]) if i == focus[0] else m for i, m in enumerate(matches)]


def _verb_holds_answer(info: QuestionInfo, ev: Evidence) -> bool:
    """"At what time did the problems start?" → "The outage began at 02:40 GMT": the question's verb, with a time
    or place of the asked-for kind on it, is evidence enough where the nouns are said in other words."""
    if info.kind not in ("date", "place") or info.verb in ("be", "have", "do") or not (ev.names_ok and ev.focus_ok):
        return False
    if ev.support < VERB_ANCHORED_SUPPORT or ev.retrieved.dense < DENSE_MIN:
        return False
    doc = ev.doc
    # the parser may miss the question's verb ("did the stoppage start"): any of its verbs then
    verbs = [doc[w] for t, (m, w) in zip(info.terms, ev.matches) if m >= 0.75 and doc[w].pos_ == "VERB"
             and (t.lemma == info.verb if info.verb else t.pos == "VERB")]
    return any(t.ent_type_ in info.labels for v in verbs for c in v.children if c.dep_ in ("prep", "npadvmod") for t in c.subtree)


def _names_focus(info: QuestionInfo, ev: Evidence) -> bool:
    """The asked-about noun ("What is the *population* of ...") is in the sentence, unless it only frames."""
    if not info.focus or info.focus[-1] in GENERIC_NOUNS:
        return True
    return any(m >= WORD_MATCH_MIN for t, (m, _) in zip(info.terms, ev.matches) if t.is_focus and t.lemma == info.focus[-1])


def _mislabelled_person(ent, surnames: set[str]) -> bool:
    """A short name ending in a known person's surname, labelled anything but a person."""
    return ent.label_ in _MISLABELLED_PEOPLE and len(ent) <= 3 and ent[-1].lower_ in surnames


def _lede_actor(text: str, doc):
    """The body the lede is about: its first organisation after the dateline ("... (Reuters) - Lisbon-based rocket
    maker Atlantis Launch Systems successfully placed ..."), or None."""
    dateline = DATELINE.match(text)
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


def _professionals(doc) -> list:
    """The sentence's profession words ("ecologist", "professor") where it names a person; found once per sentence."""
    return cached(doc, "professionals", lambda d: [t for t in d if t.pos_ == "NOUN" and is_profession(t.lower_)]
                  if any(e.label_ == "PERSON" for e in d.ents) else [])


def _bare_top_title(doc) -> bool:
    """A top title that names no body: "chief executive Helena Marques-Duarte", not "Lydia's chief executive"; nor a
    "Chief Financial Officer", who heads a function, not the body."""
    titles = [t if t.dep_ not in ("amod", "compound") else t.head for t in _top_titles(doc) if not heads_a_function(t)]
    return any(not spans.title_owners(t) for t in titles)


def _same_answer(a: str, b: str) -> bool:
    x, y = " ".join(re.findall(r"\w+", a.lower())), " ".join(re.findall(r"\w+", b.lower()))
    return bool(x and y) and (x in y or y in x)


def _confidence(evidence: list[Evidence]) -> float:
    return round(max((ev.support for ev in evidence), default=0.0), 3)
