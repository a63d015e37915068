"""Matching a question's terms against a parsed sentence: the same word, lemma, stem or demonym, a title for
"boss", a word-vector paraphrase of the same part of speech; multi-word names whole or in the article's own
short form. Per-Doc views are built once, since the article's Docs are matched against every question."""

from __future__ import annotations

import re

import numpy as np

from bot import spans
from bot.lexicon import (WordVectors, contrast_group, demonyms, has_contrasts, is_country, is_in_charge, is_title,
                         role_match, synonyms)
from bot.question import NOUN_KINDS, ORDINAL_WORDS, Term, name_groups

WORD_MATCH_MIN = 0.5  # word-vector cosine above which two words count as paraphrases
SYNONYM_MATCH = 0.85  # a word of the same synonym group (fine ~ penalty)
PART_ROLE = 0.6  # "head of digital rights" answers "who runs X?" less well than "chief executive"
NAME_MATCH_MIN = 0.8  # names need a closer match; demonyms (UK ~ British) come from lexicon.demonyms
NAME_INFLECTION = 3  # letters a name's other form may add: "Spain's", "Koreans"; more makes another name
DESCRIBED_NAME = 0.7  # "the council" for Brackenford City Council: a reference, less sure than the name
_INSTITUTION_HEADS = frozenset(NOUN_KINDS["org"]) | frozenset(NOUN_KINDS["event"])
COMPATIBLE_POS = {
    "NOUN": frozenset({"NOUN", "PROPN", "VERB"}),
    "VERB": frozenset({"VERB", "NOUN", "ADJ"}),
    "ADJ": frozenset({"ADJ", "NOUN", "PROPN", "VERB", "ADV"}),
    "PROPN": frozenset({"PROPN", "NOUN", "ADJ"}),
}
_NOUNS = frozenset({"NOUN", "PROPN"})


def cached(doc, key: str, compute):
    """Per-Doc memo: the article's Docs are parsed once and matched against every question."""
    if key not in doc.user_data:
        doc.user_data[key] = compute(doc)
    return doc.user_data[key]


def content_tokens(doc) -> list:
    return cached(doc, "content_tokens", lambda d: [
        t for t in d if not t.is_punct and not t.is_space and (not t.is_stop or t.pos_ in ("PROPN", "NUM") or t.lower_ in ORDINAL_WORDS)
    ])


def match_terms(words: WordVectors, terms: list[Term], doc) -> list[tuple[float, int]]:
    """Best match of each question term in the sentence: (strength, token index), or (0, -1).

    Exact and same-stem matches claim their tokens first, so a paraphrase cannot reuse a word that another
    question term already names ("employees" must not match the "company" the question also mentions)."""
    out: list[tuple[float, int]] = [(0.0, -1)] * len(terms)
    view = cached(doc, "match_view", lambda d: MatchView(content_tokens(d)))
    if not terms or not view.index:
        return out
    claimed: set[int] = set()
    for i, term in enumerate(terms):
        out[i] = view.lexical_match(term, terms[i - 1].text if i else "")
        if out[i][1] >= 0:
            claimed.add(out[i][1])
    acronyms = cached(doc, "acronyms", spans.acronyms)
    for i, term in enumerate(terms):
        if out[i][0] < 1.0 and term.text in acronyms:
            out[i] = (1.0, acronyms[term.text])
            claimed.add(acronyms[term.text])
    # "Federation of Student Unions" for the sentence's "FSU": the initials of consecutive name terms
    initialisms = cached(doc, "initialisms",
                         lambda d: {t.lower_: t.i for t in d if len(t) >= 2 and t.is_upper and t.is_alpha})
    for start in range(len(terms) if initialisms else 0):
        for end in range(start + 2, len(terms) + 1):
            run = terms[start:end]
            found = initialisms.get("".join(t.text[0] for t in run)) if all(t.is_name for t in run) else None
            if found is not None:
                for k in range(start, end):
                    out[k] = max(out[k], (1.0, found))
                claimed.add(found)
    # a figure or an ordinal is itself or nothing: "third" is no paraphrase of "second", nor 2018 of 2019
    pending = [i for i, (m, _) in enumerate(out) if m == 0.0 and not is_figure(terms[i].text)]
    free = np.array([k for k, index in enumerate(view.index) if index not in claimed], dtype=int)
    if pending and len(free):
        vectors = cached(doc, "match_vectors", lambda _: words.matrix(view.lower))
        sims = words.matrix([terms[i].text for i in pending]) @ vectors[free].T
        for row, i in enumerate(pending):
            # a paraphrase keeps its part of speech: "revenue" may match "sales", not "economic"
            # the asked-about noun must be a noun in the evidence too ("budget" is not the verb "cost")
            allowed = _NOUNS if terms[i].is_focus and terms[i].pos == "NOUN" else COMPATIBLE_POS.get(terms[i].pos)
            if allowed:  # title-case words keep their noun use even when tagged ADJ ("Chief executive")
                sims[row] *= view.allows(allowed)[free]
            if is_in_charge(terms[i].text):  # nor does a deputy's or a finance chief's title stand for the boss
                sims[row] *= ~(view.deputy[free] | view.runs_a_function[free])
            if has_contrasts(terms[i].text):
                groups = view.contrast_groups[free]
                sims[row] *= (groups < 0) | (groups == contrast_group(terms[i].text))
            j = int(np.argmax(sims[row]))
            if sims[row, j] >= (NAME_MATCH_MIN if terms[i].is_name else WORD_MATCH_MIN):
                out[i] = (float(sims[row, j]), view.index[free[j]])
    return out


def is_figure(word: str) -> bool:
    return word in ORDINAL_WORDS or any(ch.isdigit() for ch in word)


# What a "chief ..." other than the chief executive is in charge of ("Chief Financial Officer").
_FUNCTIONS = {"financial", "operating", "technology", "technical", "marketing", "medical", "scientific", "economist",
              "investment", "information", "legal", "commercial", "strategy", "digital", "people", "product", "risk",
              "security", "data", "nursing", "accounting", "sustainability", "creative", "content", "communications",
              "customer", "compliance", "human", "revenue", "growth", "science", "research", "finance", "operations",
              "sales", "policy"}


_DEPUTIES = {"vice", "deputy", "assistant", "associate"}  # before a title: second in command


def heads_a_function(title) -> bool:
    """Is the word before a function ("Chief *Financial* Officer"), so that the title runs that, not the body?"""
    return title.i + 1 < len(title.doc) and title.doc[title.i + 1].lower_ in _FUNCTIONS


def _chief_of_a_function(title) -> bool:
    """"Chief *Financial* Officer", "*Finance* chief": the chief of a function, not of the body."""
    return title.lower_ == "chief" and (heads_a_function(title) or title.i > 0 and title.doc[title.i - 1].lower_ in _FUNCTIONS)


def _heads_a_part(title) -> bool:
    """Is the title of a part of a named body ("head of digital rights at the campaign group Open Ledger"), or of
    a department named by a bare noun ("the zoo's head of mammals", "chief of staff"), not of "the company"?"""
    part = next((o for c in title.children if c.dep_ == "prep" and c.lower_ == "of"
                 for o in c.children if o.dep_ == "pobj" and o.pos_ == "NOUN"), None)
    if part is None:
        return False
    bare = not any(c.dep_ in ("det", "poss") for c in part.children) and part.lemma_.lower() not in _INSTITUTION_HEADS
    return bare or any(t.pos_ == "PROPN" for t in title.subtree if t.i > part.i)


class MatchView:
    """A sentence's content tokens indexed for matching question terms, built once per Doc: exact words and
    lemmas by lookup, same-stem words by their first four letters (same_stem needs four in common)."""

    def __init__(self, tokens) -> None:
        self.index = [t.i for t in tokens]
        self.lower = [t.lower_ for t in tokens]
        self.lemmas = [t.lemma_.lower() for t in tokens]
        self.pos = np.array([t.pos_ for t in tokens])
        self.contrast_groups = np.array([contrast_group(w) for w in self.lower], dtype=int)
        self.is_title = np.array([t.is_title for t in tokens], dtype=bool)
        # "chief executive": a title's match points at its head word
        self.title_head = [t.head.i if t.dep_ in ("compound", "amod") and t.head.pos_ == "NOUN" else t.i for t in tokens]
        # "head of digital rights at Open Ledger": in charge of a part of a named body, not of the whole
        self.of_a_part = [_heads_a_part(t) for t in tokens]
        # "Chief Financial Officer" runs the finances, not the company; "chief executive" and "the chief" do
        self.runs_a_function = np.array([_chief_of_a_function(t) for t in tokens], dtype=bool)
        # "senior vice president", "deputy chief executive": second in command, not the boss
        self.deputy = np.array([any(w.lower_ in _DEPUTIES for w in t.doc[max(0, t.i - 2) : t.i]) for t in tokens], dtype=bool)
        self._allowed: dict[frozenset, np.ndarray] = {}
        self.by_word: dict[str, list[int]] = {}
        self.by_prefix: dict[str, list[int]] = {}
        self.by_form: dict[str, list[int]] = {}  # word forms only, for synonyms ("based", not the lemma "base")
        for k, t in enumerate(tokens):
            for word in {t.lower_, t.lemma_.lower()}:
                self.by_word.setdefault(word, []).append(k)
            self.by_prefix.setdefault(t.lower_[:4], []).append(k)
            self.by_form.setdefault(t.lower_, []).append(k)

    def allows(self, tags: frozenset) -> np.ndarray:
        """Which tokens a paraphrase with these parts of speech may match (title-case words always may)."""
        if tags not in self._allowed:
            self._allowed[tags] = np.isin(self.pos, list(tags)) | self.is_title
        return self._allowed[tags]

    def lexical_match(self, term: Term, before: str = "") -> tuple[float, int]:
        """(1.0, i) for the same word, lemma or demonym; 0.9 for the same stem; a title for "boss"; else (0, -1).
        The first token in the sentence wins a tie."""
        words = [term.lemma, term.text, *demonyms(term.text)]
        # not a form of another word that is spelt as the asked word's lemma: "found" (find) for "founded"
        exact = [k for w in words for k in self.by_word.get(w, ())
                 if not (self.lower[k] == term.lemma != self.lemmas[k] and self.lower[k] != term.text)]
        if exact:
            # "Who is in charge of the zoo?": "the zoo's head of mammals" is a head, but of a part of it
            whole = [k for k in exact if not (self.of_a_part[k] and is_in_charge(term.text, before))]
            return (1.0, self.index[min(whole)]) if whole else (PART_ROLE, self.index[min(exact)])
        # a common word's stem inside a name must cover most of the name ("heads" is not "Headway"); one
        # name inside another is another name ("Moorside" is not Calder "Moor")
        stem = [k for k in self.by_prefix.get(term.text[:4], ()) if spans.same_stem(term.text, self.lower[k])
                and (self.lemmas[k] == self.lower[k] or spans.same_stem(term.text, self.lemmas[k]))  # "found" (find)
                and (term.pos == "PROPN" or self.pos[k] != "PROPN" or len(self.lower[k]) <= len(term.text) + 1)
                and not (term.is_name and self.pos[k] == "PROPN" and abs(len(self.lower[k]) - len(term.text)) > NAME_INFLECTION)]
        if stem:
            return 0.9, self.index[min(stem)]
        alike = [k for w in synonyms(term.text) | synonyms(term.lemma) for k in self.by_form.get(w, ())]
        if alike:
            return SYNONYM_MATCH, self.index[min(alike)]
        # a name is no title, whatever it ends in ("Lindqvist" is not a profession like "economist"); a title
        # before a name is often tagged a proper noun ("Chief Executive Maeve Doolan")
        roles = [(role_match(term.text, w) * (PART_ROLE if self.of_a_part[k] else 1.0), k) for k, w in enumerate(self.lower)
                 if (self.pos[k] != "PROPN" or is_title(w)) and not self.runs_a_function[k] and not self.deputy[k]
                 ] if is_in_charge(term.text, before) else []
        best = max(roles, key=lambda r: (r[0], -r[1]), default=(0.0, -1))
        return (best[0], self.title_head[best[1]]) if best[0] > 0 else (0.0, -1)


def whole_names(
    terms: list[Term], matches: list[tuple[float, int]], names: "ArticleNames | None" = None, doc=None
) -> list[tuple[float, int]]:
    """A multi-word name counts only when all its words match: "world" alone is not Mobile World Congress.
    The article's own short form of a name it spells out elsewhere counts as the whole name ("Westerly" for
    Westerly Airways, "Lindqvist" for Sarah Lindqvist), and so does its head where it names nothing else ("the
    party" for the National Renewal Party, not "the Forward party" nor "smaller parties")."""
    out = list(matches)
    if names is not None and doc is not None:  # "Japan" in a sentence that says JAXA, as the article defined it
        for i, term in enumerate(terms):
            if term.is_name and out[i][0] == 0 and (at := names.acronym_of(term.text, doc)) is not None:
                out[i] = (1.0, at)
    seen = list(out)  # the group checks read the matches after the defined short forms
    for members in name_groups(terms):
        if len(members) < 2 or all(seen[i][0] > 0 for i in members):
            continue
        found = [i for i in members if seen[i][0] > 0]
        words = [terms[i].text for i in members]
        if found and names is not None and names.short_form(words, [terms[i].text for i in found]):
            best = max(found, key=lambda i: seen[i][0])
            for i in members:
                out[i] = seen[best]
            continue
        head = members[-1]
        if (head in found and seen[head][0] == 1.0 and names is not None and names.described_by_head(words)
                and not (doc is not None and _names_another(doc[seen[head][1]]))):
            for i in members:
                out[i] = (DESCRIBED_NAME, seen[head][1])
            continue
        for i in members:
            out[i] = (0.0, -1)
    return out


def _names_another(token) -> bool:
    """Is the noun another body than a name's head would stand for: named ("the Forward party", "Ashford
    council") or several ("smaller parties")?"""
    return token.tag_ in ("NNS", "NNPS") or any(
        c.pos_ == "PROPN" and c.i < token.i and c.dep_ in ("compound", "amod", "nmod") for c in token.children)


class ArticleNames:
    """The multi-word names an article spells out, in order, and which of its words are only ever capitalised."""

    # "National Anti-Corruption Directorate", "Library and Archive Staff Union", "Bank of England"
    _RUN = re.compile(r"[A-Z]\w*(?:-[A-Z]\w*)*['’]?(?:\s+(?:(?:and|of|&)\s+)?[A-Z]\w*(?:-[A-Z]\w*)*['’]?)+")
    _JOINERS = {"and", "of"}  # the words of a name a question's terms leave out
    # "the Japan Aerospace Exploration Agency (JAXA)": a name, then the short form the article will use for it
    _DEFINED = re.compile(r"((?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|&)\s+)?)+)\(([A-Z][A-Za-z]{1,7})\)")

    def __init__(self, text: str) -> None:
        self._runs = [[w for w in re.findall(r"\w+", m.group().lower()) if w not in self._JOINERS]
                      for m in self._RUN.finditer(text)]
        words = re.findall(r"\w+", text)
        self._by_prefix: dict[str, set[str]] = {}
        for w in words:
            self._by_prefix.setdefault(w.lower()[:4], set()).add(w.lower())
        lower_case = {w for w in words if w.islower()}
        self._proper = {w.lower() for w in re.findall(r"\b[A-Z]\w*", text)} - lower_case
        self._spelled_out: dict[str, set[str]] = {}
        for m in self._DEFINED.finditer(text):
            self._spelled_out.setdefault(m.group(2), set()).update(re.findall(r"\w+", m.group(1).lower()))

    def acronym_of(self, word: str, doc) -> int | None:
        """Where the sentence uses a short form the article defined with this word ("JAXA" for "Japan"), if it
        does."""
        return next((t.i for t in doc if word in self._spelled_out.get(t.text, ())), None)

    def mentions(self, word: str) -> bool:
        """Does the article use the lower-cased word, a form of it or its country's other name ("Europe" for
        "European", "British" for "UK")? "Africa" in a question about an article that never names it: the article
        cannot say."""
        if not word.isalnum():
            return True  # "U.S.", "5G-ready": the article's words are split differently; assume it does
        forms = [word, *(d for d in demonyms(word) if d.isalpha())]
        return any(f in self._by_prefix.get(f[:4], ()) or any(spans.same_stem(f, w) for w in self._by_prefix.get(f[:4], ()))
                   for f in forms)

    def is_proper(self, word: str) -> bool:
        """Is the lower-cased word only ever capitalised in the article (a name, not a common word)?"""
        return word in self._proper

    def short_form(self, name: list[str], present: list[str]) -> bool:
        """`present` (words of `name`) may stand for the whole name: they are names in this article, never common
        words ("World" alone is not Mobile World Congress), and the first name the article spells out with them
        is this one ("Ashbourne" is Ashbourne Athletic, not the Ashbourne Supporters' Trust introduced later)."""
        if not all(w in self._proper for w in present):
            return False
        first = next((run for run in self._runs if all(w in run for w in present)), None)
        return first is not None and _spells(first, name)

    def described_by_head(self, name: list[str]) -> bool:
        """May "the council" stand for this name? Its last word is a kind of institution and no other name the
        article spells out ends in it (two councils would make "the council" ambiguous)."""
        head = name[-1]
        if head not in _INSTITUTION_HEADS or head in self._proper:
            return False
        # a country's name is no other body of the sort ("the European Union" leaves "the union" to the one named)
        ending_in_head = [run for run in self._runs if run[-1] == head and not is_country(" ".join(run))]
        return any(_spells(run, name) for run in self._runs) and all(_spells(run, name) for run in ending_in_head)


def _spells(run: list[str], name: list[str]) -> bool:
    """Does this run of capitalised words spell out the name ("the Royal United Services Institute")?"""
    return any(run[i : i + len(name)] == name for i in range(len(run)))
