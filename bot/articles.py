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
    for line, doc in zip(lines, nlp.pipe((m.group() for m in lines), disable=["ner", "lemmatizer", PEOPLE])):
        for span in doc.sents:
            raw = span.text
            stripped = raw.strip()
            if not any(ch.isalnum() for ch in stripped):
                continue
            start = line.start() + span.start_char + (len(raw) - len(raw.lstrip()))
            sentences.append(
                Sentence(
                    id=f"{stem}:s{len(sentences)}",
                    text=stripped,
                    start=start,
                    end=start + len(stripped),
                    source=article.name,
                    position=len(sentences),
                )
            )
    return sentences
