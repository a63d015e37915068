"""Generative answers through any LangChain chat model, shown only when their citations check out.

`LLMAnswerer` asks the model for an answer plus the ids of the retrieved sentences it relies on, verifies
the reply (bot.llm_verify) and otherwise returns the offline engine's answer marked
`engine="extractive-fallback"`. Provider failures never escape: one warning line, then the offline answer.
`LLMFollowUpResolver` rewrites follow-ups with the same model. Streaming is opt-in per call through
`LLMAnswerer.streaming(on_text)`; the final Answer is verified the same way.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator, Literal, Sequence

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from bot.config import Settings
from bot.llm_output import (
    LLMReply,
    ReplyFormatError,
    draft_from_json,
    draft_from_text,
    parse_text_reply,
    reply_from_structured,
    reply_schema,
)
from bot.llm_prompts import Prompts, load_prompts
from bot.llm_provider import AnswerDeadline, ChatBackend, build_backend, describe_failure
from bot.llm_verify import SupportsCheck, simple_supports, verify
from bot.pipeline import Answerer, FollowUpResolver, QAState, context_citations
from bot.schema import Answer, Citation, Turn

log = logging.getLogger("bot.llm")

FALLBACK_ENGINE = "extractive-fallback"


def _not_in_article_text() -> str:
    """The offline engine's abstention wording, so both engines say "not in the article" alike."""
    from bot import extractive

    return getattr(extractive, "NOT_IN_ARTICLE", "The article doesn't say.")

OutputMode = Literal["auto", "json_schema", "function_calling", "json_mode", "text"]  # LLM_OUTPUT
OnText = Callable[[str], None]  # receives the whole draft answer so far, each time it grows
_on_text: ContextVar[OnText | None] = ContextVar("llm_on_text", default=None)


def _message_text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)


class _DraftStream(BaseCallbackHandler):
    """Collects streamed tokens, hands the growing answer to `on_text`, and enforces the overall deadline
    (the HTTP client's timeout only bounds the gap between two chunks)."""

    raise_error = True  # so AnswerDeadline stops the request instead of being logged and ignored

    def __init__(self, on_text: OnText, extract: Callable[[str], str], deadline: float) -> None:
        self.on_text: OnText | None = on_text
        self.extract = extract
        self.deadline = deadline
        self.buffer = ""
        self.shown = ""

    def on_llm_new_token(self, token: str, *, chunk: Any = None, **kwargs: Any) -> None:
        if time.monotonic() > self.deadline:
            raise AnswerDeadline("streamed reply ran past LLM_TIMEOUT_S")
        piece = token
        message = getattr(chunk, "message", None)
        if not piece and message is not None:  # tool-call providers stream the JSON as call arguments
            piece = "".join(c.get("args") or "" for c in getattr(message, "tool_call_chunks", None) or [])
        if not piece or self.on_text is None:
            return
        self.buffer += piece
        draft = self.extract(self.buffer)
        if draft and draft != self.shown:
            self.shown = draft
            try:
                self.on_text(draft)
            except Exception:  # a broken display must not cost the answer
                log.debug("streaming callback failed; streaming off for this answer", exc_info=True)
                self.on_text = None


def _streaming_variant(model: BaseChatModel) -> BaseChatModel | None:
    """A copy that streams even under invoke(), so tokens reach callbacks while LangChain's structured
    output parsing still sees the whole message. None if the model class has no `streaming` switch."""
    if "streaming" not in type(model).model_fields:
        return None
    return model.model_copy(update={"streaming": True})


class LLMAnswerer:
    name = "llm"

    def __init__(
        self,
        model: BaseChatModel,
        fallback: Answerer,
        *,
        output: OutputMode = "auto",
        structured_method: str | None = None,
        timeout_s: float = 30.0,
        label: str = "the language model",
        supports: SupportsCheck | None = None,
        prompts: Prompts | None = None,
    ) -> None:
        self.model = model
        self.fallback = fallback
        self.label = label
        self.timeout_s = timeout_s
        method = structured_method if output == "auto" else output
        self._method_kwargs = {"method": method} if method and method != "text" else {}
        self.structured = output != "text" and self._supports_structured()
        self.prompts = prompts or load_prompts(structured=self.structured)
        self._supports = supports
        self._streaming_model = _streaming_variant(model)

    # -- set-up ---------------------------------------------------------------------------------------

    def _supports_structured(self) -> bool:
        try:
            self.model.with_structured_output(reply_schema(), include_raw=True, **self._method_kwargs)
        except (NotImplementedError, ValueError, TypeError) as err:
            log.info("%s has no structured output (%s); using the text reply format", self.label, type(err).__name__)
            return False
        return True

    def supports(self, question: str, answer_text: str, sentences: list) -> bool:
        """The offline engine's own support check when it has one, else the simple one in llm_verify."""
        check = self._supports or getattr(self.fallback, "supports", None) or simple_supports
        return bool(check(question, answer_text, sentences))

    def follow_up_resolver(self, fallback: FollowUpResolver) -> "LLMFollowUpResolver":
        return LLMFollowUpResolver(self.model, self.prompts, fallback, label=self.label)

    @contextmanager
    def streaming(self, on_text: OnText) -> Iterator[None]:
        """Within this block (same thread or context), answers stream their draft text to `on_text`."""
        token = _on_text.set(on_text)
        try:
            yield
        finally:
            _on_text.reset(token)

    # -- answering ------------------------------------------------------------------------------------

    def answer(self, state: QAState) -> Answer:
        if not state.retrieved:
            return self._fallback(state)
        question = state.resolved or state.question
        try:
            reply = self._ask(state, question)
        except ReplyFormatError as err:
            log.info("model reply unusable (%s); showing the offline answer", err)
            return self._fallback(state)
        except Exception as err:  # provider or network failure: one line, never a traceback
            if type(err).__name__ == "LengthFinishReasonError":  # the openai SDK's "JSON cut off at max_tokens"
                log.info("model reply cut off at LLM_MAX_TOKENS; showing the offline answer")
                return self._fallback(state)
            log.warning(describe_failure(err, self.label, self.timeout_s))
            log.debug("model call failed", exc_info=True)
            return self._fallback(state)
        verdict = verify(reply, question, state.retrieved, self.supports)
        if not verdict.ok:
            log.info("model answer rejected: %s; showing the offline answer", verdict.reason)
            return self._fallback(state)
        if reply.not_in_article:
            return self._abstention(state)
        base = dict(question=state.question, resolved_question=state.resolved, engine=self.name,
                    context=context_citations(state))
        return Answer(
            answer=verdict.answer_text,
            abstained=False,
            citations=[Citation.of(r.sentence) for r in verdict.cited],
            confidence=round(max(r.dense for r in verdict.cited), 4),
            **base,
        )

    def _abstention(self, state: QAState) -> Answer:
        """"Not in the article" cites nothing, so it is only shown when the offline engine agrees; when that
        engine finds an answer, its cited answer wins (a small model's abstentions are often wrong)."""
        offline = self.fallback.answer(state)
        if offline.abstained:
            return offline.model_copy(update={"engine": self.name, "answer": _not_in_article_text()})
        log.info("the model found no answer but the offline engine did; showing the offline answer")
        return offline.model_copy(update={"engine": FALLBACK_ENGINE})

    def _fallback(self, state: QAState) -> Answer:
        return self.fallback.answer(state).model_copy(update={"engine": FALLBACK_ENGINE})

    def _ask(self, state: QAState, question: str) -> LLMReply:
        messages = self.prompts.answer_messages(state.retrieved, question)
        on_text = _on_text.get()
        model = self.model
        config: dict = {}
        if on_text is not None and self._streaming_model is not None:
            model = self._streaming_model
            extract = draft_from_json if self.structured else draft_from_text
            config["callbacks"] = [_DraftStream(on_text, extract, time.monotonic() + self.timeout_s)]
        if not self.structured:
            return parse_text_reply(_message_text(model.invoke(messages, config)))
        ids = [r.sentence.id for r in state.retrieved]
        runnable = model.with_structured_output(reply_schema(ids), include_raw=True, **self._method_kwargs)
        out = runnable.invoke(messages, config)
        if out.get("parsing_error") is not None or out.get("parsed") is None:
            raise ReplyFormatError(f"structured output did not parse ({type(out.get('parsing_error')).__name__})")
        return reply_from_structured(out["parsed"])


class LLMFollowUpResolver:
    """Rewrites a follow-up into a standalone question with the model; the offline resolver on any trouble."""

    def __init__(self, model: BaseChatModel, prompts: Prompts, fallback: FollowUpResolver, *,
                 label: str = "the language model", max_turns: int = 4) -> None:
        self.model = model
        self.prompts = prompts
        self.fallback = fallback
        self.label = label
        self.max_turns = max_turns

    def resolve(self, question: str, history: Sequence[Turn]) -> str:
        if not history:  # nothing to resolve against: skip the round trip
            return self.fallback.resolve(question, history)
        try:
            reply = self.model.invoke(self.prompts.rewrite_messages(list(history)[-self.max_turns :], question))
        except Exception as err:
            # INFO, not WARNING: the answer call right after reports a provider problem once, to the user.
            log.info("follow-up rewrite failed (%s); using the offline resolver", type(err).__name__)
            return self.fallback.resolve(question, history)
        rewritten = clean_rewrite(_message_text(reply), question)
        log.debug("follow-up rewrite by the model %s", "used" if rewritten else "unusable; offline resolver instead")
        return rewritten or self.fallback.resolve(question, history)


_REWRITE_LABELS = ("standalone question:", "rewritten question:", "question:")


def clean_rewrite(text: str, question: str) -> str:
    """The first line of the model's rewrite, without labels or quotes; '' if it doesn't look like one."""
    line = next((ln.strip() for ln in text.strip().splitlines() if ln.strip()), "")
    for label in _REWRITE_LABELS:
        if line.lower().startswith(label):
            line = line[len(label) :].strip()
    line = " ".join(line.strip("\"'“”`").split())
    if not any(ch.isalnum() for ch in line) or len(line) > max(200, 3 * len(question)):
        return ""
    if question.rstrip().endswith("?") and not line.endswith("?"):  # the model answered instead of rewriting
        return ""
    return line


def build_llm_answerer(settings: Settings, fallback: Answerer) -> LLMAnswerer:
    backend: ChatBackend = build_backend(settings)
    return LLMAnswerer(
        backend.model,
        fallback,
        output=settings.llm_output,
        structured_method=backend.structured_method,
        timeout_s=settings.llm_timeout_s,
        label=backend.label,
    )
