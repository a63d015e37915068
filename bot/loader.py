"""Assemble the chain once per process from settings: index (auto-rebuilt when the default corpus changed),
retriever, follow-up resolver and answer engine."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from bot.config import DEFAULT_INDEX_DIR, Settings, get_settings
from bot.errors import IndexProblem
from bot.index_store import SentenceIndex, build_index, load_index, stale_reason
from bot.pipeline import QAChain
from bot.retrieval import HybridRetriever

log = logging.getLogger(__name__)


def _notice(message: str) -> None:
    print(message, file=sys.stderr)


def open_index(index_dir: Path, settings: Settings) -> SentenceIndex:
    """Load the index; the default index is (re)built from the configured articles when missing or stale."""
    is_default = Path(index_dir).resolve() == Path(settings.index_dir).resolve()
    try:
        index = load_index(index_dir)
        reason = stale_reason(index, index_dir)
    except IndexProblem as problem:
        if not is_default:
            raise
        reason = str(problem)
        index = None
    if reason is None:
        return index
    if not is_default:
        raise IndexProblem(f"the index in {index_dir} is stale: {reason}; rebuild it with `python -m bot index ... --index-dir {index_dir}`")
    _notice(f"Rebuilding the default index ({reason.rstrip('.')})…")
    return build_index(list(settings.articles), index_dir)


def load_chain(index_dir: Path | None = None, settings: Settings | None = None) -> QAChain:
    settings = settings or get_settings()
    index = open_index(Path(index_dir or settings.index_dir), settings)

    from bot.extractive import ExtractiveAnswerer
    from bot.followup import RuleBasedResolver
    from bot.ranker import LearnedRanker

    extractive = ExtractiveAnswerer(index, learned=LearnedRanker.load(settings.ranker_dir) if settings.ranker == "learned" else None)
    retriever = HybridRetriever(index=index, k=settings.top_k, query_encoder=extractive.words.embed_query)
    answerer = extractive
    resolver = RuleBasedResolver(extractive.nlp, extractive.words)
    if settings.engine == "llm":
        from bot.llm_engine import build_llm_answerer  # issue: generative answers

        answerer = build_llm_answerer(settings, fallback=extractive)
        resolver = answerer.follow_up_resolver(fallback=resolver)
    return QAChain(index, retriever, resolver, answerer, settings.max_question_chars)


__all__ = ["load_chain", "open_index", "DEFAULT_INDEX_DIR"]
