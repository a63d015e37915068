"""A spaCy component after NER that cuts names and figures at a spaced dash. A dateline runs into its story
("ÉPINAL, France, June 12 - At least 23 riders went down"), and en_core_web_sm reads "June 12 - At least 23" as
one date, so the story's first figure is lost to every question about it."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.spans import MONTHS, WEEKDAYS

COMPONENT = "entities_cut_at_dashes"
_DASHES = {"-", "–", "—"}
_DATE_WORDS = MONTHS | WEEKDAYS | set("today yesterday tomorrow day days week weeks month months year years decade decades "
                                      "century quarter".split())


def _is_spaced_dash(tok) -> bool:
    return tok.text in _DASHES and bool(tok.whitespace_) and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_)


def _label_of(span: Span, label: str) -> str:
    """The piece after the dash of a "date" with a number and no date word is a count ("At least 23")."""
    if label == "DATE" and any(t.like_num for t in span) and not any(t.lower_.rstrip(".") in _DATE_WORDS for t in span):
        return "CARDINAL"
    return label


@Language.component(COMPONENT)
def entities_cut_at_dashes(doc: Doc) -> Doc:
    pieces, changed = [], False
    for e in doc.ents:
        cuts = [t.i for t in e[1:-1] if _is_spaced_dash(t)]
        if not cuts:
            pieces.append(e)
            continue
        changed = True
        bounds = [e.start, *cuts, e.end]
        for n, (start, end) in enumerate(zip(bounds, bounds[1:])):
            start = start + 1 if n else start  # the dash itself belongs to neither side
            if start < end:
                piece = doc[start:end]
                pieces.append(Span(doc, start, end, label=_label_of(piece, e.label_) if n else e.label_))
    if changed:
        doc.ents = filter_spans(pieces)
    return doc
