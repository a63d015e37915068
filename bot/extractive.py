"""Offline answer engine (placeholder: top sentence)."""

from __future__ import annotations

from bot.index_store import SentenceIndex
from bot.pipeline import QAState, context_citations
from bot.schema import Answer, Citation

NOT_IN_ARTICLE = "The article doesn't say."


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, index: SentenceIndex) -> None:
        self.index = index

    def answer(self, state: QAState) -> Answer:
        top = state.retrieved[0] if state.retrieved else None
        if top is None or top.dense < 0.3:
            return Answer(question=state.question, resolved_question=state.resolved, answer=NOT_IN_ARTICLE,
                          abstained=True, context=context_citations(state))
        return Answer(question=state.question, resolved_question=state.resolved, answer=top.sentence.text,
                      abstained=False, citations=[Citation.of(top.sentence)], confidence=top.dense,
                      context=context_citations(state))
