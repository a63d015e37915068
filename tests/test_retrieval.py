"""Stage 3: hybrid retrieval (FAISS dense + BM25) over the real index and embedding model."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from bot.index_store import load_index
from bot.retrieval import HybridRetriever, lexical_tokens
from tests.conftest import MUSEUM_ARTICLE, article_text


@pytest.fixture(scope="module")
def museum_retriever(museum_index_dir):
    return HybridRetriever(index=load_index(museum_index_dir), k=3)


@pytest.fixture(scope="module")
def huawei_retriever(default_index_dir):
    return HybridRetriever(index=load_index(default_index_dir), k=3)


def _holding(retriever: HybridRetriever, phrase: str) -> str:
    [sentence] = [s for s in retriever.index.sentences if phrase in s.text]
    return sentence.id


def _top_ids(retriever: HybridRetriever, query: str, k: int = 3) -> list[str]:
    return [r.sentence.id for r in retriever.retrieve(query, k=k)]


@pytest.mark.parametrize(
    "query, phrase, k",
    [
        ("Calder & Reid restored the Victorian clock tower", "Calder & Reid", 1),
        ("National Lottery Heritage Fund", "National Lottery Heritage Fund", 1),
        ("Peter Quayle ferry terminal theme park", "Peter Quayle", 1),
    ],
)
def test_lexical_match_ranks_first(museum_retriever, query, phrase, k):
    assert _holding(museum_retriever, phrase) in _top_ids(museum_retriever, query, k)


@pytest.mark.parametrize(
    "query, phrase",
    [
        # no content word shared with the sentence: only the embeddings can find it
        ("Who was the shipping magnate that established the institution?", "Arthur Blackwood"),
        ("How many people are expected to come through the doors in the first twelve months?", "250,000 visitors"),
        ("Which company drew up the plans for the rebuild?", "Calder & Reid"),
        ("Which galleries show items that were hidden away in the stores?", "460 objects"),
    ],
)
def test_paraphrased_query_finds_the_sentence(museum_retriever, query, phrase):
    assert _holding(museum_retriever, phrase) in _top_ids(museum_retriever, query)


def test_a_synonym_of_a_question_word_counts_lexically(museum_retriever):
    # "established" is in no sentence; "The museum was founded in 1931" has its synonym (a lexicon group)
    everything = len(museum_retriever.index.sentences)
    lexical = {r.sentence.id: r.lexical for r in museum_retriever.retrieve("When was it established?", k=everything)}
    founded = _holding(museum_retriever, "was founded in 1931")
    assert lexical[founded] == max(lexical.values()) > 0


@pytest.mark.parametrize(
    "query, phrase",
    [
        ("How many 5G base stations has Huawei shipped?", "shipped more than 40,000"),
        ("Which think tank released a study saying the Chinese firm's kit was untrustworthy?", "Royal United Services Institute"),
        ("Which spy agency assessment said the dangers could be controlled?", "National Cyber Security Centre"),
    ],
)
def test_default_article_queries(huawei_retriever, query, phrase):
    assert _holding(huawei_retriever, phrase) in _top_ids(huawei_retriever, query)


def test_scores_are_sorted_and_bounded(museum_retriever):
    results = museum_retriever.retrieve("How much did the renovation cost?", k=5)
    assert len(results) == 5
    fused = [r.fused for r in results]
    assert fused == sorted(fused, reverse=True)
    for r in results:
        assert -1.0 <= r.dense <= 1.0 + 1e-5
        assert 0.0 <= r.lexical <= 1.0
        assert r.fused == pytest.approx(0.7 * r.dense + 0.3 * r.lexical, abs=1e-5)
    assert len({r.sentence.id for r in results}) == 5


def test_query_without_content_words_and_k_beyond_the_corpus(museum_retriever):
    assert lexical_tokens("what is the") == []
    assert len(museum_retriever.retrieve("what is the", k=3)) == 3  # dense only, no crash
    everything = museum_retriever.retrieve("museum", k=50)
    assert len(everything) == len(museum_retriever.index.sentences)


def test_lexical_tokens_stem_and_drop_stop_words():
    assert lexical_tokens("How many Contracts were signed in the U.K.?") == ["mani", "contract", "sign", "u", "k"]
    assert lexical_tokens("beds deliveries") == lexical_tokens("bed delivery")


def test_works_as_a_langchain_retriever(museum_retriever):
    assert isinstance(museum_retriever, BaseRetriever)
    docs = museum_retriever.invoke("Who founded the museum?")
    assert 1 <= len(docs) <= 3 and all(isinstance(d, Document) for d in docs)
    text = article_text(MUSEUM_ARTICLE)
    for d in docs:
        assert d.id == d.metadata["id"] and museum_retriever.index.by_id(d.id) is not None
        assert d.metadata["source"] == MUSEUM_ARTICLE.name
        assert text[d.metadata["start"] : d.metadata["end"]] == d.page_content
        assert isinstance(d.metadata["score"], float)
    assert any("Arthur Blackwood" in d.page_content for d in docs)
    batched = museum_retriever.batch(["Who founded the museum?", "Which firm designed the renovation?"])
    assert [d.id for d in batched[0]] == [d.id for d in docs]
    assert any("Calder & Reid" in d.page_content for d in batched[1])
