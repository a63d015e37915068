"""What the language model must return, and the strict parsers that turn its output into an `LLMReply`.

Two wire formats carry the same content:
- structured output (JSON schema / tool call) for providers that support it, see `reply_schema`;
- a documented plain-text format for providers that don't (prompts/answer_format_text.txt):

      ANSWER: <answer in the model's own words>
      SOURCES: <sentence ids, comma separated>

  or the single line `NOT_IN_ARTICLE`.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from langchain_core.utils.json import parse_partial_json
from pydantic import BaseModel, Field, ValidationError


class ReplyFormatError(ValueError):
    """The model's output is not a well-formed reply; the message says what is wrong (no model text)."""


class LLMReply(BaseModel):
    """An answer grounded in the article sentences, or the flag that the article doesn't say."""

    answer: str = Field("", description="The answer in your own words, one to three sentences; empty if not_in_article.")
    sentence_ids: list[str] = Field(
        default_factory=list, description="Ids of the article sentences the answer relies on, exactly as given."
    )
    not_in_article: bool = Field(False, description="True only if the given sentences do not answer the question.")


SCHEMA_TITLE = "ArticleAnswer"  # doubles as the tool name for providers that use function calling
# Caps in the schema, so grammar-constrained small models can't ramble (or list every id) into max_tokens.
ANSWER_MAX_CHARS = 400
MAX_CITED = 3


def reply_schema(allowed_ids: Sequence[str] = ()) -> dict[str, Any]:
    """JSON schema of `LLMReply`; with `allowed_ids`, ids are an enum so grammar-constrained servers
    (llama.cpp, vLLM, Ollama) cannot even emit an id that wasn't retrieved. Verification still checks."""
    schema = LLMReply.model_json_schema()
    schema["title"] = SCHEMA_TITLE
    schema["description"] = LLMReply.__doc__
    schema["required"] = ["answer", "sentence_ids", "not_in_article"]
    schema["properties"]["answer"]["maxLength"] = ANSWER_MAX_CHARS
    if allowed_ids:
        unique = list(dict.fromkeys(allowed_ids))
        schema["properties"]["sentence_ids"]["items"] = {"type": "string", "enum": unique}
        schema["properties"]["sentence_ids"]["maxItems"] = min(len(unique), MAX_CITED)
    return schema


def reply_from_structured(parsed: Any) -> LLMReply:
    """Validate what LangChain's structured-output parser produced (a dict, or a list for some tool parsers)."""
    if isinstance(parsed, list) and len(parsed) == 1:
        parsed = parsed[0]
    if isinstance(parsed, BaseModel):
        parsed = parsed.model_dump()
    if not isinstance(parsed, dict):
        raise ReplyFormatError(f"expected an object with the reply fields, got {type(parsed).__name__}")
    try:
        return LLMReply.model_validate(parsed)
    except ValidationError as err:
        raise ReplyFormatError(f"reply fields invalid: {err.error_count()} error(s)") from None


_LABEL = re.compile(r"^(ANSWER|SOURCES)\s*:\s*(.*)$", re.IGNORECASE)
_NOT_IN_ARTICLE = re.compile(r"^NOT_IN_ARTICLE\.?$", re.IGNORECASE)
_ID_SPLIT = re.compile(r"[,;\s]+")


def parse_text_reply(text: str) -> LLMReply:
    """Strict parser for the text format: exactly one ANSWER block then one SOURCES line, or NOT_IN_ARTICLE.

    Anything else (chatter before ANSWER:, a missing SOURCES line, text after it) is rejected rather than
    guessed at, because a reply we half-understand could pair an answer with the wrong citations.
    """
    lines = [line.strip() for line in text.strip().splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ReplyFormatError("empty reply")
    if len(lines) == 1 and _NOT_IN_ARTICLE.match(lines[0]):
        return LLMReply(not_in_article=True)
    first = _LABEL.match(lines[0])
    if not first or first.group(1).upper() != "ANSWER":
        raise ReplyFormatError("reply does not start with 'ANSWER:'")
    answer_parts = [first.group(2)]
    sources: str | None = None
    for index, line in enumerate(lines[1:], start=1):
        label = _LABEL.match(line)
        if label and label.group(1).upper() == "SOURCES":
            if index != len(lines) - 1:
                raise ReplyFormatError("text after the 'SOURCES:' line")
            sources = label.group(2)
        elif label:
            raise ReplyFormatError("a second 'ANSWER:' line")
        else:
            answer_parts.append(line)  # the answer may wrap over several lines
    if sources is None:
        raise ReplyFormatError("no 'SOURCES:' line")
    answer = " ".join(part for part in answer_parts if part)
    if not answer:
        raise ReplyFormatError("empty answer")
    ids = [token.strip("[]()<>\"'`.") for token in _ID_SPLIT.split(sources)]
    return LLMReply(answer=answer, sentence_ids=[i for i in ids if i])


def draft_from_json(buffer: str) -> str:
    """The answer field of a JSON reply still being generated ('' until it starts)."""
    start = buffer.find("{")
    if start < 0:
        return ""
    try:
        partial = parse_partial_json(buffer[start:])
    except ValueError:
        return ""
    value = partial.get("answer") if isinstance(partial, dict) else None
    return value if isinstance(value, str) else ""


def draft_from_text(buffer: str) -> str:
    """The ANSWER part of a text-format reply still being generated ('' until 'ANSWER:' has arrived)."""
    head = buffer.lstrip()
    if not head.upper().startswith("ANSWER:"):
        return ""
    body = head[len("ANSWER:") :]
    done = re.search(r"\n\s*SOURCES\s*:", body, re.IGNORECASE)
    if done:
        body = body[: done.start()]
    else:  # hide a SOURCES label that is still arriving
        newline = body.rfind("\n")
        if newline >= 0 and "SOURCES:".startswith(body[newline + 1 :].strip().upper()):
            body = body[:newline]
    return " ".join(body.split())
