"""Article files → sentences with stable ids and exact character offsets."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ArticleError
from bot.schema import Sentence

MAX_ARTICLE_BYTES = 5_000_000
_LINE = re.compile(r"[^\n]+")
# "ROTTERDAM, October 23 (Reuters) - ": where and when a story was filed, before its first sentence
DATELINE = re.compile(r"^([A-ZÀ-ÖØ-Þ][\w .,'/()-]{1,60}?)\s[-–—](?:\s|$)")
_CAPITALS_THEN_COMMA = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.-]+(?:\s[A-ZÀ-ÖØ-Þ'’.-]+)*,")
LEDE_LINES = 3  # headline, picture credit, dateline paragraph: where a dateline may run into the story


@dataclass(frozen=True)
class Article:
    name: str  # file name, used as the citation's `source`
    text: str
    sha256: str


def read_article(path: Path) -> Article:
    """Read a plain-text UTF-8 article, refusing anything that isn't one with a one-line reason."""
    path = Path(path)
    if not path.is_file():
        raise ArticleError(f"article not found: {path}")
    data = path.read_bytes()
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"article too large ({len(data)} bytes, limit {MAX_ARTICLE_BYTES}): {path}")
    if b"\x00" in data:
        raise ArticleError(f"article looks binary, expected plain text: {path}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(f"article is not UTF-8 text (byte {err.start}): {path}") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not any(ch.isalpha() for ch in text):
        raise ArticleError(f"article is empty: {path}")
    return Article(name=path.name, text=text, sha256=hashlib.sha256(data).hexdigest())


def source_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem).strip("-") or "article"


def split_sentences(article: Article, nlp) -> list[Sentence]:
    """One sentence per spaCy sentence inside each line (paragraph); offsets index `article.text`."""
    from bot.people import COMPONENT as PEOPLE  # (imports spaCy, which `nlp` has loaded already)

    lines = [m for m in _LINE.finditer(article.text) if m.group().strip()]
    stem = source_stem(article.name)
    sentences: list[Sentence] = []
    for number, (line, doc) in enumerate(zip(lines, nlp.pipe((m.group() for m in lines), disable=["ner", "lemmatizer", PEOPLE]))):
        for span in doc.sents:
            raw = span.text
            start = line.start() + span.start_char
            pieces = _dateline_apart(raw) if number < LEDE_LINES and span.start == 0 else [(0, raw)]
            for offset, piece in pieces:
                stripped = piece.strip()
                if not any(ch.isalnum() for ch in stripped):
                    continue
                begin = start + offset + (len(piece) - len(piece.lstrip()))
                sentences.append(
                    Sentence(
                        id=f"{stem}:s{len(sentences)}",
                        text=stripped,
                        start=begin,
                        end=begin + len(stripped),
                        source=article.name,
                        position=len(sentences),
                    )
                )
    return sentences


def _dateline_apart(text: str) -> list[tuple[int, str]]:
    """"LONDON, March 12 (Reuters) - The commission blocked ...": the dateline as a sentence of its own, so the
    parser reads the story's first sentence as a sentence (with the dateline, "blocked" came out an adjective
    and the commission no doer). Only a dateline that opens with a place in capitals and a comma."""
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    dateline = DATELINE.match(stripped)
    if dateline is None or not _CAPITALS_THEN_COMMA.match(stripped) or not stripped[dateline.end():].strip():
        return [(0, text)]
    cut = lead + dateline.end()
    return [(0, text[:cut]), (cut, text[cut:])]
