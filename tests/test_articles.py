"""Stage 1: article file → sentences with stable ids and exact offsets; unreadable files → one-line ArticleError."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.articles import read_article, source_stem, split_sentences
from bot.errors import ArticleError
from tests.conftest import ARTICLES, DEFAULT_ARTICLE, MUSEUM_ARTICLE, article_text

MULTI = (
    "Harbour bakery chain Loafwell to open 12 shops\n"
    "\n"
    "LEEDS, April 2 - Loafwell said on Monday it would open 12 shops this year. The chain already runs 48 bakeries.\n"
    "Its founder, Priya Nair, started the business in 2009 with one oven.\n"
    "\n"
    "\n"
    "Sales rose 11 percent to 31 million pounds. \"We bake everything before dawn,\" Nair said.\n"
)


@pytest.fixture(scope="module")
def nlp():
    from bot.models import get_nlp

    return get_nlp()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("path", [DEFAULT_ARTICLE, *sorted(ARTICLES.glob("*.txt"))], ids=lambda p: p.name)
def test_offsets_index_the_article_text(nlp, path):
    article = read_article(path)
    assert article.text == article_text(path)
    sentences = split_sentences(article, nlp)
    assert len(sentences) >= 5
    for s in sentences:
        assert article.text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert "\n" not in s.text
        assert s.source == path.name
    # in reading order, no overlaps
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))


def test_ids_are_unique_positional_and_stable(nlp):
    first = split_sentences(read_article(MUSEUM_ARTICLE), nlp)
    again = split_sentences(read_article(MUSEUM_ARTICLE), nlp)
    assert [s.model_dump() for s in first] == [s.model_dump() for s in again]
    ids = [s.id for s in first]
    assert len(set(ids)) == len(ids)
    assert ids == [f"aldermoor-museum:s{i}" for i in range(len(ids))]
    assert [s.position for s in first] == list(range(len(first)))


def test_ids_of_earlier_sentences_survive_an_appended_paragraph(nlp, tmp_path):
    base = _write(tmp_path, "loafwell.txt", MULTI.encode())
    before = split_sentences(read_article(base), nlp)
    base.write_text(MULTI + "\nThe first new shop opens in York in June.\n", encoding="utf-8")
    after = split_sentences(read_article(base), nlp)
    assert len(after) == len(before) + 1
    assert [(s.id, s.text, s.start) for s in after[: len(before)]] == [(s.id, s.text, s.start) for s in before]


def test_paragraphs_and_lines_split_into_sentences(nlp, tmp_path):
    article = read_article(_write(tmp_path, "loafwell.txt", MULTI.encode()))
    texts = [s.text for s in split_sentences(article, nlp)]
    assert texts[0] == "Harbour bakery chain Loafwell to open 12 shops"  # the headline line is its own sentence
    assert "The chain already runs 48 bakeries." in texts
    assert "Its founder, Priya Nair, started the business in 2009 with one oven." in texts
    assert "Sales rose 11 percent to 31 million pounds." in texts
    # the dateline is a sentence of its own, so the parser reads "Loafwell said ..." as a sentence
    assert texts[1] == "LEEDS, April 2 -" and texts[2].startswith("Loafwell said on Monday")
    assert any("We bake everything before dawn" in t for t in texts)
    assert 7 <= len(texts) <= 8  # blank lines yield nothing


@pytest.mark.parametrize("line", [
    "Shares in the firm rose 4% on Monday - the best day since March.",  # a dash, but no dateline
    "Later in the day - after the vote - the council met again.",
])
def test_a_dash_that_is_no_dateline_splits_nothing(nlp, tmp_path, line):
    article = read_article(_write(tmp_path, "shares.txt", f"Headline\n\n{line}\n".encode()))
    assert [s.text for s in split_sentences(article, nlp)] == ["Headline", line]


def test_crlf_input_gives_the_same_sentences_as_lf(nlp, tmp_path):
    lf = read_article(_write(tmp_path, "lf.txt", MULTI.encode()))
    crlf = read_article(_write(tmp_path, "crlf.txt", MULTI.replace("\n", "\r\n").encode()))
    assert "\r" not in crlf.text
    assert crlf.text == lf.text
    a, b = split_sentences(lf, nlp), split_sentences(crlf, nlp)
    assert [(s.text, s.start, s.end) for s in a] == [(s.text, s.start, s.end) for s in b]
    assert crlf.sha256 != lf.sha256  # the hash is of the bytes on disk, so a re-saved file is noticed


def test_bom_is_not_part_of_the_text(nlp, tmp_path):
    article = read_article(_write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + MULTI.encode()))
    assert not article.text.startswith("\ufeff")
    first = split_sentences(article, nlp)[0]
    assert first.text == "Harbour bakery chain Loafwell to open 12 shops"
    assert first.start == 0 and article.text[first.start : first.end] == first.text


def test_non_ascii_text_keeps_exact_offsets(nlp, tmp_path):
    text = "Café Zoë in Málaga sold 3,400 ensaïmadas — a record.\nThe owner, José Ñúñez, said “we ran out by noon”.\n"
    article = read_article(_write(tmp_path, "cafe.txt", text.encode()))
    sentences = split_sentences(article, nlp)
    assert len(sentences) == 2
    for s in sentences:
        assert article.text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\t\n\r\n  ", "empty"),
        ("dashes.txt", b"---\n...\n1 2 3\n", "empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("latin1.txt", "Caf\u00e9 owners in M\u00e1laga said sales rose.".encode("latin-1"), "UTF-8"),
        ("utf16.txt", "A short story about a museum.".encode("utf-16"), None),
    ],
)
def test_unreadable_files_raise_one_line_article_error(tmp_path, name, data, reason):
    path = _write(tmp_path, name, data)
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message and message
    assert name in message
    if reason:
        assert reason in message


def test_missing_file_and_directory_raise_article_error(tmp_path):
    for path in (tmp_path / "nope.txt", tmp_path):
        with pytest.raises(ArticleError, match="not found") as caught:
            read_article(path)
        assert "\n" not in str(caught.value)


def test_source_stem_makes_a_safe_id_prefix():
    assert source_stem("aldermoor-museum.txt") == "aldermoor-museum"
    assert source_stem("My story (v2).txt") == "My-story-v2"
    assert re.fullmatch(r"[A-Za-z0-9_-]+", source_stem("¿¡.txt"))
