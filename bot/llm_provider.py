"""The chat model behind BOT_ENGINE=llm, built from settings, and one-line messages for its failures.

Three ways to reach a model, first match wins:
1. LLM_GGUF_PATH: a local GGUF file, served in-process by llama.cpp (xllamacpp) on 127.0.0.1 and
   reached through its OpenAI-compatible API, so it goes through exactly the same client as 2.
2. LLM_BASE_URL (+ LLM_MODEL, LLM_API_KEY): any OpenAI-compatible server (Ollama, vLLM, LM Studio, …).
3. LLM_MODEL as `provider:model` (openai:…, anthropic:…, ollama:…): LangChain's init_chat_model.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)
from langchain_core.language_models import BaseChatModel

from bot.config import Settings
from bot.errors import BotError

log = logging.getLogger("bot.llm")

NO_KEY = "not-needed"  # local OpenAI-compatible servers ignore the key, but the client insists on one


class LLMConfigError(BotError):
    """BOT_ENGINE=llm is set but the model settings can't work; the message says which setting to fix."""


@dataclass(frozen=True)
class ChatBackend:
    model: BaseChatModel
    label: str  # for messages: provider/model or server address, never a key
    structured_method: str | None  # with_structured_output(method=…) that suits this backend; None = provider default


# --- Local GGUF through llama.cpp's own server --------------------------------------------------------


class LocalGGUFServer:
    """llama.cpp's OpenAI-compatible HTTP server, started in this process on a free loopback port.

    The server runs on llama.cpp's own threads and stops when the object is garbage collected or the
    process exits. A random API key keeps other local programs (and web pages) from using it.
    """

    def __init__(self, path: Path, n_ctx: int, n_threads: int = 0) -> None:
        try:
            import xllamacpp as xlc
        except ImportError:
            raise LLMConfigError("LLM_GGUF_PATH needs the xllamacpp package: pip install 'article-qa-bot[llm]'.") from None
        if not path.is_file():
            raise LLMConfigError(f"LLM_GGUF_PATH {path} is not a file.")
        params = xlc.CommonParams()
        params.model.path = str(path)
        params.n_ctx = n_ctx
        params.n_parallel = 1  # one answer at a time; the whole context window for it
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # any free port
        params.api_keys = [secrets.token_urlsafe(24)]
        params.ui = False
        params.endpoint_slots = False
        params.verbosity = -1  # llama.cpp logs would drown the chat
        # llama.cpp's threads spin-wait on each other: with every core busy (embeddings, other programs) a
        # descheduled thread stalls the rest, and decoding drops from ~90 to ~2 tokens/s on 2 cores.
        threads = n_threads or max(1, (os.cpu_count() or 2) // 2)
        params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
        try:
            self._server = xlc.Server(params)
        except Exception as err:  # a corrupt or non-GGUF file, too little memory, …
            raise LLMConfigError(f"llama.cpp could not load LLM_GGUF_PATH {path} ({type(err).__name__}).") from None
        self.api_key = params.api_keys[0]
        self.base_url = self._server.listening_address.rstrip("/") + "/v1"
        self.path = path


_servers: dict[tuple[Path, int, int], LocalGGUFServer] = {}
_servers_lock = threading.Lock()


def local_gguf_server(path: Path, n_ctx: int, n_threads: int = 0) -> LocalGGUFServer:
    """One server per model file and process: loading the weights twice would only cost memory."""
    key = (path.expanduser().resolve(), n_ctx, n_threads)
    with _servers_lock:
        if key not in _servers:
            _servers[key] = LocalGGUFServer(key[0], n_ctx, n_threads)
        return _servers[key]


# --- Building the chat model ---------------------------------------------------------------------------


def _openai_compatible(settings: Settings, base_url: str, model: str, api_key: str) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=model,
        base_url=base_url,
        api_key=api_key,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


def _provider_kwargs(provider: str, settings: Settings) -> dict:
    """init_chat_model passes kwargs straight to the provider class, whose parameter names differ."""
    if provider == "ollama":
        return {
            "temperature": settings.llm_temperature,
            "num_predict": settings.llm_max_tokens,
            "client_kwargs": {"timeout": settings.llm_timeout_s},
        }
    kwargs: dict = {
        "temperature": settings.llm_temperature,
        "max_tokens": settings.llm_max_tokens,
        "timeout": settings.llm_timeout_s,
        "max_retries": settings.llm_max_retries,
    }
    if settings.llm_api_key is not None:
        kwargs["api_key"] = settings.llm_api_key.get_secret_value()
    return kwargs


def _init_chat_model(settings: Settings, spec: str) -> BaseChatModel:
    from langchain.chat_models import init_chat_model

    provider = spec.split(":", 1)[0] if ":" in spec else ""
    try:
        return init_chat_model(spec, **_provider_kwargs(provider, settings))
    except ImportError as err:  # the provider's integration package is missing; its message names it
        raise LLMConfigError(f"LLM_MODEL={spec}: {err}") from None
    except Exception as err:  # unknown provider, missing API key, …: name the setting, never echo a key
        hint = " Set LLM_API_KEY (or the provider's own key variable)." if "key" in str(err).lower() else ""
        raise LLMConfigError(f"LLM_MODEL={spec} could not be set up ({type(err).__name__}).{hint}") from None


def build_backend(settings: Settings) -> ChatBackend:
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key is not None else NO_KEY
    if settings.llm_gguf_path is not None:
        server = local_gguf_server(Path(settings.llm_gguf_path), settings.llm_gguf_ctx, settings.llm_gguf_threads)
        name = settings.llm_model or server.path.stem
        model = _openai_compatible(settings, server.base_url, name, server.api_key)
        return ChatBackend(model, f"local GGUF {server.path.name}", "json_schema")
    if settings.llm_base_url:
        if not settings.llm_model:
            raise LLMConfigError("LLM_BASE_URL is set but LLM_MODEL is not: name the model the server should run.")
        name = settings.llm_model.removeprefix("openai:")
        model = _openai_compatible(settings, settings.llm_base_url, name, api_key)
        # llama.cpp, vLLM, Ollama and LM Studio all honour response_format=json_schema; few do tool calls well.
        return ChatBackend(model, f"{name} at {settings.llm_base_url}", "json_schema")
    if settings.llm_model:
        return ChatBackend(_init_chat_model(settings, settings.llm_model), settings.llm_model, None)
    raise LLMConfigError(
        "BOT_ENGINE=llm needs a model: LLM_MODEL=provider:model (e.g. openai:gpt-4o-mini), "
        "or LLM_BASE_URL + LLM_MODEL for an OpenAI-compatible server, or LLM_GGUF_PATH for a local GGUF file."
    )


# --- Failures → one line for the user ------------------------------------------------------------------


class AnswerDeadline(TimeoutError):
    """Raised from the token stream when a streamed reply runs past LLM_TIMEOUT_S."""


def _status(err: BaseException) -> int | None:
    status = getattr(err, "status_code", None) or getattr(getattr(err, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def describe_failure(err: BaseException, backend_label: str, timeout_s: float) -> str:
    """A complete sentence naming the problem and the setting to check; no provider text, which can echo keys."""
    status = _status(err)
    name = type(err).__name__.lower()
    tail = "; showing the offline answer."
    if isinstance(err, (ModelTimeoutError, TimeoutError)) or "timeout" in name:
        return f"The language model ({backend_label}) did not answer within {timeout_s:g} s (LLM_TIMEOUT_S){tail}"
    if isinstance(err, ModelRateLimitError) or status == 429 or "ratelimit" in name:
        return f"The language model provider is rate-limiting requests (HTTP 429){tail}"
    if isinstance(err, ModelAuthenticationError) or status == 401 or "authentication" in name:
        return f"The language model provider rejected the API key (check LLM_API_KEY){tail}"
    if isinstance(err, ModelPermissionDeniedError) or status == 403:
        return f"The API key may not use this model (HTTP 403; check LLM_API_KEY and LLM_MODEL){tail}"
    if isinstance(err, ModelNotFoundError) or status == 404 or "notfound" in name:
        return f"The language model provider does not know the model {backend_label} (check LLM_MODEL){tail}"
    if isinstance(err, ContextOverflowError):
        return f"The question and article context are too long for the model's context window{tail}"
    if isinstance(err, ModelAPIError) or (status is not None and status >= 500):
        return f"The language model provider had a server error (HTTP {status or '5xx'}){tail}"
    if isinstance(err, ModelInvalidRequestError) or status == 400:
        return (
            f"The language model server rejected the request (HTTP 400); if it lacks structured output, "
            f"set LLM_OUTPUT=text{tail}"
        )
    if isinstance(err, (ModelConnectionError, ConnectionError)) or "connect" in name:
        return f"Could not reach the language model ({backend_label}){tail}"
    return f"The language model call failed ({type(err).__name__}){tail}"
