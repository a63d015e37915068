"""A spaCy component after NER that cuts apart what en_core_web_sm runs together:
- names and figures at a spaced dash: a dateline runs into its story ("ÉPINAL, France, June 12 - At least 23 riders
  went down"), read as one date "June 12 - At least 23", so the story's first figure is lost to every question;
- a name at a preposition before a figure: "the Czech Republic to 2029" is a country and a year;
and labels a figure after a currency sign as money whatever the model made of it: "an extra NZ$46,000", "a floor
of NZ$26 an hour" (read as no entity, or as a date), and a name ending in a word for a region as a place:
"growers in Hawke's Bay" (read as a work of art); and joins the first half of a name with "and" in it to the rest:
"The Retail and Bookselling Workers' Union" (read as an ORG from "Bookselling"); and labels a name right after a
word for a company as an organisation: "cloud computing company Veltrix" (read as a place)."""

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


# "tech firm Veltrix", "Dublin brokerage Harcourt Mellon": the noun before a name says what sort of name it is
_COMPANY_NOUNS = {"company", "firm", "maker", "manufacturer", "carrier", "airline", "bank", "lender", "insurer",
                  "retailer", "operator", "supplier", "brokerage", "broker", "developer", "start-up", "startup",
                  "group", "chain", "club", "charity", "consultancy", "agency"}


def _named_as_company(ent: Span) -> bool:
    before = ent.doc[ent.start - 1] if ent.start else None
    return (ent.label_ in ("GPE", "LOC", "PERSON", "NORP", "FAC", "PRODUCT", "WORK_OF_ART") and len(ent) <= 4
            and before is not None and before.lower_ in _COMPANY_NOUNS and before.is_lower)


def _first_half_before_and(ent: Span) -> int | None:
    """Where an organisation's name really starts when the model began it after "and": "the Retail and
    Bookselling Workers' Union", "the Arts and Humanities Research Council": one capitalised word between "the"
    and "and", outside any name or a name of its own."""
    i = ent.start
    if ent.label_ != "ORG" or i < 3:
        return None
    doc = ent.doc
    conj, first, det = doc[i - 1], doc[i - 2], doc[i - 3]
    alone = not first.ent_type_ or first.ent_iob_ == "B" and conj.ent_iob_ != "I"  # a name of one word
    if conj.lower_ == "and" and first.is_title and alone and det.lower_ == "the":
        return first.i
    return None


@Language.component(COMPONENT)
def entities_cut_apart(doc: Doc) -> Doc:
    joined = {e.start: start for e in doc.ents if (start := _first_half_before_and(e)) is not None}
    if joined:
        firsts = set(joined.values())  # "Arts", a name of its own to the model, is now part of the council's
        doc.ents = [Span(doc, joined[e.start], e.end, label="ORG") if e.start in joined else e
                    for e in doc.ents if not (len(e) == 1 and e.start in firsts)]
    money = [m for m in _money_after_signs(doc)
             if not any(e.label_ == "MONEY" and e.start <= m.start and m.end <= e.end for e in doc.ents)]
    if money:
        doc.ents = [e for e in doc.ents if not any(e.start < m.end and m.start < e.end for m in money)] + money
    if any(map(_named_as_company, doc.ents)):
        doc.ents = [Span(doc, e.start, e.end, label="ORG") if _named_as_company(e) else e for e in doc.ents]
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
