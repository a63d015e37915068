"""A conversation: bounded history of turns over one shared chain (terminal chat, one Discord thread, eval)."""

from __future__ import annotations

from collections import deque

from bot.pipeline import QAChain
from bot.schema import Answer, Turn


class Conversation:
    def __init__(self, chain: QAChain, max_turns: int = 8) -> None:
        self.chain = chain
        self.history: deque[Turn] = deque(maxlen=max(1, max_turns))
        self.last: Answer | None = None

    def ask(self, question: str) -> Answer:
        answer = self.chain.ask(question, tuple(self.history))
        self.history.append(
            Turn(
                question=answer.question,
                resolved_question=answer.resolved_question,
                answer=answer.answer,
                abstained=answer.abstained,
                citations=answer.citations,
            )
        )
        self.last = answer
        return answer

    def reset(self) -> None:
        self.history.clear()
        self.last = None
