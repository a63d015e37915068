"""Prompt files (prompts/*.txt) → LangChain ChatPromptTemplates, and the data blocks inserted into them.

The system messages are built only from the prompt files; the article sentences, the question and the
conversation go into the human message, inside tags, with any look-alike tags removed first, so text in
the article or the question cannot close its block and pose as instructions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate

from bot.config import PROMPTS_DIR
from bot.errors import BotError
from bot.schema import Retrieved, Turn

FILES = {
    "answer_system": "answer_system.txt",
    "answer_user": "answer_user.txt",
    "format_structured": "answer_format_structured.txt",
    "format_text": "answer_format_text.txt",
    "rewrite_system": "rewrite_followup.txt",
    "rewrite_user": "rewrite_user.txt",
}

_TAGS = re.compile(r"</?\s*(article|question|conversation)\s*>", re.IGNORECASE)


def scrub(text: str) -> str:
    """One line of data: no block tags, no line breaks (a sentence can't start a fake '[id]' line)."""
    return " ".join(_TAGS.sub(" ", text).split())


def format_context(retrieved: Sequence[Retrieved]) -> str:
    """`[id] sentence` lines in article order, which reads better than score order."""
    ordered = sorted(retrieved, key=lambda r: (r.sentence.source, r.sentence.position))
    return "\n".join(f"[{r.sentence.id}] {scrub(r.sentence.text)}" for r in ordered)


def format_history(turns: Sequence[Turn], max_answer_chars: int = 300) -> str:
    lines: list[str] = []
    for turn in turns:
        lines.append(f"User: {scrub(turn.resolved_question or turn.question)}")
        answer = scrub(turn.answer)
        lines.append(f"Assistant: {answer[:max_answer_chars]}{'…' if len(answer) > max_answer_chars else ''}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Prompts:
    answer: ChatPromptTemplate  # variables: context, question (format instructions already filled in)
    rewrite: ChatPromptTemplate  # variables: history, question

    def answer_messages(self, retrieved: Sequence[Retrieved], question: str) -> list[BaseMessage]:
        return self.answer.format_messages(context=format_context(retrieved), question=scrub(question))

    def rewrite_messages(self, history: Sequence[Turn], question: str) -> list[BaseMessage]:
        return self.rewrite.format_messages(history=format_history(history), question=scrub(question))


def _read(directory: Path, key: str) -> str:
    path = directory / FILES[key]
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as err:
        raise BotError(f"prompt file {path} is missing or unreadable ({err.strerror}).") from None


def load_prompts(structured: bool, directory: Path = PROMPTS_DIR) -> Prompts:
    """`structured` picks the reply-format instructions: schema fields, or the strict text format."""
    format_text = _read(directory, "format_structured" if structured else "format_text")
    answer = ChatPromptTemplate.from_messages(
        [("system", _read(directory, "answer_system")), ("human", _read(directory, "answer_user"))]
    ).partial(format_instructions=format_text)
    rewrite = ChatPromptTemplate.from_messages(
        [("system", _read(directory, "rewrite_system")), ("human", _read(directory, "rewrite_user"))]
    )
    return Prompts(answer=answer, rewrite=rewrite)
