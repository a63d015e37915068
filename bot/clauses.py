"""Candidate answers that are clauses or phrases rather than names and numbers: what was said or done, why, what
kind, a definition, and the words around the matches for yes/no questions."""

from __future__ import annotations

from bot import spans
from bot.evidence import Candidate, Evidence, in_question, overlap_with_question, span_candidate
from bot.lexicon import WordVectors
from bot.matching import WORD_MATCH_MIN
from bot.question import QuestionInfo

WHOLE_REASON = 0.45  # base score of a whole sentence as the answer to "why", against a clause after "because"
_REASON_MARKERS = {"because", "since", "as", "due", "amid", "after", "following", "so", "despite"}
# Verbs that name a cause, and where they put it: a dependency ("cited X", "driven by X") or a preposition.
_CAUSE_SLOTS = {"blame": {"on"}, "attribute": {"to"}, "cite": {"dobj"}, "drive": {"agent"}, "cause": {"agent"},
                "fuel": {"agent"}, "trigger": {"agent"}}
# "What caused the disruption?": the doer of what the sentence says happened ("a power failure ... disrupted service")
_CAUSING = {"cause", "trigger", "spark", "prompt", "provoke"}
_SAY_VERBS = {"say", "tell", "add", "warn", "write", "state", "announce", "claim", "argue", "explain", "insist", "comment",
              "describe", "call", "caution", "predict", "promise", "pledge", "admit", "acknowledge", "suggest"}
QUOTE_CONTINUATION = 0.6  # below a quote with its verb of saying (0.5 + 0.3 × the verb's match)
_NAMING_VERBS = {"call", "describe"}  # "what is the medicine called?" asks for a name, not a quote
_ABOUT_PREPS = ("about", "of", "on", "over", "for")
_CLAUSE_DEPS = ("ccomp", "xcomp", "dobj", "attr", "acomp", "oprd", "advcl", "pobj", "acl", "relcl")


def clause_candidates(words: WordVectors, info: QuestionInfo, ev: Evidence, question_lower: str) -> list[Candidate]:
    """Clauses and phrases that answer an open question: a definition's appositive, a reason, what was said or
    done (the complement of the question's verb in the sentence)."""
    doc = ev.doc
    out = []
    if info.kind == "definition" and info.subject:
        subject_words = info.subject.lower().split()
        for tok in doc:
            if tok.lower_ == subject_words[-1]:
                head = tok
                # "Priya Raman, 34, a nurse": the description, not the age
                appos = next((c for c in head.children if c.dep_ == "appos" and not c.like_num), None)
                if appos is None and head.dep_ in ("nsubj",) and head.head.lemma_ == "be":
                    appos = next((c for c in head.head.children if c.dep_ == "attr"), None)
                if appos is not None:
                    out.append(span_candidate(doc, appos, ev, 0.6))
                elif (title := spans.title_before(doc, head)) is not None:  # "SUCA general secretary Julien Morvan"
                    out.append(Candidate(title.text, ev, 0.6))
    if info.kind == "reason":
        for tok in doc:
            if tok.lower_ in _REASON_MARKERS and tok.dep_ in ("mark", "prep", "advmod", "amod"):
                target = tok.head if tok.dep_ == "mark" else tok
                if _is_time_phrase(target) or (tok.lower_ in ("so", "as") and tok.dep_ != "mark"):
                    continue  # "since May 2018", "after three years", "even so": when, not why
                out.append(span_candidate(doc, target, ev, 0.5, include_marker=tok))
            # "blamed the decision on higher airport charges", "attributed it to", "cited", "driven by"
            wanted = _CAUSE_SLOTS.get(tok.lemma_.lower())
            if wanted is not None:
                # the parser may hang "on ..." on the blamed thing ("a rise in fares on higher costs")
                slots = [c for c in tok.children if c.dep_ in wanted] + [
                    t for t in tok.subtree if t.i > tok.i and t.dep_ == "prep" and t.lower_ in wanted][:1]
                if not slots and tok.lemma_.lower() == "blame":  # "blamed weak spawning": nothing blamed on it
                    slots = [c for c in tok.children if c.dep_ == "dobj"]
                for slot in slots:
                    pobj = next((c for c in slot.children if c.dep_ == "pobj"), None) if slot.dep_ in ("prep", "agent") else slot
                    if pobj is not None:
                        out.append(span_candidate(doc, pobj, ev, 0.55))
        if not out:  # without "because", "after", "due to"... the reason may be the sentence as a whole
            out.append(Candidate(ev.sentence.text, ev, WHOLE_REASON))
    if info.wh_is_subject and info.verb in _CAUSING:
        out += _causes(info, ev)
    if info.verb in _SAY_VERBS - _NAMING_VERBS and (quoted := spans.quote_continuation(doc.text)):
        # '"A fine of 350,000 crowns is nothing to a company this size.': a quote going on from the sentence
        # before, which names the speaker, says what was said with no verb of saying of its own
        out.append(Candidate(quoted, ev, QUOTE_CONTINUATION))
    anchors = _anchors(words, info.verb, doc) if info.verb else []
    # Matched nouns anchor too ("concern about X"), and stand in when the parser took the verb for a noun.
    anchors += [
        (0.4 * m, doc[w]) for t, (m, w) in zip(info.terms, ev.matches)
        if m >= WORD_MATCH_MIN and not t.is_name and t.pos in ("VERB", "NOUN")
    ]
    for strength, anchor in anchors:
        if anchor.lemma_.lower() in _SAY_VERBS:
            # "What did he say?" → the words in quotation marks, when the sentence quotes them
            min_chars = 3 if anchor.lemma_.lower() in ("call", "describe", "dub") else 12
            out += [Candidate(q, ev, 0.5 + 0.3 * strength) for q in spans.quotes(doc.text, min_chars)]
        # what follows the anchor up to its last complement ("blamed delays ... and higher financing costs
        # for developers"), but not a coordinated second clause
        tail = max((c.right_edge.i for c in anchor.children if c.i > anchor.i and c.dep_ not in ("conj", "cc", "punct")), default=anchor.i)
        for child in anchor.children:
            if child.dep_ == "prep" and any(t.ent_type_ in ("DATE", "TIME") for t in child.subtree):
                continue  # "said on Monday" says when, not what
            if child.dep_ in _CLAUSE_DEPS or (child.dep_ == "prep" and child.lower_ in _ABOUT_PREPS):
                # what was said or done (ccomp, dobj, xcomp) before the circumstances around it (advcl)
                base = 0.3 + 0.3 * strength + {"ccomp": 0.1, "dobj": 0.1, "xcomp": 0.1, "advcl": -0.1}.get(child.dep_, 0.0)
                # "warned of rising costs" → "rising costs": what follows a preposition, without the preposition
                phrase = next((c for c in child.children if c.i > child.i), child) if child.dep_ == "prep" else child
                cand = span_candidate(doc, phrase, ev, base, right=tail if child.i > anchor.i else None)
                cand.score -= 0.5 * overlap_with_question(cand.text, question_lower)
                out.append(cand)
    return [c for c in out if c.text and not in_question(c.text, question_lower)]


def _causes(info: QuestionInfo, ev: Evidence) -> list[Candidate]:
    """The subject of the sentence's verb for the asked-about event ("disruption" ~ "disrupted"; "knocked out
    service"), unless the subject is the question's own words."""
    doc, out = ev.doc, []
    asked = {w for m, w in ev.matches if m > 0}
    for term, (m, w) in zip(info.terms, ev.matches):
        if m < WORD_MATCH_MIN or term.lemma == info.verb or term.is_name:
            continue
        tok = doc[w]
        verb = tok if tok.pos_ == "VERB" else tok.head if tok.head.pos_ == "VERB" and tok.dep_ in ("dobj", "nsubjpass") else None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
        if subject is not None and subject.pos_ in ("NOUN", "PROPN") and not any(
            subject.left_edge.i <= a <= subject.right_edge.i for a in asked
        ):
            out.append(span_candidate(doc, subject, ev, 0.6))
    return out


def _anchors(words: WordVectors, verb: str, doc) -> list[tuple[float, object]]:
    """The sentence's words for the question's verb, with how strongly each stands for it."""
    out = []
    verbs = [t for t in doc if t.pos_ in ("VERB", "NOUN", "ADJ")]
    if not verbs:
        return out
    sims = words.matrix([verb]) @ words.matrix([t.lemma_.lower() for t in verbs]).T
    for tok, sim in zip(verbs, sims[0]):
        strength = 1.0 if tok.lemma_.lower() == verb or spans.same_stem(verb, tok.lower_) else float(sim)
        if verb in _SAY_VERBS and tok.lemma_.lower() in _SAY_VERBS:
            strength = max(strength, 0.7)  # "what did he warn?" — reported as "he said the borrowing would ..."
        if strength >= 0.55:
            out.append((strength, tok))
    return out


def _is_time_phrase(head) -> bool:
    """A phrase that only says when ("since May 2018", "after three years"): a date or time and no verb."""
    words = list(head.subtree)
    return any(t.ent_type_ in ("DATE", "TIME") for t in words) and not any(t.pos_ in ("VERB", "AUX") for t in words)


def qualifier_candidates(info: QuestionInfo, ev: Evidence) -> list[Candidate]:
    """"What kind of agreement?" → "a top-notch free trade agreement": the focus noun with its modifiers."""
    doc = ev.doc
    out = []
    for (m, w), term in zip(ev.matches, info.terms):
        if not term.is_focus or m < WORD_MATCH_MIN or w < 0:
            continue
        noun = doc[w]
        left = min([c.left_edge.i for c in noun.children if c.i < noun.i and c.dep_ != "det"] + [noun.i])
        if left < noun.i:
            out.append(Candidate(doc[left : noun.i + 1].text, ev, 0.5 * m))
    return out


def clause_around_matches(ev: Evidence) -> list[Candidate]:
    """Yes/no questions: the smallest clause holding the matched words ("it is not clear if there is a legal
    mechanism ..."), so the reader sees the article's own hedge or negation."""
    doc = ev.doc
    hits = [w for m, w in ev.matches if m > 0 and w >= 0]
    if not hits:
        return []
    clauses = [t for t in doc if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "conj", "ccomp", "advcl")]
    best = None
    for verb in clauses:
        lo, hi = verb.left_edge.i, verb.right_edge.i
        covered = sum(lo <= h <= hi for h in hits)
        if best is None or (covered, -(hi - lo)) > (best[0], -(best[2] - best[1])):
            best = (covered, lo, hi)
    if best is None:
        return []
    _, lo, hi = best
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    if doc[lo].dep_ == "cc":
        lo += 1
    return [Candidate(doc[lo : hi + 1].text, ev, 0.3)]
