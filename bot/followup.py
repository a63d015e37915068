"""Offline follow-up resolution: rewrite an elliptical or pronoun-laden question into a standalone one.

Four rewrites, tried in order, each driven by spaCy's parse (no article wording assumed):
- a verbless fragment that is only a time or a circumstance ("And the year before?", "And at its busiest?") →
  the previous question with its time ("last year") replaced by the fragment;
- pronouns and demonstratives ("What did it warn about?", "that agency") → the antecedent: the previous answer
  when it is a name, else the previous question's subject or entity that agrees (he/she → a person, they → plural);
- a wh-fragment without a verb ("And how many commercial contracts?", "Ahead of which event?") → the fragment
  plus the rest of the previous question ("... has Huawei shipped?");
- a fragment without a wh-word ("And in the Middle East?", "What about Ericsson?") → the previous question with
  the entity of the same type (else the alike noun, else the subject) swapped for the new one.
Before these, "When was that?" / "What year did that happen?" asks when the event of the previous question was:
"Who founded the chain?" → "Eleanor Marlow" → "What year did Eleanor Marlow found the chain?".
"""

from __future__ import annotations

import re
from typing import Sequence

from bot.question import FRAME_NOUNS, NOUN_KINDS, WH_WORDS, of_object, question_span
from bot.schema import Turn
from bot.spans import WEEKDAYS

_PERSONAL = {"he": "person", "him": "person", "his": "person", "she": "person", "her": "person",
             "it": "thing", "its": "thing", "they": "plural", "them": "plural", "their": "plural",
             "those": "plural", "these": "plural", "this": "thing", "that": "thing"}
_POSSESSIVE = {"his", "her", "its", "their"}
_ARGUMENTS = {"nsubj", "nsubjpass", "dobj", "pobj"}
_SPEECH = {"say", "tell", "claim", "mean", "write", "announce", "argue", "warn", "add"}
_EVENT_ORDER = {"after", "before", "since", "until", "till", "following"}  # "after that": a time, not a thing
_LEADING = re.compile(r"^\s*(and|but|so|also|ok(ay)?|then|what about|how about|and what about)\b[\s,]*", re.I)
# "What about Africa — how many there?": the topic swapped in, then the same ask again
_TOPIC_THEN_ASK = re.compile(r"^(?P<topic>[^—–:,?]+?)\s*[—–:,]\s*(?:how|what|which|who|when|where)\b[^?]*\?*\s*$", re.I)
# "And how many of those are in Belgium?": a part of what was just counted, narrowed by a place or a time
_PART_OF_THOSE = re.compile(r"^(?:how (?:many|much)|what (?:share|proportion|percentage|fraction|number|part)) of "
                            r"(?:those|these|them|that|it)\s+(?:(?:are|is|were|was|will be|would be)\s+)?"
                            r"(?P<where>(?:in|at|from|for|within|across|outside|on|during|by)\s[^?]+?)\s*\??$", re.I)
# "When was that?", "What year did this happen?": the time of the event the last question asked about
_WHEN_WAS_THAT = re.compile(r"^(?P<wh>(?:(?:in|on|at)\s+)?(?:when|(?:what|which)\s+(?:year|month|day|date|time)))\s+"
                            r"(?:(?:was|were|is)\s+(?:that|this)"
                            r"|(?:did|does)\s+(?:that|this|it)\s+(?:happen|occur|take\s+place))\s*\?*\s*$", re.I)
_DO_SUPPORT = {"VBD": "did", "VBZ": "does", "VBP": "do"}
_TIME_NOUNS = {"time", "year", "day", "month", "week", "season", "date"}  # "that year": the date just answered
_PEOPLE = frozenset(NOUN_KINDS["person"])
_PLACES = {"GPE", "LOC", "FAC"}
_TIMES = {"DATE", "TIME"}
_MODEL_CODE = re.compile(r"\b[A-Z][A-Za-z]*-?\d[\w-]*")  # "TAK-003", "A320": a name, though it holds a number
_POSSESSIVE_END = re.compile(r"\s*['’]s$")
SWAP_SIMILARITY = 0.4  # how alike two nouns must be for "And the tram?" to replace "the bus"
_KIND_OF_NOUN = {noun: kind for kind in ("org", "place") for noun in NOUN_KINDS[kind]}
_LABELS_OF_KIND = {"org": {"ORG"}, "place": {"GPE", "LOC", "FAC"}}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}


class RuleBasedResolver:
    def __init__(self, nlp=None, words=None) -> None:
        if nlp is None:
            from bot.models import get_nlp

            nlp = get_nlp()
        if words is None:
            from bot.lexicon import WordVectors
            from bot.models import get_embeddings

            words = WordVectors(get_embeddings())
        self.nlp = nlp
        self.words = words

    def resolve(self, question: str, history: Sequence[Turn]) -> str:
        if not history:
            # only the sentence that asks goes on to retrieval; instructions around it are not searched for
            return question_span(self.nlp(question)).text
        previous = history[-1]
        prev_doc = question_span(self.nlp(previous.resolved_question or previous.question))
        doc = question_span(self.nlp(question))
        stripped = _LEADING.sub("", doc.text).strip()
        had_lead = stripped != doc.text.strip()
        if had_lead and (topic := _TOPIC_THEN_ASK.match(stripped)):
            stripped = topic["topic"] + "?"
        if had_lead and stripped:
            doc = self.nlp(stripped[0].upper() + stripped[1:])
        if (when := _swap_time(doc, prev_doc)) is not None:
            return when
        if (when := _WHEN_WAS_THAT.match(doc.text.strip())) and (event := _when_of(when["wh"], prev_doc, previous)):
            return event
        if part := _PART_OF_THOSE.match(doc.text.strip()):
            return _join(_strip_q(prev_doc.text), part["where"])  # "... lose their jobs at Norvance in Belgium?"

        rewritten = self._replace_pronouns(doc, prev_doc, history)
        if rewritten != doc.text:
            doc = self.nlp(rewritten)
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc)
        has_wh = any(t.lower_ in WH_WORDS for t in doc)
        if not has_verb and has_wh:
            return _join(_strip_q(doc.text), _rest_after_wh(prev_doc))
        if not has_verb and not has_wh:
            return (
                _swap_entity(doc, prev_doc)
                or self._swap_noun(doc, prev_doc)
                or _swap_subject(doc, prev_doc)
                or _join(_strip_q(prev_doc.text), _strip_q(_lower_first(doc[:])) + "?")
            )
        return doc.text

    # -- pronouns -------------------------------------------------------------------------------------------

    def _replace_pronouns(self, doc, prev_doc, history: Sequence[Turn]) -> str:
        previous = history[-1]
        out, last = [], 0
        for tok in doc:
            if tok.lower_ == "there" and tok.dep_ == "advmod" and (where := self._there(prev_doc, previous)):
                out.append(doc[last : tok.i].text_with_ws + where + tok.whitespace_)  # "Who's the boss there?"
                last = tok.i + 1
                continue
            kind = _PERSONAL.get(tok.lower_)
            if kind is None:
                continue
            if tok.lower_ in ("that", "this", "those", "these") and tok.dep_ in ("mark", "advmod"):
                continue
            if tok.tag_ == "WDT":
                continue  # "the company that operates the mine": a relative pronoun points inside the question
            demonstrative = tok.lower_ in ("that", "this")
            if demonstrative and tok.dep_ in ("dobj", "ccomp") and tok.head.lemma_ in _SPEECH:
                continue  # "when she said that": what was said, which the question need not name
            if demonstrative and tok.dep_ == "pobj" and tok.head.lower_ in _EVENT_ORDER:
                continue  # "How long did it keep sending signals after that?": after the event just told
            if any(t.pos_ == "PROPN" or t.ent_type_ in _NAME_LABELS for t in doc[: tok.i]):
                continue  # an antecedent inside the question itself ("What did Huawei say it would do?")
            span_end = tok.i + 1
            if demonstrative and tok.dep_ == "det" and tok.head.lower_ in _TIME_NOUNS and tok.head.i == tok.i + 1 \
                    and (when := self._date_answered(previous)):
                # "How many planes were parked that time?" after "... October 2021": in October 2021
                preposition = tok.i > 0 and doc[tok.i - 1].pos_ == "ADP"
                out.append(doc[last : tok.i].text_with_ws + ("" if preposition else _preposition_for(when) + " ")
                           + when + tok.head.whitespace_)
                last = tok.head.i + 1
                continue
            if tok.dep_ == "det" and tok.head.pos_ in ("NOUN", "PROPN") and tok.lower_ in ("that", "this", "those", "these"):
                noun = tok.head  # "that agency" → the whole noun phrase is replaced
                span_end = noun.i + 1
                kind = "plural" if noun.tag_ in ("NNS", "NNPS") else "thing"
            elif tok.pos_ not in ("PRON", "DET") and not (demonstrative and tok.dep_ in _ARGUMENTS):
                continue  # the tagger may take a bare "that" for a conjunction ("How far is that from ...?")
            # "How many passengers did it carry?": a doer, so not the place the last answer named
            doer = tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_ != "be"
            named = self._named_earlier(doc[span_end - 1], history) if span_end > tok.i + 1 else None
            if named is not None:  # "When was that agency created?": the agency some answer named
                out.append(doc[last : tok.i].text_with_ws + named + doc[span_end - 1].whitespace_)
                last = span_end
                continue
            antecedent = self._antecedent(kind, prev_doc, previous, doer, demonstrative)
            if not antecedent:
                continue
            if span_end > tok.i + 1 and kind == "plural" and antecedent.split()[-1].lower() != doc[span_end - 1].lower_:
                antecedent, span_end = "the", tok.i + 1  # "those findings" are not "the think-tank's report"
            elif span_end > tok.i + 1 and antecedent != previous.answer.strip() and self.words.similarity(
                    antecedent.split()[-1].lower(), doc[span_end - 1].lower_) < SWAP_SIMILARITY:
                antecedent, span_end = "the", tok.i + 1  # "that latest proposal" is not "the miner"
            # the antecedent may come from a possessive itself ("What's Jonas Brekke's deadline?")
            antecedent = re.sub(r"['’]s$", "", antecedent)
            if tok.lower_ in _POSSESSIVE and antecedent != previous.answer.strip():
                antecedent = re.split(r"['’]s ", antecedent)[0]  # "its membership": the group's, not "the group's behalf's"
            text = antecedent + ("'s" if tok.lower_ in _POSSESSIVE else "")
            out.append(doc[last : tok.i].text_with_ws + text + doc[span_end - 1].whitespace_)
            last = span_end
        if not out:
            return doc.text
        return "".join(out) + doc[last:].text

    def _date_answered(self, previous: Turn) -> str | None:
        """The last answer, if it was a date ("October 2021", "1987")."""
        answer = previous.answer.strip()
        if previous.abstained or not answer or len(answer.split()) > 5:
            return None
        doc = self.nlp(answer)
        return answer if len(doc.ents) == 1 and doc.ents[0].label_ == "DATE" and len(doc.ents[0]) == len(doc) else None

    def _named_earlier(self, noun, history: Sequence[Turn]) -> str | None:
        """The latest answer that names a body or a place of the sort the noun says ("that agency", "this city"),
        however many turns back: the turns between may have asked about something else."""
        labels = _LABELS_OF_KIND.get(_KIND_OF_NOUN.get(noun.lemma_.lower(), ""))
        if labels is None:
            return None
        for turn in reversed(history):
            answer = turn.answer.strip()
            if not turn.abstained and len(answer.split()) <= 6 and self._label_in_context(answer, turn) in labels:
                return answer
        return None

    def _there(self, prev_doc, previous: Turn) -> str | None:
        """Where "there" is: the place or body the last answer named, else the one the last question named
        ("How many stores does Kowhai Fresh have?" → "Who's the boss there?" → "at Kowhai Fresh")."""
        answer = None if previous.abstained else previous.answer.strip()
        label = self._label_in_context(answer, previous) if answer and len(answer.split()) <= 6 else None
        named = [(answer, label)] if label in _PLACES | {"ORG"} else []
        named += [(e.text, e.label_) for e in prev_doc.ents if e.label_ in _PLACES | {"ORG"}]
        if not named:
            return None
        text, label = named[0]
        return ("in " if label in ("GPE", "LOC") else "at ") + _POSSESSIVE_END.sub("", text)

    def _swap_noun(self, doc, prev_doc) -> str | None:
        """"And the tram?" after "How long does the bus take ...?" → the bus becomes the tram."""
        new = next(iter(doc.noun_chunks), None)
        olds = [c for c in prev_doc.noun_chunks if c.root.pos_ != "PRON" and not any(t.lower_ in WH_WORDS for t in c)]
        # a noun the parser left out of every chunk ("vans" taken for the root of "What fee will vans ... face?")
        olds += [prev_doc[t.i : t.i + 1] for t in prev_doc if t.pos_ == "NOUN" and t.dep_ == "ROOT"]
        if new is None or not olds:
            return None
        sims = [self.words.similarity(new.root.lower_, old.root.lower_) for old in olds]
        best = max(range(len(olds)), key=sims.__getitem__)
        if sims[best] < SWAP_SIMILARITY:
            return None
        old = olds[best]
        if new.root.dep_ == "ROOT":  # "And heavy lorries and coaches?": the whole phrase
            end = new.root.right_edge.i + 1
            while end > new.start + 1 and doc[end - 1].is_punct:
                end -= 1
            new = doc[new.root.left_edge.i : end]
        text = new.text if old.start == 0 else _lower_first(new)
        return _splice(prev_doc, old.start, old.end, text)

    def _label_in_context(self, answer: str, previous: Turn) -> str | None:
        """The entity label the answer has in the sentence it was cited from, if that sentence names it."""
        last = answer.split()[-1] if answer.split() else answer
        for citation in previous.citations[:1]:
            # the entity holding the answer's last word, its head ("Ekholm" of "Magnus Ekholm")
            for ent in self.nlp(citation.text).ents:
                if (answer in ent.text or ent.text in answer) and last in ent.text.split():
                    return ent.label_
        return None

    def _antecedent(self, kind: str, prev_doc, previous: Turn, doer: bool = False, demonstrative: bool = False) -> str | None:
        answer = None if previous.abstained else previous.answer.strip()
        answer_doc = self.nlp(answer) if answer and len(answer.split()) <= 8 else None
        # The model labels a name better inside the sentence it came from than on its own ("Helen Okafor" alone
        # is a GPE to it, "Kestrel Aeronautics" alone no name at all).
        label = self._label_in_context(answer, previous) if answer_doc is not None else None
        answer_is_name = answer_doc is not None and (
            any(e.label_ in _NAME_LABELS for e in answer_doc.ents) or label in _NAME_LABELS
        ) and (_MODEL_CODE.search(answer) or not any(t.like_num for t in answer_doc)) \
            and answer_doc[0].lower_ not in ("that", "to")
        is_person = label == "PERSON" if label else answer_doc is not None and any(e.label_ == "PERSON" for e in answer_doc.ents)
        if kind == "person":
            # an unlabelled short title-case answer may be a person the small model missed ("Almeida"), but not
            # a place, date or organisation ("Kumasi", "Saturday")
            words = [t for t in answer_doc if t.text != "-"] if answer_doc is not None else []  # "Varga-Lund"
            looks_like_name = 0 < len(words) <= 4 and all(t.is_title for t in words) and (
                label in (None, "PERSON") and not any(e.label_ in ("DATE", "TIME") for e in answer_doc.ents)
            )
            if answer_is_name and is_person or looks_like_name:
                return answer
            person = next((e.text for e in prev_doc.ents if e.label_ == "PERSON"), None)
            if person is not None:
                return person
            # the small model may label the named subject something else ("How did Ilse Brandvik describe ...?")
            return next((c.text for c in prev_doc.noun_chunks if c.root.dep_ == "nsubj" and c.root.pos_ == "PROPN"
                         and c.root.ent_type_ not in ("ORG", "GPE", "LOC", "FAC", "NORP")), None)
        if kind == "plural":
            # "Which company was on the shirts?" → "How much were they paying?": the company did it, not the shirts
            asked_org = next((c for c in prev_doc.noun_chunks if _asked_about(c)
                              and _KIND_OF_NOUN.get(c.root.lemma_.lower()) == "org"), None)
            if doer and asked_org is not None:
                return answer if answer_is_name and not is_person else "the " + _without_wh(asked_org)
            for chunk in prev_doc.noun_chunks:
                counted = any(t.lower_ == "many" for t in chunk)  # "how many staff": a plural the tagger calls NN
                if (chunk.root.tag_ in ("NNS", "NNPS") or counted) and chunk.root.lower_ not in WH_WORDS:
                    return _without_wh(chunk)
            if answer_is_name and not is_person:  # "they" is a club or a company, not one person
                return answer
            return _subject(prev_doc, people=False)
        # "it" is never a person, and a place that answered "where" does not carry or sell anything ("Where is it
        # based?" → "London": "its" is still it); but "that" is the place ("How far is that from the summit?")
        asked_where = any(t.lower_ == "where" for t in prev_doc)
        if demonstrative and asked_where and answer_doc is not None and any(t.is_title for t in answer_doc):
            return answer
        if answer_is_name and not is_person and not asked_where and not (doer and label in _PLACES):
            return answer
        # "How many people work at the plant Nordvind is closing?" → "When will it shut?": the plant
        # ("it" is not "the company's chief executive", nor "the name" of "the name of the parents' group")
        things = [_without_gerund(c) for c in prev_doc.noun_chunks
                  if c.root.pos_ == "NOUN" and c.root.tag_ == "NN" and not any(t.lower_ in WH_WORDS for t in c[1:])
                  and c.root.lemma_.lower() not in _PEOPLE and c.root.lemma_.lower() not in FRAME_NOUNS]
        # "What penalty do drivers face if they don't pay in time?" → "How much is it?": the thing asked about,
        # unless "it" does something ("When will it open?" after "Which model will the plant build?")
        things.sort(key=lambda c: (_asked_about(c) == doer, c.root.dep_ not in ("nsubj", "nsubjpass")))
        if things:
            return "the " + _without_wh(things[0]) if _asked_about(things[0]) else things[0].text
        return _subject(prev_doc, people=False) or next(
            (_POSSESSIVE_END.sub("", e.text) for e in prev_doc.ents if e.label_ in _NAME_LABELS and e.label_ != "PERSON"), None
        )


def _without_gerund(chunk):
    """"the Czech currency trading" (a verb the parser took into the noun phrase) → "the Czech currency"."""
    if len(chunk) > 2 and chunk.root.i == chunk.end - 1 and chunk.root.lower_.endswith("ing") and chunk[-2].pos_ in ("NOUN", "PROPN"):
        return chunk[:-1]
    return chunk


def _asked_about(chunk) -> bool:
    """"What penalty", "which fee": the noun phrase the question asks about."""
    return chunk[0].lower_ in WH_WORDS


def _without_wh(chunk) -> str:
    words = [t for t in chunk if t.lower_ not in WH_WORDS and t.lower_ not in ("many", "much")]
    return " ".join(t.text for t in words) if words else chunk.text


def _subject(doc, people: bool = True) -> str | None:
    """The previous question's subject noun phrase ("the UK government"), if it holds no wh-word; a named
    person only with `people`."""
    chunk = _subject_chunk(doc, people)
    if chunk is None:
        return None
    # "the US planning" (a verb mis-tagged as a noun) → "the US"
    if chunk.root.tag_ == "VBG" and len(chunk) > 1:
        return chunk[:-1].text
    named = of_object(chunk.root) if chunk.root.lemma_.lower() in FRAME_NOUNS else None
    if named is not None:  # "the name of the biggest of the vessels": it is the vessel, not the name
        return doc[named.left_edge.i : named.right_edge.i + 1].text
    return chunk.text


def _subject_chunk(doc, people: bool = True):
    """The first subject noun chunk without a wh-word; a named person only with `people`."""
    return next((c for c in doc.noun_chunks if c.root.dep_ in ("nsubj", "nsubjpass") and c.root.pos_ in ("NOUN", "PROPN")
                 and (people or c.root.ent_type_ != "PERSON") and not any(t.lower_ in WH_WORDS for t in c)), None)


def _rest_after_wh(doc) -> str:
    """"How many base stations has Huawei shipped?" → "has Huawei shipped?"."""
    wh = next((t for t in doc if t.lower_ in WH_WORDS), None)
    if wh is None:
        return doc.text
    end = wh.i
    if wh.i + 1 < len(doc) and doc[wh.i + 1].lower_ in ("many", "much", "long", "old", "far", "often"):
        end = wh.i + 1
    for tok in doc[end + 1 : end + 6]:
        if tok.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") or tok.dep_ in ("compound", "amod", "nummod") or tok.text == "-":
            end = tok.i
        else:
            break
    return doc[end + 1 :].text


def _when_of(wh: str, prev_doc, previous: Turn) -> str | None:
    """The previous question asked again for its time: "Who founded the chain?" (answered "Eleanor Marlow") →
    "What year did Eleanor Marlow found the chain?"; "How many jets did Corvane ground?" → "When did Corvane
    ground jets?". None where the previous question asked no wh-question of an event."""
    asked = next((t for t in prev_doc if t.lower_ in WH_WORDS), None)
    if asked is None or asked.lower_ == "when":
        return None
    wh = wh[0].upper() + wh[1:]
    chunk = next((c for c in prev_doc.noun_chunks if c.start <= asked.i < c.end), None)
    subject = chunk.root if chunk is not None else asked
    verb = subject.head
    # the wh-phrase is the subject only where the verb follows it ("Who was arrested?", not "How many jets did
    # Corvane ground?", which the parser may read as "How many jets did")
    between = prev_doc[subject.i + 1 : verb.i]
    if subject.dep_ in ("nsubj", "nsubjpass") and verb.i > subject.i and verb.pos_ == "VERB" and verb.lemma_ != "do" \
            and all(t.dep_ in ("aux", "auxpass", "neg", "advmod") for t in between):
        # the one asked about did it: the answer, if it was one, else the asked-about noun ("the company")
        named = asked.lower_ != "how" and not previous.abstained and len(previous.answer.split()) <= 6
        doer = previous.answer.strip() if named else \
            ("the " + _without_wh(chunk) if chunk is not None and chunk.root.pos_ == "NOUN" else None)
        aux = next((c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i > subject.i), None)
        if doer is None:  # "Who started the chain?" unanswered → "What year started the chain?"
            return _join(wh, _strip_q(prev_doc[subject.i + 1 :].text))
        if aux is not None:  # "Who was arrested?" → "When was X arrested?"
            return _join(f"{wh} {aux.text} {doer}", _strip_q(prev_doc[aux.i + 1 :].text))
        if verb.tag_ in _DO_SUPPORT:  # "Who founded the chain?" → "When did X found the chain?"
            return _join(f"{wh} {_DO_SUPPORT[verb.tag_]} {doer} {verb.lemma_}", _strip_q(prev_doc[verb.i + 1 :].text))
        return None
    rest = _strip_q(_rest_after_wh(prev_doc))
    asked_noun = _without_wh(chunk) if chunk is not None and chunk.root.pos_ == "NOUN" else ""
    return _join(f"{wh} {rest}", asked_noun)


def _preposition_for(date: str) -> str:
    """"on June 9", "on Tuesday"; "in October 2021", "in 1987"."""
    words = date.lower().replace(",", " ").split()
    day = any(w.isdigit() and len(w) <= 2 for w in words) or any(w.rstrip(".") in WEEKDAYS for w in words)
    return "on" if day else "in"


def _swap_time(doc, prev_doc) -> str | None:
    """"And at its busiest?" / "And the year before?" after "... handle last year?" → "... handle at its busiest?":
    a verbless fragment that is only a time or circumstance takes the place of the previous question's time."""
    words = [t for t in doc if not t.is_punct]
    if not words or any(t.pos_ in ("VERB", "AUX") or t.lower_ in WH_WORDS for t in words):
        return None
    preposition = words[0].pos_ == "ADP"
    body = words[1:] if preposition else words
    is_time = len(doc.ents) == 1 and doc.ents[0].label_ in _TIMES and len(doc.ents[0]) == len(body)
    if not (is_time or (preposition and words[0].dep_ == "ROOT" and not doc.ents)):
        return None
    old = next((e for e in prev_doc.ents if e.label_ in _TIMES), None)
    if old is None:
        return None
    start = old.start
    if start and prev_doc[start - 1].pos_ == "ADP" and (preposition or not is_time):
        start -= 1  # "on Tuesday" → "at its busiest": the fragment brings its own preposition
    new = _lower_first(doc[words[0].i : words[-1].i + 1])
    return _splice(prev_doc, start, old.end, new)


def _splice(doc, start: int, end: int, text: str) -> str:
    """The doc's text with tokens start..end replaced by `text`, the spacing around them kept."""
    return doc[:start].text_with_ws + text + doc[end - 1].whitespace_ + doc[end:].text


def _lower_first(span) -> str:
    """A fragment capitalised as a question of its own ("The year before") lower-cased inside another."""
    return span.text if span[0].pos_ == "PROPN" or span[0].text == "I" else span.text[0].lower() + span.text[1:]


def _swap_entity(doc, prev_doc) -> str | None:
    """"And in the Middle East?" after "... signed in Europe?" → "... signed in the Middle East?"."""
    for new in doc.ents:
        for old in prev_doc.ents:
            if old.label_ == new.label_ or {old.label_, new.label_} <= {"GPE", "LOC", "NORP"}:
                text = new.text if old.start == 0 else _lower_first(new)
                return _splice(prev_doc, old.start, old.end, text)
    return None


def _swap_subject(doc, prev_doc) -> str | None:
    """"And the opposition?" after "What did the minister say?" → "What did the opposition say?": a noun phrase
    alike in nothing to the previous question's nouns takes its subject's place."""
    words = [t for t in doc if not t.is_punct]
    new = next(iter(doc.noun_chunks), None)
    if new is None or not words or words[0].i < new.start or new.root.right_edge.i < words[-1].i:
        return None  # the fragment is not one noun phrase
    old = _subject_chunk(prev_doc)
    if old is None:
        return None
    text = doc[new.start : words[-1].i + 1]
    return _splice(prev_doc, old.start, old.end, text.text if old.start == 0 else _lower_first(text))


def _strip_q(text: str) -> str:
    return text.strip().rstrip("?").strip()


def _join(first: str, rest: str) -> str:
    text = f"{first} {rest}".strip()
    return text if text.endswith("?") else text + "?"
