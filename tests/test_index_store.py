"""Stage 2: the on-disk index (FAISS + JSON docstore + manifest, never pickle), staleness and auto-rebuild."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from pathlib import Path

import faiss
import numpy as np
import pytest

from bot.config import Settings
from bot.errors import IndexProblem
from bot.index_store import DOCSTORE, FORMAT_VERSION, MANIFEST, VECTORS, build_index, load_index, stale_reason
from bot.loader import load_chain, open_index
from tests.conftest import MUSEUM_ARTICLE, TRAM_ARTICLE, article_text

INDEX_FILES = {MANIFEST, DOCSTORE, VECTORS}


def _copy_index(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _one_line(err: BaseException) -> str:
    message = str(err)
    assert message and "\n" not in message and "Traceback" not in message
    return message


# -- build / load ---------------------------------------------------------------------------------------------


def test_round_trip_keeps_sentences_vectors_and_search(museum_index_dir):
    loaded = load_index(museum_index_dir)
    rebuilt_in_memory = faiss.read_index(str(museum_index_dir / VECTORS))
    assert loaded.store.index.ntotal == rebuilt_in_memory.ntotal == len(loaded.sentences)
    text = article_text(MUSEUM_ARTICLE)
    for i, s in enumerate(loaded.sentences):
        assert text[s.start : s.end] == s.text
        assert loaded.store.index_to_docstore_id[i] == s.id
        assert loaded.by_id(s.id) == s
    # the vectors on disk are the unit-normalised embeddings of the sentences, row by row
    from bot.models import get_embeddings

    fresh = np.asarray(get_embeddings().embed_documents([s.text for s in loaded.sentences[:3]]), dtype="float32")
    stored = loaded.store.index.reconstruct_n(0, 3)
    assert np.allclose(stored, fresh, atol=1e-4)
    assert np.allclose(np.linalg.norm(stored, axis=1), 1.0, atol=1e-4)
    # the LangChain vector store over the loaded files finds the sentence that holds the fact
    hits = loaded.store.similarity_search("Who designed the renovation of the museum?", k=2)
    assert any("Calder & Reid" in d.page_content for d in hits)
    assert all(d.metadata["source"] == MUSEUM_ARTICLE.name for d in hits)


def test_build_returns_what_load_reads(tmp_path):
    built = build_index([MUSEUM_ARTICLE], tmp_path / "idx")
    loaded = load_index(tmp_path / "idx")
    assert built.sentences == loaded.sentences
    assert built.manifest == loaded.manifest
    assert np.array_equal(built.store.index.reconstruct_n(0, len(built.sentences)), loaded.store.index.reconstruct_n(0, len(loaded.sentences)))


def test_manifest_fields(museum_index_dir):
    manifest = json.loads((museum_index_dir / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION
    [source] = manifest["sources"]
    assert source["name"] == MUSEUM_ARTICLE.name
    assert source["sha256"] == hashlib.sha256(MUSEUM_ARTICLE.read_bytes()).hexdigest()
    assert (museum_index_dir / source["path"]).resolve() == MUSEUM_ARTICLE.resolve()
    assert not Path(source["path"]).is_absolute()  # a committed index stays checkable in another clone
    assert manifest["embedding"]["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert manifest["embedding"]["dimension"] == 384 == faiss.read_index(str(museum_index_dir / VECTORS)).d
    assert manifest["chunking"]["unit"] == "sentence"
    assert manifest["sentences"] == len(json.loads((museum_index_dir / DOCSTORE).read_text(encoding="utf-8")))


def test_no_pickle_on_disk_or_when_loading(museum_index_dir, monkeypatch):
    files = {p.name for p in museum_index_dir.iterdir()}
    assert files == INDEX_FILES  # no *.pkl, no leftover .build-* directory
    for name in (MANIFEST, DOCSTORE):
        json.loads((museum_index_dir / name).read_text(encoding="utf-8"))
    assert not (museum_index_dir / VECTORS).read_bytes().startswith(b"\x80")  # pickle protocol 2+ header

    def refuse(*args, **kwargs):
        raise AssertionError("the index loader used pickle")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    loaded = load_index(museum_index_dir)
    assert loaded.store.similarity_search("museum director", k=1)


# -- corrupt or incomplete indexes ----------------------------------------------------------------------------


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


CORRUPTIONS = {
    "vectors-truncated": lambda d: _truncate(d / VECTORS),
    "vectors-empty": lambda d: (d / VECTORS).write_bytes(b""),
    "vectors-garbage": lambda d: (d / VECTORS).write_bytes(b"not a faiss index at all" * 10),
    "vectors-missing": lambda d: (d / VECTORS).unlink(),
    "sentences-truncated": lambda d: _truncate(d / DOCSTORE),
    "sentences-missing": lambda d: (d / DOCSTORE).unlink(),
    "sentences-not-utf8": lambda d: (d / DOCSTORE).write_bytes(b"[\xff\xfe]"),
    "sentences-wrong-shape": lambda d: (d / DOCSTORE).write_text('[{"id": 1}]', encoding="utf-8"),
    "sentences-one-row-short": lambda d: (d / DOCSTORE).write_text(
        json.dumps(json.loads((d / DOCSTORE).read_text(encoding="utf-8"))[:-1]), encoding="utf-8"
    ),
    "manifest-truncated": lambda d: _truncate(d / MANIFEST),
    "manifest-wrong-version": lambda d: (d / MANIFEST).write_text(
        json.dumps(json.loads((d / MANIFEST).read_text(encoding="utf-8")) | {"format_version": 99}), encoding="utf-8"
    ),
    "manifest-other-model": lambda d: (d / MANIFEST).write_text(
        json.dumps(json.loads((d / MANIFEST).read_text(encoding="utf-8")) | {"embedding": {"model": "other/model", "dimension": 384}}),
        encoding="utf-8",
    ),
    "manifest-not-an-object": lambda d: (d / MANIFEST).write_text("[]", encoding="utf-8"),
}


@pytest.mark.parametrize("damage", sorted(CORRUPTIONS))
def test_damaged_index_raises_index_problem(museum_index_dir, tmp_path, damage):
    target = _copy_index(museum_index_dir, tmp_path / "idx")
    CORRUPTIONS[damage](target)
    with pytest.raises(IndexProblem) as caught:
        load_index(target)
    message = _one_line(caught.value)
    assert str(target) in message
    assert "rebuild" in message


def test_missing_index_says_how_to_build_one(tmp_path):
    with pytest.raises(IndexProblem) as caught:
        load_index(tmp_path)
    message = _one_line(caught.value)
    assert "no index" in message and "python -m bot index" in message


# -- staleness and the loader ---------------------------------------------------------------------------------


@pytest.fixture
def own_corpus(tmp_path):
    """A writable copy of the museum article with its own index."""
    article = tmp_path / "articles" / "museum.txt"
    article.parent.mkdir()
    shutil.copy(MUSEUM_ARTICLE, article)
    index_dir = tmp_path / "index"
    build_index([article], index_dir)
    return article, index_dir


CHANGE = "\nThe museum's cafe will be run by the Dockside Coffee Company from July.\n"


def test_stale_reason_when_the_article_changes(own_corpus):
    article, index_dir = own_corpus
    assert stale_reason(load_index(index_dir), index_dir) is None
    with article.open("a", encoding="utf-8") as fh:
        fh.write(CHANGE)
    reason = stale_reason(load_index(index_dir), index_dir)
    assert reason is not None and "museum.txt" in reason
    article.unlink()  # a vanished source is not "stale": the index still answers
    assert stale_reason(load_index(index_dir), index_dir) is None


def test_stale_reason_when_sentences_were_split_another_way(own_corpus):
    _, index_dir = own_corpus
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    manifest["chunking"] = {"unit": "sentence", "segmenter": "an older splitter"}
    (index_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert "split into sentences another way" in stale_reason(load_index(index_dir), index_dir)


def test_open_index_rebuilds_the_default_index_when_stale(own_corpus, capsys):
    article, index_dir = own_corpus
    settings = Settings(BOT_INDEX_DIR=index_dir, BOT_ARTICLES=[article], BOT_ENGINE="extractive")
    with article.open("a", encoding="utf-8") as fh:
        fh.write(CHANGE)
    index = open_index(index_dir, settings)
    assert any("Dockside Coffee Company" in s.text for s in index.sentences)
    assert "Rebuilding the default index" in capsys.readouterr().err
    reloaded = load_index(index_dir)
    assert stale_reason(reloaded, index_dir) is None
    assert reloaded.manifest["sources"][0]["sha256"] == hashlib.sha256(article.read_bytes()).hexdigest()
    # and the rebuilt index answers from the new sentence
    answer = load_chain(index_dir, settings).ask("Which company will run the museum's cafe?")
    assert not answer.abstained and "Dockside Coffee Company" in answer.answer


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_open_index_builds_a_missing_or_corrupt_default_index(own_corpus, damage):
    article, index_dir = own_corpus
    if damage == "missing":
        shutil.rmtree(index_dir)
    else:
        _truncate(index_dir / VECTORS)
    settings = Settings(BOT_INDEX_DIR=index_dir, BOT_ARTICLES=[article])
    index = open_index(index_dir, settings)
    assert index.sources == ["museum.txt"]
    assert load_index(index_dir).sentences == index.sentences


def test_open_index_never_rebuilds_a_non_default_index(own_corpus, tmp_path):
    article, index_dir = own_corpus
    settings = Settings(BOT_INDEX_DIR=tmp_path / "somewhere-else", BOT_ARTICLES=[article])
    before = (index_dir / MANIFEST).read_bytes()
    with article.open("a", encoding="utf-8") as fh:
        fh.write(CHANGE)
    with pytest.raises(IndexProblem) as caught:
        open_index(index_dir, settings)
    message = _one_line(caught.value)
    assert "stale" in message and "museum.txt" in message
    assert (index_dir / MANIFEST).read_bytes() == before  # untouched
    with pytest.raises(IndexProblem, match="no index"):
        open_index(tmp_path / "empty", settings)
    assert not (tmp_path / "somewhere-else").exists()


# -- several articles -----------------------------------------------------------------------------------------


def test_two_articles_with_the_same_file_name_are_rejected(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(MUSEUM_ARTICLE, tmp_path / "a" / "story.txt")
    shutil.copy(TRAM_ARTICLE, tmp_path / "b" / "story.txt")
    with pytest.raises(IndexProblem) as caught:
        build_index([tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt"], tmp_path / "idx")
    assert "file name" in _one_line(caught.value)
    assert not (tmp_path / "idx" / MANIFEST).exists()


def test_several_articles_in_one_index_cite_the_right_source(tmp_path):
    index_dir = tmp_path / "idx"
    built = build_index([MUSEUM_ARTICLE, TRAM_ARTICLE], index_dir)
    assert built.sources == [MUSEUM_ARTICLE.name, TRAM_ARTICLE.name]
    ids = [s.id for s in built.sentences]
    assert len(set(ids)) == len(ids)
    texts = {MUSEUM_ARTICLE.name: article_text(MUSEUM_ARTICLE), TRAM_ARTICLE.name: article_text(TRAM_ARTICLE)}
    for s in built.sentences:
        assert s.id.startswith(Path(s.source).stem + ":s")
        assert texts[s.source][s.start : s.end] == s.text
    chain = load_chain(index_dir, Settings(BOT_ENGINE="extractive"))
    for question, fact, source in [
        ("How many stops will Line 12 have?", "19", TRAM_ARTICLE.name),
        ("Who is the director of the Aldermoor Maritime Museum?", "Helen Okafor", MUSEUM_ARTICLE.name),
    ]:
        answer = chain.ask(question)
        assert fact in answer.answer, (question, answer.answer)
        assert answer.citations and {c.source for c in answer.citations} == {source}
        for c in answer.citations:
            assert texts[c.source][c.start : c.end] == c.text and fact in c.text
