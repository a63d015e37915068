"""Build, save and load the sentence index: FAISS vectors + JSON docstore + manifest. Never pickle.

Layout of an index directory:
  manifest.json   format version, sources (name, sha256, path), embedding model + dimension, chunking
  sentences.json  the docstore: every Sentence in index order (row i of the FAISS index is sentence i)
  vectors.faiss   faiss.write_index of the embedding matrix
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
from langchain_community.docstore.in_memory import InMemoryDocstore
from langchain_community.vectorstores import FAISS
from langchain_community.vectorstores.utils import DistanceStrategy
from langchain_core.documents import Document

from bot.articles import Article, read_article, split_sentences
from bot.errors import IndexProblem
from bot.models import EMBEDDING_DIM, EMBEDDING_MODEL_NAME, get_embeddings, get_nlp
from bot.schema import Sentence

FORMAT_VERSION = 1
CHUNKING = {"unit": "sentence", "segmenter": "spacy en_core_web_sm parser, per line", "dateline": "own sentence"}
# Exact search is fast enough up to this many sentences (~100 articles' worth × 30); above it, HNSW.
FLAT_LIMIT = 50_000
MANIFEST, DOCSTORE, VECTORS = "manifest.json", "sentences.json", "vectors.faiss"


@dataclass
class SentenceIndex:
    manifest: dict
    sentences: list[Sentence]
    store: FAISS  # LangChain vector store over the same rows

    @property
    def sources(self) -> list[str]:
        return [s["name"] for s in self.manifest["sources"]]

    def by_id(self, sentence_id: str) -> Sentence | None:
        return self._ids.get(sentence_id)

    def __post_init__(self) -> None:
        self._ids = {s.id: s for s in self.sentences}


def _to_document(sentence: Sentence) -> Document:
    return Document(page_content=sentence.text, id=sentence.id, metadata=sentence.model_dump())


def _faiss_index(vectors: np.ndarray) -> faiss.Index:
    if len(vectors) <= FLAT_LIMIT:
        index = faiss.IndexFlatIP(EMBEDDING_DIM)
    else:
        index = faiss.IndexHNSWFlat(EMBEDDING_DIM, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = 64
    index.add(vectors)
    return index


def _vector_store(index: faiss.Index, sentences: list[Sentence]) -> FAISS:
    docstore = InMemoryDocstore({s.id: _to_document(s) for s in sentences})
    return FAISS(
        embedding_function=get_embeddings(),
        index=index,
        docstore=docstore,
        index_to_docstore_id={i: s.id for i, s in enumerate(sentences)},
        distance_strategy=DistanceStrategy.MAX_INNER_PRODUCT,
    )


def expected_manifest(articles: list[Article], paths: list[Path], index_dir: Path) -> dict:
    # Paths relative to the index directory, so a committed index stays checkable in any clone.
    return {
        "format_version": FORMAT_VERSION,
        "sources": [
            {"name": a.name, "sha256": a.sha256, "path": os.path.relpath(p.resolve(), Path(index_dir).resolve())}
            for a, p in zip(articles, paths)
        ],
        "embedding": {"model": EMBEDDING_MODEL_NAME, "dimension": EMBEDDING_DIM, "normalized": True},
        "chunking": CHUNKING,
    }


def build_index(paths: list[Path], index_dir: Path) -> SentenceIndex:
    """Segment and embed the articles, then write the index atomically (a crash leaves the old one)."""
    paths = [Path(p) for p in paths]
    articles = [read_article(p) for p in paths]
    names = [a.name for a in articles]
    if len(set(names)) != len(names):
        raise IndexProblem("two articles share a file name; rename one so citations stay unambiguous")
    nlp = get_nlp()
    sentences = [s for a in articles for s in split_sentences(a, nlp)]
    if not sentences:
        raise IndexProblem("the articles contain no sentences to index")
    vectors = np.asarray(get_embeddings().embed_documents([s.text for s in sentences]), dtype="float32")
    index = _faiss_index(vectors)
    manifest = expected_manifest(articles, paths, index_dir) | {"sentences": len(sentences), "faiss": type(index).__name__}

    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=index_dir, prefix=".build-") as tmp:
        tmp_dir = Path(tmp)
        faiss.write_index(index, str(tmp_dir / VECTORS))
        (tmp_dir / DOCSTORE).write_text(json.dumps([s.model_dump() for s in sentences], ensure_ascii=False))
        (tmp_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name in (VECTORS, DOCSTORE, MANIFEST):  # manifest last: it marks a complete index
            os.replace(tmp_dir / name, index_dir / name)
    return SentenceIndex(manifest=manifest, sentences=sentences, store=_vector_store(index, sentences))


def load_index(index_dir: Path) -> SentenceIndex:
    index_dir = Path(index_dir)
    if not (index_dir / MANIFEST).is_file():
        raise IndexProblem(f"no index in {index_dir}; build one with `python -m bot index ARTICLE ... --index-dir {index_dir}`")
    try:
        manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        rows = json.loads((index_dir / DOCSTORE).read_text(encoding="utf-8"))
        sentences = [Sentence.model_validate(r) for r in rows]
        index = faiss.read_index(str(index_dir / VECTORS))
    except (OSError, ValueError, RuntimeError, TypeError) as err:
        raise IndexProblem(f"the index in {index_dir} is corrupt or incomplete ({type(err).__name__}); rebuild it with `python -m bot index`") from None
    if not isinstance(manifest, dict) or not isinstance(rows, list):
        raise IndexProblem(f"the index in {index_dir} is corrupt (unexpected manifest or docstore); rebuild it with `python -m bot index`")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexProblem(f"the index in {index_dir} has format {manifest.get('format_version')}, expected {FORMAT_VERSION}; rebuild it")
    if manifest.get("embedding", {}).get("model") != EMBEDDING_MODEL_NAME or index.d != EMBEDDING_DIM:
        raise IndexProblem(f"the index in {index_dir} was built with another embedding model; rebuild it")
    if index.ntotal != len(sentences) or not sentences:
        raise IndexProblem(f"the index in {index_dir} is inconsistent ({index.ntotal} vectors, {len(sentences)} sentences); rebuild it")
    return SentenceIndex(manifest=manifest, sentences=sentences, store=_vector_store(index, sentences))


def stale_reason(index: SentenceIndex, index_dir: Path) -> str | None:
    """Why the index no longer matches its source files or this version's sentence splitting, or None if it does
    (files that vanished are not stale)."""
    if index.manifest.get("chunking") != CHUNKING:
        return "its articles were split into sentences another way"
    for source in index.manifest["sources"]:
        path = Path(index_dir) / source["path"]
        if path.is_file():
            try:
                current = read_article(path).sha256
            except Exception:
                continue
            if current != source["sha256"]:
                return f"{source['name']} changed since the index was built"
    return None
