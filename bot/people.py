"""A spaCy component after NER that labels as PERSON the names news prose marks as people, whatever label the
small model gave them: "Sofia Bergmark, 44," (an age in apposition), "chief executive Helena Marques-Duarte"
(a title before the name). en_core_web_sm often calls such names GPE or ORG, and a "who" question then finds
no person to answer with. It also labels ORG the names that end in a firm's word ("Takeda Pharmaceutical"),
which NER leaves unlabelled or calls a person."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.lexicon import is_profession, is_title
from bot.question import NOUN_KINDS

COMPONENT = "people_by_context"

# nouns that stand before a person's name as a title ("engineer Tomas Ribeiro", "spokeswoman Ines Furtado")
_TITLE_NOUNS = (frozenset(NOUN_KINDS["person"]) | {"counsel", "attorney", "solicitor"}) - {
    "who", "people", "person", "man", "woman", "source", "owner", "shareholder", "investor", "victim", "suspect",
    "member", "winner", "champion", "challenger", "rival", "opponent", "contender", "successor", "predecessor", "donor",
    "buyer", "bidder"}  # firms and teams too: "rival Ericsson", "champions Celtic"
# words that make a name an organisation's, whatever precedes it ("supplier Brightline Systems")
_ORG_WORDS = frozenset(NOUN_KINDS["org"]) | {
    "inc", "ltd", "plc", "llc", "corp", "corporation", "co", "holdings", "systems", "airways", "airlines", "partners",
    "capital", "fund", "motors", "energy", "media", "labs", "technologies", "services", "international", "advisory",
    "consulting", "associates", "pharmaceutical", "pharmaceuticals", "pharma", "industries", "solutions", "logistics",
    "securities", "investments", "ventures", "analytics", "resources", "mining", "minerals", "foods", "entertainment",
    "studios", "networks", "communications", "telecom", "telecoms", "engineering", "construction", "insurance",
    "financial", "biotech", "therapeutics", "healthcare", "software", "electronics", "gaming", "esports"}
_RELABELLED = {"GPE", "ORG", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LANGUAGE"}
_HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "sir", "dame", "lord", "lady"}
_AGE_FOLLOWERS = {",", ")", ".", ";", "said", "says", "told", "who"}


def _looks_like_a_name(span: Span) -> bool:
    words = [t for t in span if t.text != "-"]  # "Marques-Duarte" is three tokens
    return 1 <= len(words) <= 4 and span[0].text != "-" and span[-1].text != "-" and all(
        t.pos_ == "PROPN" and t.is_title and t.lower_ not in _ORG_WORDS and t.lower_ not in _TITLE_NOUNS
        and not is_title(t.lower_) and t.lower_.rstrip(".") not in _HONORIFICS for t in words)


def _age_follows(span: Span) -> bool:
    """", 44," right after the name: an age in apposition."""
    doc = span.doc
    k = span.end
    if k + 1 >= len(doc) or doc[k].text != "," or not doc[k + 1].is_digit or not 1 <= int(doc[k + 1].text) <= 110:
        return False
    return k + 2 == len(doc) or doc[k + 2].lower_ in _AGE_FOLLOWERS


def _title_before(span: Span) -> bool:
    """"executive Helena Marques-Duarte", "the company's general counsel, Derek Haldane", "X, president of Y":
    a title noun right before the name, or one in apposition with it."""
    doc = span.doc
    before = doc[span.start - 1] if span.start else None
    if before is not None and before.pos_ == "NOUN" and before.is_lower and _is_title_noun(before):
        return True
    root = span.root
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.is_lower and _is_title_noun(root.head):
        return True
    # "Ricardo Conde-Pinto, president of the Portuguese Space Agency"
    return any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.is_lower and _is_title_noun(c) for c in root.children)


def _is_title_noun(tok) -> bool:
    word = tok.lemma_.lower()
    return word in _TITLE_NOUNS or is_title(word) or is_profession(tok.lower_)


def _name_runs(doc: Doc) -> list[Span]:
    """Runs of capitalised proper nouns NER left unlabelled."""
    runs, start = [], None
    for tok in [*doc, None]:
        if tok is not None and not tok.ent_type_ and (tok.pos_ == "PROPN" and tok.text[:1].isupper() or tok.text == "-"):
            start = tok.i if start is None else start
            continue
        if start is not None:
            runs.append(doc[start:tok.i if tok is not None else len(doc)])
        start = None
    return runs


def marked_as_person(span: Span) -> bool:
    """Does the sentence mark this name as a person's, by an age or a title beside it?"""
    return _looks_like_a_name(span) and (_age_follows(span) or _title_before(span))


def _firm_name(run: Span) -> bool:
    """"Takeda Pharmaceutical", "Hartwell Advisory": names that end in a firm's word."""
    return len(run) >= 2 and run[-1].lower_ in _ORG_WORDS and run[0].lower_ not in _ORG_WORDS


@Language.component(COMPONENT)
def people_by_context(doc: Doc) -> Doc:
    runs = _name_runs(doc)
    people = [Span(doc, e.start, e.end, label="PERSON") for e in [*doc.ents, *runs]
              if e.label_ in _RELABELLED | {""} and marked_as_person(e)]
    # a firm's name the small model calls a person, or leaves unlabelled
    firms = [Span(doc, e.start, e.end, label="ORG") for e in [*doc.ents, *runs] if e.label_ in ("PERSON", "") and _firm_name(e)]
    if people or firms:
        kept = [e for e in doc.ents if not any(e.start < p.end and p.start < e.end for p in [*people, *firms])]
        doc.ents = filter_spans([*kept, *people, *firms])
    return doc


def _described_by(nouns) -> set[str]:
    """The role words of title nouns and their modifiers ("former", "deputy", "governor"), not places or bodies."""
    return {t.lemma_.lower() for d in nouns for t in d.subtree
            if t.pos_ in ("NOUN", "ADJ", "PROPN") and not t.ent_type_ and t.is_alpha and t.head.i <= d.i + 3
            and (t is d or t.dep_ in ("compound", "amod"))}


def unnamed_role(doc: Doc) -> set[str]:
    """The words of the first person a sentence describes without naming: a lede's "the former deputy governor of
    Harlow Province", whom the next sentence names ("Tobias Wrenfield, 61, ...")."""
    for tok in doc:
        if (tok.pos_ == "NOUN" and not tok.ent_type_ and _is_title_noun(tok) and tok.dep_ in ("nsubj", "nsubjpass", "dobj")
                and not any(c.ent_type_ == "PERSON" for c in tok.children)):
            return _described_by([tok])
    return set()


def roles_of_people(doc: Doc) -> dict[str, set[str]]:
    """The words a sentence describes each person by, keyed by their lower-cased surname: "former deputy governor
    Tobias Wrenfield" and "Helen Achterberg, the board's executive director" give {"wrenfield": {"former",
    "deputy", "governor"}} and {"achterberg": {"executive", "director"}}. A later sentence that names only
    "Wrenfield" is then about "the former deputy governor" of a question. Names of places and bodies are left out."""
    roles: dict[str, set[str]] = {}
    for person in (e for e in doc.ents if e.label_ == "PERSON"):
        root = person.root
        described = [c for c in root.children if c.i < person.start and c.dep_ in ("compound", "amod")]
        described += [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":  # "the board's director, Helen Achterberg"
            described.append(root.head)
        words = _described_by(described)
        if words:
            roles.setdefault(person[-1].lower_, set()).update(words)
    return roles
