"""A spaCy component after NER that cuts apart what en_core_web_sm runs together:
- names and figures at a spaced dash: a dateline runs into its story ("ÉPINAL, France, June 12 - At least 23 riders
  went down"), read as one date "June 12 - At least 23", so the story's first figure is lost to every question;
- a name at a preposition before a figure: "the Czech Republic to 2029" is a country and a year;
and labels a figure after a currency sign as money whatever the model made of it: "an extra NZ$46,000", "a floor
of NZ$26 an hour" (read as no entity, or as a date), and a name ending in a word for a region as a place:
"growers in Hawke's Bay" (read as a work of art)."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.spans import CURRENCY_SIGNS, MONTHS, WEEKDAYS

COMPONENT = "entities_cut_apart"
_DASHES = {"-", "–", "—"}
_NAMES = {"GPE", "LOC", "ORG", "FAC", "PERSON", "NORP", "EVENT", "PRODUCT"}
CURRENCY_SIGN = re.compile(rf"(?:[A-Z]{{1,3}})?[{re.escape(''.join(sorted(CURRENCY_SIGNS)))}]")  # "$", "NZ$", "HK$", "R$"
_MAGNITUDES = {"thousand", "million", "billion", "trillion", "mln", "bln", "bn", "m", "k"}
_REGION_HEADS = {"bay", "valley", "county", "province", "island", "islands", "coast", "lake", "mountains", "peninsula",
                 "region", "district", "harbour", "harbor", "strait", "gulf", "sea", "ocean", "river", "delta", "basin"}
_NOT_PLACES = {"WORK_OF_ART", "PERSON", "ORG", "PRODUCT", "EVENT", "LAW", "NORP", "LANGUAGE"}
_DATE_WORDS = MONTHS | WEEKDAYS | set("today yesterday tomorrow day days week weeks month months year years decade decades "
                                      "century quarter".split())


def _is_spaced_dash(tok) -> bool:
    return tok.text in _DASHES and bool(tok.whitespace_) and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_)


def _is_preposition_before_figure(tok) -> bool:
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return tok.pos_ == "ADP" and tok.is_lower and nxt is not None and nxt.like_num


def _label_of(span: Span, label: str) -> str:
    """The piece after a cut: a "date" with a number and no date word is a count ("At least 23"); after a name,
    a year is a date and another number a count."""
    if label == "DATE" and any(t.like_num for t in span) and not any(t.lower_.rstrip(".") in _DATE_WORDS for t in span):
        return "CARDINAL"
    if label in _NAMES:
        return "DATE" if len(span) == 1 and span[0].is_digit and 1900 <= int(span[0].text) <= 2100 else "CARDINAL"
    return label


def _money_after_signs(doc: Doc) -> list[Span]:
    """"NZ$" + "46,000", "HK$" + "300" + "million": a sign, a figure and its magnitude."""
    found = []
    for tok in doc[:-1]:
        if CURRENCY_SIGN.fullmatch(tok.text) and doc[tok.i + 1].like_num:
            end = tok.i + 2
            if end < len(doc) and doc[end].lower_ in _MAGNITUDES:
                end += 1
            found.append(Span(doc, tok.i, end, label="MONEY"))
    return found


def _names_a_region(ent: Span) -> bool:
    """"Hawke's Bay" labelled anything but a place."""
    return ent.label_ in _NOT_PLACES and len(ent) >= 2 and ent[-1].lower_ in _REGION_HEADS


@Language.component(COMPONENT)
def entities_cut_apart(doc: Doc) -> Doc:
    money = [m for m in _money_after_signs(doc)
             if not any(e.label_ == "MONEY" and e.start <= m.start and m.end <= e.end for e in doc.ents)]
    if money:
        doc.ents = [e for e in doc.ents if not any(e.start < m.end and m.start < e.end for m in money)] + money
    if any(map(_names_a_region, doc.ents)):
        doc.ents = [Span(doc, e.start, e.end, label="LOC") if _names_a_region(e) else e for e in doc.ents]
    pieces, changed = [], False
    for e in doc.ents:
        cuts = [t.i for t in e[1:-1] if _is_spaced_dash(t) or e.label_ in _NAMES and _is_preposition_before_figure(t)]
        if not cuts:
            pieces.append(e)
            continue
        changed = True
        bounds = [e.start, *cuts, e.end]
        for n, (start, end) in enumerate(zip(bounds, bounds[1:])):
            start = start + 1 if n else start  # the dash or preposition itself belongs to neither side
            if start < end:
                piece = doc[start:end]
                pieces.append(Span(doc, start, end, label=_label_of(piece, e.label_) if n else e.label_))
    if changed:
        doc.ents = filter_spans(pieces)
    return doc
