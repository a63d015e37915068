"""Hybrid retrieval: dense (FAISS, MiniLM cosine) + lexical (BM25), fused by a weighted sum of normalised scores."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr
from rank_bm25 import BM25Okapi
from snowballstemmer import stemmer

from bot.index_store import SentenceIndex
from bot.lexicon import synonyms
from bot.schema import Retrieved

_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an the of to in on at for by with from and or but is are was were be been being has have had do does did "
    "what which who whom whose when where why how that this these those it its as about into than then there".split()
)


_STEMMER = stemmer("english")
# What a word of the question's synonym counts for, against the word itself: "established" finds "Founded in
# 1884", but less surely than "founded" would.
SYNONYM_WEIGHT = 0.5


def lexical_tokens(text: str) -> list[str]:
    """Lower-cased word tokens, stop words dropped, Snowball-stemmed (beds → bed, deliveries → deliveri)."""
    return _STEMMER.stemWords([t for t in _TOKEN.findall(text.lower().replace("’", "'")) if t not in _STOP])


@lru_cache(maxsize=4096)
def _synonym_stems(word: str) -> frozenset[str]:
    """The stems of a word's synonyms other than its own, stemmed once per word and process."""
    return frozenset(_STEMMER.stemWords(sorted(synonyms(word)))) - set(_STEMMER.stemWords([word]))


class HybridRetriever(BaseRetriever):
    """A LangChain retriever; `retrieve` also returns the per-sentence scores the answerer needs."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: SentenceIndex
    k: int = 6
    dense_weight: float = 0.7
    query_encoder: Callable[[str], np.ndarray] | None = None  # defaults to the index's embeddings
    _bm25: BM25Okapi = PrivateAttr()

    def model_post_init(self, __context) -> None:
        self._bm25 = BM25Okapi([lexical_tokens(s.text) or ["∅"] for s in self.index.sentences])

    def embed(self, text: str) -> np.ndarray:
        if self.query_encoder is not None:
            return np.asarray(self.query_encoder(text), dtype="float32")
        return np.asarray(self.index.store.embedding_function.embed_query(text), dtype="float32")

    def retrieve(self, query: str, query_vector: np.ndarray | None = None, k: int | None = None) -> list[Retrieved]:
        k = k or self.k
        n = len(self.index.sentences)
        if query_vector is None:
            query_vector = self.embed(query)
        pool = min(n, max(4 * k, 20))
        scores, rows = self.index.store.index.search(query_vector.reshape(1, -1), pool)
        dense = {int(r): float(s) for r, s in zip(rows[0], scores[0]) if r >= 0}

        tokens = lexical_tokens(query)
        lexical = self._bm25.get_scores(tokens) if tokens else np.zeros(n)
        lexical = lexical + SYNONYM_WEIGHT * self._synonym_scores(query)
        top_lexical = np.argsort(-lexical)[:pool]
        peak = float(lexical.max()) if len(lexical) and lexical.max() > 0 else 1.0

        candidates = set(dense) | {int(r) for r in top_lexical if lexical[r] > 0}
        if len(candidates) > len(dense):  # exact cosine for lexical-only hits
            missing = sorted(candidates - set(dense))
            vectors = self.index.store.index.reconstruct_batch(np.asarray(missing, dtype="int64"))
            dense.update({r: float(v @ query_vector) for r, v in zip(missing, vectors)})
        results = [
            Retrieved(
                sentence=self.index.sentences[r],
                dense=dense[r],
                lexical=float(lexical[r]) / peak,
                fused=self.dense_weight * dense[r] + (1 - self.dense_weight) * float(lexical[r]) / peak,
            )
            for r in candidates
        ]
        results.sort(key=lambda x: -x.fused)
        return results[:k]

    def _synonym_scores(self, query: str) -> np.ndarray:
        """Per sentence, the BM25 score of each question word's best-scoring synonym, summed over the words."""
        total = np.zeros(len(self.index.sentences))
        for word in set(_TOKEN.findall(query.lower())) - _STOP:
            stems = _synonym_stems(word)
            if stems:
                total += np.max([self._bm25.get_scores([s]) for s in stems], axis=0)
        return total

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(page_content=r.sentence.text, id=r.sentence.id, metadata=r.sentence.model_dump() | {"score": r.fused})
            for r in self.retrieve(query)
        ]
